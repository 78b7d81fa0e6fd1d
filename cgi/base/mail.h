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

#endif
