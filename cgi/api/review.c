/* api/review.c -- the review console's API (/api/review/...): reviewers sign in with a passkey,
 * see the queue, claim a case, view its evidence and decide. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../../wasm/validate.h"

#define QUEUE_PAGE 200 /* cases a queue page holds at most */

static void
actor(const struct req *r, char *out, size_t n)
{
	snprintf(out, n, "reviewer:%llu", (unsigned long long)r->rev.id);
}

static int
need_role(struct req *r, unsigned any_of)
{
	if ((r->rev.roles & any_of) == 0)
		return http_fail(r, SP_ROLE_REQUIRED);
	return RK_OK;
}

static int
start_session(struct req *r, uint64_t reviewer)
{
	struct app *a = r->app;
	char token[64];
	size_t ual = r->user_agent ? strnlen(r->user_agent, 200) : 0;
	int rc;

	keys_token_new(a->keys.session, REVIEW_SESSION_DOMAIN, token, sizeof token, r->rev.token_hash);
	if ((rc = db_exec(a->db, STMT_RSESSION_INSERT, DBARGS(DB_B(r->rev.token_hash, 32), DB_I(reviewer),
	    DB_I(a->cfg.review_session_absolute_seconds), DB_S(r->ip), DB_SN(r->user_agent ? r->user_agent : "", ual)),
	    NULL, &r->rev.session_id)) != RK_OK)
		return rc;
	r->rev.id = reviewer;
	r->has_reviewer = 1;
	http_set_cookie(r, REVIEW_COOKIE, token, "/api/review", a->cfg.review_session_absolute_seconds);
	return RK_OK;
}

static json_t *
me_json(struct req *r, uint64_t id, const char *email, unsigned roles)
{
	char csrf[40];
	session_csrf(r->app, r->rev.token_hash, csrf);
	return json_pack("{s:I,s:s,s:o,s:s}", "id", (json_int_t)id, "email", email, "roles", reviewers_roles_json(roles), "csrf", csrf);
}

/* ---- enrolment: the one-time link from `rekeyctl reviewer add` ---- */

struct enrol {
	uint64_t id, reviewer;
	char email[256];
};

static int
enrol_open(struct req *r, struct enrol *e, int *ok)
{
	const char *token = json_string_value(json_object_get(r->in, "token"));
	unsigned char th[32];
	struct dbrows rows;
	int rc, used, expired, disabled;

	*ok = 0;
	if ((rc = rate_hit(r->app, "review-enrol:ip", r->ip, strlen(r->ip), r->app->cfg.signin_limit_ip,
	    r->app->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if (keys_token_hash(r->app->keys.link, REVIEW_ENROL_DOMAIN, token, th) != 0)
		return http_fail(r, SP_LINK_INVALID_ENROL);
	if ((rc = db_query(r->app->db, STMT_ENROL_GET, DBARGS(DB_B(th, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_LINK_INVALID_ENROL);
	}
	e->id = (uint64_t)db_cell_ll(&rows, 0, 0);
	e->reviewer = (uint64_t)db_cell_ll(&rows, 0, 1);
	used = db_cell_ll(&rows, 0, 2) == 1;
	expired = db_cell_ll(&rows, 0, 3) == 1;
	disabled = db_cell_ll(&rows, 0, 4) == 1;
	snprintf(e->email, sizeof e->email, "%s", db_cell(&rows, 0, 5, NULL));
	db_rows_free(&rows);
	if (used)
		return http_fail(r, SP_LINK_USED_ENROL);
	if (expired)
		return http_fail(r, SP_LINK_EXPIRED_ENROL);
	if (disabled)
		return http_fail(r, SP_REVIEWER_DISABLED);
	*ok = 1;
	return RK_OK;
}

int
h_review_enrol_options(struct req *r)
{
	struct enrol e;
	json_t *out;
	int rc, ok;

	if ((rc = enrol_open(r, &e, &ok)) != RK_OK || !ok)
		return rc;
	if ((rc = webauthn_creation_options(r, &pk_reviewers, e.reviewer, &out)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s,s:o}", "email", e.email, "options", out));
	return RK_OK;
}

int
h_review_enrol(struct req *r)
{
	struct app *a = r->app;
	struct enrol e;
	struct pk_new n;
	struct dbrows rows;
	uint64_t pkid = 0, used = 0;
	char who[40];
	unsigned roles;
	int rc, ok;

	if ((rc = enrol_open(r, &e, &ok)) != RK_OK || !ok)
		return rc;
	if ((rc = webauthn_register_verify(r, &pk_reviewers, json_object_get(r->in, "response"), &n, &ok)) != RK_OK || !ok)
		return rc;
	rc = db_exec(a->db, STMT_RPASSKEY_INSERT, DBARGS(DB_I(e.reviewer), DB_B(n.cred_id, n.cred_id_len), DB_I(n.alg),
	    DB_B(n.pk, n.pk_len), DB_B(n.cose_key, n.cose_key_len), DB_I(n.sign_count), DB_I(n.uv), DB_I(n.be), DB_I(n.bs),
	    DB_B(n.aaguid, 16), DB_S(n.fmt), DB_S(n.transports), DB_S(n.default_name)), NULL, &pkid);
	if (rc == RK_DUP)
		return http_fail(r, SP_CREDENTIAL_EXISTS);
	if (rc != RK_OK || (rc = db_exec(a->db, STMT_ENROL_USE, DBARGS(DB_I(e.id)), &used, NULL)) != RK_OK)
		return rc;
	if (used != 1)
		return http_fail(r, SP_LINK_USED_ENROL);
	if ((rc = start_session(r, e.reviewer)) != RK_OK)
		return rc;
	actor(r, who, sizeof who);
	if ((rc = audit_append(a, 0, "reviewer_enrolled", who, r->ip,
	    json_pack("{s:I,s:s}", "passkey", (json_int_t)pkid, "aaguid", n.aaguid_text))) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_REVIEWER_GET, DBARGS(DB_I(e.reviewer)), &rows)) != RK_OK)
		return rc;
	roles = rows.nrows ? reviewers_roles_bits(db_cell(&rows, 0, 1, NULL)) : 0;
	db_rows_free(&rows);
	http_json(r, 201, json_pack("{s:s,s:o}", "status", "enrolled", "reviewer", me_json(r, e.reviewer, e.email, roles)));
	return RK_OK;
}

/* ---- sign-in: a passkey only ---- */

int
h_review_session_options(struct req *r)
{
	json_t *out;
	int rc;

	if ((rc = rate_anon(r)) != RK_OK) /* signed out: each call stores a challenge */
		return rc;
	rc = webauthn_request_options(r, &pk_reviewers, 0, &out);
	if (rc == RK_OK)
		http_json(r, 200, out);
	return rc;
}

int
h_review_session_create(struct req *r)
{
	struct app *a = r->app;
	uint64_t pkid = 0, reviewer = 0;
	struct dbrows rows;
	char who[40], email[256];
	unsigned roles;
	int rc, ok = 0;

	if ((rc = rate_hit(a, "review-signin:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if ((rc = webauthn_assert_in(r, &pk_reviewers, json_object_get(r->in, "response"), &pkid, &reviewer, &ok)) != RK_OK || !ok)
		return rc;
	if ((rc = db_query(a->db, STMT_REVIEWER_GET, DBARGS(DB_I(reviewer)), &rows)) != RK_OK)
		return rc;
	snprintf(email, sizeof email, "%s", db_cell(&rows, 0, 0, NULL));
	roles = reviewers_roles_bits(db_cell(&rows, 0, 1, NULL));
	db_rows_free(&rows);
	if ((rc = start_session(r, reviewer)) != RK_OK)
		return rc;
	actor(r, who, sizeof who);
	if ((rc = audit_append(a, 0, "reviewer_signed_in", who, r->ip, json_pack("{s:I}", "passkey", (json_int_t)pkid))) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s,s:o}", "status", "signed_in", "reviewer", me_json(r, reviewer, email, roles)));
	return RK_OK;
}

int
h_review_session_delete(struct req *r)
{
	int rc = db_exec(r->app->db, STMT_RSESSION_REVOKE, DBARGS(DB_I(r->rev.session_id)), NULL, NULL);
	if (rc != RK_OK)
		return rc;
	http_set_cookie(r, REVIEW_COOKIE, "", "/api/review", 0);
	r->status = 204;
	return RK_OK;
}

int
h_review_me(struct req *r)
{
	struct dbrows rows;
	json_t *me;
	int rc = db_query(r->app->db, STMT_REVIEWER_LANGUAGE, DBARGS(DB_I(r->rev.id)), &rows);

	if (rc != RK_OK)
		return rc;
	me = me_json(r, r->rev.id, r->rev.email, r->rev.roles);
	json_object_set_new(me, "language", rows.nrows == 1 && *db_cell(&rows, 0, 0, NULL) ? json_string(db_cell(&rows, 0, 0, NULL)) : json_null());
	db_rows_free(&rows);
	http_json(r, 200, me);
	return RK_OK;
}

/* PUT /api/review/language: the console in the reviewer's language (#20). */
int
h_review_language(struct req *r)
{
	const char *l = json_string_value(json_object_get(r->in, "language"));
	int rc = db_exec(r->app->db, STMT_REVIEWER_LANGUAGE_SET, DBARGS(DB_S(l), DB_I(r->rev.id)), NULL, NULL);

	if (rc != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "language", l));
	return RK_OK;
}

/* ---- reasons, queue ---- */

static int
in_csv(const char *csv, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = csv; *p;) {
		size_t m = strcspn(p, ",");
		if (m == n && n > 0 && strncmp(p, code, n) == 0)
			return 1;
		p += m;
		if (*p == ',')
			p++;
	}
	return 0;
}

int
h_review_reasons(struct req *r)
{
	const struct config *c = &r->app->cfg;
	int rc;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:o,s:o,s:o}", "approve", json_csv(c->review_reasons_approve),
	    "reject", json_csv(c->review_reasons_reject), "more_info", json_csv(c->review_reasons_more_info)));
	return RK_OK;
}

static const char *
qparam(struct req *r, const char *name)
{
	const char *v = http_query(r, name);
	return v ? v : "";
}

static void
count_into(json_t *obj, const char *key, long long n)
{
	json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + n));
}

/* The parameters of STMT_REVIEW_QUEUE (status "") or STMT_REVIEW_QUEUE_STATUS,
 * in the order SQL_QUEUE_PAGE names them (cgi/base/db_sql.h): the request's
 * values once, then each class's [status and] page size, then the page size.
 * The strings are borrowed from the request. */
#define QUEUE_ARGS_MAX 17

static void
queue_args(const struct config *c, const char *route, const char *status, const char *tier, long long min_age,
    long long after_due, long long after_id, long long limit, struct dbv *out, unsigned *n)
{
	unsigned k = 0;

	out[k++] = DB_I(c->high_value_cents);
	out[k++] = DB_I(c->review_sla_face_hours);
	out[k++] = DB_I(c->review_sla_questions_failed_hours);
	out[k++] = DB_I(c->review_sla_documents_hours);
	out[k++] = DB_S(route);
	out[k++] = DB_S(tier);
	out[k++] = DB_I(min_age);
	out[k++] = DB_I(after_due);
	out[k++] = DB_I(after_id);
	out[k++] = DB_I(c->review_claim_minutes);
	for (int i = 0; i < 3; i++) { /* face, questions failed, documents */
		if (*status)
			out[k++] = DB_S(status);
		out[k++] = DB_I(limit);
	}
	out[k++] = DB_I(limit);
	*n = k;
}

int
h_review_queue(struct req *r)
{
	const struct config *c = &r->app->cfg;
	const char *route = qparam(r, "route"), *status = qparam(r, "status"), *tier = qparam(r, "tier"), *age = qparam(r, "min_age_hours");
	const char *lim = qparam(r, "limit"), *after_due = qparam(r, "after_due"), *after_id = qparam(r, "after_id");
	long long min_age = *age ? atoll(age) : 0, limit = *lim ? atoll(lim) : QUEUE_PAGE;
	struct dbrows rows, cnt;
	json_t *list, *counts, *next = json_null();
	struct dbv args[QUEUE_ARGS_MAX];
	unsigned nargs;
	int rc;

	/* the session and the counts in one statement (issue #21), the page in a second */
	if ((rc = reviewers_read(r, STMT_REVIEW_COUNTS_SIGNED_IN, c->high_value_cents, &cnt)) != RK_OK)
		return rc;
	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) == RK_OK && (limit < 1 || limit > QUEUE_PAGE))
		rc = http_fail(r, SP_INVALID_LIMIT);
	if (rc == RK_OK && (*after_due == '\0') != (*after_id == '\0'))
		rc = http_fail(r, SP_INVALID_CURSOR);
	if (rc != RK_OK) {
		db_rows_free(&cnt);
		return rc;
	}
	if (*status == '\0')
		status = ""; /* every open case; the console asks for under_review by default */
	/* issue #21: a page reads at most a page per class of due time, in index order (schema/029) */
	queue_args(c, route, status, tier, min_age, *after_due ? atoll(after_due) : 0, *after_id ? atoll(after_id) : 0, limit, args, &nargs);
	if ((rc = db_query(r->app->db, *status ? STMT_REVIEW_QUEUE_STATUS : STMT_REVIEW_QUEUE, args, nargs, &rows)) != RK_OK) {
		db_rows_free(&cnt);
		return rc;
	}
	/* a full page may have more after it: the cursor of its last case */
	if (rows.nrows == (unsigned)limit)
		next = json_pack("{s:I,s:I}", "after_due", (json_int_t)db_cell_ll(&rows, rows.nrows - 1, 10),
		    "after_id", (json_int_t)db_cell_ll(&rows, rows.nrows - 1, 0));
	list = json_array();
	for (unsigned i = 0; i < rows.nrows; i++) {
		/* #20: the user's language beside each case ("" when not chosen) */
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:s,s:I,s:s}", "id", (json_int_t)db_cell_ll(&rows, i, 0),
		    "kind", db_cell(&rows, i, 1, NULL), "status", db_cell(&rows, i, 2, NULL), "tier", db_cell(&rows, i, 3, NULL),
		    "submitted_at", db_cell(&rows, i, 4, NULL), "due_at", db_cell(&rows, i, 5, NULL), "overdue", db_cell_ll(&rows, i, 8) == 1,
		    "account", (json_int_t)db_cell_ll(&rows, i, 6), "claimed_by", db_cell(&rows, i, 7, NULL),
		    "age_hours", (json_int_t)db_cell_ll(&rows, i, 9), "language", db_cell(&rows, i, 11, NULL)));
	}
	db_rows_free(&rows);
	counts = json_pack("{s:{},s:{},s:{},s:i}", "kind", "status", "tier", "total", 0);
	for (unsigned i = 1; i < cnt.nrows; i++) { /* row 0 is the session's */
		long long n = db_cell_ll(&cnt, i, 3), high = db_cell_ll(&cnt, i, 4);
		count_into(json_object_get(counts, "kind"), db_cell(&cnt, i, 1, NULL), n);
		count_into(json_object_get(counts, "status"), db_cell(&cnt, i, 2, NULL), n);
		if (high > 0) /* a tier is named only when it has cases */
			count_into(json_object_get(counts, "tier"), "high", high);
		if (n > high)
			count_into(json_object_get(counts, "tier"), "standard", n - high);
		count_into(counts, "total", n);
	}
	db_rows_free(&cnt);
	http_json(r, 200, json_pack("{s:o,s:o,s:o}", "cases", list, "counts", counts, "next", next));
	return RK_OK;
}

/* ---- one case ---- */

static uint64_t
param_id(struct req *r)
{
	return strtoull(r->param, NULL, 10);
}

/* waiting for a reviewer: a submitted case, or one its owner disputed (#18) */
static int
reviewable(const char *status)
{
	return strcmp(status, "under_review") == 0 || strcmp(status, "disputed") == 0;
}

static int
four_eyes_needed(const struct app *a, const char *route, long long cents)
{
	return strcmp(route, "face") == 0 || cents >= a->cfg.high_value_cents;
}

int
h_review_case(struct req *r)
{
	struct app *a = r->app;
	uint64_t id = param_id(r), account, claimer, first;
	struct dbrows rows, x;
	json_t *out, *list, *tools;
	char who[40];
	int rc, active;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_REVIEW_CASE, DBARGS(DB_I(a->cfg.review_claim_minutes), DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CASE);
	}
	account = (uint64_t)db_cell_ll(&rows, 0, 1);
	claimer = (uint64_t)db_cell_ll(&rows, 0, 7);
	active = db_cell_ll(&rows, 0, 8) == 1;
	first = (uint64_t)db_cell_ll(&rows, 0, 9);
	out = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:s,s:{s:b,s:b},s:{s:b,s:I,s:b}}",
	    "id", (json_int_t)id, "route", db_cell(&rows, 0, 2, NULL), "status", db_cell(&rows, 0, 3, NULL),
	    "questions_attempts", (int)db_cell_ll(&rows, 0, 4), "created_at", db_cell(&rows, 0, 5, NULL),
	    "submitted_at", db_cell(&rows, 0, 6, NULL), "residence_country", db_cell(&rows, 0, 10, NULL),
	    "claim", "held", claimer != 0 && active, "mine", claimer == r->rev.id && active,
	    "four_eyes", "needed", four_eyes_needed(a, db_cell(&rows, 0, 2, NULL), db_cell_ll(&rows, 0, 13)) ||
	    strcmp(db_cell(&rows, 0, 3, NULL), "disputed") == 0,
	    "first_approval_by", (json_int_t)first, "mine", first == r->rev.id);
	json_object_set_new(out, "account", json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)account,
	    "email", db_cell(&rows, 0, 11, NULL), "name", db_cell(&rows, 0, 17, NULL), "identity_status", db_cell(&rows, 0, 12, NULL),
	    "value_tier", db_cell_ll(&rows, 0, 13) >= a->cfg.high_value_cents ? "high" : "standard",
	    "registered_at", db_cell(&rows, 0, 14, NULL), "no_passkey_protection", db_cell_ll(&rows, 0, 15) == 1,
	    "frozen", db_cell_ll(&rows, 0, 16) == 1, "language", db_cell(&rows, 0, 18, NULL)));
	db_rows_free(&rows);
	/* the account's context */
	tools = json_object();
	if ((rc = tools_summary(a, account, tools)) != RK_OK)
		goto fail_tools;
	json_object_set_new(json_object_get(out, "account"), "tools", tools);
	if ((rc = db_query(a->db, STMT_SIGNIN_RECENT, DBARGS(DB_I(account)), &x)) != RK_OK)
		goto fail;
	list = json_signins(&x, 0, x.nrows, 0);
	db_rows_free(&x);
	json_object_set_new(json_object_get(out, "account"), "recent_signins", list);
	if ((rc = db_query(a->db, STMT_REVIEW_PREVIOUS, DBARGS(DB_I(account), DB_I(id)), &x)) != RK_OK)
		goto fail;
	list = json_array();
	for (unsigned i = 0; i < x.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)db_cell_ll(&x, i, 0), "route", db_cell(&x, i, 1, NULL),
		    "status", db_cell(&x, i, 2, NULL), "created_at", db_cell(&x, i, 3, NULL)));
	db_rows_free(&x);
	json_object_set_new(out, "previous_cases", list);
	/* the timeline, the evidence, the face check, the decisions */
	if ((rc = db_query(a->db, STMT_CASE_EVENTS, DBARGS(DB_I(id)), &x)) != RK_OK)
		goto fail;
	list = json_array();
	for (unsigned i = 0; i < x.nrows; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:s}", "at", db_cell(&x, i, 0, NULL), "event", db_cell(&x, i, 1, NULL),
		    "detail", db_cell(&x, i, 2, NULL)));
	db_rows_free(&x);
	json_object_set_new(out, "timeline", list);
	if ((rc = db_query(a->db, STMT_REVIEW_EVIDENCE, DBARGS(DB_I(id)), &x)) != RK_OK)
		goto fail;
	list = json_array();
	for (unsigned i = 0; i < x.nrows; i++) {
		json_t *e = json_pack("{s:I,s:s,s:s,s:i,s:i,s:I,s:s,s:s,s:s}", "id", (json_int_t)db_cell_ll(&x, i, 0), "kind", db_cell(&x, i, 1, NULL),
		    "format", db_cell(&x, i, 10, NULL), "width", (int)db_cell_ll(&x, i, 11), "height", (int)db_cell_ll(&x, i, 12),
		    "bytes", (json_int_t)db_cell_ll(&x, i, 13), "sha256", db_cell(&x, i, 14, NULL), "created_at", db_cell(&x, i, 18, NULL),
		    "ring_cases", db_cell(&x, i, 17, NULL));
		if (strcmp(db_cell(&x, i, 1, NULL), "operator_email") == 0)
			json_object_set_new(e, "email_kind", json_string(db_cell(&x, i, 2, NULL)));
		if (strcmp(db_cell(&x, i, 1, NULL), "counterparty_tx") == 0)
			json_object_set_new(e, "transaction", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "direction", db_cell(&x, i, 3, NULL),
			    "coin", db_cell(&x, i, 4, NULL), "network", db_cell(&x, i, 5, NULL), "amount", db_cell(&x, i, 6, NULL),
			    "time", db_cell(&x, i, 7, NULL), "reference", db_cell(&x, i, 8, NULL), "counterparty", db_cell(&x, i, 9, NULL),
			    "match_score", (int)db_cell_ll(&x, i, 15), "match_reasons", db_cell(&x, i, 16, NULL)));
		json_array_append_new(list, e);
	}
	db_rows_free(&x);
	json_object_set_new(out, "evidence", list);
	if ((rc = db_query(a->db, STMT_FACE_CHECK_OF_CASE, DBARGS(DB_I(id)), &x)) != RK_OK)
		goto fail;
	json_object_set_new(out, "face_check", x.nrows == 0 ? json_null() : json_pack("{s:s,s:s,s:i,s:i,s:s}",
	    "provider", db_cell(&x, 0, 0, NULL), "status", db_cell(&x, 0, 1, NULL), "score", (int)db_cell_ll(&x, 0, 2),
	    "attempts", (int)db_cell_ll(&x, 0, 3), "last_error", db_cell(&x, 0, 4, NULL)));
	db_rows_free(&x);
	if ((rc = db_query(a->db, STMT_IDPHOTO_GET, DBARGS(DB_I(account)), &x)) != RK_OK)
		goto fail;
	json_object_set_new(out, "identity_photo", json_boolean(x.nrows == 1));
	db_rows_free(&x);
	if ((rc = db_query(a->db, STMT_REVIEW_DECISIONS, DBARGS(DB_I(id)), &x)) != RK_OK)
		goto fail;
	list = json_array();
	for (unsigned i = 0; i < x.nrows; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "reviewer", db_cell(&x, i, 0, NULL),
		    "decision", db_cell(&x, i, 1, NULL), "effective", db_cell_ll(&x, i, 2) == 1, "reason", db_cell(&x, i, 3, NULL),
		    "note_user", db_cell(&x, i, 4, NULL), "note_internal", db_cell(&x, i, 5, NULL), "at", db_cell(&x, i, 6, NULL)));
	db_rows_free(&x);
	json_object_set_new(out, "decisions", list);
	if (claimer == r->rev.id && active && (rc = db_exec(a->db, STMT_CASE_CLAIM_TOUCH, DBARGS(DB_I(id)), NULL, NULL)) != RK_OK)
		goto fail;
	actor(r, who, sizeof who);
	if ((rc = audit_append(a, account, "review_case_viewed", who, r->ip, json_pack("{s:I}", "case", (json_int_t)id))) != RK_OK)
		goto fail;
	http_json(r, 200, out);
	return RK_OK;
fail_tools:
	json_decref(tools);
fail:
	json_decref(out);
	return rc;
}

int
h_review_claim(struct req *r)
{
	struct app *a = r->app;
	uint64_t id = param_id(r), aff = 0;
	struct dbrows rows;
	char who[40];
	int rc;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	/* one conditional UPDATE: two reviewers at once, one wins */
	if ((rc = db_exec(a->db, STMT_CASE_CLAIM, DBARGS(DB_I(r->rev.id), DB_I(id), DB_I(r->rev.id), DB_I(a->cfg.review_claim_minutes)),
	    &aff, NULL)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_REVIEW_CASE_LOCK, DBARGS(DB_I(a->cfg.review_claim_minutes), DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CASE);
	}
	if (aff != 1 && !((uint64_t)db_cell_ll(&rows, 0, 4) == r->rev.id && reviewable(db_cell(&rows, 0, 3, NULL)))) {
		int in_review = reviewable(db_cell(&rows, 0, 3, NULL));
		db_rows_free(&rows);
		return in_review ? http_fail(r, SP_CLAIMED_BY_OTHER)
		    : http_fail(r, SP_NOT_IN_REVIEW);
	}
	{
		uint64_t account = (uint64_t)db_cell_ll(&rows, 0, 1);
		db_rows_free(&rows);
		actor(r, who, sizeof who);
		if ((rc = audit_append(a, account, "review_case_claimed", who, r->ip, json_pack("{s:I}", "case", (json_int_t)id))) != RK_OK)
			return rc;
	}
	http_json(r, 200, json_pack("{s:I,s:b}", "case", (json_int_t)id, "claimed", 1));
	return RK_OK;
}

int
h_review_release(struct req *r)
{
	uint64_t id = param_id(r), aff = 0;
	int rc;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	if ((rc = db_exec(r->app->db, STMT_CASE_RELEASE, DBARGS(DB_I(id), DB_I(r->rev.id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_NOT_CLAIMED);
	http_json(r, 200, json_pack("{s:I,s:b}", "case", (json_int_t)id, "claimed", 0));
	return RK_OK;
}

/* An image for the viewer, to the claim's holder only: opened from its
 * sealed box, the view audited on the account's chain, then served as the
 * canonical PNG with a sandboxing CSP, nosniff and no-store. */
static int
serve_sealed(struct req *r, uint64_t account, int key_id, const unsigned char *box, size_t bl, const char *ad, const char *event, json_t *detail)
{
	struct app *a = r->app;
	unsigned char *png;
	char who[40];
	size_t n;
	int rc;

	if ((png = vault_unseal(a, key_id, box, bl, ad, &n)) == NULL) {
		json_decref(detail);
		return http_fail(r, SP_EVIDENCE_UNREADABLE);
	}
	actor(r, who, sizeof who);
	if ((rc = audit_append(a, account, event, who, r->ip, detail)) != RK_OK) {
		free(png);
		return rc;
	}
	r->raw = (char *)png;
	r->raw_len = n;
	r->raw_type = "image/png";
	r->sandbox = 1;
	r->status = 200;
	return RK_OK;
}

/* Whether this reviewer holds an active claim on the case (a 403 when not),
 * and the case's account; the claim is refreshed. */
static int
claimed_case(struct req *r, uint64_t case_id, uint64_t *account, int *ok)
{
	struct dbrows rows;
	int rc;

	*ok = 0;
	if ((rc = db_query(r->app->db, STMT_REVIEW_CASE_LOCK, DBARGS(DB_I(r->app->cfg.review_claim_minutes), DB_I(case_id)), &rows)) != RK_OK)
		return rc;
	*ok = rows.nrows == 1 && (uint64_t)db_cell_ll(&rows, 0, 4) == r->rev.id && db_cell_ll(&rows, 0, 5) == 1 &&
	    reviewable(db_cell(&rows, 0, 3, NULL));
	*account = *ok ? (uint64_t)db_cell_ll(&rows, 0, 1) : 0;
	db_rows_free(&rows);
	if (!*ok)
		return http_fail(r, SP_CLAIM_REQUIRED);
	return db_exec(r->app->db, STMT_CASE_CLAIM_TOUCH, DBARGS(DB_I(case_id)), NULL, NULL);
}

int
h_review_evidence(struct req *r)
{
	uint64_t id = param_id(r), case_id, account;
	struct dbrows rows;
	char ad[200];
	size_t bl;
	int rc, ok;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	if ((rc = db_query(r->app->db, STMT_EVIDENCE_SEALED, DBARGS(DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_FILE);
	}
	case_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	if ((rc = claimed_case(r, case_id, &account, &ok)) == RK_OK && ok) {
		const unsigned char *box = (const unsigned char *)db_cell(&rows, 0, 4, &bl);
		vault_ad(ad, sizeof ad, case_id, db_cell(&rows, 0, 1, NULL), db_cell(&rows, 0, 2, NULL));
		rc = serve_sealed(r, account, (int)db_cell_ll(&rows, 0, 3), box, bl, ad, "review_evidence_viewed",
		    json_pack("{s:I,s:I}", "case", (json_int_t)case_id, "evidence", (json_int_t)id));
	}
	db_rows_free(&rows);
	return rc;
}

int
h_review_identity_photo(struct req *r)
{
	uint64_t case_id = param_id(r), account;
	struct dbrows rows;
	char ad[64];
	size_t bl;
	int rc, ok;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	if ((rc = claimed_case(r, case_id, &account, &ok)) != RK_OK || !ok)
		return rc;
	if ((rc = db_query(r->app->db, STMT_IDPHOTO_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_IDENTITY_PHOTO);
	}
	vault_identity_ad(ad, sizeof ad, account);
	{
		const unsigned char *box = (const unsigned char *)db_cell(&rows, 0, 2, &bl);
		rc = serve_sealed(r, account, (int)db_cell_ll(&rows, 0, 3), box, bl, ad, "review_identity_photo_viewed", json_pack("{s:I}", "case", (json_int_t)case_id));
	}
	db_rows_free(&rows);
	return rc;
}

/* ---- decisions ---- */

static const char *
field(struct req *r, const char *name)
{
	const char *v = json_string_value(json_object_get(r->in, name));
	return v ? v : "";
}

static int
record(struct req *r, uint64_t case_id, const char *decision, int effective)
{
	return db_exec(r->app->db, STMT_DECISION_INSERT, DBARGS(DB_I(case_id), DB_I(r->rev.id), DB_S(decision), DB_I(effective),
	    DB_S(field(r, "reason")), DB_S(field(r, "note_user")), DB_S(field(r, "note_internal"))), NULL, NULL);
}

static int
approve(struct req *r, uint64_t case_id, uint64_t account, const char *route, long long cents, const char *identity, uint64_t first)
{
	struct app *a = r->app;
	char who[40];
	int rc;

	actor(r, who, sizeof who);
	/* seed: a face match fails when the primary identity verification is invalid */
	if (strcmp(route, "face") == 0 && !face_identity_allows_match(identity))
		return http_fail(r, SP_IDENTITY_INVALID);
	if (four_eyes_needed(a, route, cents)) {
		if (first == 0) {
			if ((rc = record(r, case_id, "approve", 0)) != RK_OK ||
			    (rc = db_exec(a->db, STMT_CASE_FIRST_APPROVAL, DBARGS(DB_I(r->rev.id), DB_I(case_id)), NULL, NULL)) != RK_OK ||
			    (rc = cases_event(a, case_id, "first_approval", "")) != RK_OK ||
			    (rc = audit_append(a, account, "review_first_approval", who, r->ip,
			    json_pack("{s:I,s:s}", "case", (json_int_t)case_id, "reason", field(r, "reason")))) != RK_OK)
				return rc;
			http_json(r, 200, json_pack("{s:s}", "status", "awaiting_second_approval"));
			return RK_OK;
		}
		if (first == r->rev.id)
			return http_fail(r, SP_FOUR_EYES_SAME_REVIEWER);
		if (!(r->rev.roles & ROLE_SENIOR))
			return http_fail(r, SP_SENIOR_REQUIRED);
	}
	if ((rc = record(r, case_id, "approve", 1)) != RK_OK ||
	    (rc = cases_event(a, case_id, "approved", field(r, "note_user"))) != RK_OK ||
	    (rc = cases_flow_move(r, case_id, "approved", 1)) != RK_OK ||
	    (rc = cases_reset_account(r, account, case_id, "review", who)) != RK_OK ||
	    (rc = audit_append(a, account, "review_approved", who, r->ip,
	    json_pack("{s:I,s:s,s:b}", "case", (json_int_t)case_id, "reason", field(r, "reason"), "second", first != 0))) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", "completed"));
	return RK_OK;
}

static int
more_info(struct req *r, uint64_t case_id, uint64_t account)
{
	struct app *a = r->app;
	struct dbrows rows;
	unsigned char th[32];
	char token[64], who[40], case_text[24], link[600], life[60];
	int rc, base;

	if ((rc = db_query(a->db, STMT_EVIDENCE_COUNT, DBARGS(DB_I(case_id)), &rows)) != RK_OK)
		return rc;
	base = (int)db_cell_ll(&rows, 0, 0);
	db_rows_free(&rows);
	keys_token_new(a->keys.link, MORE_INFO_DOMAIN, token, sizeof token, th);
	actor(r, who, sizeof who);
	if ((rc = record(r, case_id, "more_info", 1)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_CASE_MORE_INFO, DBARGS(DB_B(th, 32), DB_I(a->cfg.more_info_hours), DB_I(base), DB_I(case_id)),
	    NULL, NULL)) != RK_OK ||
	    (rc = cases_flow_move(r, case_id, "needs_more_info", 0)) != RK_OK ||
	    (rc = cases_event(a, case_id, "more_info_requested", field(r, "note_user"))) != RK_OK ||
	    (rc = audit_append(a, account, "review_more_info", who, r->ip,
	    json_pack("{s:I,s:s}", "case", (json_int_t)case_id, "reason", field(r, "reason")))) != RK_OK)
		return rc;
	snprintf(case_text, sizeof case_text, "%llu", (unsigned long long)case_id);
	snprintf(link, sizeof link, "%s/reset.html?more=%s", a->cfg.origin, token);
	i18n_duration(mail_lang(a, account), 3600LL * a->cfg.more_info_hours, life, sizeof life);
	if ((rc = mail_notice(a, NULL, account, NOTICE_CASE_MORE_INFO, (const char *const[]){ "case", case_text, "note", field(r, "note_user"),
	    "life", life, "link", link, NULL })) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", "needs_more_info"));
	return RK_OK;
}

/* A disputed case (#18): the owner said "this was not me" after the reset.
 * Two reviewers decide who keeps the account, the second a senior, both the
 * same way: approve, the reset stands; reject, the owner keeps it. Two
 * different decisions start over (a third reviewer looks). */
static int
disputed(struct req *r, uint64_t case_id, uint64_t account, const char *decision, uint64_t first, const char *first_decision)
{
	struct app *a = r->app;
	char who[40];
	int rc, owner = strcmp(decision, "reject") == 0;

	if (strcmp(decision, "more_info") == 0)
		return http_fail(r, SP_DISPUTE_DECISION);
	actor(r, who, sizeof who);
	if (first == 0) {
		if ((rc = record(r, case_id, decision, 0)) != RK_OK ||
		    (rc = db_exec(a->db, STMT_CASE_FIRST_DECISION, DBARGS(DB_I(r->rev.id), DB_S(decision), DB_I(case_id)), NULL, NULL)) != RK_OK ||
		    (rc = cases_event(a, case_id, "first_decision", owner ? "the owner keeps the account" : "the reset stands")) != RK_OK ||
		    (rc = audit_append(a, account, "review_first_decision", who, r->ip,
		    json_pack("{s:I,s:s,s:s}", "case", (json_int_t)case_id, "decision", decision, "reason", field(r, "reason")))) != RK_OK)
			return rc;
		http_json(r, 200, json_pack("{s:s}", "status", "awaiting_second_decision"));
		return RK_OK;
	}
	if (r->rev.id == first) /* four eyes: another reviewer */
		return http_fail(r, SP_FOUR_EYES_SAME_REVIEWER);
	if ((r->rev.roles & ROLE_SENIOR) == 0)
		return http_fail(r, SP_SENIOR_REQUIRED);
	if (strcmp(decision, first_decision) != 0) {
		if ((rc = record(r, case_id, decision, 0)) != RK_OK ||
		    (rc = db_exec(a->db, STMT_CASE_DECISION_SPLIT, DBARGS(DB_I(case_id)), NULL, NULL)) != RK_OK ||
		    (rc = cases_event(a, case_id, "decisions_differ", "")) != RK_OK ||
		    (rc = audit_append(a, account, "review_decisions_differ", who, r->ip, json_pack("{s:I}", "case", (json_int_t)case_id))) != RK_OK)
			return rc;
		http_json(r, 200, json_pack("{s:s}", "status", "decisions_differ"));
		return RK_OK;
	}
	if ((rc = record(r, case_id, decision, 1)) != RK_OK ||
	    (rc = dispute_decide(r, case_id, account, owner, who)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", owner ? "owner_keeps" : "reset_stands"));
	return RK_OK;
}

/* Reasons that fit one route only (#16: a face case was approvable because
 * "the screenshots are consistent"); the console's words.mjs REASON_ROUTE
 * offers the same, and this refusal is the server's. A reason not listed
 * here (identity_invalid, suspected_fraud) fits every route. */
static int
reason_fits(const char *reason, const char *route)
{
	static const char *const face[] = { "face_match", "face_mismatch", "face_frames" };
	static const char *const documents[] = { "evidence_consistent", "records_match", "evidence_unreadable", "evidence_inconsistent",
		"evidence_forged", "clearer_screenshot", "other_transaction", "operator_email" };
	int is_face = strcmp(route, "face") == 0;

	for (size_t i = 0; i < sizeof face / sizeof face[0]; i++)
		if (strcmp(reason, face[i]) == 0)
			return is_face;
	for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++)
		if (strcmp(reason, documents[i]) == 0)
			return !is_face;
	return 1;
}

int
h_review_decision(struct req *r)
{
	struct app *a = r->app;
	uint64_t id = param_id(r), account, claimer, first;
	const char *decision = field(r, "decision"), *reason = field(r, "reason");
	const char *list = strcmp(decision, "approve") == 0 ? a->cfg.review_reasons_approve
	    : strcmp(decision, "reject") == 0 ? a->cfg.review_reasons_reject : a->cfg.review_reasons_more_info;
	struct dbrows rows;
	char route[16], status[24], identity[16], who[40], first_decision[16];
	long long cents;
	int rc, active;

	if ((rc = need_role(r, ROLE_REVIEWER | ROLE_SENIOR)) != RK_OK)
		return rc;
	if (!in_csv(list, reason))
		return http_fail(r, SP_REASON_INVALID);
	if (strcmp(decision, "approve") != 0 && field(r, "note_user")[0] == '\0')
		return http_fail(r, SP_NOTE_USER_REQUIRED);
	/* the case row is locked: two decisions racing are taken one after the other, and the second sees the first */
	if ((rc = db_query(a->db, STMT_REVIEW_CASE_LOCK, DBARGS(DB_I(a->cfg.review_claim_minutes), DB_I(id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CASE);
	}
	account = (uint64_t)db_cell_ll(&rows, 0, 1);
	snprintf(route, sizeof route, "%s", db_cell(&rows, 0, 2, NULL));
	snprintf(status, sizeof status, "%s", db_cell(&rows, 0, 3, NULL));
	claimer = (uint64_t)db_cell_ll(&rows, 0, 4);
	active = db_cell_ll(&rows, 0, 5) == 1;
	first = (uint64_t)db_cell_ll(&rows, 0, 6);
	cents = db_cell_ll(&rows, 0, 7);
	snprintf(identity, sizeof identity, "%s", db_cell(&rows, 0, 8, NULL));
	snprintf(first_decision, sizeof first_decision, "%s", db_cell(&rows, 0, 9, NULL));
	db_rows_free(&rows);
	if (!reviewable(status))
		return http_fail(r, SP_NOT_IN_REVIEW);
	if (claimer != r->rev.id || !active)
		return http_fail(r, SP_CLAIM_REQUIRED_DECIDE);
	if (!reason_fits(reason, route))
		return http_fail(r, SP_REASON_INVALID);
	if (strcmp(status, "disputed") == 0)
		return disputed(r, id, account, decision, first, first_decision);
	if (strcmp(decision, "approve") == 0)
		return approve(r, id, account, route, cents, identity, first);
	if (strcmp(decision, "more_info") == 0)
		return more_info(r, id, account);
	actor(r, who, sizeof who);
	if ((rc = record(r, id, "reject", 1)) != RK_OK || (rc = cases_reject(r, id, account, reason, field(r, "note_user"), who)) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", "rejected"));
	return RK_OK;
}

/* ---- rekeyctl reviewer add|disable|enable|roles|list ---- */
