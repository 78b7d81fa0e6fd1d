/* base/config.c -- defaults, file, environment. */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config.h"
#include "db.h" /* DB_MAX_ENDPOINTS */

enum ctype { C_STR, C_INT, C_LL, C_SIZE };

struct key {
	const char *name;
	enum ctype t;
	size_t off, size;
	const char *def;
	int secret;
	const char *doc;
};

#define S(f, d, doc) { #f, C_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), d, 0, doc }
#define SS(f, d, doc) { #f, C_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), d, 1, doc }
#define I(f, d, doc) { #f, C_INT, offsetof(struct config, f), sizeof(int), d, 0, doc }
#define L(f, d, doc) { #f, C_LL, offsetof(struct config, f), sizeof(long long), d, 0, doc }
#define Z(f, d, doc) { #f, C_SIZE, offsetof(struct config, f), sizeof(size_t), d, 0, doc }

static const struct key keys[] = {
	S(listen, "unix:var/run/rekeyd.sock", "FastCGI socket: unix:PATH or HOST:PORT"),
	I(workers, "4", "worker processes"),
	S(db_socket, "var/run/mysqld.sock", "MariaDB Unix socket (empty: use db_host)"),
	S(db_host, "127.0.0.1", "MariaDB host when db_socket is empty"),
	I(db_port, "3306", "MariaDB port"),
	S(db_sockets, "", "several servers (a Galera cluster's nodes): comma-separated Unix sockets, first preferred; set, db_socket and db_host are not used"),
	S(db_hosts, "", "comma-separated HOST[:PORT] (port: db_port), tried after db_sockets; set, db_socket and db_host are not used"),
	S(db_tx_witness, "auto", "auto: on when the database is a Galera node; on: every write transaction writes a token of its own first and reads it back before and after COMMIT and after a handler's error, so that a transaction aborted under rekeyd with no error reported (seen on Galera) never commits a part of itself nor answers as if it had committed, nor answers an error that abort caused (schema/032); off: never"),
	S(db_user, "root", "MariaDB user of the account API"),
	SS(db_password, "", "its password"),
	S(db_name, "rekey", "database name"),
	SS(db_app_password, "", "password of rekey_app@localhost, the account API's MariaDB user for rekeyd's workers and delivery process ([A-Za-z0-9_-], 16-64; empty: they use db_user)"),
	SS(db_review_password, "", "password of rekey_review@localhost, the review API's MariaDB user ([A-Za-z0-9_-], 16-64; empty: review requests use db_user)"),
	S(key_file, "var/secret.key", "32-byte server key; subkeys are derived from it"),
	S(schema_dir, "schema", "migrations folder"),
	S(openapi_file, "cgi/openapi.json", "the OpenAPI document served at /api/openapi.json"),
	S(origin, "http://localhost:8080", "the public origin, checked on every state change and in WebAuthn client data"),
	S(rp_id, "localhost", "WebAuthn relying party ID (a domain: the origin's host or a parent of it)"),
	S(rp_name, "Rekey Demo Exchange", "WebAuthn relying party name"),
	S(webauthn_uv, "required", "user verification: required or preferred"),
	S(reset_questions, "on", "on: Case 1's security questions about the account's own history (the article); off: the strict profile (NIST SP 800-63A-4, OWASP ASVS 6.4.2), face or documents instead"),
	S(sms_as_second_factor, "on", "on: an SMS code is a second factor for a deletion and counts as another tool for the reset; off: not (OWASP ASVS 6.6.1)"),
	S(webauthn_algs, "-7,-8,-257", "COSE algorithms allowed for passkeys (ES256, EdDSA, RS256)"),
	S(aaguid_allow, "", "comma-separated AAGUIDs allowed to register (empty: any)"),
	S(aaguid_file, "cgi/aaguids.tsv", "AAGUID to authenticator-name table"),
	S(operator_name, "Rekey Demo Exchange", "operator name used in pages and mail"),
	S(operator_launch, "", "the month the operator opened (YYYY-MM): no security question offers an earlier month for an account's opening"),
	S(support_contact, "", "where people get help (a URL or an email address): shown wherever a page offers help, and in every notice mail"),
	S(mail_from, "security@rekey.test", "sender address"),
	S(mail_dir, "var/mail", "Maildir for delivered mail when smtp_url is empty"),
	S(smtp_url, "", "smtp://host:port to send mail with libcurl"),
	S(sms_dir, "var/sms", "spool folder for SMS"),
	SS(service_token, "", "bearer token of the withdrawal service (empty: route disabled)"),
	S(access_log, "", "access log file, one JSON object per request (empty: stderr)"),
	S(metrics_allow, "127.0.0.1,::1", "GET /metrics answers these client addresses only (comma-separated, exact); others get 403"),
	I(dev_mode, "0", "1 enables the dev mail page (and keeps delivered mail's bodies for it)"),
	I(cookie_secure, "0", "1 adds Secure to cookies (set behind HTTPS)"),
	I(session_idle_seconds, "1800", "session idle expiry"),
	I(session_absolute_seconds, "43200", "session absolute expiry"),
	I(pwhash_opslimit, "2", "argon2id passes (OWASP: >= 2 at 19 MiB)"),
	I(pwhash_memlimit_mib, "19", "argon2id memory in MiB"),
	I(signin_limit_account, "10", "sign-in attempts per email per window"),
	I(signin_limit_ip, "100", "sign-in attempts per IP per window"),
	I(signin_window_seconds, "900", "sign-in limit window"),
	I(sweep_seconds, "600", "the delivery process deletes long-expired challenges, codes, rate windows and caseless reset flows this often (0: never)"),
	I(sweep_batches_per_pass, "20", "the delivery process's sweep deletes at most this many batches of 5,000 rows, then delivers mail and goes on at its next round (0: no limit)"),
	I(anon_limit_ip, "2000", "signed-out requests that store a row (reset starts, passkey sign-in options) per IP per sign-in window"),
	I(hold_hours, "24", "withdrawal hold after a passkey change (seed: 24 h)"),
	I(freeze_hold_hours, "720", "withdrawal hold after \"this was not me\" froze the account (30 days)"),
	I(code_seconds, "600", "life of a one-time code sent by email or SMS"),
	I(code_resend_seconds, "60", "the least time between two codes sent for one purpose"),
	I(freeze_link_hours, "168", "life of the \"this was not me\" freeze link in a security notice (7 days; a reset's or a deletion's undo link lives dispute_hours)"),
	I(dispute_hours, "0", "the dispute window after a reset or a deletion: removed passkeys stay suspended, and the \"this was not me\" link undoes it (0: hold_hours; at least 24)"),
	I(delete_flow_seconds, "900", "life of a passkey deletion, from Delete to the second factor"),
	I(reset_flow_seconds, "3600", "life of a passkey reset until its case is opened"),
	I(handoff_seconds, "600", "life of the single-use \"continue on phone\" link"),
	I(step_up_seconds, "300", "changing recovery information or the tools needs a second factor used this recently (step-up)"),
	I(face_frames, "3", "camera frames a face case needs (Case 2)"),
	L(high_value_cents, "10000000", "high-value threshold in reference-currency cents"),
	Z(max_body, "65536", "largest accepted JSON body in bytes"),
	Z(max_upload, "10485760", "largest evidence file in bytes (10 MiB)"),
	I(evidence_per_case, "6", "evidence files per case"),
	S(face_provider, "manual", "Case 2: manual (the review console) or http (an external provider)"),
	S(face_provider_url, "", "http provider: where checks are created (POST, JSON)"),
	SS(face_provider_token, "", "http provider: bearer token sent with each check"),
	SS(face_webhook_secret, "", "http provider: HMAC-SHA256 key of POST /api/face/webhook"),
	I(face_webhook_tolerance, "300", "webhook timestamps older or newer than this many seconds are refused"),
	I(review_session_idle_seconds, "900", "reviewer session idle expiry (shorter than account sessions)"),
	I(review_session_absolute_seconds, "28800", "reviewer session absolute expiry"),
	I(review_enrol_hours, "24", "life of a reviewer enrolment link"),
	I(review_claim_minutes, "30", "an idle claim on a case lapses after this many minutes"),
	I(review_sla_face_hours, "24", "review SLA: face verification cases"),
	I(review_sla_documents_hours, "48", "review SLA: screenshot cases"),
	I(review_sla_questions_failed_hours, "24", "review SLA: cases whose security questions failed"),
	I(more_info_hours, "72", "life of the upload link when a reviewer asks for more information"),
	S(review_reasons_approve, "evidence_consistent,records_match,face_match", "reason codes for an approval"),
	S(review_reasons_reject, "evidence_unreadable,evidence_inconsistent,evidence_forged,face_mismatch,identity_invalid,suspected_fraud",
	    "reason codes for a rejection"),
	S(review_reasons_more_info, "clearer_screenshot,other_transaction,operator_email,face_frames", "reason codes for a request for more information"),
};

static int
set(struct config *c, const struct key *k, const char *v, char *err, size_t errlen)
{
	char *p = (char *)c + k->off, *end;

	switch (k->t) {
	case C_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, errlen, "%s: value too long", k->name);
			return -1;
		}
		memcpy(p, v, strlen(v) + 1);
		return 0;
	case C_INT:
	case C_LL:
	case C_SIZE: {
		long long n;
		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno || end == v || *end != '\0' || n < 0 || (k->t == C_INT && n > 1000000000)) {
			snprintf(err, errlen, "%s: not a valid number: %s", k->name, v);
			return -1;
		}
		if (k->t == C_INT) *(int *)(void *)p = (int)n;
		else if (k->t == C_LL) *(long long *)(void *)p = n;
		else *(size_t *)(void *)p = (size_t)n;
		return 0;
	}
	}
	return -1;
}

static const struct key *
find(const char *name)
{
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* The entry of a comma-separated list that starts at p: its length in
 * *len; returns where the next one starts, or NULL after the last. */
static const char *
list_entry(const char *p, size_t *len)
{
	const char *e = strchr(p, ',');

	*len = e ? (size_t)(e - p) : strlen(p);
	return e ? e + 1 : NULL;
}

int
config_list_has(const char *list, const char *item)
{
	size_t n = strlen(item), len;

	for (const char *p = *list ? list : NULL, *next; p != NULL; p = next) {
		next = list_entry(p, &len);
		if (len == n && strncasecmp(p, item, n) == 0)
			return 1;
	}
	return 0;
}

/* the COSE algorithms whose assertions rekeyd can verify (libfido2) */
static int
alg_token_ok(const char *t, size_t n)
{
	return (n == 2 && strncmp(t, "-7", 2) == 0) || (n == 2 && strncmp(t, "-8", 2) == 0) ||
	    (n == 4 && strncmp(t, "-257", 4) == 0);
}

/* an AAGUID as text: 8-4-4-4-12 hex digits */
static int
aaguid_token_ok(const char *t, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? t[i] != '-' : !isxdigit((unsigned char)t[i]))
			return 0;
	return 1;
}

/* a HOST[:PORT] of db_hosts: a host name or address (no spaces, no
 * commas) and, after the last colon, a port from 1 to 65535 */
static int
host_token_ok(const char *t, size_t n)
{
	const char *colon = NULL;
	unsigned long port = 0;

	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)t[i]))
			return 0;
		if (t[i] == ':')
			colon = t + i;
	}
	if (colon == NULL)
		return n > 0;
	if (colon == t || colon + 1 == t + n)
		return 0;
	for (const char *p = colon + 1; p < t + n; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		port = port * 10 + (unsigned long)(*p - '0');
		if (port > 65535)
			return 0;
	}
	return port > 0;
}

static int
socket_token_ok(const char *t, size_t n)
{
	(void)t;
	return n > 0 && n < 256; /* struct endpoint's socket */
}

/* the number of entries of a comma-separated list (0 when empty) */
static size_t
list_count(const char *list)
{
	size_t n = 0, len;

	for (const char *p = *list ? list : NULL; p != NULL; p = list_entry(p, &len))
		n++;
	return n;
}

/* every entry of a comma-separated list passes ok (no empty entries); an
 * empty list passes when empty_ok */
static int
list_ok(const char *list, int empty_ok, int (*ok)(const char *, size_t))
{
	size_t len;

	if (*list == '\0')
		return empty_ok;
	for (const char *p = list, *next; p != NULL; p = next) {
		next = list_entry(p, &len);
		if (!ok(p, len))
			return 0;
	}
	return 1;
}

/* 1 when the origin's host is this machine's loopback name. */
static int
origin_is_loopback(const char *origin)
{
	const char *h = strstr(origin, "://");
	size_t n;

	if (h == NULL)
		return 0;
	h += 3;
	n = strcspn(h, ":/");
	if (h[n] != '\0' && h[n] != ':')
		return 0;
	return (n == 9 && strncmp(h, "localhost", 9) == 0) || (n == 9 && strncmp(h, "127.0.0.1", 9) == 0);
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	char line[1024], env[128];
	FILE *f;
	int lineno = 0;

	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (set(c, &keys[i], keys[i].def, err, errlen) != 0)
			return -1;
	if (path != NULL && (f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			char *k = line, *v, *e;
			const struct key *key;
			lineno++;
			while (isspace((unsigned char)*k)) k++;
			if (*k == '#' || *k == '\0')
				continue;
			if ((v = strchr(k, '=')) == NULL) {
				snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
				fclose(f);
				return -1;
			}
			*v++ = '\0';
			for (e = v - 2; e >= k && isspace((unsigned char)*e); e--) *e = '\0';
			while (isspace((unsigned char)*v)) v++;
			for (e = v + strlen(v) - 1; e >= v && isspace((unsigned char)*e); e--) *e = '\0';
			if ((key = find(k)) == NULL) {
				snprintf(err, errlen, "%s:%d: unknown key %s", path, lineno, k);
				fclose(f);
				return -1;
			}
			if (set(c, key, v, err, errlen) != 0) {
				fclose(f);
				return -1;
			}
		}
		fclose(f);
	} else if (path != NULL && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v;
		size_t j;
		snprintf(env, sizeof env, "REKEY_%s", keys[i].name);
		for (j = 6; env[j]; j++)
			env[j] = (char)toupper((unsigned char)env[j]);
		if ((v = getenv(env)) != NULL && set(c, &keys[i], v, err, errlen) != 0)
			return -1;
	}
	if (c->workers < 1 || c->workers > 256) {
		snprintf(err, errlen, "workers: 1 to 256");
		return -1;
	}
	if (strcmp(c->webauthn_uv, "required") != 0 && strcmp(c->webauthn_uv, "preferred") != 0) {
		snprintf(err, errlen, "webauthn_uv: required or preferred");
		return -1;
	}
	if (!list_ok(c->webauthn_algs, 0, alg_token_ok)) {
		snprintf(err, errlen, "webauthn_algs: a comma-separated list of -7 (ES256), -8 (EdDSA), -257 (RS256)");
		return -1;
	}
	if (!list_ok(c->aaguid_allow, 1, aaguid_token_ok)) {
		snprintf(err, errlen, "aaguid_allow: empty, or comma-separated AAGUIDs (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
		return -1;
	}
	if (c->hold_hours < 24 || c->hold_hours > 24 * 30) {
		snprintf(err, errlen, "hold_hours: 24 to 720 (the seed's 24 h is the least)");
		return -1;
	}
	if (c->freeze_hold_hours < c->hold_hours || c->freeze_hold_hours > 24 * 365) {
		snprintf(err, errlen, "freeze_hold_hours: hold_hours to 8760");
		return -1;
	}
	if (c->code_seconds < 60 || c->code_seconds > 3600 || c->delete_flow_seconds < 60 || c->delete_flow_seconds > 86400 ||
	    c->reset_flow_seconds < 300 || c->reset_flow_seconds > 86400 || c->handoff_seconds < 60 || c->handoff_seconds > 3600) {
		snprintf(err, errlen, "code_seconds 60-3600, delete_flow_seconds 60-86400, reset_flow_seconds 300-86400, handoff_seconds 60-3600");
		return -1;
	}
	if (c->code_resend_seconds < 10 || c->code_resend_seconds > c->code_seconds) {
		snprintf(err, errlen, "code_resend_seconds: 10 to code_seconds");
		return -1;
	}
	if (c->freeze_link_hours < 24 || c->freeze_link_hours > 24 * 90) {
		snprintf(err, errlen, "freeze_link_hours: 24 to 2160");
		return -1;
	}
	if (c->dispute_hours == 0)
		c->dispute_hours = c->hold_hours; /* the issue: default = the hold */
	if (c->dispute_hours < 24 || c->dispute_hours > 24 * 90) {
		snprintf(err, errlen, "dispute_hours: 0 (= hold_hours) or 24 to 2160");
		return -1;
	}
	if ((strcmp(c->reset_questions, "on") != 0 && strcmp(c->reset_questions, "off") != 0) ||
	    (strcmp(c->sms_as_second_factor, "on") != 0 && strcmp(c->sms_as_second_factor, "off") != 0)) {
		snprintf(err, errlen, "reset_questions, sms_as_second_factor: on or off");
		return -1;
	}
	c->questions_off = strcmp(c->reset_questions, "off") == 0;
	if (strcmp(c->db_tx_witness, "auto") != 0 && strcmp(c->db_tx_witness, "on") != 0 && strcmp(c->db_tx_witness, "off") != 0) {
		snprintf(err, errlen, "db_tx_witness: auto, on or off");
		return -1;
	}
	c->sms_off = strcmp(c->sms_as_second_factor, "off") == 0;
	if (c->step_up_seconds < 60 || c->step_up_seconds > 900) {
		snprintf(err, errlen, "step_up_seconds: 60 to 900");
		return -1;
	}
	if (c->face_frames < 1 || c->face_frames > 10) {
		snprintf(err, errlen, "face_frames: 1 to 10");
		return -1;
	}
	if (!list_ok(c->db_sockets, 1, socket_token_ok) || !list_ok(c->db_hosts, 1, host_token_ok) ||
	    list_count(c->db_sockets) + list_count(c->db_hosts) > DB_MAX_ENDPOINTS) {
		snprintf(err, errlen, "db_sockets, db_hosts: comma-separated sockets and HOST[:PORT]s, %d in all at most", DB_MAX_ENDPOINTS);
		return -1;
	}
	if (c->max_body < 1024 || c->max_body > 64u * 1024 * 1024) {
		snprintf(err, errlen, "max_body: 1 KiB to 64 MiB");
		return -1;
	}
	if (c->dev_mode && (!origin_is_loopback(c->origin) || c->cookie_secure)) {
		/* the dev mail page shows codes and links to anyone: never in production
		 * (issue #14 finding 9) */
		snprintf(err, errlen, "dev_mode = 1 needs origin on localhost or 127.0.0.1 and cookie_secure = 0");
		return -1;
	}
	if (c->db_app_password[0] && c->db_review_password[0] == '\0') {
		/* rekey_app cannot do a reviewer's work, and review requests would fall back to it */
		snprintf(err, errlen, "db_app_password needs db_review_password too");
		return -1;
	}
	return 0;
}

/* A duration as people say it: "24 hours", "1 hour", "15 minutes", "30 days". */
void
config_duration_text(long long seconds, char *out, size_t n)
{
	static const struct { long long unit; const char *one, *many; } units[] = {
		{ 86400, "day", "days" }, { 3600, "hour", "hours" }, { 60, "minute", "minutes" }, { 1, "second", "seconds" },
	};

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (seconds >= units[i].unit && seconds % units[i].unit == 0) {
			long long k = seconds / units[i].unit;
			/* days only when whole and more than two: "48 hours", not "2 days" */
			if (units[i].unit == 86400 && k <= 2)
				continue;
			snprintf(out, n, "%lld %s", k, k == 1 ? units[i].one : units[i].many);
			return;
		}
	snprintf(out, n, "%lld seconds", seconds);
}

/* Replaces {hold}, {freeze_hold}, {code}, {code_resend}, {dispute}, {freeze_link},
 * {delete_flow}, {reset_flow}, {handoff}, {signin_window}, {review_claim}
 * and {step_up} in a text by the configured durations. */
void
config_expand(const struct config *c, const char *in, char *out, size_t n)
{
	static const struct { const char *name; size_t off; int unit; } vars[] = { /* unit: seconds per count */
		{ "hold", offsetof(struct config, hold_hours), 3600 },
		{ "freeze_hold", offsetof(struct config, freeze_hold_hours), 3600 },
		{ "code", offsetof(struct config, code_seconds), 1 },
		{ "code_resend", offsetof(struct config, code_resend_seconds), 1 },
		{ "dispute", offsetof(struct config, dispute_hours), 3600 },
		{ "freeze_link", offsetof(struct config, freeze_link_hours), 3600 },
		{ "delete_flow", offsetof(struct config, delete_flow_seconds), 1 },
		{ "reset_flow", offsetof(struct config, reset_flow_seconds), 1 },
		{ "handoff", offsetof(struct config, handoff_seconds), 1 },
		{ "signin_window", offsetof(struct config, signin_window_seconds), 1 },
		{ "review_claim", offsetof(struct config, review_claim_minutes), 60 },
		{ "step_up", offsetof(struct config, step_up_seconds), 1 },
	};
	size_t o = 0;

	if (n == 0)
		return;
	while (*in && o + 1 < n) {
		int done = 0;
		for (size_t i = 0; *in == '{' && !done && i < sizeof vars / sizeof vars[0]; i++) {
			size_t len = strlen(vars[i].name);
			if (strncmp(in + 1, vars[i].name, len) == 0 && in[1 + len] == '}') {
				char d[40];
				int v = *(const int *)(const void *)((const char *)c + vars[i].off);
				config_duration_text((long long)vars[i].unit * v, d, sizeof d);
				o += (size_t)snprintf(out + o, n - o, "%s", d);
				if (o >= n)
					o = n - 1;
				in += len + 2;
				done = 1;
			}
		}
		if (!done)
			out[o++] = *in++;
	}
	out[o] = '\0';
}

void
config_describe(const struct config *c, void (*line)(const char *, const char *, const char *, void *), void *arg)
{
	char buf[512];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *k = &keys[i];
		const char *p = (const char *)c + k->off;
		if (k->t == C_STR)
			snprintf(buf, sizeof buf, "%s", k->secret && *p ? "(set)" : p);
		else if (k->t == C_INT)
			snprintf(buf, sizeof buf, "%d", *(const int *)(const void *)p);
		else if (k->t == C_LL)
			snprintf(buf, sizeof buf, "%lld", *(const long long *)(const void *)p);
		else
			snprintf(buf, sizeof buf, "%zu", *(const size_t *)(const void *)p);
		line(k->name, buf, k->doc, arg);
	}
}
