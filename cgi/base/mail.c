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
	return i18n_time(LANG_EN, iso, out, outlen);
}

enum i18n_lang
mail_lang(struct app *a, uint64_t account)
{
	struct dbrows rows;
	enum i18n_lang l = LANG_EN;

	if (db_query(a->db, STMT_ACCOUNT_LANGUAGE, DBARGS(DB_I(account)), &rows) != RK_OK)
		return LANG_EN;
	if (rows.nrows == 1 && i18n_parse(db_cell(&rows, 0, 0, NULL), &l) != 0)
		l = LANG_EN;
	db_rows_free(&rows);
	return l;
}

/* A security notice to every channel on record, queued by one statement:
 * the account's email, and an SMS when a phone is confirmed. */
int
mail_notify(struct app *a, uint64_t account, const char *subject, const char *body)
{
	char sms[400], full[2600], help[400];
	uint64_t queued = 0;
	enum i18n_lang l = mail_lang(a, account);
	int rc;

	i18n_format(l, "sms.notice", sms, sizeof sms, (const char *const[]){ "operator", a->cfg.operator_name, "subject", subject, NULL });
	/* where to get help, in every notice (issue #16): the support_contact setting */
	if (a->cfg.support_contact[0]) {
		i18n_format(l, "mail.support", help, sizeof help, (const char *const[]){ "contact", a->cfg.support_contact, NULL });
		snprintf(full, sizeof full, "%s\n%s\n", body, help);
	} else
		snprintf(full, sizeof full, "%s", body);
	if ((rc = db_exec(a->db, STMT_OUTBOX_NOTIFY, DBARGS(DB_S(subject), DB_S(full), DB_I(account), DB_S(sms), DB_I(account)),
	    &queued, NULL)) != RK_OK)
		return rc;
	return queued >= 1 ? RK_OK : RK_FAIL; /* no such account */
}

int
mail_notify_key(struct app *a, uint64_t account, const char *name, const char *const *vars)
{
	char key[96], subject[300], body[2400];
	enum i18n_lang l = mail_lang(a, account);

	snprintf(key, sizeof key, "mail.%s.subject", name);
	if (i18n_format(l, key, subject, sizeof subject, vars) != 0)
		return RK_FAIL;
	snprintf(key, sizeof key, "mail.%s.body", name);
	if (i18n_format(l, key, body, sizeof body, vars) != 0)
		return RK_FAIL;
	return mail_notify(a, account, subject, body);
}
