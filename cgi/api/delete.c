/* api/delete.c -- "How to delete an unusable passkey?" (seed, first half):
 * confirm -> email code -> a second, different factor (another passkey, SMS
 * or TOTP; switch method; or "security verification unavailable") -> the
 * passkey is deleted, withdrawals are held, the holder is told, with a "this
 * was not me" link that undoes it (#18, store/dispute.c). The states, events and
 * guards are the core's delete_passkey table; the server enforces them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../../wasm/b64url.h"
#include "../../wasm/flow.h"

#define STEP_TRIES 5 /* code and TOTP tries per step, then the flow is dead */

struct dflow {
	uint64_t id, passkey;
	char state[32];
	int email_tries, factor_tries, expired;
	char expires_at[40];
};

/* The caller's flow: another account's or another session's is not found. */
static int
flow_load(struct req *r, struct dflow *f, int *found)
{
	struct dbrows rows;
	uint64_t id = strtoull(r->param, NULL, 10);
	int rc = db_query(r->app->db, STMT_DFLOW_GET, DBARGS(DB_I(id), DB_I(r->sess.account_id), DB_I(r->sess.id)), &rows);

	*found = 0;
	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 1) {
		f->id = id;
		f->passkey = (uint64_t)db_cell_ll(&rows, 0, 1);
		snprintf(f->state, sizeof f->state, "%s", db_cell(&rows, 0, 2, NULL));
		f->email_tries = (int)db_cell_ll(&rows, 0, 3);
		f->factor_tries = (int)db_cell_ll(&rows, 0, 4);
		f->expired = db_cell_ll(&rows, 0, 5) == 1;
		snprintf(f->expires_at, sizeof f->expires_at, "%s", db_cell(&rows, 0, 6, NULL));
		*found = 1;
	}
	db_rows_free(&rows);
	if (!*found)
		return http_fail(r, SP_NOT_FOUND_DELETION);
	return RK_OK;
}

static int
flow_move(struct req *r, struct dflow *f, const char *event, const struct flow_facts *facts, int *moved)
{
	return flowrow_move(r, FLOW_DELETE_PASSKEY, STMT_DFLOW_MOVE, f->id, f->state, sizeof f->state, event, facts, moved);
}

/* Loads the flow for an action: expired flows become "expired", finished
 * ones answer 410. */
static int
flow_open(struct req *r, struct dflow *f, int *usable)
{
	struct flow_facts facts;
	int found, rc, moved;
	const struct flow_def *d = flow_get(FLOW_DELETE_PASSKEY);

	*usable = 0;
	if ((rc = flow_load(r, f, &found)) != RK_OK || !found)
		return rc;
	if (d->terminal[flow_state_lookup(d, f->state)])
		return http_fail(r, SP_FLOW_FINISHED);
	if (f->expired) {
		flow_facts_default(&facts);
		if ((rc = flow_move(r, f, "expire", &facts, &moved)) != RK_OK)
			return rc;
		http_clear(r);
		return http_fail(r, SP_FLOW_EXPIRED);
	}
	*usable = 1;
	return RK_OK;
}

/* The security tools this account can use now for step 6, besides email. */
static int
flow_methods(struct req *r, uint64_t except_passkey, json_t **out, int *count)
{
	struct app *a = r->app;
	struct dbrows rows;
	int rc, other = 0, totp = 0;
	json_t *tools = json_object();

	if ((rc = db_query(a->db, STMT_PASSKEY_LIST_IDS, DBARGS(DB_I(r->sess.account_id)), &rows)) != RK_OK)
		goto fail;
	for (unsigned i = 0; i < rows.nrows; i++)
		other += (uint64_t)db_cell_ll(&rows, i, 0) != except_passkey;
	db_rows_free(&rows);
	if ((rc = tools_summary(a, r->sess.account_id, tools)) != RK_OK)
		goto fail;
	totp = json_is_true(json_object_get(tools, "totp"));
	*out = json_array();
	if (other)
		json_array_append_new(*out, json_pack("{s:s,s:i}", "method", "passkey", "count", other));
	if (totp)
		json_array_append_new(*out, json_pack("{s:s}", "method", "totp"));
	/* ASVS 6.6.1: with sms_as_second_factor = off, a phone is no second factor */
	if (json_is_string(json_object_get(tools, "phone")) && !a->cfg.sms_off)
		json_array_append_new(*out, json_pack("{s:s,s:O}", "method", "sms", "phone", json_object_get(tools, "phone")));
	*count = (int)json_array_size(*out);
	json_decref(tools);
	return RK_OK;
fail:
	json_decref(tools);
	return rc;
}

static int
flow_answer(struct req *r, struct dflow *f, int status)
{
	json_t *methods = NULL;
	int n = 0, rc;

	if (strcmp(f->state, "second_factor") == 0 && (rc = flow_methods(r, f->passkey, &methods, &n)) != RK_OK)
		return rc;
	http_json(r, status, json_pack("{s:I,s:s,s:s,s:i,s:i,s:o}", "id", (json_int_t)f->id, "state", f->state,
	    "expires_at", f->expires_at, "email_tries_left", STEP_TRIES - f->email_tries,
	    "factor_tries_left", STEP_TRIES - f->factor_tries, "methods", methods ? methods : json_array()));
	return RK_OK;
}

int
h_delete_start(struct req *r)
{
	char warning[200];
	struct app *a = r->app;
	struct dbrows rows;
	uint64_t pk = strtoull(r->param, NULL, 10), id = 0;
	char name[80];
	int rc = db_query(a->db, STMT_PASSKEY_NAME, DBARGS(DB_I(pk), DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 0) { /* not this account's passkey */
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_PASSKEY);
	}
	snprintf(name, sizeof name, "%s", db_cell(&rows, 0, 0, NULL));
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_DFLOW_INSERT, DBARGS(DB_I(r->sess.account_id), DB_I(r->sess.id), DB_I(pk), DB_I(a->cfg.delete_flow_seconds)), NULL, &id)) != RK_OK)
		return rc;
	r->flow_started = FLOW_DELETE_PASSKEY + 1; /* counted once committed (routes.c) */
	/* seed: step 4, the prompt says what happens */
	config_expand(&a->cfg, "Deleting this passkey makes it stop working for this account at once, and holds withdrawals for {hold}.",
	    warning, sizeof warning);
	http_json(r, 201, json_pack("{s:I,s:s,s:{s:I,s:s},s:i,s:s}", "id", (json_int_t)id, "state", "confirm",
	    "passkey", "id", (json_int_t)pk, "name", name, "hold_hours", a->cfg.hold_hours, "warning", warning));
	return RK_OK;
}

int
h_delete_get(struct req *r)
{
	struct dflow f;
	int found, rc = flow_load(r, &f, &found);

	if (rc != RK_OK || !found)
		return rc;
	return flow_answer(r, &f, 200);
}

static int
send_email_code(struct req *r, struct dflow *f, int *throttled)
{
	char email[256], bound[48];
	int rc = account_email(r->app, r->sess.account_id, email, sizeof email);
	if (rc != RK_OK)
		return rc;
	snprintf(bound, sizeof bound, "delete_flow:%llu", (unsigned long long)f->id);
	return codes_issue(r->app, r->sess.account_id, "delete_passkey", bound, "email", email, throttled);
}

int
h_delete_next(struct req *r)
{
	struct dflow f;
	struct flow_facts facts;
	json_t *methods = NULL;
	int usable, rc, moved, n = 0, throttled, passkeys = 0;

	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	flow_facts_default(&facts);
	/* the last remaining second factor cannot be deleted: bind another first */
	if ((rc = flow_methods(r, f.passkey, &methods, &n)) != RK_OK || (rc = webauthn_count(r->app, r->sess.account_id, &passkeys)) != RK_OK)
		return rc;
	json_decref(methods);
	facts.last_factor = n == 0;
	if ((rc = flow_move(r, &f, "next", &facts, &moved)) != RK_OK || !moved)
		return rc;
	/* seed: step 5, the email verification code */
	if ((rc = send_email_code(r, &f, &throttled)) != RK_OK)
		return rc;
	return flow_answer(r, &f, 200);
}

int
h_delete_email_resend(struct req *r)
{
	struct dflow f;
	int usable, rc, throttled;

	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "email_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((rc = send_email_code(r, &f, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	return flow_answer(r, &f, 202);
}

/* A wrong answer on a step: one try used, atomically; the fifth kills the flow. */
static int
step_failed(struct req *r, struct dflow *f, int email, int *dead)
{
	struct flow_facts facts;
	uint64_t aff = 0;
	int rc, moved;

	*dead = 0;
	if ((rc = db_exec(r->app->db, email ? STMT_DFLOW_EMAIL_TRY : STMT_DFLOW_FACTOR_TRY, DBARGS(DB_I(f->id), DB_I(STEP_TRIES)),
	    &aff, NULL)) != RK_OK)
		return rc;
	if (aff == 1 && (email ? ++f->email_tries : ++f->factor_tries) < STEP_TRIES)
		return RK_OK;
	flow_facts_default(&facts);
	http_clear(r);
	if ((rc = flow_move(r, f, "tries_exhausted", &facts, &moved)) != RK_OK)
		return rc;
	*dead = 1;
	return http_fail(r, SP_FLOW_DEAD);
}

int
h_delete_email_code(struct req *r)
{
	struct dflow f;
	struct flow_facts facts;
	char bound[48];
	int usable, rc, moved, left, dead, v;

	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "email_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	snprintf(bound, sizeof bound, "delete_flow:%llu", (unsigned long long)f.id);
	v = codes_verify(r->app, r->sess.account_id, "delete_passkey", bound, json_string_value(json_object_get(r->in, "code")), &left);
	if (v < 0 && v != -10)
		return v;
	if (v != 1) {
		if ((rc = step_failed(r, &f, 1, &dead)) != RK_OK || dead)
			return rc;
		return http_fail_with(r, v == 0 ? SP_CODE_WRONG_TRIES : SP_CODE_REPLACED, json_pack("{s:i}", "tries_left", STEP_TRIES - f.email_tries));
	}
	flow_facts_default(&facts);
	facts.factor = FACTOR_EMAIL;
	if ((rc = flow_move(r, &f, "email_verified", &facts, &moved)) != RK_OK || !moved)
		return rc;
	return flow_answer(r, &f, 200);
}

int
h_delete_sms(struct req *r)
{
	struct dflow f;
	struct dbrows rows;
	char bound[48], phone[32];
	int usable, rc, throttled;

	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "second_factor") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if (r->app->cfg.sms_off)
		return http_fail(r, SP_METHOD_UNAVAILABLE_SMS);
	if ((rc = db_query(r->app->db, STMT_PHONE_GET, DBARGS(DB_I(r->sess.account_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0 || db_cell_ll(&rows, 0, 1) != 1) {
		db_rows_free(&rows);
		return http_fail(r, SP_METHOD_UNAVAILABLE);
	}
	snprintf(phone, sizeof phone, "%s", db_cell(&rows, 0, 0, NULL));
	db_rows_free(&rows);
	snprintf(bound, sizeof bound, "delete_flow:%llu", (unsigned long long)f.id);
	if ((rc = codes_issue(r->app, r->sess.account_id, "delete_passkey_sms", bound, "sms", phone, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	return flow_answer(r, &f, 202);
}

int
h_delete_passkey_options(struct req *r)
{
	struct dflow f;
	json_t *opts = NULL;
	int usable, rc;

	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "second_factor") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* the passkey being deleted is left out of allowCredentials */
	if ((rc = webauthn_options_except(r, f.passkey, &opts)) != RK_OK)
		return rc;
	http_json(r, 200, opts);
	return RK_OK;
}

/* Did this request's completion finish flow id (its token, schema/028)?
 * *ours: 1 yes, 0 another request finished it, -1 it is not finished. */
static int
finished_by(struct req *r, uint64_t id, int *ours)
{
	struct dbrows rows;
	int rc = db_query(r->app->db, STMT_DFLOW_FINISHED_BY, DBARGS(DB_B(r->confirm.token, sizeof r->confirm.token), DB_I(id)), &rows);

	if (rc != RK_OK)
		return rc;
	*ours = -1;
	if (rows.nrows == 1 && strcmp(db_cell(&rows, 0, 0, NULL), "deleted") == 0)
		*ours = db_cell_ll(&rows, 0, 1) == 1;
	db_rows_free(&rows);
	return RK_OK;
}

static int
deleted_answer(struct req *r, uint64_t id, json_t *hold, int left)
{
	http_json(r, 200, json_pack("{s:I,s:s,s:o,s:b}", "id", (json_int_t)id, "state", "deleted", "withdrawal_hold", hold,
	    "no_passkey_protection", left == 0));
	return RK_OK;
}

/* After the COMMIT of a completion (routes.c): the 200 stands only if the
 * row says this request finished the flow. On Galera another node's
 * write-set can abort a transaction without the error reaching rekeyd; the
 * statements after it then ran in a new transaction, or COMMIT ended an
 * empty one. Finished by another request: the clear 409; not finished at
 * all: the completion runs again. */
static int
finish_confirm(struct req *r)
{
	int rc, ours;

	if ((rc = finished_by(r, r->confirm.id, &ours)) != RK_OK)
		return rc;
	if (ours == 1)
		return RK_OK;
	log_msg("warn", "rekeyd: delete flow %llu: the completion's COMMIT went through but %s; %s",
	    (unsigned long long)r->confirm.id, ours == 0 ? "another request finished the flow" : "the flow is not finished",
	    ours == 0 ? "answered 409" : "run again");
	if (ours == -1)
		return RK_RETRY;
	http_clear(r);
	return http_fail(r, SP_FLOW_FINISHED_CANCEL);
}

/* Completion: one transaction -- the row moves to "deleted" (one winner,
 * marked with this request's token), the passkey is suspended for the
 * dispute window (#18: the sweep deletes it after; the mail's "this was not
 * me" link brings it back), a hold starts (extends, never shortens), the
 * audit row, the mail; the token read back before COMMIT and after it. */
static int
finish(struct req *r, struct dflow *f, const char *factor)
{
	struct app *a = r->app;
	char token[64], name[80], source[48], link_life[80], until[160], factor_words[80], unprotected[300] = "", link[600];
	struct dbrows rows;
	uint64_t aff = 0, n = 0;
	int rc, left = 0, ours;
	enum i18n_lang l;
	json_t *hold = NULL;

	if (r->confirm.id != f->id) { /* one token per request, kept over its tries */
		randombytes_buf(r->confirm.token, sizeof r->confirm.token);
		r->confirm.id = f->id;
	}
	if ((rc = db_query(a->db, STMT_PASSKEY_NAME, DBARGS(DB_I(f->passkey), DB_I(r->sess.account_id)), &rows)) != RK_OK)
		return rc;
	snprintf(name, sizeof name, "%s", rows.nrows ? db_cell(&rows, 0, 0, NULL) : "passkey");
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_DFLOW_FINISH, DBARGS(DB_S(factor), DB_B(r->confirm.token, sizeof r->confirm.token), DB_I(f->id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1) /* a racing completion got there first */
		return http_fail(r, SP_FLOW_FINISHED_CANCEL);
	snprintf(source, sizeof source, "delete_flow:%llu", (unsigned long long)f->id);
	if ((rc = dispute_suspend(a, r->sess.account_id, f->passkey, 0, source, token, sizeof token, &n)) != RK_OK)
		return rc;
	if (n != 1) /* suspended meanwhile, by a reset */
		return http_fail(r, SP_NOT_FOUND_PASSKEY);
	if ((rc = webauthn_count(a, r->sess.account_id, &left)) != RK_OK)
		return rc;
	if (left == 0 && (rc = db_exec(a->db, STMT_ACCOUNT_UNPROTECTED, DBARGS(DB_I(r->sess.account_id)), NULL, NULL)) != RK_OK)
		return rc;
	/* seed: withdrawals disabled for 24 hours after deleting a passkey */
	if ((rc = holds_add(a, r->sess.account_id, "passkey_deleted", source, a->cfg.hold_hours * 3600)) != RK_OK)
		return rc;
	if ((rc = audit_append(a, r->sess.account_id, "passkey_deleted", "account", r->ip,
	    json_pack("{s:I,s:I,s:s,s:s}", "passkey", (json_int_t)f->passkey, "flow", (json_int_t)f->id, "factor", factor,
	    "name", name))) != RK_OK)
		return rc;
	if ((rc = holds_json(a, r->sess.account_id, &hold)) != RK_OK)
		return rc;
	l = mail_lang(a, r->sess.account_id);
	i18n_duration(l, 3600LL * a->cfg.dispute_hours, link_life, sizeof link_life);
	i18n_format(l, strcmp(factor, "passkey") == 0 ? "mail.factor.passkey" : strcmp(factor, "totp") == 0 ? "mail.factor.totp" : "mail.factor.sms",
	    factor_words, sizeof factor_words, NULL);
	if (left == 0)
		i18n_format(l, "mail.passkey_deleted.unprotected", unprotected, sizeof unprotected, NULL);
	snprintf(link, sizeof link, "%s/freeze.html?token=%s", a->cfg.origin, token);
	if ((rc = mail_notice_undo(a, r, r->sess.account_id, NOTICE_PASSKEY_DELETED, (const char *const[]){ "name", name, "factor", factor_words,
	    "until", mail_time(l, json_string_value(json_object_get(hold, "until")), until, sizeof until), "unprotected", unprotected,
	    "link", link, "life", link_life, NULL }, link)) != RK_OK ||
	    (rc = finished_by(r, f->id, &ours)) != RK_OK) {
		json_decref(hold);
		return rc;
	}
	/* still the transaction that won the UPDATE above? If it was aborted
	 * under us, what ran since is another transaction: none of it counts */
	if (ours != 1) {
		json_decref(hold);
		log_msg("warn", "rekeyd: delete flow %llu: the completion's transaction was rolled back under it (no error seen); run again",
		    (unsigned long long)f->id);
		return RK_RETRY;
	}
	r->confirm.fn = finish_confirm;
	return deleted_answer(r, f->id, hold, left);
}

int
h_delete_verify(struct req *r)
{
	struct dflow f;
	struct flow_facts facts;
	const char *method = json_string_value(json_object_get(r->in, "method"));
	const char *code = json_string_value(json_object_get(r->in, "code"));
	json_t *cred = json_object_get(r->in, "response");
	int usable, rc, ok = 0, dead, s, e;
	unsigned to;
	enum problem p;

	/* a try after one whose COMMIT's fate was unknown (a lost connection):
	 * the deletion may be this request's own */
	if (r->confirm.id) {
		int ours, left = 0;
		json_t *hold = NULL;
		if ((rc = finished_by(r, r->confirm.id, &ours)) != RK_OK)
			return rc;
		if (ours == 1) {
			if ((rc = webauthn_count(r->app, r->sess.account_id, &left)) != RK_OK ||
			    (rc = holds_json(r->app, r->sess.account_id, &hold)) != RK_OK)
				return rc;
			return deleted_answer(r, r->confirm.id, hold, left);
		}
	}
	if ((rc = flow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	flow_facts_default(&facts);
	facts.factor = strcmp(method, "passkey") == 0 ? FACTOR_PASSKEY : strcmp(method, "totp") == 0 ? FACTOR_TOTP : FACTOR_SMS;
	facts.sms_off = (unsigned char)r->app->cfg.sms_off; /* the core's guard refuses SMS in the strict profile */
	/* is factor_verified the next step at all? (the table also guards the factor) */
	s = flow_state_lookup(flow_get(FLOW_DELETE_PASSKEY), f.state);
	e = flow_event_lookup(flow_get(FLOW_DELETE_PASSKEY), "factor_verified");
	if ((p = flow_next(FLOW_DELETE_PASSKEY, (unsigned)s, (unsigned)e, &facts, &to)) == PROB_FLOW_NOT_ALLOWED)
		return http_fail_core(r, 409, p, NULL);
	if (p == PROB_FLOW_SMS_OFF) /* before any code is looked at: no try is counted */
		return http_fail_core(r, 400, p, NULL);
	if (strcmp(method, "passkey") == 0) {
		uint64_t pk = 0, account = 0;
		/* a refused assertion is a wrong answer: it counts a try below */
		if ((rc = webauthn_assert(r, cred, &pk, &account, &ok)) != RK_OK && rc != RK_REFUSED)
			return rc;
		/* the passkey being deleted cannot verify its own deletion: the core's guard says so below */
		facts.factor_is_target = ok && pk == f.passkey;
	} else {
		if (strcmp(method, "totp") == 0) {
			if ((rc = tools_totp_check(r->app, r->sess.account_id, code)) < 0)
				return rc;
			ok = rc == 1;
		} else {
			char bound[48];
			int left;
			snprintf(bound, sizeof bound, "delete_flow:%llu", (unsigned long long)f.id);
			if ((rc = codes_verify(r->app, r->sess.account_id, "delete_passkey_sms", bound, code, &left)) < 0 && rc != -10)
				return rc;
			ok = rc == 1;
		}
		if (!ok)
			http_fail(r, SP_CODE_WRONG); /* the answer; the try is counted below */
	}
	if (!ok) {
		if ((rc = step_failed(r, &f, 0, &dead)) != RK_OK || dead)
			return rc;
		if (r->out && json_is_object(json_object_get(r->out, "error")))
			json_object_set_new(json_object_get(r->out, "error"), "tries_left", json_integer(STEP_TRIES - f.factor_tries));
		return RK_REFUSED;
	}
	/* seed: step 6 -- the core's guard: a different factor than the email code, not the passkey itself */
	if ((p = flow_next(FLOW_DELETE_PASSKEY, (unsigned)s, (unsigned)e, &facts, &to)) != PROB_OK)
		return http_fail_core(r, 400, p, NULL);
	return finish(r, &f, method);
}

/* Opens the caller's flow and moves it by an event without facts. */
static int
open_and_move(struct req *r, struct dflow *f, const char *event)
{
	struct flow_facts facts;
	int usable, rc, moved;

	if ((rc = flow_open(r, f, &usable)) != RK_OK || !usable)
		return rc;
	flow_facts_default(&facts);
	return flow_move(r, f, event, &facts, &moved); /* not moved: RK_REFUSED, the 409 in r */
}

int
h_delete_unavailable(struct req *r)
{
	struct dflow f;
	int rc;

	/* seed: "Security verification unavailable" leads to the reset; nothing is deleted */
	if ((rc = open_and_move(r, &f, "verification_unavailable")) != RK_OK)
		return rc;
	if ((rc = audit_append(r->app, r->sess.account_id, "delete_flow_to_reset", "account", r->ip,
	    json_pack("{s:I,s:I}", "flow", (json_int_t)f.id, "passkey", (json_int_t)f.passkey))) != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)f.id, "state", f.state, "next", "/reset.html?from=delete_passkey"));
	return RK_OK;
}

int
h_delete_cancel(struct req *r)
{
	struct dflow f;
	int rc;

	if ((rc = open_and_move(r, &f, "cancel")) != RK_OK)
		return rc;
	return flow_answer(r, &f, 200);
}
