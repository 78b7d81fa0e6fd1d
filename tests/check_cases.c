/* check_cases.c -- cgi/store/cases.c against the test stack's MariaDB:
 * what happens to a reset case after the browser's part. The timeline
 * (case_events); the full reset (seed: Case 1 (3), Notes (1)-(2): every
 * passkey removed, every session signed out, no passkey protection, the
 * withdrawal hold, the case completed, audited and notified); a rejection
 * (the case closed, the flow moved, the user told why, the account as it
 * was). Each runs in the caller's transaction: all or nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_fixture.h"
#include "../cgi/store/store.h"

struct fx {
	struct app a;
	uint64_t account, case_id;
	char email[200];
};

#define ULL(x) ((unsigned long long)(x))

static uint64_t
new_case(uint64_t account, const char *status)
{
	fx_sql("INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, "
	    "route_rule, created_at, updated_at) VALUES (%llu, %llu, 'documents', '%s', 0, UNHEX(SHA2(UUID(), 256)), 0, "
	    "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))", ULL(account), ULL(account), status);
	return (uint64_t)fx_ll("SELECT LAST_INSERT_ID()");
}

static uint64_t
new_flow(uint64_t account, uint64_t case_id, const char *state, int finished)
{
	fx_sql("INSERT INTO reset_flows (browser_hash, entry, state, account_id, case_id, created_at, expires_at, finished_at) "
	    "VALUES (UNHEX(SHA2(UUID(), 256)), 'direct', '%s', %llu, %llu, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, %s)",
	    state, ULL(account), ULL(case_id), finished ? "UTC_TIMESTAMP(6)" : "NULL");
	return (uint64_t)fx_ll("SELECT LAST_INSERT_ID()");
}

static void
passkeys(uint64_t account, int n)
{
	for (int i = 0; i < n; i++)
		fx_sql("INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, "
		    "backup_eligible, backup_state, aaguid, attestation_fmt, name, created_at) VALUES (%llu, UNHEX(SHA2(UUID(), 256)), "
		    "-7, 'pk', 'cose', 0, 1, 0, 0, REPEAT(X'00', 16), 'none', 'Key %d', UTC_TIMESTAMP(6))", ULL(account), i + 1);
}

static void
sessions(uint64_t account, int n)
{
	for (int i = 0; i < n; i++)
		fx_sql("INSERT INTO sessions (token_hash, account_id, stage, created_at, last_seen_at, absolute_expires_at) VALUES "
		    "(UNHEX(SHA2(UUID(), 256)), %llu, '%s', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)",
		    ULL(account), i % 2 ? "partial" : "full");
}

static unsigned long long
live_sessions(uint64_t account)
{
	return fx_rows("SELECT 1 FROM sessions WHERE account_id = %llu AND revoked_at IS NULL", ULL(account));
}

static unsigned long long
passkey_count(uint64_t account)
{
	return fx_rows("SELECT 1 FROM passkeys WHERE account_id = %llu AND suspended_until IS NULL", ULL(account));
}

static void
setup(struct fx *f, const char *status)
{
	fx_app_open(&f->a);
	f->account = fx_account("cases", f->email, sizeof f->email);
	f->case_id = new_case(f->account, status);
	passkeys(f->account, 2);
	sessions(f->account, 2);
}

static void
reset(struct fx *f, const char *how)
{
	struct req r;
	int rc;

	fx_req(&r, &f->a);
	r.ip = "192.0.2.7";
	rc = cases_reset_account(&r, f->account, f->case_id, how, "system");
	ck_assert_msg(rc == RK_OK, "cases_reset_account: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
	fx_req_free(&r);
}

static void
reject(struct fx *f, struct req *r)
{
	int rc;

	fx_req(r, &f->a);
	rc = cases_reject(r, f->case_id, f->account, "evidence_unreadable", "The screenshots could not be read.", "reviewer:3");
	ck_assert_msg(rc == RK_OK, "cases_reject: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
}

static const char *
case_col(struct fx *f, const char *col, char *out, size_t n)
{
	return fx_str(out, n, "SELECT %s FROM reset_cases WHERE id = %llu", col, ULL(f->case_id));
}

START_TEST(valid_events_are_a_timeline)
{
	struct fx f;
	struct dbrows rows;

	setup(&f, "under_review");
	ck_assert_int_eq(cases_event(&f.a, f.case_id, "submitted", "3 screenshots"), RK_OK);
	ck_assert_int_eq(cases_event(&f.a, f.case_id, "claimed", NULL), RK_OK);
	ck_assert_int_eq(cases_event(&f.a, f.case_id, "more_info", "a clearer screenshot"), RK_OK);
	fx_commit(&f.a);
	/* as the status page reads them: in order, a missing detail as '' */
	ck_assert_int_eq(db_query(f.a.db, STMT_CASE_EVENTS, DBARGS(DB_I(f.case_id)), &rows), RK_OK);
	ck_assert_uint_eq(rows.nrows, 3);
	ck_assert_str_eq(db_cell(&rows, 0, 1, NULL), "submitted");
	ck_assert_str_eq(db_cell(&rows, 0, 2, NULL), "3 screenshots");
	ck_assert_str_eq(db_cell(&rows, 1, 1, NULL), "claimed");
	ck_assert_str_eq(db_cell(&rows, 1, 2, NULL), "");
	ck_assert_int_eq(db_cell_null(&rows, 1, 2), 0);
	ck_assert_str_eq(db_cell(&rows, 2, 1, NULL), "more_info");
	db_rows_free(&rows);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM case_events WHERE case_id = %llu AND ABS(TIMESTAMPDIFF(SECOND, at, UTC_TIMESTAMP(6))) < 10",
	    ULL(f.case_id)), 3);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reset_removes_passkeys_and_signs_out)
{
	struct fx f;
	char v[8];

	setup(&f, "verifying");
	ck_assert_uint_eq(passkey_count(f.account), 2);
	ck_assert_uint_eq(live_sessions(f.account), 2);
	reset(&f, "questions");
	ck_assert_uint_eq(passkey_count(f.account), 0);
	/* #18: suspended for the dispute window, not deleted; an undo link for the same window */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM passkeys WHERE account_id = %llu AND suspended_source = 'reset_case:%llu' "
	    "AND TIMESTAMPDIFF(HOUR, suspended_at, suspended_until) = %d", ULL(f.account), ULL(f.case_id), f.a.cfg.dispute_hours), 2);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM freeze_links WHERE account_id = %llu AND kind = 'undo' AND case_id = %llu "
	    "AND event_at IS NOT NULL AND TIMESTAMPDIFF(HOUR, event_at, expires_at) = %d", ULL(f.account), ULL(f.case_id),
	    f.a.cfg.dispute_hours), 1);
	ck_assert_uint_eq(live_sessions(f.account), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE account_id = %llu", ULL(f.account)), 2); /* revoked, kept */
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT no_passkey_protection FROM accounts WHERE id = %llu", ULL(f.account)), "1");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reset_holds_withdrawals_for_hold_hours)
{
	struct fx f;
	char want[64], v[64];

	setup(&f, "under_review");
	f.a.cfg.hold_hours = 48;
	reset(&f, "review");
	snprintf(want, sizeof want, "passkey_reset reset_case:%llu", ULL(f.case_id));
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT CONCAT(reason, ' ', source_event) FROM holds WHERE account_id = %llu",
	    ULL(f.account)), want);
	ck_assert_int_eq(fx_ll("SELECT TIMESTAMPDIFF(SECOND, starts_at, ends_at) FROM holds WHERE account_id = %llu", ULL(f.account)),
	    48 * 3600);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reset_completes_the_case_and_audits)
{
	struct fx f;
	char v[300];

	setup(&f, "verifying");
	reset(&f, "questions");
	ck_assert_str_eq(case_col(&f, "status", v, sizeof v), "completed");
	ck_assert_int_eq(fx_ll("SELECT open_account_id IS NULL AND closed_at IS NOT NULL FROM reset_cases WHERE id = %llu",
	    ULL(f.case_id)), 1);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT CONCAT(event, '|', detail) FROM case_events WHERE case_id = %llu",
	    ULL(f.case_id)), "completed|questions");
	/* the hold, then the reset, on the account's chain */
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT GROUP_CONCAT(event ORDER BY seq) FROM audit_log WHERE chain_id = %llu",
	    ULL(f.account)), "passkeys_suspended,hold_started,passkeys_reset");
	ck_assert_ptr_nonnull(fx_str(v, sizeof v, "SELECT CONCAT(actor, '|', ip, '|', detail) FROM audit_log WHERE chain_id = %llu "
	    "AND event = 'passkeys_reset'", ULL(f.account)));
	{
		char want[200];
		snprintf(want, sizeof want, "system|192.0.2.7|{\"by\":\"questions\",\"case\":%llu,\"suspended\":2}", ULL(f.case_id));
		ck_assert_str_eq(v, want);
	}
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reset_notifies_the_holder)
{
	struct fx f;
	char v[300];

	setup(&f, "verifying");
	fx_phone(f.account, "+41790000003");
	reset(&f, "questions");
	/* #16: one message, naming the hold (no second 'Withdrawals are on hold' mail) */
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT recipient FROM outbox WHERE account_id = %llu AND channel = 'email' "
	    "AND subject = 'Your passkeys were reset, withdrawals on hold'", ULL(f.account)), f.email);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu AND channel = 'email' AND subject = 'Withdrawals are on hold'",
	    ULL(f.account)), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu AND channel = 'sms' AND body LIKE '%%passkeys were reset%%'",
	    ULL(f.account)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reject_closes_the_case_and_tells_why)
{
	struct fx f;
	struct req r;
	char v[1400], want[100];

	setup(&f, "under_review");
	reject(&f, &r);
	ck_assert_int_eq(r.status, 0); /* no answer of its own: the handler answers */
	fx_req_free(&r);
	ck_assert_str_eq(case_col(&f, "status", v, sizeof v), "rejected");
	ck_assert_int_eq(fx_ll("SELECT open_account_id IS NULL AND closed_at IS NOT NULL FROM reset_cases WHERE id = %llu",
	    ULL(f.case_id)), 1);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT CONCAT(event, '|', detail) FROM case_events WHERE case_id = %llu",
	    ULL(f.case_id)), "rejected|The screenshots could not be read.");
	ck_assert_ptr_nonnull(fx_str(v, sizeof v, "SELECT CONCAT(event, '|', actor, '|', ip, '|', detail) FROM audit_log "
	    "WHERE chain_id = %llu", ULL(f.account)));
	snprintf(want, sizeof want, "reset_rejected|reviewer:3|127.0.0.1|{\"case\":%llu,\"reason\":\"evidence_unreadable\"}",
	    ULL(f.case_id));
	ck_assert_str_eq(v, want);
	ck_assert_ptr_nonnull(fx_str(v, sizeof v, "SELECT body FROM outbox WHERE account_id = %llu AND channel = 'email' "
	    "AND subject = 'Your passkey reset was not approved'", ULL(f.account)));
	snprintf(want, sizeof want, "(case %llu)", ULL(f.case_id));
	ck_assert_ptr_nonnull(strstr(v, want));
	ck_assert_ptr_nonnull(strstr(v, "Reason: The screenshots could not be read."));
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reject_ends_the_flow_under_review)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "under_review");
	flow = new_flow(f.account, f.case_id, "under_review", 0);
	reject(&f, &r);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "rejected");
	ck_assert_int_eq(fx_ll("SELECT finished_at IS NOT NULL FROM reset_flows WHERE id = %llu", ULL(flow)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_flow_move_without_finishing)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "under_review");
	flow = new_flow(f.account, f.case_id, "under_review", 0);
	fx_req(&r, &f.a);
	ck_assert_int_eq(cases_flow_move(&r, f.case_id, "needs_more_info", 0), RK_OK);
	fx_commit(&f.a);
	ck_assert_int_eq(r.status, 0);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "needs_more_info");
	ck_assert_int_eq(fx_ll("SELECT finished_at IS NULL FROM reset_flows WHERE id = %llu", ULL(flow)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_reject_leaves_the_account_as_it_was)
{
	struct fx f;
	struct req r;
	char v[8];

	setup(&f, "under_review");
	reject(&f, &r);
	fx_req_free(&r);
	ck_assert_uint_eq(passkey_count(f.account), 2);
	ck_assert_uint_eq(live_sessions(f.account), 2);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", ULL(f.account)), 0);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT no_passkey_protection FROM accounts WHERE id = %llu", ULL(f.account)), "0");
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu AND event <> 'reset_rejected'", ULL(f.account)), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu AND subject = 'Your passkeys were reset'", ULL(f.account)), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_account_is_untouched_by_a_reset)
{
	struct fx f;
	uint64_t other, other_case;

	setup(&f, "verifying");
	other = fx_account("cases-other", NULL, 0);
	other_case = new_case(other, "verifying");
	passkeys(other, 1);
	sessions(other, 1);
	reset(&f, "questions");
	ck_assert_uint_eq(passkey_count(other), 1);
	ck_assert_uint_eq(live_sessions(other), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", ULL(other)), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu", ULL(other)), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM reset_cases WHERE id = %llu AND status = 'verifying'", ULL(other_case)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_flow_move_without_a_flow)
{
	struct fx f;
	struct req r;

	setup(&f, "under_review");
	fx_req(&r, &f.a);
	ck_assert_int_eq(cases_flow_move(&r, f.case_id, "rejected", 1), RK_OK);
	fx_commit(&f.a);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(r.out);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_flow_not_under_review_is_not_moved)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "awaiting_evidence");
	flow = new_flow(f.account, f.case_id, "documents", 0);
	fx_req(&r, &f.a);
	ck_assert_int_eq(cases_flow_move(&r, f.case_id, "rejected", 1), RK_OK);
	fx_commit(&f.a);
	ck_assert_int_eq(r.status, 0);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "documents");
	ck_assert_int_eq(fx_ll("SELECT finished_at IS NULL FROM reset_flows WHERE id = %llu", ULL(flow)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_finished_flow_is_not_moved)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "under_review");
	flow = new_flow(f.account, f.case_id, "under_review", 1);
	reject(&f, &r);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "under_review");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_event_for_no_case_fails)
{
	struct fx f;
	uint64_t none;
	int rc;

	setup(&f, "under_review");
	none = (uint64_t)fx_ll("SELECT MAX(id) + 1000000 FROM reset_cases");
	rc = cases_event(&f.a, none, "submitted", "");
	ck_assert_int_lt(rc, 0); /* the database's refusal */
	db_rollback(f.a.db);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM case_events WHERE case_id = %llu", ULL(none)), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_failed_reset_rolls_back_to_nothing)
{
	struct fx f;
	char v[40];
	uint64_t none;
	int rc;

	setup(&f, "verifying");
	/* the case's reset for an account that does not exist: the hold cannot be
	 * written, the caller rolls back, and the real account's case, passkeys
	 * and sessions are as they were */
	none = (uint64_t)fx_ll("SELECT MAX(id) + 1000000 FROM accounts");
	{
		struct req r;
		fx_req(&r, &f.a);
		rc = cases_reset_account(&r, none, f.case_id, "questions", "system");
		fx_req_free(&r);
	}
	ck_assert_int_lt(rc, 0);
	db_rollback(f.a.db);
	ck_assert_str_eq(case_col(&f, "status", v, sizeof v), "verifying");
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM case_events WHERE case_id = %llu", ULL(f.case_id)), 0);
	ck_assert_uint_eq(passkey_count(f.account), 2);
	ck_assert_uint_eq(live_sessions(f.account), 2);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id IN (%llu, %llu)", ULL(f.account), ULL(none)), 0);
	fx_app_close(&f.a);
}
END_TEST

/* #18: a case disputed by "this was not me" is decided by the reviewers,
 * never completed by a reset that was in flight */
START_TEST(junk_reset_of_a_disputed_case_is_refused)
{
	struct fx f;
	struct req r;
	char v[40];
	int rc;

	setup(&f, "disputed");
	fx_req(&r, &f.a);
	rc = cases_reset_account(&r, f.account, f.case_id, "review", "system");
	ck_assert_msg(rc == RK_REFUSED, "case_disputed expected: the reset answered %d", rc);
	ck_assert_str_eq(fx_error_code(&r), "case_disputed");
	db_rollback(f.a.db);
	fx_req_free(&r);
	ck_assert_str_eq(case_col(&f, "status", v, sizeof v), "disputed");
	ck_assert_uint_eq(passkey_count(f.account), 2);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_event_the_flow_does_not_take_is_refused)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "under_review");
	flow = new_flow(f.account, f.case_id, "under_review", 0);
	/* the core's table has no such step from under_review: 409, the row unmoved */
	fx_req(&r, &f.a);
	ck_assert_int_eq(cases_flow_move(&r, f.case_id, "answers_correct", 1), RK_REFUSED);
	ck_assert_int_eq(r.status, 409);
	ck_assert_str_eq(fx_error_code(&r), "flow_step_not_allowed");
	fx_req_free(&r);
	fx_commit(&f.a);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "under_review");
	ck_assert_int_eq(fx_ll("SELECT finished_at IS NULL FROM reset_flows WHERE id = %llu", ULL(flow)), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_case_is_untouched_by_a_reject)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t other, other_case, other_flow, flow;

	setup(&f, "under_review");
	flow = new_flow(f.account, f.case_id, "under_review", 0);
	other = fx_account("cases-other", NULL, 0);
	other_case = new_case(other, "under_review");
	other_flow = new_flow(other, other_case, "under_review", 0);
	reject(&f, &r);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "rejected");
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(other_flow)), "under_review");
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT status FROM reset_cases WHERE id = %llu", ULL(other_case)), "under_review");
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM case_events WHERE case_id = %llu", ULL(other_case)), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", ULL(other)), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_reject_leaves_a_flow_waiting_for_more_information)
{
	struct fx f;
	struct req r;
	char v[40];
	uint64_t flow;

	setup(&f, "needs_more_info");
	flow = new_flow(f.account, f.case_id, "needs_more_info", 0);
	/* the flow waits for the user, not for this decision: it is not moved
	 * (the core's table has no rejected from needs_more_info); the case is closed */
	reject(&f, &r);
	ck_assert_int_eq(r.status, 0);
	fx_req_free(&r);
	ck_assert_str_eq(fx_str(v, sizeof v, "SELECT state FROM reset_flows WHERE id = %llu", ULL(flow)), "needs_more_info");
	ck_assert_str_eq(case_col(&f, "status", v, sizeof v), "rejected");
	fx_app_close(&f.a);
}
END_TEST

RUN_STORE_SUITE("cases", junk_reset_of_a_disputed_case_is_refused, valid_events_are_a_timeline, valid_reset_removes_passkeys_and_signs_out,
    valid_reset_holds_withdrawals_for_hold_hours, valid_reset_completes_the_case_and_audits, valid_reset_notifies_the_holder,
    valid_reject_closes_the_case_and_tells_why, valid_reject_ends_the_flow_under_review, valid_flow_move_without_finishing,
    junk_reject_leaves_the_account_as_it_was, wrong_account_is_untouched_by_a_reset, junk_flow_move_without_a_flow,
    junk_flow_not_under_review_is_not_moved, junk_finished_flow_is_not_moved, junk_event_for_no_case_fails,
    junk_failed_reset_rolls_back_to_nothing, junk_event_the_flow_does_not_take_is_refused,
    wrong_case_is_untouched_by_a_reject, junk_reject_leaves_a_flow_waiting_for_more_information)
