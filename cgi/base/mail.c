/* base/mail.c -- the outbox: every message (mail or SMS) is a row first,
 * delivered by jobs/deliver.c; and the one table of security notices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base.h"

#define NOTICE_ROW(id, ev, key, sms, notme) [id] = { ev, key, sms, notme },
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
mail_anti_phishing_line(struct app *a, uint64_t account, enum i18n_lang l, char *out, size_t outlen)
{
	struct dbrows rows;
	int rc;

	out[0] = '\0';
	if (account == 0)
		return RK_OK;
	if ((rc = db_query(a->db, STMT_ANTI_PHISHING_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1 && db_cell(&rows, 0, 0, NULL)[0])
		i18n_format(l, "mail.anti_phishing.set", out, outlen, (const char *const[]){ "code", db_cell(&rows, 0, 0, NULL), NULL });
	else
		i18n_format(l, "mail.anti_phishing.unset", out, outlen, NULL);
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
	if ((rc = mail_anti_phishing_line(a, account, mail_lang(a, account), line, sizeof line)) != RK_OK)
		return rc;
	n = strlen(line) + strlen(body) + 3;
	if ((full = malloc(n)) == NULL)
		return RK_FAIL;
	snprintf(full, n, "%s\n\n%s", line, body);
	rc = db_exec(a->db, STMT_OUTBOX_INSERT, DBARGS(account ? DB_I(account) : DB_NULL, DB_S(channel),
	    DB_S(recipient), DB_S(subject), DB_S(full)), NULL, NULL);
	free(full);
	return rc;
}

const char *
mail_time(enum i18n_lang l, const char *iso, char *out, size_t outlen)
{
	return i18n_time(l, iso, out, outlen);
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

/* The browser and system a User-Agent names, in words ("Chrome on Linux").
 * Product names stay as they are; the words around them are the catalogue's. */
static void
device_words(enum i18n_lang l, const char *ua, char *out, size_t outlen)
{
	static const struct { const char *has, *name; } browsers[] = {
		{ "Edg/", "Edge" }, { "OPR/", "Opera" }, { "Firefox/", "Firefox" }, { "Chrome/", "Chrome" },
		{ "Chromium/", "Chromium" }, { "Safari/", "Safari" },
	}, systems[] = {
		{ "iPhone", "iPhone" }, { "iPad", "iPad" }, { "Android", "Android" }, { "Windows", "Windows" },
		{ "Macintosh", "macOS" }, { "CrOS", "ChromeOS" }, { "Linux", "Linux" },
	};
	const char *b = NULL, *s = NULL;
	char bw[80], sw[80];

	if (ua == NULL || ua[0] == '\0') {
		i18n_format(l, "mail.device.none", out, outlen, NULL);
		return;
	}
	for (size_t i = 0; i < sizeof browsers / sizeof browsers[0] && !b; i++)
		if (strstr(ua, browsers[i].has))
			b = browsers[i].name;
	for (size_t i = 0; i < sizeof systems / sizeof systems[0] && !s; i++)
		if (strstr(ua, systems[i].has))
			s = systems[i].name;
	if (b || s) {
		if (!b)
			i18n_format(l, "mail.device.a_browser", bw, sizeof bw, NULL);
		if (!s)
			i18n_format(l, "mail.device.unknown_system", sw, sizeof sw, NULL);
		i18n_format(l, "mail.device.on", out, outlen,
		    (const char *const[]){ "browser", b ? b : bw, "system", s ? s : sw, NULL });
	} else
		snprintf(out, outlen, "%.60s", ua);
}

/* Coarse location: the network, never the address (IPv4 /24, IPv6 /48);
 * no GeoIP database is part of Rekey, so no country is named. */
static void
network_words(enum i18n_lang l, const char *ip, char *out, size_t outlen)
{
	unsigned o[4];
	char six[64], net[80];

	if (ip && sscanf(ip, "%3u.%3u.%3u.%3u", &o[0], &o[1], &o[2], &o[3]) == 4 && o[0] < 256 && o[1] < 256 && o[2] < 256)
		snprintf(net, sizeof net, "%u.%u.%u.0/24", o[0], o[1], o[2]);
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
		snprintf(net, sizeof net, "%s", six);
	} else {
		i18n_format(l, "mail.where.unknown", out, outlen, NULL);
		return;
	}
	i18n_format(l, "mail.where.network", out, outlen, (const char *const[]){ "network", net, NULL });
}

/* The notice N to every channel on record, queued by one statement: the
 * account's email, every confirmed second address and an SMS when a phone
 * is confirmed (and the table says so), all in the account's language (#20).
 * UNDO, when not NULL, is the link of a reset's or a deletion's "this was
 * not me" (#18): the body states it, and the SMS carries it too, so that it
 * reaches an owner whose mailbox was taken; otherwise a row with not_me
 * gets a single-use freeze link. */
int
mail_notice_as(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *body_key,
    const char *const *vars, const char *undo)
{
	const struct notice_def *d = notice_get(n);
	enum i18n_lang l = mail_lang(a, account);
	char key[96], subject[300], body[2400], sms[700], line[300], when[160], device[160], where[120];
	char lines[600], link[1200] = "", help[300] = "", *full;
	struct dbrows rows;
	uint64_t queued = 0;
	size_t len;
	int rc;

	snprintf(key, sizeof key, "mail.%s.subject", d->key);
	if (i18n_format(l, key, subject, sizeof subject, vars) != 0)
		return RK_FAIL;
	if (body_key == NULL) {
		snprintf(key, sizeof key, "mail.%s.body", d->key);
		body_key = key;
	}
	if (i18n_format(l, body_key, body, sizeof body, vars) != 0)
		return RK_FAIL;
	if ((rc = mail_anti_phishing_line(a, account, l, line, sizeof line)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_NOW, DBNOARGS, &rows)) != RK_OK)
		return rc;
	mail_time(l, db_cell(&rows, 0, 0, NULL), when, sizeof when);
	db_rows_free(&rows);
	if (r) {
		device_words(l, r->user_agent, device, sizeof device);
		network_words(l, r->ip, where, sizeof where);
	} else {
		i18n_format(l, "mail.device.not_recorded", device, sizeof device, NULL);
		snprintf(where, sizeof where, "-");
	}
	i18n_format(l, "mail.notice.lines", lines, sizeof lines,
	    (const char *const[]){ "when", when, "device", device, "where", where, NULL });
	if (d->not_me && undo == NULL) {
		/* a single-use link that freezes the account (api/freeze.c) */
		unsigned char th[32];
		char token[64], life[80], url[400];
		keys_token_new(a->keys.link, "freeze", token, sizeof token, th);
		if ((rc = db_exec(a->db, STMT_FREEZE_INSERT, DBARGS(DB_I(account), DB_B(th, 32), DB_S(d->event),
		    DB_I(a->cfg.freeze_link_hours)), NULL, NULL)) != RK_OK)
			return rc;
		i18n_duration(l, 3600LL * a->cfg.freeze_link_hours, life, sizeof life);
		snprintf(url, sizeof url, "%s/freeze.html?token=%s", a->cfg.origin, token);
		i18n_format(l, "mail.notice.freeze_link", link, sizeof link, (const char *const[]){ "life", life, "link", url, NULL });
		sodium_memzero(token, sizeof token);
		sodium_memzero(url, sizeof url);
	}
	/* where to get help, in every notice (issue #16): the support_contact setting */
	if (a->cfg.support_contact[0])
		i18n_format(l, "mail.support", help, sizeof help, (const char *const[]){ "contact", a->cfg.support_contact, NULL });
	len = strlen(line) + strlen(body) + strlen(lines) + strlen(link) + strlen(help) + 16;
	if ((full = malloc(len)) == NULL) {
		sodium_memzero(link, sizeof link);
		return RK_FAIL;
	}
	snprintf(full, len, "%s\n\n%s\n%s\n%s%s%s%s", line, body, lines, link, link[0] ? "\n" : "", help, help[0] ? "\n" : "");
	sodium_memzero(link, sizeof link);
	if (undo)
		i18n_format(l, "sms.notice_undo", sms, sizeof sms,
		    (const char *const[]){ "operator", a->cfg.operator_name, "subject", subject, "link", undo, NULL });
	else
		i18n_format(l, "sms.notice", sms, sizeof sms, (const char *const[]){ "operator", a->cfg.operator_name, "subject", subject, NULL });
	rc = db_exec(a->db, STMT_OUTBOX_NOTIFY, DBARGS(DB_S(subject), DB_S(full), DB_I(account), DB_S(subject), DB_S(full),
	    DB_I(account), DB_S(d->sms ? sms : ""), DB_I(d->sms ? account : 0)), &queued, NULL);
	sodium_memzero(full, len);
	free(full);
	if (rc != RK_OK)
		return rc;
	return queued >= 1 ? RK_OK : RK_FAIL; /* no such account */
}

int
mail_notice(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *const *vars)
{
	return mail_notice_as(a, r, account, n, NULL, vars, NULL);
}

int
mail_notice_undo(struct app *a, const struct req *r, uint64_t account, enum notice n, const char *const *vars, const char *undo)
{
	return mail_notice_as(a, r, account, n, NULL, vars, undo);
}
