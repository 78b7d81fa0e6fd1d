/* base/mail.c -- the outbox: every message (mail or SMS) is a row first,
 * delivered by jobs/deliver.c; and the one table of security notices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base.h"

#define NOTICE_ROW(id, ev, subj, sms, notme) [id] = { ev, subj, sms, notme },
static const struct notice_def notices[NOTICE__MAX] = { NOTICE_TABLE(NOTICE_ROW) };
#undef NOTICE_ROW

const struct notice_def *
notice_get(enum notice n)
{
	if ((unsigned)n >= NOTICE__MAX)
		abort();
	return &notices[n];
}

/* "Anti-phishing code: ..." in the same place, the first line, of every
 * mail to an account: a mail without the code the holder chose is not ours. */
int
mail_anti_phishing_line(struct app *a, uint64_t account, char *out, size_t outlen)
{
	struct dbrows rows;
	int rc;

	out[0] = '\0';
	if (account == 0)
		return RK_OK;
	if ((rc = db_query(a->db, STMT_ANTI_PHISHING_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1 && db_cell(&rows, 0, 0, NULL)[0])
		snprintf(out, outlen, "Anti-phishing code: %s\n\n", db_cell(&rows, 0, 0, NULL));
	else
		snprintf(out, outlen, "Anti-phishing code: not set (choose one in your security settings: every mail from us will show it here)\n\n");
	db_rows_free(&rows);
	return RK_OK;
}

int
mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body)
{
	char line[200], *full;
	size_t n;
	int rc;

	if (strcmp(channel, "email") != 0)
		return db_exec(a->db, STMT_OUTBOX_INSERT, DBARGS(account ? DB_I(account) : DB_NULL, DB_S(channel),
		    DB_S(recipient), DB_S(subject), DB_S(body)), NULL, NULL);
	if ((rc = mail_anti_phishing_line(a, account, line, sizeof line)) != RK_OK)
		return rc;
	n = strlen(line) + strlen(body) + 1;
	if ((full = malloc(n)) == NULL)
		return RK_FAIL;
	snprintf(full, n, "%s%s", line, body);
	rc = db_exec(a->db, STMT_OUTBOX_INSERT, DBARGS(account ? DB_I(account) : DB_NULL, DB_S(channel),
	    DB_S(recipient), DB_S(subject), DB_S(full)), NULL, NULL);
	free(full);
	return rc;
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

/* The browser and system a User-Agent names, in words ("Chrome on Linux"). */
static void
device_words(const char *ua, char *out, size_t outlen)
{
	static const struct { const char *has, *name; } browsers[] = {
		{ "Edg/", "Edge" }, { "OPR/", "Opera" }, { "Firefox/", "Firefox" }, { "Chrome/", "Chrome" },
		{ "Chromium/", "Chromium" }, { "Safari/", "Safari" },
	}, systems[] = {
		{ "iPhone", "iPhone" }, { "iPad", "iPad" }, { "Android", "Android" }, { "Windows", "Windows" },
		{ "Mac OS X", "macOS" }, { "CrOS", "ChromeOS" }, { "Linux", "Linux" },
	};
	const char *b = NULL, *s = NULL;

	if (ua == NULL || ua[0] == '\0') {
		snprintf(out, outlen, "unknown (the request named none)");
		return;
	}
	for (size_t i = 0; i < sizeof browsers / sizeof browsers[0] && !b; i++)
		if (strstr(ua, browsers[i].has))
			b = browsers[i].name;
	for (size_t i = 0; i < sizeof systems / sizeof systems[0] && !s; i++)
		if (strstr(ua, systems[i].has))
			s = systems[i].name;
	if (b || s)
		snprintf(out, outlen, "%s on %s", b ? b : "a browser", s ? s : "an unknown system");
	else
		snprintf(out, outlen, "%.60s", ua);
}

/* Coarse location: the network, never the address (IPv4 /24, IPv6 /48);
 * no GeoIP database is part of Rekey, so no country is named. */
static void
network_words(const char *ip, char *out, size_t outlen)
{
	unsigned o[4];
	char six[64];

	if (ip && sscanf(ip, "%3u.%3u.%3u.%3u", &o[0], &o[1], &o[2], &o[3]) == 4 && o[0] < 256 && o[1] < 256 && o[2] < 256)
		snprintf(out, outlen, "network %u.%u.%u.0/24", o[0], o[1], o[2]);
	else if (ip && strchr(ip, ':')) {
		size_t n = 0;
		int colons = 0;
		while (ip[n] && n < sizeof six - 4 && colons < 3) {
			if (ip[n] == ':' && ++colons == 3)
				break;
			six[n] = ip[n];
			n++;
		}
		snprintf(six + n, sizeof six - n, "::/48");
		snprintf(out, outlen, "network %s", six);
	} else
		snprintf(out, outlen, "unknown");
}

/* The notice N to every channel on record, queued by one statement: the
 * account's email, every confirmed second address and an SMS when a phone
 * is confirmed (and the table says so). UNDO, when not NULL, is the link of
 * a reset's or a deletion's "this was not me" (#18): the body states it, and
 * the SMS carries it too, so that it reaches an owner whose mailbox was
 * taken; otherwise a row with not_me gets a single-use freeze link. */
static int
notice(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body, const char *undo)
{
	const struct notice_def *d = notice_get(n);
	char sms[700], line[200], when[64], device[120], where[80], link[600] = "", help[300] = "", *full;
	struct dbrows rows;
	uint64_t queued = 0;
	size_t len;
	int rc;

	if ((rc = mail_anti_phishing_line(a, account, line, sizeof line)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_NOW, DBNOARGS, &rows)) != RK_OK)
		return rc;
	mail_time(db_cell(&rows, 0, 0, NULL), when, sizeof when);
	db_rows_free(&rows);
	if (r) {
		device_words(r->user_agent, device, sizeof device);
		network_words(r->ip, where, sizeof where);
	} else {
		snprintf(device, sizeof device, "not recorded (this step was not taken in a browser of yours, or not in one request)");
		snprintf(where, sizeof where, "-");
	}
	if (d->not_me && undo == NULL) {
		/* a single-use link that freezes the account (api/freeze.c) */
		unsigned char th[32];
		char token[64], life[40];
		keys_token_new(a->keys.link, "freeze", token, sizeof token, th);
		if ((rc = db_exec(a->db, STMT_FREEZE_INSERT, DBARGS(DB_I(account), DB_B(th, 32), DB_S(d->event),
		    DB_I(a->cfg.freeze_link_hours)), NULL, NULL)) != RK_OK)
			return rc;
		config_duration_text(3600LL * a->cfg.freeze_link_hours, life, sizeof life);
		snprintf(link, sizeof link, "Not you? Freeze your account now -- this stops withdrawals, signs everyone out\n"
		    "and requires the passkey reset to get back in (the link works once, for %s):\n%s/freeze.html?token=%s\n",
		    life, a->cfg.origin, token);
		sodium_memzero(token, sizeof token);
	}
	/* where to get help, in every notice (issue #16): the support_contact setting */
	if (a->cfg.support_contact[0])
		snprintf(help, sizeof help, "Need help? Contact support: %s\n", a->cfg.support_contact);
	len = strlen(line) + strlen(body) + strlen(link) + strlen(help) + 600;
	if ((full = malloc(len)) == NULL)
		return RK_FAIL;
	snprintf(full, len, "%s%s\n"
	    "When: %s\nDevice: %s\nWhere: %s\n\n%s%s",
	    line, body, when, device, where, link, help);
	if (undo)
		snprintf(sms, sizeof sms, "%s security notice: %s. Not you? Undo it: %s", a->cfg.operator_name, d->subject, undo);
	else
		snprintf(sms, sizeof sms, "%s security notice: %s. Not you? Check your email now.", a->cfg.operator_name, d->subject);
	rc = db_exec(a->db, STMT_OUTBOX_NOTIFY, DBARGS(DB_S(d->subject), DB_S(full), DB_I(account), DB_S(d->subject), DB_S(full),
	    DB_I(account), DB_S(d->sms ? sms : ""), DB_I(d->sms ? account : 0)), &queued, NULL);
	free(full);
	if (rc != RK_OK)
		return rc;
	return queued >= 1 ? RK_OK : RK_FAIL; /* no such account */
}

int
mail_notice(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body)
{
	return notice(a, r, account, n, body, NULL);
}

int
mail_notice_undo(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body, const char *undo)
{
	return notice(a, r, account, n, body, undo);
}
