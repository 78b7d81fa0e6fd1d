/* base/mail.c -- the outbox: every message (mail or SMS) is a row first, delivered by jobs/deliver.c. */
#include <stdio.h>
#include <string.h>
#include "base.h"

int
mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body)
{
	return db_exec(a->db, STMT_OUTBOX_INSERT, DBARGS(account ? DB_I(account) : DB_NULL, DB_S(channel),
	    DB_S(recipient), DB_S(subject), DB_S(body)), NULL, NULL);
}

const char *
mail_time(const char *iso, char *out, size_t outlen)
{
	static const char *const months[12] = { "January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December" };
	int y, mo, d, h, mi;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12) {
		snprintf(out, outlen, "%s", iso ? iso : "");
		return out;
	}
	snprintf(out, outlen, "%d %s %d, %02d:%02d UTC", d, months[mo - 1], y, h, mi);
	return out;
}

/* A security notice to every channel on record, queued by one statement:
 * the account's email, and an SMS when a phone is confirmed. The SMS says
 * LINK when there is one (#18: the "this was not me" link reaches a person
 * whose mailbox was taken), else to read the email. */
static int
notify(struct app *a, uint64_t account, const char *subject, const char *body, const char *link)
{
	char sms[600], full[2600];
	uint64_t queued = 0;
	int rc;

	if (link)
		snprintf(sms, sizeof sms, "%s security notice: %s. Not you? Undo it: %s", a->cfg.operator_name, subject, link);
	else
		snprintf(sms, sizeof sms, "%s security notice: %s. Not you? Check your email now.", a->cfg.operator_name, subject);
	/* where to get help, in every notice (issue #16): the support_contact setting */
	if (a->cfg.support_contact[0])
		snprintf(full, sizeof full, "%s\nNeed help? Contact support: %s\n", body, a->cfg.support_contact);
	else
		snprintf(full, sizeof full, "%s", body);
	if ((rc = db_exec(a->db, STMT_OUTBOX_NOTIFY, DBARGS(DB_S(subject), DB_S(full), DB_I(account), DB_S(sms), DB_I(account)),
	    &queued, NULL)) != RK_OK)
		return rc;
	return queued >= 1 ? RK_OK : RK_FAIL; /* no such account */
}

int
mail_notify(struct app *a, uint64_t account, const char *subject, const char *body)
{
	return notify(a, account, subject, body, NULL);
}

int
mail_notify_link(struct app *a, uint64_t account, const char *subject, const char *body, const char *link)
{
	return notify(a, account, subject, body, link);
}
