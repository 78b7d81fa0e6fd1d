/* api/admin.c -- the admin console's API (/api/review/admin/...): for
 * reviewers with the admin role only (checked here, after the review
 * session and its CSRF token, which routes.c and store/reviewers.c check).
 * Reviewers (add with a one-time enrolment link, roles, disable, enable,
 * last sign-in), the reason codes and SLAs in force, the audit state
 * (verified on demand; a signed checkpoint to keep elsewhere), and the
 * health of mail delivery and face checks. Every change and every
 * checkpoint is audited on the operators' chain (0); a reviewer whose
 * access changes is told by email. */
#define _GNU_SOURCE /* open_memstream */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

/* mail sent within this many hours counts as recent delivery (the health panel) */
#define ADMIN_SENT_WINDOW_HOURS 24

static int
need_admin(struct req *r)
{
	if ((r->rev.roles & ROLE_ADMIN) == 0)
		return http_fail(r, SP_ROLE_REQUIRED);
	return RK_OK;
}

static void
actor(const struct req *r, char *out, size_t n)
{
	snprintf(out, n, "reviewer:%llu", (unsigned long long)r->rev.id);
}

static uint64_t
param_id(const struct req *r)
{
	return strtoull(r->param, NULL, 10);
}

/* The body's "roles" (validated as a list of words) as the SET's text
 * ("reviewer,admin"); 0, or -1 when it names an unknown role or none. */
static int
roles_csv(const struct req *r, char *out, size_t outlen)
{
	json_t *list = json_object_get(r->in, "roles"), *e;
	size_t i;

	out[0] = '\0';
	json_array_foreach(list, i, e) {
		const char *t = json_string_value(e);
		if (strlen(out) + strlen(t) + 2 > outlen)
			return -1;
		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", out[0] ? "," : "", t);
	}
	return reviewers_roles_valid(out) ? 0 : -1;
}

/* audited on chain 0, by this admin */
static int
admin_audit(struct req *r, const char *event, json_t *detail)
{
	char who[40];
	actor(r, who, sizeof who);
	return audit_append(r->app, 0, event, who, r->ip, detail);
}

/* A fresh one-time enrolment link for reviewer ID (the token exists only in the answer). */
static int
enrol_link(struct req *r, uint64_t id, char *url, size_t urllen)
{
	char token[64];
	unsigned char th[32];
	int rc;

	keys_token_new(r->app->keys.link, REVIEW_ENROL_DOMAIN, token, sizeof token, th);
	if ((rc = db_exec(r->app->db, STMT_ENROL_INSERT, DBARGS(DB_I(id), DB_B(th, 32), DB_I(r->app->cfg.review_enrol_hours)), NULL, NULL)) != RK_OK)
		return rc;
	snprintf(url, urllen, "%s/review/enrol.html?token=%s", r->app->cfg.origin, token);
	sodium_memzero(token, sizeof token);
	return RK_OK;
}

/* The reviewer ID (at EMAIL) is told of a change to its access, in its own
 * language (#20: the console's, reviewers.language; English when none):
 * the catalogue's WHAT_KEY with VARS, then who made the change. */
static int
tell_reviewer(struct req *r, uint64_t id, const char *email, const char *what_key, const char *const *vars)
{
	enum i18n_lang l = LANG_EN;
	struct dbrows rows;
	char what[400], subject[200], body[1000];
	int rc;

	if ((rc = db_query(r->app->db, STMT_REVIEWER_LANGUAGE, DBARGS(DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1 && i18n_parse(db_cell(&rows, 0, 0, NULL), &l) != 0)
		l = LANG_EN;
	db_rows_free(&rows);
	if (i18n_format(l, what_key, what, sizeof what, vars) != 0)
		return RK_FAIL;
	i18n_format(l, "mail.reviewer.subject", subject, sizeof subject, NULL);
	i18n_format(l, "mail.reviewer.body", body, sizeof body, (const char *const[]){ "what", what, "admin", r->rev.email, NULL });
	return mail_queue(r->app, 0, "email", email, subject, body);
}

int
h_admin_reviewers(struct req *r)
{
	struct dbrows rows;
	json_t *list;
	int rc;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if ((rc = db_query(r->app->db, STMT_ADMIN_REVIEWERS, DBNOARGS, &rows)) != RK_OK)
		return rc;
	list = json_array();
	for (unsigned i = 0; i < rows.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:o,s:b,s:i,s:o,s:s,s:b}", "id", (json_int_t)db_cell_ll(&rows, i, 0),
		    "email", db_cell(&rows, i, 1, NULL), "roles", reviewers_roles_json(reviewers_roles_bits(db_cell(&rows, i, 2, NULL))),
		    "disabled", db_cell_ll(&rows, i, 3) == 1, "passkeys", (int)db_cell_ll(&rows, i, 4),
		    "last_sign_in", db_cell_null(&rows, i, 5) ? json_null() : json_string(db_cell(&rows, i, 5, NULL)),
		    "created_at", db_cell(&rows, i, 6, NULL), "you", (uint64_t)db_cell_ll(&rows, i, 0) == r->rev.id));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o}", "reviewers", list));
	return RK_OK;
}

int
h_admin_reviewer_add(struct req *r)
{
	const char *email = json_string_value(json_object_get(r->in, "email"));
	char roles[64], url[400];
	unsigned char handle[32];
	struct dbrows rows;
	uint64_t id = 0;
	int rc, found;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if (roles_csv(r, roles, sizeof roles) != 0)
		return http_fail(r, SP_ROLES_INVALID);
	if ((rc = db_query(r->app->db, STMT_REVIEWER_BY_EMAIL, DBARGS(DB_S(email)), &rows)) != RK_OK)
		return rc;
	found = rows.nrows > 0;
	db_rows_free(&rows);
	if (found)
		return http_fail(r, SP_REVIEWER_EXISTS);
	randombytes_buf(handle, sizeof handle);
	if ((rc = db_exec(r->app->db, STMT_REVIEWER_INSERT, DBARGS(DB_S(email), DB_B(handle, 32), DB_S(roles)), NULL, &id)) != RK_OK)
		return rc == RK_DUP ? http_fail(r, SP_REVIEWER_EXISTS) : rc;
	if ((rc = admin_audit(r, "reviewer_added", json_pack("{s:I,s:s}", "reviewer", (json_int_t)id, "roles", roles))) != RK_OK ||
	    (rc = enrol_link(r, id, url, sizeof url)) != RK_OK)
		return rc;
	/* the link is in this answer only: the admin hands it over */
	http_json(r, 201, json_pack("{s:I,s:s,s:o,s:s,s:i}", "id", (json_int_t)id, "email", email,
	    "roles", reviewers_roles_json(reviewers_roles_bits(roles)), "enrol_url", url, "enrol_hours", r->app->cfg.review_enrol_hours));
	return RK_OK;
}

/* The reviewer of the path, locked: 0 and its email and roles, or a 404 written. */
static int
locked_reviewer(struct req *r, uint64_t id, char *email, size_t emaillen, unsigned *roles, int *disabled)
{
	struct dbrows rows;
	int rc;

	if ((rc = db_query(r->app->db, STMT_ADMIN_REVIEWER_LOCK, DBARGS(DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_REVIEWER);
	}
	snprintf(email, emaillen, "%s", db_cell(&rows, 0, 0, NULL));
	*roles = reviewers_roles_bits(db_cell(&rows, 0, 1, NULL));
	*disabled = db_cell_ll(&rows, 0, 2) == 1;
	db_rows_free(&rows);
	return RK_OK;
}

int
h_admin_reviewer_roles(struct req *r)
{
	uint64_t id = param_id(r);
	char roles[64], email[256];
	unsigned old, now;
	int rc, disabled;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if (roles_csv(r, roles, sizeof roles) != 0)
		return http_fail(r, SP_ROLES_INVALID);
	now = reviewers_roles_bits(roles);
	/* the last word on admins stays with someone: no admin takes away their own role */
	if (id == r->rev.id && (now & ROLE_ADMIN) == 0)
		return http_fail(r, SP_ADMIN_SELF);
	if ((rc = locked_reviewer(r, id, email, sizeof email, &old, &disabled)) != RK_OK)
		return rc;
	if ((rc = db_exec(r->app->db, STMT_REVIEWER_ROLES, DBARGS(DB_S(roles), DB_I(id)), NULL, NULL)) != RK_OK)
		return rc;
	if ((rc = admin_audit(r, "reviewer_roles", json_pack("{s:I,s:s}", "reviewer", (json_int_t)id, "roles", roles))) != RK_OK ||
	    (rc = tell_reviewer(r, id, email, "mail.reviewer.roles", (const char *const[]){ "roles", roles, NULL })) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:I,s:o}", "id", (json_int_t)id, "roles", reviewers_roles_json(now)));
	return RK_OK;
}

static int
set_disabled(struct req *r, int disable)
{
	uint64_t id = param_id(r);
	char email[256];
	unsigned roles;
	int rc, disabled;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if (disable && id == r->rev.id)
		return http_fail(r, SP_ADMIN_SELF);
	if ((rc = locked_reviewer(r, id, email, sizeof email, &roles, &disabled)) != RK_OK)
		return rc;
	if (disabled != disable) {
		/* disabled: signed out at once, every session revoked with it */
		if ((rc = db_exec(r->app->db, disable ? STMT_REVIEWER_DISABLE : STMT_REVIEWER_ENABLE, DBARGS(DB_I(id)), NULL, NULL)) != RK_OK ||
		    (disable && (rc = db_exec(r->app->db, STMT_RSESSION_REVOKE_ALL, DBARGS(DB_I(id)), NULL, NULL)) != RK_OK))
			return rc;
		if ((rc = admin_audit(r, disable ? "reviewer_disabled" : "reviewer_enabled", json_pack("{s:I}", "reviewer", (json_int_t)id))) != RK_OK ||
		    (rc = tell_reviewer(r, id, email, disable ? "mail.reviewer.disabled" : "mail.reviewer.enabled", NULL)) != RK_OK)
			return rc;
	}
	http_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "disabled", disable));
	return RK_OK;
}

int
h_admin_reviewer_disable(struct req *r)
{
	return set_disabled(r, 1);
}

int
h_admin_reviewer_enable(struct req *r)
{
	return set_disabled(r, 0);
}

int
h_admin_reviewer_link(struct req *r)
{
	uint64_t id = param_id(r);
	char email[256], url[400];
	unsigned roles;
	int rc, disabled;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if ((rc = locked_reviewer(r, id, email, sizeof email, &roles, &disabled)) != RK_OK)
		return rc;
	if (disabled)
		return http_fail(r, SP_REVIEWER_DISABLED);
	/* whoever opens it can add a passkey to this reviewer: the reviewer hears of it */
	if ((rc = admin_audit(r, "reviewer_enrol_link", json_pack("{s:I}", "reviewer", (json_int_t)id))) != RK_OK ||
	    (rc = enrol_link(r, id, url, sizeof url)) != RK_OK ||
	    (rc = tell_reviewer(r, id, email, "mail.reviewer.enrol_link", NULL)) != RK_OK)
		return rc;
	http_json(r, 201, json_pack("{s:I,s:s,s:i}", "id", (json_int_t)id, "enrol_url", url, "enrol_hours", r->app->cfg.review_enrol_hours));
	return RK_OK;
}

int
h_admin_policy(struct req *r)
{
	const struct config *c = &r->app->cfg;
	int rc;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:{s:o,s:o,s:o},s:{s:i,s:i,s:i},s:i,s:I,s:i,s:i,s:i}",
	    "reasons", "approve", json_csv(c->review_reasons_approve), "reject", json_csv(c->review_reasons_reject),
	    "more_info", json_csv(c->review_reasons_more_info),
	    "sla_hours", "face", c->review_sla_face_hours, "documents", c->review_sla_documents_hours,
	    "questions_failed", c->review_sla_questions_failed_hours,
	    "claim_minutes", c->review_claim_minutes, "four_eyes_cents", (json_int_t)c->high_value_cents,
	    "enrol_hours", c->review_enrol_hours, "session_idle_seconds", c->review_session_idle_seconds,
	    "session_absolute_seconds", c->review_session_absolute_seconds));
	return RK_OK;
}

int
h_admin_audit(struct req *r)
{
	uint64_t chain = 0, seq = 0, entries = 0;
	char why[200] = "";
	int rc, v;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if ((v = audit_verify(r->app, &chain, &seq, why, sizeof why, &entries)) < 0)
		return v;
	http_json(r, 200, v == 0 ? json_pack("{s:b,s:I}", "intact", 1, "entries", (json_int_t)entries)
	    : json_pack("{s:b,s:I,s:{s:I,s:I,s:s}}", "intact", 0, "entries", (json_int_t)entries,
	    "broken", "chain", (json_int_t)chain, "seq", (json_int_t)seq, "why", why));
	return RK_OK;
}

int
h_admin_checkpoint(struct req *r)
{
	char *text = NULL, hex[65], name[80];
	unsigned char sha[32];
	size_t len = 0;
	FILE *m;
	int rc;

	if ((rc = need_admin(r)) != RK_OK)
		return rc;
	if ((m = open_memstream(&text, &len)) == NULL)
		return RK_FAIL;
	rc = audit_checkpoint(r->app, m);
	fclose(m);
	if (rc != RK_OK) {
		free(text);
		return rc;
	}
	crypto_hash_sha256(sha, (const unsigned char *)text, len);
	sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);
	if ((rc = admin_audit(r, "audit_checkpoint_taken", json_pack("{s:s}", "sha256", hex))) != RK_OK) {
		free(text);
		return rc;
	}
	/* "at 2026-12-01T18:11:13.000000Z" is the checkpoint's second line: the file is named after it */
	snprintf(name, sizeof name, "rekey-audit-checkpoint-%.19s.txt", strstr(text, "\nat ") ? strstr(text, "\nat ") + 4 : "");
	for (char *p = name; *p; p++)
		if (*p == ':')
			*p = '-';
	http_json(r, 200, json_pack("{s:s,s:s,s:s}", "checkpoint", text, "filename", name, "sha256", hex));
	free(text);
	return RK_OK;
}

int
h_admin_health(struct req *r)
{
	struct dbrows rows;
	json_t *mail = json_object(), *face = json_object();
	int rc;

	if ((rc = need_admin(r)) != RK_OK)
		goto fail;
	/* pending mail by channel (the outbox_pending index), and what went out recently */
	if ((rc = db_query(r->app->db, STMT_ADMIN_OUTBOX_PENDING, DBNOARGS, &rows)) != RK_OK)
		goto fail;
	for (unsigned i = 0; i < rows.nrows; i++)
		json_object_set_new(mail, db_cell(&rows, i, 0, NULL), json_pack("{s:I,s:I,s:I,s:I}", "pending", (json_int_t)db_cell_ll(&rows, i, 1),
		    "failing", (json_int_t)db_cell_ll(&rows, i, 2), "oldest_pending_seconds", (json_int_t)db_cell_ll(&rows, i, 3), "sent_recently", (json_int_t)0));
	db_rows_free(&rows);
	if ((rc = db_query(r->app->db, STMT_ADMIN_OUTBOX_SENT, DBARGS(DB_I(ADMIN_SENT_WINDOW_HOURS)), &rows)) != RK_OK)
		goto fail;
	for (unsigned i = 0; i < rows.nrows; i++) {
		json_t *ch = json_object_get(mail, db_cell(&rows, i, 0, NULL));
		if (ch == NULL)
			json_object_set_new(mail, db_cell(&rows, i, 0, NULL), ch = json_pack("{s:I,s:I,s:I}", "pending", (json_int_t)0, "failing", (json_int_t)0,
			    "oldest_pending_seconds", (json_int_t)0));
		json_object_set_new(ch, "sent_recently", json_integer(db_cell_ll(&rows, i, 1)));
	}
	db_rows_free(&rows);
	/* face checks not finished, by status (the face_checks_due index) */
	if ((rc = db_query(r->app->db, STMT_ADMIN_FACE_BACKLOG, DBNOARGS, &rows)) != RK_OK)
		goto fail;
	for (unsigned i = 0; i < rows.nrows; i++)
		json_object_set_new(face, db_cell(&rows, i, 0, NULL), json_pack("{s:I,s:I}", "count", (json_int_t)db_cell_ll(&rows, i, 1),
		    "oldest_seconds", (json_int_t)db_cell_ll(&rows, i, 2)));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o,s:i,s:o,s:s}", "mail", mail, "sent_window_hours", ADMIN_SENT_WINDOW_HOURS, "face_checks", face,
	    "face_provider", r->app->cfg.face_provider));
	return RK_OK;
fail:
	json_decref(mail);
	json_decref(face);
	return rc;
}
