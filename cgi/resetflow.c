/* resetflow.c -- "How to reset when all passkeys are unavailable" (seed,
 * second half): instructions + I agree -> email and password (or forgot
 * password) -> email code -> information verification chosen by the core's
 * decision table: Case 1 security questions about the account's real
 * history (4 questions, 3 attempts), Case 2 face verification, Case 3
 * documents. A reset case records it all; one open case per account.
 * The flow is signed out: it belongs to the browser holding its cookie. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "extern.h"
#include "../wasm/b64url.h"
#include "../wasm/flow.h"

#define RESET_COOKIE "rk_reset"
#define STEP_TRIES 5
#define QUESTION_ATTEMPTS 3 /* seed: Case 1, only 3 attempts */
#define QUESTIONS 4         /* seed: Case 1, 4 questions */

struct rflow {
	uint64_t id, account, case_id;
	int has_account, has_case, password_confirmed, email_tries, expired;
	char state[32], email[256], entry[32];
	char stored[32]; /* the state in the row: rflow_save moves it from there */
};

#define BROWSER_DOMAIN "reset-browser" /* the keyed hash of the flow cookie */
#define MORE_INFO_DOMAIN "more-info"   /* the upload link when a reviewer asks for more */

/* The flow belongs to the browser holding this cookie (start, or the phone's claim). */
static void
set_flow_cookie(struct req *r, const char *token)
{
	http_set_cookie(r, RESET_COOKIE, token, "/api/reset", 3600);
}

static int
rflow_load(struct req *r, struct rflow *f, int *found)
{
	char cookie[64];
	unsigned char bh[32];
	struct dbrows rows;
	int rc;

	*found = 0;
	memset(f, 0, sizeof *f);
	if (http_cookie(r->cookie, RESET_COOKIE, cookie, sizeof cookie) == NULL ||
	    keys_token_hash(r->app->keys.link, BROWSER_DOMAIN, cookie, bh) != 0)
		return http_error(r, 404, "not_found", "No such reset in progress on this browser.");
	if ((rc = db_query(r->app->db, STMT_RFLOW_GET, DBARGS(DB_I(strtoull(r->param, NULL, 10)), DB_B(bh, 32)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 404, "not_found", "No such reset in progress on this browser.");
	}
	f->id = (uint64_t)db_cell_ll(&rows, 0, 0);
	snprintf(f->state, sizeof f->state, "%s", db_cell(&rows, 0, 1, NULL));
	snprintf(f->stored, sizeof f->stored, "%s", f->state);
	if (!db_cell_null(&rows, 0, 2))
		snprintf(f->email, sizeof f->email, "%s", db_cell(&rows, 0, 2, NULL));
	f->has_account = !db_cell_null(&rows, 0, 3);
	f->account = f->has_account ? (uint64_t)db_cell_ll(&rows, 0, 3) : 0;
	f->password_confirmed = db_cell_ll(&rows, 0, 4) == 1;
	f->email_tries = (int)db_cell_ll(&rows, 0, 5);
	f->has_case = !db_cell_null(&rows, 0, 6);
	f->case_id = f->has_case ? (uint64_t)db_cell_ll(&rows, 0, 6) : 0;
	f->expired = db_cell_ll(&rows, 0, 7) == 1;
	snprintf(f->entry, sizeof f->entry, "%s", db_cell(&rows, 0, 8, NULL));
	db_rows_free(&rows);
	*found = 1;
	return DB_OK;
}

static int
rflow_move(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved)
{
	int rc = flowrow_move(r, FLOW_RESET_PASSKEYS, STMT_RFLOW_MOVE, f->id, f->state, sizeof f->state, event, facts, moved);

	if (rc == DB_OK && *moved)
		snprintf(f->stored, sizeof f->stored, "%s", f->state);
	return rc;
}

/* Several steps in one request: each decided by the table in memory
 * (rflow_plan), then the row written once (rflow_save) with its case,
 * by one UPDATE conditional on the state that was read. */
static int
rflow_plan(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved)
{
	return flowrow_plan(r, FLOW_RESET_PASSKEYS, f->state, sizeof f->state, event, facts, moved);
}

static int
rflow_save(struct req *r, struct rflow *f)
{
	uint64_t aff = 0;
	int rc = db_exec(r->app->db, STMT_RFLOW_SAVE, DBARGS(DB_S(f->state), f->has_case ? DB_I(f->case_id) : DB_NULL,
	    DB_I(f->id), DB_S(f->stored)), &aff, NULL);

	if (rc != DB_OK)
		return rc;
	if (aff != 1)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	snprintf(f->stored, sizeof f->stored, "%s", f->state);
	return DB_OK;
}

static int
rflow_open(struct req *r, struct rflow *f, int *usable)
{
	const struct flow_def *d = flow_get(FLOW_RESET_PASSKEYS);
	struct flow_facts facts;
	int found, rc, moved;

	*usable = 0;
	if ((rc = rflow_load(r, f, &found)) != DB_OK || !found)
		return rc;
	if (f->expired && !d->terminal[flow_state_lookup(d, f->state)] && strcmp(f->state, "face") != 0 &&
	    strcmp(f->state, "documents") != 0 && strcmp(f->state, "under_review") != 0 && strcmp(f->state, "needs_more_info") != 0) {
		flow_facts_default(&facts);
		if ((rc = rflow_move(r, f, "expire", &facts, &moved)) != DB_OK)
			return rc;
		http_clear(r);
		return http_error(r, 410, "flow_expired", "This reset took longer than an hour. Start again.");
	}
	*usable = 1;
	return DB_OK;
}

/* The facts the decision table reads, from the account as it is now. */
static int
reset_facts(struct req *r, struct rflow *f, int attempts_used, struct flow_facts *facts)
{
	struct dbrows rows;
	int rc = db_query(r->app->db, STMT_ACCOUNT_RESET_FACTS, DBARGS(DB_I(f->account)), &rows);
	const char *idv;

	if (rc != DB_OK)
		return rc;
	flow_facts_default(facts);
	idv = db_cell(&rows, 0, 0, NULL);
	facts->identity = strcmp(idv, "verified") == 0 ? IDENTITY_VERIFIED : strcmp(idv, "invalid") == 0 ? IDENTITY_INVALID : IDENTITY_UNVERIFIED;
	facts->high_value = db_cell_ll(&rows, 0, 1) >= r->app->cfg.high_value_cents;
	facts->password_confirmed = (unsigned char)f->password_confirmed;
	facts->tool_available = db_cell_ll(&rows, 0, 3) > 0;
	facts->attempts_left = (unsigned char)(attempts_used >= QUESTION_ATTEMPTS ? 0 : QUESTION_ATTEMPTS - attempts_used);
	db_rows_free(&rows);
	return DB_OK;
}

static const char *
route_status(const char *route)
{
	return strcmp(route, "questions") == 0 ? "verifying" : "awaiting_evidence";
}

/* The account's open case, or a new one: the unique key on open_account_id
 * makes two concurrent starts share one case. */
static int
case_for(struct req *r, struct rflow *f, const char *route, int *attempts, int *created)
{
	struct app *a = r->app;
	struct dbrows rows;
	unsigned char th[32];
	char token[64], body[900];
	uint64_t id = 0;
	int rc;

	*created = 0;
	*attempts = 0;
	for (int tries = 0; tries < 2; tries++) {
		if ((rc = db_query(a->db, STMT_CASE_OPEN_GET, DBARGS(DB_I(f->account)), &rows)) != DB_OK)
			return rc;
		if (rows.nrows == 1) {
			f->case_id = (uint64_t)db_cell_ll(&rows, 0, 0);
			f->has_case = 1;
			*attempts = (int)db_cell_ll(&rows, 0, 3);
			db_rows_free(&rows);
			return DB_OK;
		}
		db_rows_free(&rows);
		keys_token_new(a->keys.link, "case-status", token, sizeof token, th);
		rc = db_exec(a->db, STMT_CASE_INSERT, DBARGS(DB_I(f->account), DB_I(f->account), DB_S(route), DB_S(route_status(route)),
		    DB_B(th, 32)), NULL, &id);
		if (rc == DB_DUP)
			continue; /* another start made it first: use that one */
		if (rc != DB_OK)
			return rc;
		f->case_id = id;
		f->has_case = 1;
		*created = 1;
		if ((rc = case_event(a, id, "case_opened", f->entry)) != DB_OK ||
		    (rc = audit_append(a, f->account, "reset_started", "account", r->ip,
		    json_pack("{s:I,s:s,s:b}", "case", (json_int_t)id, "entry", f->entry, "password_confirmed", f->password_confirmed))) != DB_OK)
			return rc;
		snprintf(body, sizeof body,
		    "A passkey reset was started for your account (case %llu).\n\n"
		    "Follow it here (a private link, do not share it):\n%s/case.html?token=%s\n\n"
		    "If this was not you, your passkeys are still safe: nothing changes until the reset is verified.\n"
		    "Sign in and review your security settings, or contact support.\n",
		    (unsigned long long)id, a->cfg.origin, token);
		return mail_notify(a, f->account, "Passkey reset started", body);
	}
	return DB_RETRY;
}

/* ---- Case 1: questions about the account's real history ---- */

struct qopt {
	char label[64];
	int correct;
};

struct question {
	const char *id, *text, *kind;
	struct qopt opt[8];
	int nopt;
};

/* Why repeated draws reveal nothing (issue #14 finding 1). The attacker
 * Case 1 exists to stop has the password and the mailbox and can start any
 * number of flows. If the wrong options were drawn afresh each time, the
 * options present in every draw would be the answers. So every choice that
 * is not the truth itself is a keyed function of the account alone, never
 * of a draw: which facts a question shows (when there are more than four),
 * its distractors, the other months, which four kinds are asked, and the
 * order of the options all come from qrank(), a BLAKE2b keyed with the
 * server's code key over (account, question, label). Two draws for the same
 * account and the same history are therefore identical, and the
 * intersection of any number of draws is one draw. On top of that, an
 * unanswered set belongs to the account's open case and is shown again,
 * unchanged, to every flow until it is answered; a new set exists only
 * after an answer, which costs one of the case's attempts. Option counts
 * are fixed per kind (6 for multiple choice, 4 months, 5 amount ranges), so
 * the count says nothing about how many options are right. */
static uint64_t
qrank(const struct app *a, uint64_t account, const char *question, const char *label)
{
	unsigned char h[32], in[8];
	char text[160];
	uint64_t v = 0;
	int n;

	for (int i = 0; i < 8; i++)
		in[i] = (unsigned char)(account >> (56 - 8 * i));
	n = snprintf(text, sizeof text, "question-rank\n%s\n%s", question, label);
	keys_hash(a->keys.code, in, sizeof in, text, (size_t)(n < (int)sizeof text ? n : (int)sizeof text - 1), h);
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return v;
}

struct ranked {
	const char *label;
	uint64_t rank;
	int value;  /* what the entry stands for: correct or not, a month offset, a question index */
};

static int
ranked_cmp(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;
	return p->rank < q->rank ? -1 : p->rank > q->rank;
}

static int
in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

#define FACTS_MAX 32   /* facts considered per question */
#define SHOWN_FACTS 4  /* at most this many true options */
#define MULTI_OPTIONS 6

/* A multiple-choice question: up to SHOWN_FACTS of the account's facts and
 * distractors from a pool (never one of the facts), both chosen and ordered
 * by qrank(), so that every draw for this account is the same. */
static int
from_set(const struct app *a, uint64_t account, struct question *q, struct dbrows *rows, const char *const *pool, size_t npool)
{
	const char *facts[FACTS_MAX];
	struct ranked r[FACTS_MAX + 16];
	size_t nf = 0, nr = 0, shown;

	q->nopt = 0;
	for (unsigned i = 0; i < rows->nrows && nf < FACTS_MAX; i++)
		facts[nf++] = db_cell(rows, i, 0, NULL);
	if (nf == 0)
		return 0;
	for (size_t i = 0; i < nf; i++)
		r[nr++] = (struct ranked){ facts[i], qrank(a, account, q->id, facts[i]), 1 };
	qsort(r, nr, sizeof r[0], ranked_cmp);
	shown = nr < SHOWN_FACTS ? nr : SHOWN_FACTS;
	nr = shown;
	for (size_t k = 0; k < npool && nr < sizeof r / sizeof r[0]; k++)
		if (!in_list(facts, nf, pool[k]))
			r[nr++] = (struct ranked){ pool[k], qrank(a, account, q->id, pool[k]), 0 };
	qsort(r + shown, nr - shown, sizeof r[0], ranked_cmp);
	if (nr > MULTI_OPTIONS)
		nr = MULTI_OPTIONS;
	if (nr < MULTI_OPTIONS)
		return 0;
	/* the options' order: by rank again, so that it says nothing of which are true */
	qsort(r, nr, sizeof r[0], ranked_cmp);
	for (size_t i = 0; i < nr; i++) {
		snprintf(q->opt[i].label, sizeof q->opt[0].label, "%s", r[i].label);
		q->opt[i].correct = r[i].value;
	}
	q->nopt = (int)nr;
	return 1;
}

/* Orders q's options by rank (the month question's). */
static void
rank_options(const struct app *a, uint64_t account, struct question *q)
{
	struct ranked r[8];
	struct qopt tmp[8];

	for (int i = 0; i < q->nopt; i++)
		r[i] = (struct ranked){ q->opt[i].label, qrank(a, account, q->id, q->opt[i].label), q->opt[i].correct };
	qsort(r, (size_t)q->nopt, sizeof r[0], ranked_cmp);
	for (int i = 0; i < q->nopt; i++) {
		snprintf(tmp[i].label, sizeof tmp[i].label, "%s", r[i].label);
		tmp[i].correct = r[i].value;
	}
	memcpy(q->opt, tmp, sizeof tmp[0] * (size_t)q->nopt);
}

static const char *const coin_pool[] = { "BTC", "ETH", "USDT", "SOL", "LTC", "TRX", "XRP", "DOGE", "ADA", "BNB", "USDC", "DOT" };
static const char *const network_pool[] = { "BTC", "ETH", "TRX", "SOL", "LTC", "BSC", "POLYGON", "ARBITRUM" };
static const char *const country_pool[] = { "CH", "DE", "FR", "IT", "GB", "US", "ES", "NL", "AT", "SE", "JP", "SG", "BR", "CA" };
static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December" };

/* Builds the account's set of QUESTIONS questions (the same for every draw,
 * see qrank()), stores it with only a keyed hash of the correct selections
 * under a fresh nonce, and answers the questions (no answers) as JSON. 0,
 * 1 when the account's history is too thin for questions, or a DB_* code. */
static int
questions_new(struct req *r, uint64_t account, uint64_t case_id, json_t **out)
{
	struct app *a = r->app;
	struct question qs[6];
	int nq = 0, rc, order[6];
	struct dbrows rows;
	char canon[600] = "", nonce_text[40];
	unsigned char nonce[16], h[32];
	size_t nl;
	json_t *list = json_array();

	memset(qs, 0, sizeof qs);
	if ((rc = db_query(a->db, STMT_FACT_DEPOSIT_COINS, DBARGS(DB_I(account)), &rows)) != DB_OK)
		goto fail;
	qs[nq] = (struct question){ "deposit_coins", "Which of these coins have you deposited into your account? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, coin_pool, sizeof coin_pool / sizeof coin_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_WITHDRAW_NETWORKS, DBARGS(DB_I(account)), &rows)) != DB_OK)
		goto fail;
	qs[nq] = (struct question){ "withdraw_networks", "To which networks have you made withdrawals? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, network_pool, sizeof network_pool / sizeof network_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_SIGNIN_COUNTRIES, DBARGS(DB_I(account)), &rows)) != DB_OK)
		goto fail;
	qs[nq] = (struct question){ "signin_countries", "From which countries (ISO code) have you signed in during the last year? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, country_pool, sizeof country_pool / sizeof country_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_CREATED, DBARGS(DB_I(account)), &rows)) != DB_OK)
		goto fail;
	{
		int y = (int)db_cell_ll(&rows, 0, 0), m = (int)db_cell_ll(&rows, 0, 1) - 1;
		int offs[4] = { 0, 0, 0, 0 };
		struct ranked cand[48];
		char tag[8];
		struct question *q = &qs[nq++];
		*q = (struct question){ "account_opened", "In which month did you open your account?", "single", { { "", 0 } }, 0 };
		/* three other months within two years: the same three for this account every time */
		for (int o = -24, k = 0; o <= 24; o++) {
			if (o == 0)
				continue;
			snprintf(tag, sizeof tag, "%d", o);
			cand[k++] = (struct ranked){ NULL, qrank(a, account, "account_opened_offset", tag), o };
		}
		qsort(cand, 48, sizeof cand[0], ranked_cmp);
		for (int k = 1; k < 4; k++)
			offs[k] = cand[k - 1].value;
		for (int k = 0; k < 4; k++) {
			int mm = m + offs[k], yy = y + (mm < 0 ? (mm - 11) / 12 : mm / 12);
			mm = ((mm % 12) + 12) % 12;
			snprintf(q->opt[k].label, sizeof q->opt[0].label, "%s %d", months[mm], yy);
			q->opt[k].correct = k == 0;
		}
		q->nopt = 4;
		rank_options(a, account, q);
	}
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_LAST_WITHDRAWAL, DBARGS(DB_I(account)), &rows)) != DB_OK)
		goto fail;
	if (rows.nrows == 1) {
		double amt = strtod(db_cell(&rows, 0, 1, NULL), NULL);
		static const double edges[] = { 0.1, 1, 10, 1000 };
		static const char *const names[] = { "Less than 0.1", "0.1 to 1", "1 to 10", "10 to 1,000", "More than 1,000" };
		int bucket = 0;
		struct question *q = &qs[nq++];
		*q = (struct question){ "last_withdrawal", "How much was your most recent withdrawal?", "single", { { "", 0 } }, 0 };
		while (bucket < 4 && amt >= edges[bucket])
			bucket++;
		for (int k = 0; k < 5; k++) {
			snprintf(q->opt[k].label, sizeof q->opt[0].label, "%s %s", names[k], db_cell(&rows, 0, 0, NULL));
			q->opt[k].correct = k == bucket;
		}
		q->nopt = 5;
	}
	db_rows_free(&rows);
	if (nq < QUESTIONS) {
		json_decref(list);
		return 1;
	}
	/* QUESTIONS of the available kinds: the same ones for this account every time */
	{
		struct ranked kinds[6];
		for (int i = 0; i < nq; i++)
			kinds[i] = (struct ranked){ qs[i].id, qrank(a, account, "kinds", qs[i].id), i };
		qsort(kinds, (size_t)nq, sizeof kinds[0], ranked_cmp);
		for (int i = 0; i < nq; i++)
			order[i] = kinds[i].value;
	}
	for (int k = 0; k < QUESTIONS; k++) {
		struct question *q = &qs[order[k]];
		json_t *opts = json_array();
		char sel[64] = "";
		for (int i = 0; i < q->nopt; i++) {
			json_array_append_new(opts, json_pack("{s:i,s:s}", "id", i, "label", q->opt[i].label));
			if (q->opt[i].correct) {
				char t[8];
				snprintf(t, sizeof t, "%s%d", sel[0] ? "," : "", i);
				strcat(sel, t);
			}
		}
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:o}", "id", q->id, "text", q->text, "kind", q->kind, "options", opts));
		snprintf(canon + strlen(canon), sizeof canon - strlen(canon), "%s:%s;", q->id, sel);
	}
	randombytes_buf(nonce, sizeof nonce);
	b64url_encode(nonce, sizeof nonce, nonce_text, sizeof nonce_text - 1, &nl);
	nonce_text[nl] = '\0';
	keys_hash(a->keys.code, nonce_text, nl, canon, strlen(canon), h);
	sodium_memzero(canon, sizeof canon);
	{
		json_t *stored = json_pack("{s:s,s:O}", "nonce", nonce_text, "questions", list);
		char *text = json_dumps(stored, JSON_COMPACT);
		json_decref(stored);
		if (text == NULL) {
			rc = DB_FAIL;
			goto fail;
		}
		rc = db_exec(a->db, STMT_QSET_RETIRE, DBARGS(DB_I(case_id)), NULL, NULL);
		if (rc == DB_OK)
			rc = db_exec(a->db, STMT_QSET_INSERT, DBARGS(DB_I(case_id), DB_S(text), DB_B(h, 32)), NULL, NULL);
		free(text);
		if (rc != DB_OK)
			goto fail;
	}
	*out = list;
	return 0;
fail:
	json_decref(list);
	return rc;
}

/* ---- routes ---- */

static json_t *
instructions(const struct app *a)
{
	/* seed: step 2, the reset instructions */
	return json_pack("[s,s,s,s,s]",
	    "Use this only if none of your passkeys can be used.",
	    "We will ask for your email address and password, then for a code sent to your email.",
	    "Then we verify that the account is yours: security questions about your account's history, face verification, or documents that our team reviews.",
	    "After the reset, every passkey is removed, every session is signed out, and withdrawals are held for 24 hours.",
	    a->cfg.operator_name[0] ? "Bind a new passkey right after the reset so the account is protected again." : "");
}

static int
answer_state(struct req *r, struct rflow *f, int status, json_t *extra)
{
	json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)f->id, "state", f->state);
	if (extra) {
		json_object_update(o, extra);
		json_decref(extra);
	}
	http_json(r, status, o);
	return DB_OK;
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

	if ((rc = rate_anon(r)) <= 0)
		return rc < 0 ? rc : DB_OK;
	keys_token_new(a->keys.link, BROWSER_DOMAIN, token, sizeof token, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_INSERT, DBARGS(DB_B(bh, 32), DB_S(entry)), NULL, &id)) != DB_OK)
		return rc;
	set_flow_cookie(r, token);
	http_json(r, 201, json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "state", "instructions", "entry", entry,
	    "instructions", instructions(a)));
	return DB_OK;
}

int
h_reset_get(struct req *r)
{
	struct rflow f;
	int found, rc = rflow_load(r, &f, &found);
	if (rc != DB_OK || !found)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:b}", "password_confirmed", f.password_confirmed));
}

int
h_reset_agree(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	int usable, rc, moved;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	flow_facts_default(&facts);
	facts.agreed = json_is_true(json_object_get(r->in, "agree")); /* seed: step 2, "I Agree" ticked */
	if ((rc = rflow_move(r, &f, "agree", &facts, &moved)) != DB_OK || !moved)
		return rc;
	return answer_state(r, &f, 200, NULL);
}

static int
send_reset_code(struct req *r, struct rflow *f)
{
	char bound[48];
	int throttled;
	snprintf(bound, sizeof bound, "reset_flow:%llu", (unsigned long long)f->id);
	return codes_issue(r->app, f->account, "reset_passkeys", bound, "email", f->email, &throttled);
}

/* seed: step 3. Unknown email, wrong password and a frozen account get the
 * same answer after the same work; only a real match gets a code. */
static int
credentials(struct req *r, int forgot)
{
	struct app *a = r->app;
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	char email[256];
	const char *pw = forgot ? NULL : json_string_value(json_object_get(r->in, "password"));
	int usable, rc, moved, match = 0, frozen = 0, ok_email, ok_ip;
	uint64_t account = 0;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (strcmp(f.state, "credentials") != 0)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	snprintf(email, sizeof email, "%s", json_string_value(json_object_get(r->in, "email")));
	for (char *p = email; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	if ((ok_email = rate_hit(a, "reset:email", email, strlen(email), a->cfg.signin_limit_account, a->cfg.signin_window_seconds)) < 0)
		return ok_email;
	if ((ok_ip = rate_hit(a, "reset:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return ok_ip;
	if (!ok_email || !ok_ip)
		return http_error(r, 429, "too_many_attempts", "Too many attempts. Wait 15 minutes and try again.");
	if ((rc = db_query(a->db, STMT_ACCOUNT_BY_EMAIL, DBARGS(DB_S(email)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 1) {
		account = (uint64_t)db_cell_ll(&rows, 0, 0);
		frozen = db_cell_ll(&rows, 0, 2) == 1;
		match = forgot ? 1 : crypto_pwhash_str_verify(db_cell(&rows, 0, 1, NULL), pw, strlen(pw)) == 0;
	} else if (!forgot && crypto_pwhash_str_verify(a->dummy_hash, pw, strlen(pw)) == 0) {
		match = 0; /* the dummy's password is random: never a match, same work */
	}
	db_rows_free(&rows);
	/* a frozen account regains access by documents only: no password route */
	if (frozen && !forgot)
		match = 0;
	if ((rc = db_exec(a->db, STMT_RFLOW_IDENTIFY, DBARGS(DB_S(email), match ? DB_I(account) : DB_NULL, DB_I(!forgot && match),
	    DB_I(f.id)), NULL, NULL)) != DB_OK)
		return rc;
	f.has_account = match;
	f.account = account;
	snprintf(f.email, sizeof f.email, "%s", email);
	flow_facts_default(&facts);
	if ((rc = rflow_move(r, &f, forgot ? "forgot_password" : "credentials_ok", &facts, &moved)) != DB_OK || !moved)
		return rc;
	if (match && (rc = send_reset_code(r, &f)) != DB_OK)
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

/* After the email code: the decision table picks the case. */
static int
route(struct req *r, struct rflow *f, int chose_documents)
{
	struct app *a = r->app;
	struct flow_facts facts;
	int rc, moved, attempts = 0, created = 0;
	unsigned row = 0;
	const char *rname;
	char detail[160];

	/* the case first (its question attempts are facts of the table) */
	if ((rc = case_for(r, f, "questions", &attempts, &created)) != DB_OK)
		return rc;
	if ((rc = reset_facts(r, f, attempts, &facts)) != DB_OK)
		return rc;
	facts.chose_documents = (unsigned char)chose_documents;
	rname = flow_route_name(flow_reset_route(&facts, &row));
	if ((rc = rflow_plan(r, f, chose_documents ? "submit_documents" : "decide", &facts, &moved)) != DB_OK || !moved ||
	    (rc = rflow_save(r, f)) != DB_OK || r->status != 0)
		return rc;
	if ((rc = db_exec(a->db, STMT_CASE_ROUTE, DBARGS(DB_S(rname), DB_S(route_status(rname)), DB_I(row), DB_I(f->case_id)),
	    NULL, NULL)) != DB_OK)
		return rc;
	snprintf(detail, sizeof detail, "%s (rule %u)", rname, row);
	if ((rc = case_event(a, f->case_id, chose_documents ? "documents_chosen" : "routed", detail)) != DB_OK)
		return rc;
	return answer_state(r, f, 200, json_pack("{s:s,s:i,s:I,s:i}", "route", rname, "route_rule", row, "case", (json_int_t)f->case_id,
	    "attempts_left", facts.attempts_left));
}

int
h_reset_email_code(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	char bound[48];
	int usable, rc, moved, v = 0, left;
	uint64_t aff = 0;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (strcmp(f.state, "email_code") != 0)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	if (f.has_account) {
		snprintf(bound, sizeof bound, "reset_flow:%llu", (unsigned long long)f.id);
		v = codes_verify(r->app, f.account, "reset_passkeys", bound, json_string_value(json_object_get(r->in, "code")), &left);
		if (v < 0 && v != -10)
			return v;
	}
	if (v != 1) {
		/* a blind flow (no match) fails exactly like a wrong code */
		if ((rc = db_exec(r->app->db, STMT_RFLOW_EMAIL_TRY, DBARGS(DB_I(f.id), DB_I(STEP_TRIES)), &aff, NULL)) != DB_OK)
			return rc;
		if (aff != 1 || f.email_tries + 1 >= STEP_TRIES) {
			flow_facts_default(&facts);
			if ((rc = rflow_move(r, &f, "tries_exhausted", &facts, &moved)) != DB_OK)
				return rc;
			return http_error(r, 410, "flow_dead", "Too many wrong codes. Start the reset again.");
		}
		http_json(r, 400, json_pack("{s:{s:s,s:s,s:i}}", "error", "code", "code_wrong", "message",
		    "The code is wrong or has expired. Check it and try again.", "tries_left", STEP_TRIES - f.email_tries - 1));
		return DB_OK;
	}
	flow_facts_default(&facts);
	if ((rc = rflow_plan(r, &f, "email_verified", &facts, &moved)) != DB_OK || !moved)
		return rc;
	return route(r, &f, 0); /* writes the row once: verified, routed, with its case */
}

int
h_reset_start_questions(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	json_t *qs = NULL;
	int usable, rc, moved, thin;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (!f.has_case)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	if ((rc = db_query(r->app->db, STMT_CASE_GET, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
		return rc;
	flow_facts_default(&facts);
	facts.attempts_left = (unsigned char)(QUESTION_ATTEMPTS - (int)db_cell_ll(&rows, 0, 4));
	db_rows_free(&rows);
	/* "start" from the attention page, or "continue" after a wrong attempt */
	if ((rc = rflow_move(r, &f, strcmp(f.state, "questions_failed") == 0 ? "continue" : "start", &facts, &moved)) != DB_OK || !moved)
		return rc;
	/* an unanswered set of this case is shown again as it is (see qrank()) */
	if ((rc = db_query(r->app->db, STMT_QSET_CURRENT, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 1) {
		json_t *stored = json_loads(db_cell(&rows, 0, 1, NULL), 0, NULL);
		db_rows_free(&rows);
		if ((qs = json_incref(json_object_get(stored, "questions"))) == NULL) {
			json_decref(stored);
			return DB_FAIL;
		}
		json_decref(stored);
		return answer_state(r, &f, 200, json_pack("{s:o,s:i}", "questions", qs, "attempts_left", facts.attempts_left));
	}
	db_rows_free(&rows);
	if ((thin = questions_new(r, f.account, f.case_id, &qs)) < 0)
		return thin;
	if (thin == 1)
		return http_error(r, 409, "questions_unavailable", "This account's history is too short for questions. Submit documents instead.");
	return answer_state(r, &f, 200, json_pack("{s:o,s:i}", "questions", qs, "attempts_left", facts.attempts_left));
}

/* The full reset, one transaction (seed: Case 1 (3), Notes (1)-(2)). */
static int
reset_account(struct req *r, struct rflow *f, const char *how)
{
	int rc;

	if ((rc = cases_reset_account(r->app, f->account, f->case_id, how, "account", r->ip)) != DB_OK ||
	    (rc = db_exec(r->app->db, STMT_RFLOW_FINISH, DBARGS(DB_I(f->id)), NULL, NULL)) != DB_OK)
		return rc;
	/* the person just proved email, password and history: a fresh session
	 * for this browser so that binding a new passkey is one click away */
	return auth_start_session(r, f->account, 1, "passkey_reset");
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

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (strcmp(f.state, "questions") != 0)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	/* the current set, locked: parallel submissions queue here and find it answered */
	if ((rc = db_query(a->db, STMT_QSET_CURRENT, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 409, "questions_answered", "These questions were already answered.");
	}
	set_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	stored = json_loads(db_cell(&rows, 0, 1, NULL), 0, NULL);
	memcpy(h, db_cell(&rows, 0, 2, &hl), 32);
	db_rows_free(&rows);
	if (stored == NULL || hl != 32)
		return DB_FAIL;
	qs = json_object_get(stored, "questions");
	snprintf(nonce, sizeof nonce, "%s", json_string_value(json_object_get(stored, "nonce")));
	if (json_array_size(answers) != json_array_size(qs)) {
		json_decref(stored);
		return http_error(r, 400, "answers_incomplete", "Answer every question.");
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
				return http_error(r, 400, "invalid_field", "answers");
			}
			picked[v] = 1;
		}
		for (size_t k = 0; k < nopt; k++)
			if (picked[k]) {
				snprintf(part + strlen(part), sizeof part - strlen(part), "%s%zu", npicked++ ? "," : "", k);
			}
		if (npicked == 0) {
			json_decref(stored);
			return http_error(r, 400, "answers_incomplete", "Answer every question.");
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
	if ((rc = db_exec(a->db, STMT_QSET_ANSWER, DBARGS(DB_I(set_id)), &aff, NULL)) != DB_OK)
		return rc;
	if (aff != 1)
		return http_error(r, 409, "questions_answered", "These questions were already answered.");
	if ((rc = db_exec(a->db, STMT_CASE_ATTEMPT, DBARGS(DB_I(f.case_id), DB_I(QUESTION_ATTEMPTS)), &aff, NULL)) != DB_OK)
		return rc;
	if (aff != 1)
		return http_error(r, 409, "flow_no_attempts_left", problem_message(PROB_FLOW_NO_ATTEMPTS));
	if ((rc = db_query(a->db, STMT_CASE_GET, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
		return rc;
	attempts_used = (int)db_cell_ll(&rows, 0, 4);
	db_rows_free(&rows);
	if ((rc = case_event(a, f.case_id, correct ? "questions_passed" : "questions_failed", "")) != DB_OK)
		return rc;
	flow_facts_default(&facts);
	if (correct) {
		if ((rc = rflow_move(r, &f, "answers_correct", &facts, &moved)) != DB_OK || !moved)
			return rc;
		if ((rc = reset_account(r, &f, "security_questions")) != DB_OK)
			return rc;
		{
			char csrf[40];
			auth_csrf(a, r->sess.token_hash, csrf);
			return answer_state(r, &f, 200, json_pack("{s:b,s:s,s:s}", "reset", 1, "csrf", csrf, "next", "/account/passkeys.html"));
		}
	}
	if ((rc = rflow_move(r, &f, "answers_wrong", &facts, &moved)) != DB_OK || !moved)
		return rc;
	return answer_state(r, &f, 200, json_pack("{s:b,s:i}", "reset", 0, "attempts_left", QUESTION_ATTEMPTS - attempts_used));
}

int
h_reset_documents(struct req *r)
{
	struct rflow f;
	int usable, rc;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (!f.has_case || (strcmp(f.state, "questions_failed") != 0 && strcmp(f.state, "questions_attention") != 0))
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	return route(r, &f, 1);
}

/* The user's case page, by the private link from the mail. */
int
h_case_status(struct req *r)
{
	const char *token = http_query(r, "token");
	unsigned char th[32];
	struct dbrows rows, ev;
	json_t *timeline = json_array(), *out;
	uint64_t id;
	int rc;

	if (token == NULL || keys_token_hash(r->app->keys.link, "case-status", token, th) != 0) {
		json_decref(timeline);
		return http_error(r, 404, "not_found", "No such case.");
	}
	if ((rc = db_query(r->app->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &rows)) != DB_OK) {
		json_decref(timeline);
		return rc;
	}
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		json_decref(timeline);
		return http_error(r, 404, "not_found", "No such case.");
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	if ((rc = db_query(r->app->db, STMT_CASE_EVENTS, DBARGS(DB_I(id)), &ev)) != DB_OK) {
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
	return DB_OK;
}

/* For evidence.c: the browser's reset flow, which must be waiting for documents. */
int
resetflow_ref(struct req *r, struct reset_ref *ref, int *ok)
{
	struct rflow f;
	int usable, rc;

	*ok = 0;
	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (!f.has_case || (strcmp(f.state, "documents") != 0 && strcmp(f.state, "needs_more_info") != 0 && strcmp(f.state, "face") != 0))
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	ref->face = strcmp(f.state, "face") == 0;
	if (strcmp(f.state, "needs_more_info") == 0) {
		struct dbrows rows;
		if ((rc = db_query(r->app->db, STMT_CASE_MORE_INFO_BASE, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
			return rc;
		ref->face = rows.nrows == 1 && strcmp(db_cell(&rows, 0, 1, NULL), "face") == 0;
		db_rows_free(&rows);
	}
	ref->flow = f.id;
	ref->case_id = f.case_id;
	ref->account = f.account;
	snprintf(ref->state, sizeof ref->state, "%s", f.state);
	*ok = 1;
	return DB_OK;
}

/* seed: Case 3 -- both screenshots, then the case goes to review. */
int
h_reset_submit_evidence(struct req *r)
{
	struct rflow f;
	struct flow_facts facts;
	struct dbrows rows;
	int usable, rc, moved, emails, txs, faces, face, queued = 0, total, more, base = 0;

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (!f.has_case)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	if ((rc = db_query(r->app->db, STMT_EVIDENCE_COUNT, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
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
		if ((rc = db_query(r->app->db, STMT_CASE_MORE_INFO_BASE, DBARGS(DB_I(f.case_id)), &rows)) != DB_OK)
			return rc;
		base = (int)db_cell_ll(&rows, 0, 0);
		face = strcmp(db_cell(&rows, 0, 1, NULL), "face") == 0;
		db_rows_free(&rows);
		if (total <= base)
			return http_error(r, 400, "evidence_incomplete", "Upload what our team asked for first.");
	} else if (face) {
		/* Case 2 with the manual provider: three good frames, then the review console */
		if (faces < 3)
			return http_error(r, 400, "evidence_incomplete", "Three clear pictures of your face are needed.");
	} else if (emails < 1 || txs < 1)
		return http_error(r, 400, "evidence_incomplete",
		    "Upload both: a screenshot of an email from us, and the transaction screenshot from the other platform.");
	flow_facts_default(&facts);
	if ((rc = rflow_move(r, &f, "evidence_submitted", &facts, &moved)) != DB_OK || !moved)
		return rc;
	if ((rc = db_exec(r->app->db, STMT_CASE_SUBMITTED, DBARGS(DB_I(f.case_id)), NULL, NULL)) != DB_OK ||
	    (rc = case_event(r->app, f.case_id, more ? "more_info_submitted" : "evidence_submitted", "")) != DB_OK ||
	    (face && !more && (rc = provider_face_queue(r->app, f.case_id, &queued)) != DB_OK) ||
	    (rc = audit_append(r->app, f.account, "reset_evidence_submitted", "account", r->ip,
	    json_pack("{s:I}", "case", (json_int_t)f.case_id))) != DB_OK ||
	    (rc = mail_notify(r->app, f.account, face ? "Your pictures are under review" : "Your documents are under review",
	    face ? (queued ? "We received the pictures of your face for the passkey reset. Our verification partner compares them with the identity photo on file, then our team confirms; we email you at each change.\n"
	    : "We received the pictures of your face for the passkey reset. Our team compares them with the identity photo on file; we email you at each change.\n")
	    : "We received your documents for the passkey reset. Our team reviews them; we email you at each change.\n")) != DB_OK)
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

	if ((rc = rflow_open(r, &f, &usable)) != DB_OK || !usable)
		return rc;
	if (strcmp(f.state, "face") != 0)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	keys_token_new(a->keys.link, HANDOFF_DOMAIN, token, sizeof token, th);
	if ((rc = db_exec(a->db, STMT_HANDOFF_INSERT, DBARGS(DB_I(f.id), DB_B(th, 32)), NULL, &hid)) != DB_OK ||
	    (rc = db_query(a->db, STMT_HANDOFF_EXPIRES, DBARGS(DB_I(hid)), &rows)) != DB_OK)
		return rc;
	snprintf(url, sizeof url, "%s/reset.html?handoff=%s", a->cfg.origin, token);
	if ((svg = tools_qr_svg(url, "QR code to continue on your phone")) == NULL) {
		db_rows_free(&rows);
		return DB_FAIL;
	}
	if ((rc = audit_append(a, f.account, "reset_face_handoff_created", "account", r->ip,
	    json_pack("{s:I}", "flow", (json_int_t)f.id))) != DB_OK) {
		free(svg);
		db_rows_free(&rows);
		return rc;
	}
	http_json(r, 201, json_pack("{s:s,s:s,s:s}", "url", url, "qr_svg", svg, "expires_at", db_cell(&rows, 0, 0, NULL)));
	free(svg);
	db_rows_free(&rows);
	return DB_OK;
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
		return http_error(r, 429, "too_many_attempts", "Too many attempts. Wait 15 minutes and try again.");
	if (keys_token_hash(a->keys.link, HANDOFF_DOMAIN, token, th) != 0)
		return http_error(r, 404, "not_found", "This link is not valid.");
	if ((rc = db_query(a->db, STMT_HANDOFF_GET, DBARGS(DB_B(th, 32)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 404, "not_found", "This link is not valid.");
	}
	flow = (uint64_t)db_cell_ll(&rows, 0, 0);
	was_used = db_cell_ll(&rows, 0, 1) == 1;
	expired = db_cell_ll(&rows, 0, 2) == 1;
	in_face = strcmp(db_cell(&rows, 0, 3, NULL), "face") == 0;
	account = (uint64_t)db_cell_ll(&rows, 0, 4);
	db_rows_free(&rows);
	if (was_used)
		return http_error(r, 410, "link_used", "This link was already used. Start again on your computer to get a new one.");
	if (expired)
		return http_error(r, 410, "link_expired", "This link expired after 10 minutes. Start again on your computer to get a new one.");
	if (!in_face)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	/* one use, even when two phones race: the conditional UPDATE decides */
	if ((rc = db_exec(a->db, STMT_HANDOFF_USE, DBARGS(DB_B(th, 32)), &used, NULL)) != DB_OK)
		return rc;
	if (used != 1)
		return http_error(r, 410, "link_used", "This link was already used. Start again on your computer to get a new one.");
	keys_token_new(a->keys.link, BROWSER_DOMAIN, btoken, sizeof btoken, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_REBIND, DBARGS(DB_B(bh, 32), DB_I(flow)), &moved, NULL)) != DB_OK)
		return rc;
	if (moved != 1)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	/* the flow has moved: any other link made for it is spent too */
	if ((rc = db_exec(a->db, STMT_HANDOFF_CLOSE_OTHERS, DBARGS(DB_I(flow)), NULL, NULL)) != DB_OK)
		return rc;
	if ((rc = audit_append(a, account, "reset_face_handoff_claimed", "account", r->ip,
	    json_pack("{s:I}", "flow", (json_int_t)flow))) != DB_OK)
		return rc;
	set_flow_cookie(r, btoken);
	http_json(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)flow, "state", "face"));
	return DB_OK;
}

/* The link in "more information needed" (review.c): the case's reset flow
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
	uint64_t flow, account, moved = 0;
	int rc, waiting, expired, no_flow, face;
	char state[32];

	if ((rc = rate_hit(a, "more-info:ip", r->ip, strlen(r->ip), a->cfg.signin_limit_ip, a->cfg.signin_window_seconds)) < 0)
		return rc;
	if (rc == 0)
		return http_error(r, 429, "too_many_attempts", "Too many attempts. Wait 15 minutes and try again.");
	if (keys_token_hash(a->keys.link, MORE_INFO_DOMAIN, token, th) != 0)
		return http_error(r, 404, "not_found", "This link is not valid.");
	if ((rc = db_query(a->db, STMT_MORE_INFO_GET, DBARGS(DB_B(th, 32)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 404, "not_found", "This link is not valid.");
	}
	/* a reviewer's request, or evidence not sent yet (the case page's "continue") */
	waiting = strcmp(db_cell(&rows, 0, 1, NULL), "needs_more_info") == 0 || strcmp(db_cell(&rows, 0, 1, NULL), "awaiting_evidence") == 0;
	expired = db_cell_ll(&rows, 0, 2) == 1;
	snprintf(state, sizeof state, "%s", db_cell(&rows, 0, 6, NULL));
	account = (uint64_t)db_cell_ll(&rows, 0, 3);
	no_flow = db_cell_null(&rows, 0, 4);
	flow = no_flow ? 0 : (uint64_t)db_cell_ll(&rows, 0, 4);
	face = strcmp(db_cell(&rows, 0, 5, NULL), "face") == 0;
	db_rows_free(&rows);
	if (!waiting)
		return http_error(r, 410, "link_used", "This request was already answered.");
	if (expired)
		return http_error(r, 410, "link_expired", "This link has expired. Start a new reset.");
	if (no_flow)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	keys_token_new(a->keys.link, BROWSER_DOMAIN, btoken, sizeof btoken, bh);
	if ((rc = db_exec(a->db, STMT_RFLOW_REBIND_MORE, DBARGS(DB_B(bh, 32), DB_I(flow)), &moved, NULL)) != DB_OK)
		return rc;
	if (moved != 1)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	if ((rc = audit_append(a, account, "reset_more_info_link_used", "account", r->ip, json_pack("{s:I}", "flow", (json_int_t)flow))) != DB_OK)
		return rc;
	set_flow_cookie(r, btoken);
	http_json(r, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)flow, "state", state, "route", face ? "face" : "documents"));
	return DB_OK;
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
		return http_error(r, 429, "too_many_attempts", "Too many attempts. Wait 15 minutes and try again.");
	if (keys_token_hash(a->keys.link, "case-status", token, th) != 0)
		return http_error(r, 404, "not_found", "No such case.");
	if ((rc = db_query(a->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 404, "not_found", "No such case.");
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	waiting = strcmp(db_cell(&rows, 0, 2, NULL), "needs_more_info") == 0;
	unsent = strcmp(db_cell(&rows, 0, 2, NULL), "awaiting_evidence") == 0;
	snprintf(expires, sizeof expires, "%s", db_cell(&rows, 0, 6, NULL));
	account = (uint64_t)db_cell_ll(&rows, 0, 7);
	db_rows_free(&rows);
	if (!waiting && !unsent)
		return http_error(r, 409, "not_waiting", "Our team is not waiting for anything from you on this case.");
	keys_token_new(a->keys.link, MORE_INFO_DOMAIN, more, sizeof more, mh);
	if ((rc = unsent ? db_exec(a->db, STMT_CASE_RESUME_LINK, DBARGS(DB_B(mh, 32), DB_I(a->cfg.more_info_hours), DB_I(id)), &aff, NULL)
	    : db_exec(a->db, STMT_CASE_MORE_INFO_REKEY, DBARGS(DB_B(mh, 32), DB_I(id)), &aff, NULL)) != DB_OK)
		return rc;
	if (unsent && aff == 1) {
		struct dbrows x;
		if ((rc = db_query(a->db, STMT_CASE_BY_TOKEN, DBARGS(DB_B(th, 32)), &x)) != DB_OK)
			return rc;
		snprintf(expires, sizeof expires, "%s", x.nrows ? db_cell(&x, 0, 6, NULL) : "");
		db_rows_free(&x);
	}
	if (aff != 1)
		return http_error(r, 410, "link_expired", "The time to answer has passed. Start a new reset.");
	if ((rc = audit_append(a, account, "reset_more_info_link_renewed", "account", r->ip, json_pack("{s:I}", "case", (json_int_t)id))) != DB_OK)
		return rc;
	snprintf(url, sizeof url, "%s/reset.html?more=%s", a->cfg.origin, more);
	http_json(r, 200, json_pack("{s:s,s:s}", "url", url, "expires_at", expires));
	return DB_OK;
}
