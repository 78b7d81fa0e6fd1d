/* base/mail.h -- the outbox: a message is a row first (jobs/deliver.c sends it). */
#ifndef REKEY_BASE_MAIL_H
#define REKEY_BASE_MAIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

struct app;
int mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body);
/* A security notice to every channel on record (email, and SMS when a phone is bound). */
int mail_notify(struct app *a, uint64_t account, const char *subject, const char *body);
/* The same, with a link the SMS carries too (a "this was not me" link, #18). */
int mail_notify_link(struct app *a, uint64_t account, const char *subject, const char *body, const char *link);
/* A database time ("2026-12-02T13:13:59.709035Z") as people read it in a mail:
 * "2 December 2026, 13:13 UTC" in OUT; the input itself when it does not parse. */
const char *mail_time(const char *iso, char *out, size_t outlen);

#endif
