/* base/mail.h -- the outbox: a message is a row first (jobs/deliver.c sends it). */
#ifndef REKEY_BASE_MAIL_H
#define REKEY_BASE_MAIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "i18n.h"

struct app;
int mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body);
/* A security notice to every channel on record (email, and SMS when a phone is bound). */
int mail_notify(struct app *a, uint64_t account, const char *subject, const char *body);
/* A database time ("2026-12-02T13:13:59.709035Z") as people read it in a mail:
 * "2 December 2026, 13:13 UTC" in OUT; the input itself when it does not parse. */
const char *mail_time(const char *iso, char *out, size_t outlen);
/* The account's language for its mails and SMS (#20): the one saved on the
 * account, else English (also when the account cannot be read). */
enum i18n_lang mail_lang(struct app *a, uint64_t account);
/* A security notice in the account's language: "mail.<name>.subject" and
 * "mail.<name>.body" of the catalogue with vars (i18n_format()), to every
 * channel on record, as mail_notify(). */
int mail_notify_key(struct app *a, uint64_t account, const char *name, const char *const *vars);

#endif
