/* api/reset.c -- "How to reset when all passkeys are unavailable" (seed,
 * second half): instructions + I agree -> email and password (or forgot
 * password) -> email code -> information verification chosen by the core's
 * decision table: Case 1 security questions about the account's real
 * history (4 questions, 3 attempts), Case 2 face verification, Case 3
 * documents. A reset case records it all; one open case per account.
 * The flow is signed out: it belongs to the browser holding its cookie. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"
#include "../../wasm/b64url.h"
#include "../../wasm/flow.h"

/* ---- Case 1: questions about the account's real history ---- */

/* ---- routes ---- */

static json_t *
instructions(const struct app *a)
{
	char after[200];

	/* seed: step 2, the reset instructions */
	config_expand(&a->cfg, "After the reset, every passkey is removed, every session is signed out, and withdrawals are held for {hold}.",
	    after, sizeof after);
	return json_pack("[s,s,s,s,s]",
	    "Use this only if none of your passkeys can be used.",
	    "We will ask for your email address and password, then for a code sent to your email.",
	    "Then we verify that the account is yours: security questions about your account's history, face verification, or documents that our team reviews.",
	    after, a->cfg.operator_name[0] ? "Bind a new passkey right after the reset so the account is protected again." : "");
}

static int
answer_state(struct req *r, struct rflow *f, int status, json_t *extra)
{
	const struct config *c = &r->app->cfg;
	/* the review's deadline by route, so that "under review" can say it (issue #16) */
	json_t *o = json_pack("{s:I,s:s,s:{s:i,s:i,s:i}}", "id", (json_int_t)f->id, "state", f->state, "review_hours",
	    "face", c->review_sla_face_hours, "documents", c->review_sla_documents_hours, "questions_failed", c->review_sla_questions_failed_hours);
	if (extra) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	http_json(r, status, o);
	return RK_OK;
}

int
h_reset_start(struct req *r)
{
	struct app *a = r->app;
	const char *entry = r->in && json_object_get(r->in, "entry") ? json_string_value(json_object_get(r->in, "entry")) : "direct";
	unsigned char bh[32];
	char token[64];
	uint64_t id = 0;
	int rc;

	if ((rc = rate_anon(r)) != RK_OK)
		return rc;
	keys_token_new(a->keys.link, BROWSER_DOMAIN, token, sizeof token, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_INSERT, DBARGS(DB_B(bh, 32), DB_S(entry), DB_I(a->cfg.reset_flow_seconds)), NULL, &id)) != RK_OK)
		return rc;
	r->flow_started = FLOW_RESET_PASSKEYS + 1; /* counted once committed (routes.c) */
	resetflow_set_cookie(r, token);
	http_json(r, 201, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "state", "instructions", "entry", entry,
	    "instructions", instructions(a)));
	return RK_OK;
}

int
h_reset_get(struct req *r)
{
	struct rflow f;
	int found, rc = resetflow_load(r, &f, &found);
	if (rc != RK_OK || !found)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:b}", "password_confirmed", f.password_confirmed));
}

int
h_reset_agree(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	int usable, rc, moved;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	flow_facts_default(&facts);
	facts.agreed = json_is_true(json_object_get(r->in, "agree")); /* seed: step 2, "I Agree" ticked */
	if ((rc = resetflow_move(r, &f, "agree", &facts, &moved)) != RK_OK || !moved)
		return rc;
	return answer_state(r, &f, 200, NULL);
}

static int
send_reset_code(struct req *r, struct rflow *f, int *throttled)
{
	char bound[48];
	snprintf(bound, sizeof bound, "reset_flow:%llu", (unsigned long long)f->id);
	return codes_issue(r->app, f->account, "reset_passkeys", bound, "email", f->email, throttled);
}

/* "Send a new code" on the email-code step (#16): the flow's code again, the
 * old one retired. A flow whose credentials matched no account answers the
 * same after the same wait, so the answer names no account; one code per
 * flow per code_resend_seconds either way. */
int
h_reset_email_resend(struct req *r)
{
	struct rflow f;
	int usable, rc, allowed, throttled = 0;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "email_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* the window opened when the credentials step answered, for every flow alike */
	if ((allowed = rate_hit(r->app, "reset:resend", &f.id, sizeof f.id, 1, r->app->cfg.code_resend_seconds)) < 0)
		return allowed;
	if (!allowed)
		return http_fail(r, SP_RESEND_TOO_SOON);
	if (f.has_account && (rc = send_reset_code(r, &f, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	http_json(r, 202, json_pack("{s:b,s:i,s:i}", "sent", 1, "expires_in", r->app->cfg.code_seconds,
	    "resend_after", r->app->cfg.code_resend_seconds));
	return RK_OK;
}

/* seed: step 3. Unknown email, wrong password and a frozen account get the
 * same answer after the same work; only a real match gets a code. */
static int
credentials(struct req *r, int forgot)
{
	struct app *a = r->app;
	struct rflow f;
	struct flow_facts facts;
	struct account_login l;
	char email[256];
	const char *pw = forgot ? NULL : json_string_value(json_object_get(r->in, "password"));
	int usable, rc, moved, match = 0, ok_email, ok_ip, throttled = 0;
	uint64_t account = 0;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "credentials") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	account_email_normalize(email);
	if ((ok_email = rate_hit(a, "reset:email", email, strlen(email), a->cfg.signin_limit_account, a->cfg.signin_window_seconds)) < 0)
		return ok_email;
	if ((ok_ip = rate_hit(a, "reset:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return ok_ip;
	if (!ok_email || !ok_ip)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if ((rc = account_find(a, email, &l)) != RK_OK)
		return rc;
	account = l.id;
	/* a frozen account regains access by documents only: no password route
	 * (account_password_ok never matches it); without the password, the
	 * email alone identifies the account and the reset goes to documents */
	match = forgot ? l.found : account_password_ok(a, &l, pw);
	if ((rc = db_exec(a->db, STMT_RFLOW_IDENTIFY, DBARGS(DB_S(email), match ? DB_I(account) : DB_NULL, DB_I(!forgot && match),
	    DB_I(f.id)), NULL, NULL)) != RK_OK)
		return rc;
	f.has_account = match;
	f.account = account;
	snprintf(f.email, sizeof f.email, "%s", email);
	flow_facts_default(&facts);
	if ((rc = resetflow_move(r, &f, forgot ? "forgot_password" : "credentials_ok", &facts, &moved)) != RK_OK || !moved)
		return rc;
	if (match && (rc = send_reset_code(r, &f, &throttled)) != RK_OK)
		return rc;
	/* a new code may be asked for after code_resend_seconds, matched or not */
	if ((rc = rate_hit(a, "reset:resend", &f.id, sizeof f.id, 1, a->cfg.code_resend_seconds)) < 0)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:s,s:b}", "message",
	    forgot ? "If an account uses this email, we sent it a code. Without the password, the reset goes to a review of your documents."
		   : "If the email and password match an account, we sent a code to that email.",
	    "document_review", forgot));
}

int
h_reset_credentials(struct req *r)
{
	return credentials(r, 0);
}

int
h_reset_forgot(struct req *r)
{
	return credentials(r, 1);
}

/* After the email code: the decision table picks the case. EVENT is
 * "decide", "submit_documents" (the user chose documents) or
 * "skip_recovery_code" (the user has no saved code at hand: the table
 * again, without the recovery-code row). */
static int
route(struct req *r, struct rflow *f, const char *event)
{
	int chose_documents = strcmp(event, "submit_documents") == 0;
	struct app *a = r->app;
	struct flow_facts facts;
	int rc, moved, attempts = 0, created = 0;
	unsigned row = 0;
	const char *rname;
	char detail[160];

	/* the case first (its question attempts are facts of the table) */
	if ((rc = resetflow_case_for(r, f, "questions", &attempts, &created)) != RK_OK)
		return rc;
	if ((rc = resetflow_facts(r, f, attempts, &facts)) != RK_OK)
		return rc;
	facts.chose_documents = (unsigned char)chose_documents;
	if (strcmp(event, "skip_recovery_code") == 0)
		facts.recovery_codes = 0;
	rname = flow_route_name(flow_reset_route(&facts, &row));
	if ((rc = resetflow_plan(r, f, event, &facts, &moved)) != RK_OK || !moved ||
	    (rc = resetflow_save(r, f)) != RK_OK || r->status != 0)
		return rc;
	if ((rc = db_exec(a->db, STMT_CASE_ROUTE, DBARGS(DB_S(rname), DB_S(resetflow_route_status(rname)), DB_I(row), DB_I(f->case_id)),
	    NULL, NULL)) != RK_OK)
		return rc;
	snprintf(detail, sizeof detail, "%s (rule %u)", rname, row);
	if ((rc = cases_event(a, f->case_id, chose_documents ? "documents_chosen" : strcmp(event, "skip_recovery_code") == 0 ?
	    "recovery_code_skipped" : "routed", detail)) != RK_OK)
		return rc;
	return answer_state(r, f, 200, json_pack("{s:s,s:i,s:I,s:i}", "route", rname, "route_rule", row, "case", (json_int_t)f->case_id,
	    "attempts_left", facts.attempts_left));
}

/* A wrong code at a flow step (the email code, a recovery code): one of the
 * flow's STEP_TRIES counted by a conditional UPDATE; the last ends the flow
 * (flow_dead), else WRONG with the tries left. */
static int
wrong_try(struct req *r, struct rflow *f, enum sproblem wrong)
{
	struct flow_facts facts;
	uint64_t aff = 0;
	int rc, moved;

	if ((rc = db_exec(r->app->db, STMT_RFLOW_EMAIL_TRY, DBARGS(DB_I(f->id), DB_I(STEP_TRIES)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1 || f->email_tries + 1 >= STEP_TRIES) {
		flow_facts_default(&facts);
		if ((rc = resetflow_move(r, f, "tries_exhausted", &facts, &moved)) != RK_OK)
			return rc;
		return http_fail(r, SP_FLOW_DEAD_RESET);
	}
	return http_fail_with(r, wrong, json_pack("{s:i}", "tries_left", STEP_TRIES - f->email_tries - 1));
}

int
h_reset_email_code(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	char bound[48];
	int usable, rc, moved, v = 0, left;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "email_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if (f.has_account) {
		snprintf(bound, sizeof bound, "reset_flow:%llu", (unsigned long long)f.id);
		v = codes_verify(r->app, f.account, "reset_passkeys", bound, json_string_value(json_object_get(r->in, "code")), &left);
		if (v < 0 && v != -10)
			return v;
	}
	if (v != 1) /* a blind flow (no match) fails exactly like a wrong code */
		return wrong_try(r, &f, SP_CODE_WRONG_RESET);
	flow_facts_default(&facts);
	if ((rc = resetflow_plan(r, &f, "email_verified", &facts, &moved)) != RK_OK || !moved)
		return rc;
	return route(r, &f, "decide"); /* writes the row once: verified, routed, with its case */
}

int
h_reset_start_questions(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	json_t *qs = NULL;
	int usable, rc, moved;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_case)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((rc = db_query(r->app->db, STMT_CASE_GET, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
		return rc;
	flow_facts_default(&facts);
	facts.attempts_left = (unsigned char)(QUESTION_ATTEMPTS - (int)db_cell_ll(&rows, 0, 4));
	facts.questions_off = (unsigned char)r->app->cfg.questions_off; /* the strict profile shows no question (#18) */
	db_rows_free(&rows);
	/* "start" from the attention page, or "continue" after a wrong attempt */
	if ((rc = resetflow_move(r, &f, strcmp(f.state, "questions_failed") == 0 ? "continue" : "start", &facts, &moved)) != RK_OK || !moved)
		return rc;
	/* an unanswered set of this case is shown again as it is (see qrank()) */
	if ((rc = db_query(r->app->db, STMT_QSET_CURRENT, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1) {
		json_t *stored = json_loads(db_cell(&rows, 0, 1, NULL), 0, NULL);
		db_rows_free(&rows);
		if ((qs = json_incref(json_object_get(stored, "questions"))) == NULL) {
			json_decref(stored);
			return RK_FAIL;
		}
		json_decref(stored);
		return answer_state(r, &f, 200, json_pack("{s:o,s:i}", "questions", qs, "attempts_left", facts.attempts_left));
	}
	db_rows_free(&rows);
	if ((rc = resetflow_questions_new(r, f.account, f.case_id, &qs)) != RK_OK)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:o,s:i}", "questions", qs, "attempts_left", facts.attempts_left));
}

int
h_reset_answers(struct req *r)
{
	struct app *a = r->app;
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	json_t *answers = json_object_get(r->in, "answers"), *stored = NULL, *qs;
	char canon[600] = "", nonce[40];
	unsigned char h[32];
	size_t hl;
	uint64_t set_id, aff = 0;
	int usable, rc, moved, correct, attempts_used;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "questions") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* the current set, locked: parallel submissions queue here and find it answered */
	if ((rc = db_query(a->db, STMT_QSET_CURRENT, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_QUESTIONS_ANSWERED);
	}
	set_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	stored = json_loads(db_cell(&rows, 0, 1, NULL), 0, NULL);
	memcpy(h, db_cell(&rows, 0, 2, &hl), 32);
	db_rows_free(&rows);
	if (stored == NULL || hl != 32)
		return RK_FAIL;
	qs = json_object_get(stored, "questions");
	snprintf(nonce, sizeof nonce, "%s", json_string_value(json_object_get(stored, "nonce")));
	if (json_array_size(answers) != json_array_size(qs)) {
		json_decref(stored);
		return http_fail(r, SP_ANSWERS_INCOMPLETE);
	}
	for (size_t i = 0; i < json_array_size(qs); i++) {
		json_t *sel = json_array_get(answers, i);
		size_t nopt = json_array_size(json_object_get(json_array_get(qs, i), "options"));
		int picked[8] = { 0 }, npicked = 0;
		char part[64] = "";
		for (size_t k = 0; k < json_array_size(sel); k++) {
			json_int_t v = json_integer_value(json_array_get(sel, k));
			if (v < 0 || (size_t)v >= nopt) {
				json_decref(stored);
				return http_fail_field(r, SP_INVALID_FIELD, "answers");
			}
			picked[v] = 1;
		}
		for (size_t k = 0; k < nopt; k++)
			if (picked[k]) {
				snprintf(part + strlen(part), sizeof part - strlen(part), "%s%zu", npicked++ ? "," : "", k);
			}
		if (npicked == 0) {
			json_decref(stored);
			return http_fail(r, SP_ANSWERS_INCOMPLETE);
		}
		snprintf(canon + strlen(canon), sizeof canon - strlen(canon), "%s:%s;",
		    json_string_value(json_object_get(json_array_get(qs, i), "id")), part);
	}
	json_decref(stored);
	{
		unsigned char got[32];
		keys_hash(a->keys.code, nonce, strlen(nonce), canon, strlen(canon), got);
		correct = keys_equal(got, h, 32);
	}
	/* one attempt: the set is consumed and the case's counter moves, each by one conditional UPDATE */
	if ((rc = db_exec(a->db, STMT_QSET_ANSWER, DBARGS(DB_I(set_id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_QUESTIONS_ANSWERED);
	if ((rc = db_exec(a->db, STMT_CASE_ATTEMPT, DBARGS(DB_I(f.case_id), DB_I(QUESTION_ATTEMPTS)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail_core(r, 409, PROB_FLOW_NO_ATTEMPTS, NULL);
	if ((rc = db_query(a->db, STMT_CASE_GET, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
		return rc;
	attempts_used = (int)db_cell_ll(&rows, 0, 4);
	db_rows_free(&rows);
	if ((rc = cases_event(a, f.case_id, correct ? "questions_passed" : "questions_failed", "")) != RK_OK)
		return rc;
	flow_facts_default(&facts);
	if (correct) {
		if ((rc = resetflow_move(r, &f, "answers_correct", &facts, &moved)) != RK_OK || !moved)
			return rc;
		if ((rc = resetflow_reset_account(r, &f, "security_questions")) != RK_OK)
			return rc;
		{
			char csrf[40];
			session_csrf(a, r->sess.token_hash, csrf);
			return answer_state(r, &f, 200, json_pack("{s:b,s:s,s:s}", "reset", 1, "csrf", csrf, "next", "/account/passkeys.html"));
		}
	}
	if ((rc = resetflow_move(r, &f, "answers_wrong", &facts, &moved)) != RK_OK || !moved)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:b,s:i}", "reset", 0, "attempts_left", QUESTION_ATTEMPTS - attempts_used));
}

int
h_reset_documents(struct req *r)
{
	struct rflow f;
	int usable, rc;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_case || (strcmp(f.state, "questions_failed") != 0 && strcmp(f.state, "questions_attention") != 0))
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	return route(r, &f, "submit_documents");
}

/* "I don't have my recovery codes": the decision table's cases instead. */
int
h_reset_recovery_skip(struct req *r)
{
	struct rflow f;
	int usable, rc;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_case || strcmp(f.state, "recovery_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	return route(r, &f, "skip_recovery_code");
}

/* Issue #17: after email + password + email code, a saved recovery code
 * completes the reset in one transaction, as Case 1's answers do; the code
 * is spent (one conditional UPDATE: of parallel uses one wins) and a new set
 * is made at once (NIST SP 800-63B-4 §4.2.1: the used set is void). A wrong
 * code costs one of the flow's tries and one of the account's, over every
 * flow, per sign-in window. */
int
h_reset_recovery_code(struct req *r)
{
	struct app *a = r->app;
	struct rflow f;
	struct flow_facts facts;
	char codes[RECOVERY_CODES][RECOVERY_CODE_TEXT], created[32], csrf[40];
	int usable, rc, moved, ok, allowed;
	json_t *list;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_account || !f.has_case || strcmp(f.state, "recovery_code") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((allowed = rate_hit(a, "recovery:account", &f.account, sizeof f.account, RECOVERY_TRIES_ACCOUNT,
	    a->cfg.signin_window_seconds)) < 0)
		return allowed;
	if (!allowed)
		return http_fail(r, SP_TOO_MANY_CODES);
	if ((ok = recovery_use(a, f.account, json_string_value(json_object_get(r->in, "code")))) < 0)
		return ok;
	if (!ok) {
		if ((rc = audit_append(a, f.account, "recovery_code_wrong", "account", r->ip, json_pack("{s:I}", "flow", (json_int_t)f.id))) != RK_OK)
			return rc;
		return wrong_try(r, &f, SP_RECOVERY_CODE_WRONG);
	}
	flow_facts_default(&facts);
	if ((rc = resetflow_move(r, &f, "recovery_code_correct", &facts, &moved)) != RK_OK || !moved)
		return rc;
	if ((rc = cases_event(a, f.case_id, "recovery_code_used", "")) != RK_OK ||
	    (rc = audit_append(a, f.account, "recovery_code_used", "account", r->ip, json_pack("{s:I}", "case", (json_int_t)f.case_id))) != RK_OK ||
	    (rc = resetflow_reset_account(r, &f, "recovery_code")) != RK_OK ||
	    (rc = recovery_make(a, f.account, codes, created)) != RK_OK ||
	    (rc = audit_append(a, f.account, "recovery_codes_made", "account", r->ip, json_pack("{s:s}", "after", "recovery_code_used"))) != RK_OK ||
	    (rc = mail_notice(a, r, f.account, NOTICE_RECOVERY_CODE_USED, NULL)) != RK_OK)
		return rc;
	list = json_array();
	for (int i = 0; i < RECOVERY_CODES; i++)
		json_array_append_new(list, json_string(codes[i]));
	sodium_memzero(codes, sizeof codes);
	session_csrf(a, r->sess.token_hash, csrf);
	return answer_state(r, &f, 200, json_pack("{s:b,s:s,s:s,s:{s:o,s:s}}", "reset", 1, "csrf", csrf, "next", "/account/passkeys.html",
	    "recovery_codes", "codes", list, "created_at", created));
}

/* The user's case page, by the private link from the mail, or signed in. */
int
h_case_status(struct req *r)
{
	const char *token = http_query(r, "token");
	unsigned char th[32];
	struct dbrows rows, ev;
	json_t *timeline = json_array(), *out;
	uint64_t id;
	int rc;

	/* no link: the signed-in holder's open case (#23: the header's "My case") */
	if (token == NULL && r->has_session && r->sess.full)
		rc = db_query(r->app->db, STMT_CASE_OPEN_OF_ACCOUNT, DBARGS(DB_I(r->sess.account_id)), &rows);
	else if (token == NULL || keys_token_hash(r->app->keys.link, "case-status", token, th) != 0) {
		json_decref(timeline);
		return http_fail(r, SP_NOT_FOUND_CASE);
	} else
		rc = db_query(r->app->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &rows);
	if (rc != RK_OK) {
		json_decref(timeline);
		return rc;
	}
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		json_decref(timeline);
		return http_fail(r, SP_NOT_FOUND_CASE);
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	if ((rc = db_query(r->app->db, STMT_CASE_EVENTS, DBARGS(DB_I(id)), &ev)) != RK_OK) {
		db_rows_free(&rows);
		json_decref(timeline);
		return rc;
	}
	for (unsigned i = 0; i < ev.nrows; i++) {
		if (strcmp(db_cell(&ev, i, 1, NULL), "first_approval") == 0)
			continue; /* four-eyes: the first approval alone changes nothing for the user */
		json_array_append_new(timeline, json_pack("{s:s,s:s,s:s}", "at", db_cell(&ev, i, 0, NULL), "event", db_cell(&ev, i, 1, NULL),
		    "detail", db_cell(&ev, i, 2, NULL)));
	}
	db_rows_free(&ev);
	out = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s,s:o}", "case", (json_int_t)id, "route", db_cell(&rows, 0, 1, NULL),
	    "status", db_cell(&rows, 0, 2, NULL), "attempts_left", QUESTION_ATTEMPTS - (int)db_cell_ll(&rows, 0, 3),
	    "created_at", db_cell(&rows, 0, 4, NULL), "updated_at", db_cell(&rows, 0, 5, NULL), "timeline", timeline);
	if (strcmp(db_cell(&rows, 0, 2, NULL), "needs_more_info") == 0)
		json_object_set_new(out, "more_info_expires_at", json_string(db_cell(&rows, 0, 6, NULL)));
	db_rows_free(&rows);
	http_json(r, 200, out);
	return RK_OK;
}

/* seed: Case 3 -- both screenshots, then the case goes to review. */
int
h_reset_submit_evidence(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	int usable, rc, moved, emails, txs, faces, face, queued = 0, total, more, base = 0;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_case)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((rc = db_query(r->app->db, STMT_EVIDENCE_COUNT, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
		return rc;
	total = (int)db_cell_ll(&rows, 0, 0);
	emails = (int)db_cell_ll(&rows, 0, 2);
	txs = (int)db_cell_ll(&rows, 0, 3);
	faces = (int)db_cell_ll(&rows, 0, 4);
	db_rows_free(&rows);
	face = strcmp(f.state, "face") == 0;
	more = strcmp(f.state, "needs_more_info") == 0;
	if (more) {
		/* the reviewer asked for something: at least one new file */
		if ((rc = db_query(r->app->db, STMT_CASE_MORE_INFO_BASE, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
			return rc;
		base = (int)db_cell_ll(&rows, 0, 0);
		face = strcmp(db_cell(&rows, 0, 1, NULL), "face") == 0;
		db_rows_free(&rows);
		if (total <= base)
			return http_fail(r, SP_EVIDENCE_INCOMPLETE);
	} else if (face) {
		/* Case 2 with the manual provider: three good frames, then the review console */
		if (faces < r->app->cfg.face_frames)
			return http_fail(r, SP_EVIDENCE_INCOMPLETE_FACE);
	} else if (emails < 1 || txs < 1)
		return http_fail(r, SP_EVIDENCE_INCOMPLETE_DOCUMENTS);
	flow_facts_default(&facts);
	if ((rc = resetflow_move(r, &f, "evidence_submitted", &facts, &moved)) != RK_OK || !moved)
		return rc;
	if ((rc = db_exec(r->app->db, STMT_CASE_SUBMITTED, DBARGS(DB_I(f.case_id)), NULL, NULL)) != RK_OK ||
	    (rc = cases_event(r->app, f.case_id, more ? "more_info_submitted" : "evidence_submitted", "")) != RK_OK ||
	    (face && !more && (rc = face_queue(r->app, f.case_id, &queued)) != RK_OK) ||
	    (rc = audit_append(r->app, f.account, "reset_evidence_submitted", "account", r->ip,
	    json_pack("{s:I}", "case", (json_int_t)f.case_id))) != RK_OK ||
	    (rc = mail_notice_as(r->app, r, f.account, face ? NOTICE_CASE_REVIEW_FACE : NOTICE_CASE_REVIEW_DOCUMENTS,
	    face && queued ? "mail.review.pictures_provider.body" : NULL, NULL, NULL)) != RK_OK)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:s}", "case_status", "under_review"));
}

/* seed: Case 2 "Continue on phone" -- a QR code for a single-use link that
 * expires in 10 minutes and carries no session. */
#define HANDOFF_DOMAIN "face-handoff"

int
h_reset_handoff_create(struct req *r)
{
	struct app *a = r->app;
	struct rflow f;
	struct dbrows rows;
	unsigned char th[32];
	char token[64], url[512], *svg;
	uint64_t hid = 0;
	int usable, rc;

	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (strcmp(f.state, "face") != 0)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	keys_token_new(a->keys.link, HANDOFF_DOMAIN, token, sizeof token, th);
	if ((rc = db_exec(a->db, STMT_HANDOFF_INSERT, DBARGS(DB_I(f.id), DB_B(th, 32), DB_I(a->cfg.handoff_seconds)), NULL, &hid)) != RK_OK ||
	    (rc = db_query(a->db, STMT_HANDOFF_EXPIRES, DBARGS(DB_I(hid)), &rows)) != RK_OK)
		return rc;
	snprintf(url, sizeof url, "%s/reset.html?handoff=%s", a->cfg.origin, token);
	if ((svg = qr_svg(url, "QR code to continue on your phone")) == NULL) {
		db_rows_free(&rows);
		return RK_FAIL;
	}
	if ((rc = audit_append(a, f.account, "reset_face_handoff_created", "account", r->ip,
	    json_pack("{s:I}", "flow", (json_int_t)f.id))) != RK_OK) {
		free(svg);
		db_rows_free(&rows);
		return rc;
	}
	http_json(r, 201, json_pack("{s:s,s:s,s:s}", "url", url, "qr_svg", svg, "expires_at", db_cell(&rows, 0, 0, NULL)));
	free(svg);
	db_rows_free(&rows);
	return RK_OK;
}

int
h_reset_handoff_claim(struct req *r)
{
	struct app *a = r->app;
	const char *token = json_string_value(json_object_get(r->in, "token"));
	unsigned char th[32], bh[32];
	char btoken[64];
	struct dbrows rows;
	uint64_t flow, account, used = 0, moved = 0;
	int was_used, expired, in_face;
	int rc;

	/* the token cannot be guessed, but nobody gets to try at volume either */
	if ((rc = rate_hit(a, "handoff:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if (keys_token_hash(a->keys.link, HANDOFF_DOMAIN, token, th) != 0)
		return http_fail(r, SP_NOT_FOUND_LINK);
	if ((rc = db_query(a->db, STMT_HANDOFF_GET, DBARGS(DB_B(th, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_LINK);
	}
	flow = (uint64_t)db_cell_ll(&rows, 0, 0);
	was_used = db_cell_ll(&rows, 0, 1) == 1;
	expired = db_cell_ll(&rows, 0, 2) == 1;
	in_face = strcmp(db_cell(&rows, 0, 3, NULL), "face") == 0;
	account = (uint64_t)db_cell_ll(&rows, 0, 4);
	db_rows_free(&rows);
	if (was_used)
		return http_fail(r, SP_LINK_USED_HANDOFF);
	if (expired)
		return http_fail(r, SP_LINK_EXPIRED_HANDOFF);
	if (!in_face)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* one use, even when two phones race: the conditional UPDATE decides */
	if ((rc = db_exec(a->db, STMT_HANDOFF_USE, DBARGS(DB_B(th, 32)), &used, NULL)) != RK_OK)
		return rc;
	if (used != 1)
		return http_fail(r, SP_LINK_USED_HANDOFF);
	keys_token_new(a->keys.link, BROWSER_DOMAIN, btoken, sizeof btoken, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_REBIND, DBARGS(DB_B(bh, 32), DB_I(flow)), &moved, NULL)) != RK_OK)
		return rc;
	if (moved != 1)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* the flow has moved: any other link made for it is spent too */
	if ((rc = db_exec(a->db, STMT_HANDOFF_CLOSE_OTHERS, DBARGS(DB_I(flow)), NULL, NULL)) != RK_OK)
		return rc;
	if ((rc = audit_append(a, account, "reset_face_handoff_claimed", "account", r->ip,
	    json_pack("{s:I}", "flow", (json_int_t)flow))) != RK_OK)
		return rc;
	resetflow_set_cookie(r, btoken);
	http_json(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)flow, "state", "face"));
	return RK_OK;
}

/* The link in "more information needed" (api/review.c): the case's reset flow
 * moves to this browser, which can then upload what was asked for. The link
 * works until it expires or the answer is sent. */
int
h_reset_more_info_claim(struct req *r)
{
	struct app *a = r->app;
	const char *token = json_string_value(json_object_get(r->in, "token"));
	unsigned char th[32], bh[32];
	char btoken[64];
	struct dbrows rows;
	uint64_t flow, account, case_id, moved = 0;
	int rc, waiting, expired, no_flow, face;
	char state[32], asked[1000] = "";

	if ((rc = rate_hit(a, "more-info:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if (keys_token_hash(a->keys.link, MORE_INFO_DOMAIN, token, th) != 0)
		return http_fail(r, SP_NOT_FOUND_LINK);
	if ((rc = db_query(a->db, STMT_MORE_INFO_GET, DBARGS(DB_B(th, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_LINK);
	}
	/* a reviewer's request, or evidence not sent yet (the case page's "continue") */
	waiting = strcmp(db_cell(&rows, 0, 1, NULL), "needs_more_info") == 0 || strcmp(db_cell(&rows, 0, 1, NULL), "awaiting_evidence") == 0;
	expired = db_cell_ll(&rows, 0, 2) == 1;
	snprintf(state, sizeof state, "%s", db_cell(&rows, 0, 6, NULL));
	case_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	account = (uint64_t)db_cell_ll(&rows, 0, 3);
	no_flow = db_cell_null(&rows, 0, 4);
	flow = no_flow ? 0 : (uint64_t)db_cell_ll(&rows, 0, 4);
	face = strcmp(db_cell(&rows, 0, 5, NULL), "face") == 0;
	db_rows_free(&rows);
	if (!waiting)
		return http_fail(r, SP_LINK_USED_ANSWERED);
	if (expired)
		return http_fail(r, SP_LINK_EXPIRED_RESET);
	if (no_flow)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	keys_token_new(a->keys.link, BROWSER_DOMAIN, btoken, sizeof btoken, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_REBIND_MORE, DBARGS(DB_B(bh, 32), DB_I(flow)), &moved, NULL)) != RK_OK)
		return rc;
	if (moved != 1)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	if ((rc = audit_append(a, account, "reset_more_info_link_used", "account", r->ip, json_pack("{s:I}", "flow", (json_int_t)flow))) != RK_OK)
		return rc;
	/* what the reviewer asked for, so that the upload page can say it (#16): the latest request */
	if ((rc = db_query(a->db, STMT_CASE_EVENTS, DBARGS(DB_I(case_id)), &rows)) != RK_OK)
		return rc;
	for (unsigned i = 0; i < rows.nrows; i++)
		if (strcmp(db_cell(&rows, i, 1, NULL), "more_info_requested") == 0)
			snprintf(asked, sizeof asked, "%s", db_cell(&rows, i, 2, NULL));
	db_rows_free(&rows);
	resetflow_set_cookie(r, btoken);
	http_json(r, 200, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)flow, "state", state, "route", face ? "face" : "documents",
	    "asked", asked));
	return RK_OK;
}

/* From the case page (its private link): a fresh upload link while the
 * reviewer's request is open (the one mailed before stops working), or
 * while the evidence has not been sent yet (the reset tab was closed). */
int
h_case_upload_link(struct req *r)
{
	struct app *a = r->app;
	const char *token = json_string_value(json_object_get(r->in, "token"));
	unsigned char th[32], mh[32];
	char more[64], url[400], expires[40];
	struct dbrows rows;
	uint64_t id, account, aff = 0;
	int rc, waiting, unsent;

	if ((rc = rate_hit(a, "case-link:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_fail(r, SP_TOO_MANY_ATTEMPTS);
	if (keys_token_hash(a->keys.link, "case-status", token, th) != 0)
		return http_fail(r, SP_NOT_FOUND_CASE);
	if ((rc = db_query(a->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CASE);
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	waiting = strcmp(db_cell(&rows, 0, 2, NULL), "needs_more_info") == 0;
	unsent = strcmp(db_cell(&rows, 0, 2, NULL), "awaiting_evidence") == 0;
	snprintf(expires, sizeof expires, "%s", db_cell(&rows, 0, 6, NULL));
	account = (uint64_t)db_cell_ll(&rows, 0, 7);
	db_rows_free(&rows);
	if (!waiting && !unsent)
		return http_fail(r, SP_NOT_WAITING);
	keys_token_new(a->keys.link, MORE_INFO_DOMAIN, more, sizeof more, mh);
	if ((rc = unsent ? db_exec(a->db, STMT_CASE_RESUME_LINK, DBARGS(DB_B(mh, 32), DB_I(a->cfg.more_info_hours), DB_I(id)), &aff, NULL)
	    : db_exec(a->db, STMT_CASE_MORE_INFO_REKEY, DBARGS(DB_B(mh, 32), DB_I(id)), &aff, NULL)) != RK_OK)
		return rc;
	if (unsent && aff == 1) {
		struct dbrows x;
		if ((rc = db_query(a->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &x)) != RK_OK)
			return rc;
		snprintf(expires, sizeof expires, "%s", x.nrows ? db_cell(&x, 0, 6, NULL) : "");
		db_rows_free(&x);
	}
	if (aff != 1)
		return http_fail(r, SP_LINK_EXPIRED_MORE_INFO);
	if ((rc = audit_append(a, account, "reset_more_info_link_renewed", "account", r->ip, json_pack("{s:I}", "case", (json_int_t)id))) != RK_OK)
		return rc;
	snprintf(url, sizeof url, "%s/reset.html?more=%s", a->cfg.origin, more);
	http_json(r, 200, json_pack("{s:s,s:s}", "url", url, "expires_at", expires));
	return RK_OK;
}
