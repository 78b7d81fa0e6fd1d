/* store/cases.c -- what happens to a reset case after the browser's part: the
 * timeline, the full reset (Case 1 answers, a reviewer's approval), and a
 * rejection (a reviewer's, or the face provider's). Each runs inside the
 * caller's transaction: the case, its flow, the account, the audit row and
 * the notifications change together or not at all. */
#include <stdio.h>
#include <string.h>
#include "store.h"

int
cases_event(struct app *a, uint64_t case_id, const char *event, const char *detail)
{
	return db_exec(a->db, STMT_CASE_EVENT, DBARGS(DB_I(case_id), DB_S(event), DB_S(detail ? detail : "")), NULL, NULL);
}

/* seed: Case 1 (3), Notes (1)-(2): every passkey removed, every session
 * signed out, "no passkey protection", the withdrawal hold. Removed means
 * suspended for the dispute window (#18, store/dispute.c): the mail's
 * "this was not me" link brings them back. A disputed case is never
 * completed here (the close's WHERE): the reviewers decide it. */
int
cases_reset_account(struct req *r, uint64_t account, uint64_t case_id, const char *how, const char *actor)
{
	struct app *a = r->app;
	char hold[80], source[48], token[64], window[80], link[400];
	uint64_t aff = 0, n = 0;
	enum i18n_lang l = mail_lang(r->app, account);
	int rc;

	snprintf(source, sizeof source, "reset_case:%llu", (unsigned long long)case_id);
	if ((rc = dispute_suspend(a, account, 0, case_id, source, token, sizeof token, &n)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_CASE_CLOSE, DBARGS(DB_S("completed"), DB_I(case_id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1) /* disputed meanwhile ("this was not me"), or closed */
		return http_fail(r, SP_CASE_DISPUTED);
	if ((rc = db_exec(a->db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_ACCOUNT_UNPROTECTED, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = holds_add(a, account, "passkey_reset", source, a->cfg.hold_hours * 3600)) != RK_OK ||
	    (rc = cases_event(a, case_id, "completed", how)) != RK_OK ||
	    (rc = audit_append(a, account, "passkeys_reset", actor, r->ip,
	    json_pack("{s:I,s:s,s:I}", "case", (json_int_t)case_id, "by", how, "suspended", (json_int_t)n))) != RK_OK)
		return rc;
	i18n_duration(l, 3600LL * a->cfg.hold_hours, hold, sizeof hold);
	i18n_duration(l, 3600LL * a->cfg.dispute_hours, window, sizeof window);
	snprintf(link, sizeof link, "%s/freeze.html?token=%s", a->cfg.origin, token);
	/* to every channel, the SMS with the link too: it reaches an owner whose mailbox was taken */
	return mail_notice_undo(a, NULL, account, NOTICE_RESET_COMPLETED,
	    (const char *const[]){ "hold", hold, "link", link, "life", window, NULL }, link);
}

/* Moves the case's reset flow, when it waits for this decision. */
int
cases_flow_move(struct req *r, uint64_t case_id, const char *event, int finish)
{
	struct dbrows rows;
	struct flow_facts facts;
	char state[32];
	uint64_t flow;
	int rc, moved;

	if ((rc = db_query(r->app->db, STMT_RFLOW_BY_CASE, DBARGS(DB_I(case_id)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return RK_OK;
	}
	flow = (uint64_t)db_cell_ll(&rows, 0, 0);
	snprintf(state, sizeof state, "%s", db_cell(&rows, 0, 1, NULL));
	db_rows_free(&rows);
	if (strcmp(state, "under_review") != 0)
		return RK_OK;
	flow_facts_default(&facts);
	if ((rc = flowrow_move(r, FLOW_RESET_PASSKEYS, STMT_RFLOW_MOVE, flow, state, sizeof state, event, &facts, &moved)) != RK_OK)
		return rc;
	if (finish && moved)
		rc = db_exec(r->app->db, STMT_RFLOW_FINISH, DBARGS(DB_I(flow)), NULL, NULL);
	return rc;
}

/* Rejected: the user is told the reason; the account stays as it was. */
int
cases_reject(struct req *r, uint64_t case_id, uint64_t account, const char *code, const char *user_reason, const char *actor)
{
	struct app *a = r->app;
	char case_text[24];
	int rc;

	snprintf(case_text, sizeof case_text, "%llu", (unsigned long long)case_id);
	if ((rc = db_exec(a->db, STMT_CASE_CLOSE, DBARGS(DB_S("rejected"), DB_I(case_id)), NULL, NULL)) != RK_OK ||
	    (rc = cases_event(a, case_id, "rejected", user_reason)) != RK_OK ||
	    (rc = cases_flow_move(r, case_id, "rejected", 1)) != RK_OK ||
	    (rc = audit_append(a, account, "reset_rejected", actor, r->ip,
	    json_pack("{s:I,s:s}", "case", (json_int_t)case_id, "reason", code))) != RK_OK)
		return rc;
	return mail_notice(a, NULL, account, NOTICE_CASE_REJECTED, (const char *const[]){ "case", case_text, "reason", user_reason, NULL });
}
