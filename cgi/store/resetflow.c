/* store/resetflow.c -- the reset flow's row (seed, second half): loaded by the
 * browser's cookie, moved by the core's table, its case and the account's facts,
 * the Case 1 question sets, and the reset itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store.h"
#include "../../wasm/b64url.h"
#include "../../wasm/flow.h"

/* The flow belongs to the browser holding this cookie (start, or the phone's claim). */
void
resetflow_set_cookie(struct req *r, const char *token)
{
	http_set_cookie(r, RESET_COOKIE, token, "/api/reset", 3600);
}

int
resetflow_load(struct req *r, struct rflow *f, int *found)
{
	char cookie[64];
	unsigned char bh[32];
	struct dbrows rows;
	int rc;

	*found = 0;
	memset(f, 0, sizeof *f);
	if (http_cookie(r->cookie, RESET_COOKIE, cookie, sizeof cookie) == NULL ||
	    keys_token_hash(r->app->keys.link, BROWSER_DOMAIN, cookie, bh) != 0)
		return http_fail(r, SP_NOT_FOUND_RESET);
	if ((rc = db_query(r->app->db, STMT_RFLOW_GET, DBARGS(DB_I(strtoull(r->param, NULL, 10)), DB_B(bh, 32)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_RESET);
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
	return RK_OK;
}

int
resetflow_move(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved)
{
	int rc = flowrow_move(r, FLOW_RESET_PASSKEYS, STMT_RFLOW_MOVE, f->id, f->state, sizeof f->state, event, facts, moved);

	if (rc == RK_OK && *moved)
		snprintf(f->stored, sizeof f->stored, "%s", f->state);
	return rc;
}

/* Several steps in one request: each decided by the table in memory
 * (resetflow_plan), then the row written once (resetflow_save) with its case,
 * by one UPDATE conditional on the state that was read. */
int
resetflow_plan(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved)
{
	return flowrow_plan(r, FLOW_RESET_PASSKEYS, f->state, sizeof f->state, event, facts, moved);
}

int
resetflow_save(struct req *r, struct rflow *f)
{
	uint64_t aff = 0;
	int rc = db_exec(r->app->db, STMT_RFLOW_SAVE, DBARGS(DB_S(f->state), f->has_case ? DB_I(f->case_id) : DB_NULL,
	    DB_I(f->id), DB_S(f->stored)), &aff, NULL);

	if (rc != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	snprintf(f->stored, sizeof f->stored, "%s", f->state);
	return RK_OK;
}

int
resetflow_open(struct req *r, struct rflow *f, int *usable)
{
	const struct flow_def *d = flow_get(FLOW_RESET_PASSKEYS);
	struct flow_facts facts;
	int found, rc, moved;

	*usable = 0;
	if ((rc = resetflow_load(r, f, &found)) != RK_OK || !found)
		return rc;
	if (f->expired && !d->terminal[flow_state_lookup(d, f->state)] && strcmp(f->state, "face") != 0 &&
	    strcmp(f->state, "documents") != 0 && strcmp(f->state, "under_review") != 0 && strcmp(f->state, "needs_more_info") != 0) {
		flow_facts_default(&facts);
		if ((rc = resetflow_move(r, f, "expire", &facts, &moved)) != RK_OK)
			return rc;
		http_clear(r);
		return http_fail(r, SP_FLOW_EXPIRED_RESET);
	}
	*usable = 1;
	return RK_OK;
}

/* The facts the decision table reads, from the account as it is now. */
int
resetflow_facts(struct req *r, struct rflow *f, int attempts_used, struct flow_facts *facts)
{
	struct dbrows rows;
	int rc = db_query(r->app->db, STMT_ACCOUNT_RESET_FACTS, DBARGS(DB_I(f->account)), &rows);
	const char *idv;

	if (rc != RK_OK)
		return rc;
	flow_facts_default(facts);
	idv = db_cell(&rows, 0, 0, NULL);
	facts->identity = strcmp(idv, "verified") == 0 ? IDENTITY_VERIFIED : strcmp(idv, "invalid") == 0 ? IDENTITY_INVALID : IDENTITY_UNVERIFIED;
	facts->high_value = db_cell_ll(&rows, 0, 1) >= r->app->cfg.high_value_cents;
	facts->password_confirmed = (unsigned char)f->password_confirmed;
	facts->tool_available = db_cell_ll(&rows, 0, 3) > 0;
	/* the operator's profile (#18): the core's table follows the settings */
	facts->phone_only = db_cell_ll(&rows, 0, 4) == 0;
	facts->sms_off = (unsigned char)r->app->cfg.sms_off;
	facts->questions_off = (unsigned char)r->app->cfg.questions_off;
	facts->attempts_left = (unsigned char)(attempts_used >= QUESTION_ATTEMPTS ? 0 : QUESTION_ATTEMPTS - attempts_used);
	facts->recovery_codes = db_cell_ll(&rows, 0, 5) > 0; /* issue #17: a live set, any code left */
	db_rows_free(&rows);
	return RK_OK;
}

const char *
resetflow_route_status(const char *route)
{
	return strcmp(route, "questions") == 0 || strcmp(route, "recovery_code") == 0 ? "verifying" : "awaiting_evidence";
}

/* The account's open case, or a new one: the unique key on open_account_id
 * makes two concurrent starts share one case. */
int
resetflow_case_for(struct req *r, struct rflow *f, const char *route, int *attempts, int *created)
{
	struct app *a = r->app;
	struct dbrows rows;
	unsigned char th[32];
	char token[64], case_text[24], link[600];
	uint64_t id = 0;
	int rc;

	*created = 0;
	*attempts = 0;
	for (int tries = 0; tries < 2; tries++) {
		if ((rc = db_query(a->db, STMT_CASE_OPEN_GET, DBARGS(DB_I(f->account)), &rows)) != RK_OK)
			return rc;
		if (rows.nrows == 1) {
			f->case_id = (uint64_t)db_cell_ll(&rows, 0, 0);
			f->has_case = 1;
			*attempts = (int)db_cell_ll(&rows, 0, 3);
			db_rows_free(&rows);
			return RK_OK;
		}
		db_rows_free(&rows);
		keys_token_new(a->keys.link, "case-status", token, sizeof token, th);
		rc = db_exec(a->db, STMT_CASE_INSERT, DBARGS(DB_I(f->account), DB_I(f->account), DB_S(route), DB_S(resetflow_route_status(route)),
		    DB_B(th, 32)), NULL, &id);
		if (rc == RK_DUP)
			continue; /* another start made it first: use that one */
		if (rc != RK_OK)
			return rc;
		f->case_id = id;
		f->has_case = 1;
		*created = 1;
		if ((rc = cases_event(a, id, "case_opened", f->entry)) != RK_OK ||
		    (rc = audit_append(a, f->account, "reset_started", "account", r->ip,
		    json_pack("{s:I,s:s,s:b}", "case", (json_int_t)id, "entry", f->entry, "password_confirmed", f->password_confirmed))) != RK_OK)
			return rc;
		snprintf(case_text, sizeof case_text, "%llu", (unsigned long long)id);
		snprintf(link, sizeof link, "%s/case.html?token=%s", a->cfg.origin, token);
		return mail_notice(a, r, f->account, NOTICE_RESET_STARTED, (const char *const[]){ "case", case_text, "link", link, NULL });
	}
	return RK_RETRY;
}

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
 * RK_REFUSED (409) when the account's history is too thin for questions. */
int
resetflow_questions_new(struct req *r, uint64_t account, uint64_t case_id, json_t **out)
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
	if ((rc = db_query(a->db, STMT_FACT_DEPOSIT_COINS, DBARGS(DB_I(account)), &rows)) != RK_OK)
		goto fail;
	qs[nq] = (struct question){ "deposit_coins", "Which of these coins have you deposited into your account? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, coin_pool, sizeof coin_pool / sizeof coin_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_WITHDRAW_NETWORKS, DBARGS(DB_I(account)), &rows)) != RK_OK)
		goto fail;
	qs[nq] = (struct question){ "withdraw_networks", "To which networks have you made withdrawals? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, network_pool, sizeof network_pool / sizeof network_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_SIGNIN_COUNTRIES, DBARGS(DB_I(account)), &rows)) != RK_OK)
		goto fail;
	qs[nq] = (struct question){ "signin_countries", "From which countries (ISO code) have you signed in during the last year? Select all that apply.", "multiple", { { "", 0 } }, 0 };
	if (from_set(a, account, &qs[nq], &rows, country_pool, sizeof country_pool / sizeof country_pool[0]))
		nq++;
	db_rows_free(&rows);
	if ((rc = db_query(a->db, STMT_FACT_CREATED, DBARGS(DB_I(account)), &rows)) != RK_OK)
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
		/* a wrong month is plausible (issue #16: "February 2027" gave itself
		 * away): never in the future, and not before the operator opened
		 * (operator_launch, YYYY-MM) while there are enough months after it.
		 * The first three of the ranked offsets that fit, so the draw stays
		 * the same one until a month passes. */
		{
			time_t now = time(NULL);
			struct tm tm;
			int last = 0, first = -24, ly, lm, k = 1;
			if (gmtime_r(&now, &tm) != NULL)
				last = (tm.tm_year + 1900) * 12 + tm.tm_mon - (y * 12 + m); /* the latest offset still in the past */
			if (sscanf(a->cfg.operator_launch, "%4d-%2d", &ly, &lm) == 2 && lm >= 1 && lm <= 12)
				first = ly * 12 + lm - 1 - (y * 12 + m);
			for (int pass = 0; pass < 2; pass++) /* the second pass: before the launch, if it must */
				for (int c = 0; c < 48 && k < 4; c++) {
					int o = cand[c].value, taken = 0;
					for (int j = 1; j < k; j++)
						taken |= offs[j] == o;
					if (!taken && o <= last && (pass == 1 || o >= first))
						offs[k++] = o;
				}
		}
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
	if ((rc = db_query(a->db, STMT_FACT_LAST_WITHDRAWAL, DBARGS(DB_I(account)), &rows)) != RK_OK)
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
		return http_fail(r, SP_QUESTIONS_UNAVAILABLE);
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
			rc = RK_FAIL;
			goto fail;
		}
		rc = db_exec(a->db, STMT_QSET_RETIRE, DBARGS(DB_I(case_id)), NULL, NULL);
		if (rc == RK_OK)
			rc = db_exec(a->db, STMT_QSET_INSERT, DBARGS(DB_I(case_id), DB_S(text), DB_B(h, 32)), NULL, NULL);
		free(text);
		if (rc != RK_OK)
			goto fail;
	}
	*out = list;
	return 0;
fail:
	json_decref(list);
	return rc;
}

/* The full reset, one transaction (seed: Case 1 (3), Notes (1)-(2)). */
int
resetflow_reset_account(struct req *r, struct rflow *f, const char *how)
{
	int rc;

	if ((rc = cases_reset_account(r, f->account, f->case_id, how, "account")) != RK_OK ||
	    (rc = db_exec(r->app->db, STMT_RFLOW_FINISH, DBARGS(DB_I(f->id)), NULL, NULL)) != RK_OK)
		return rc;
	/* the person just proved email, password and history: a fresh session
	 * for this browser so that binding a new passkey is one click away */
	return session_start(r, f->account, 1, "passkey_reset");
}

/* For api/evidence.c: the browser's reset flow, which must be waiting for documents. */
int
resetflow_ref(struct req *r, struct reset_ref *ref, int *ok)
{
	struct rflow f;
	int usable, rc;

	*ok = 0;
	if ((rc = resetflow_open(r, &f, &usable)) != RK_OK || !usable)
		return rc;
	if (!f.has_case || (strcmp(f.state, "documents") != 0 && strcmp(f.state, "needs_more_info") != 0 && strcmp(f.state, "face") != 0))
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	ref->face = strcmp(f.state, "face") == 0;
	if (strcmp(f.state, "needs_more_info") == 0) {
		struct dbrows rows;
		if ((rc = db_query(r->app->db, STMT_CASE_MORE_INFO_BASE, DBARGS(DB_I(f.case_id)), &rows)) != RK_OK)
			return rc;
		ref->face = rows.nrows == 1 && strcmp(db_cell(&rows, 0, 1, NULL), "face") == 0;
		db_rows_free(&rows);
	}
	ref->flow = f.id;
	ref->case_id = f.case_id;
	ref->account = f.account;
	snprintf(ref->state, sizeof ref->state, "%s", f.state);
	*ok = 1;
	return RK_OK;
}
