/* check_codes.c -- cgi/store/codes.c against the test stack's MariaDB:
 * one-time codes of 6 digits, 10-minute life, 5 tries, single use, stored
 * only as keyed hashes, bound to account, purpose and what asked, one
 * issue a minute. The code itself is read where the user reads it: in the
 * outbox. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "store_fixture.h"
#include "../cgi/store/store.h"

#define NONE (-10) /* codes_verify: none, expired, used or out of tries */

struct fx {
	struct app a;
	uint64_t account;
	char email[200], bound[64];
};

static void
setup(struct fx *f)
{
	unsigned char r[8];
	char hex[17];

	fx_app_open(&f->a);
	f->account = fx_account("codes", f->email, sizeof f->email);
	fx_random(r, sizeof r);
	snprintf(f->bound, sizeof f->bound, "flow:%s", fx_hex(r, sizeof r, hex));
}

/* issues a code (committed) and returns it as the outbox holds it */
static void
issue(struct fx *f, const char *purpose, const char *bound, const char *channel, const char *to, char code[7])
{
	char body[1200];
	int throttled = -1, rc;
	const char *p;

	rc = codes_issue(&f->a, f->account, purpose, bound, channel, to, &throttled);
	ck_assert_msg(rc == RK_OK, "codes_issue: %d %s", rc, db_error(f->a.db));
	ck_assert_int_eq(throttled, 0);
	fx_commit(&f->a);
	ck_assert_ptr_nonnull(fx_str(body, sizeof body, "SELECT body FROM outbox WHERE account_id = %llu AND channel = '%s' "
	    "ORDER BY id DESC LIMIT 1", (unsigned long long)f->account, channel));
	for (p = body; *p; p++)
		if (isdigit((unsigned char)p[0]) && strspn(p, "0123456789") == 6)
			break;
	ck_assert_msg(*p, "no code in: %s", body);
	memcpy(code, p, 6);
	code[6] = '\0';
}

/* a code that is not CODE (same length) */
static void
other_code(const char *code, char out[7])
{
	snprintf(out, 7, "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
}

static int
verify(struct fx *f, uint64_t account, const char *purpose, const char *bound, const char *code, int *left)
{
	int rc = codes_verify(&f->a, account, purpose, bound, code, left);
	ck_assert_msg(rc == 1 || rc == 0 || rc == NONE, "codes_verify: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
	return rc;
}

static long long
latest_col(struct fx *f, const char *purpose, const char *bound, const char *col)
{
	return fx_ll("SELECT %s FROM codes WHERE account_id = %llu AND purpose = '%s' AND bound_to = '%s' ORDER BY id DESC LIMIT 1",
	    col, (unsigned long long)f->account, purpose, bound);
}

/* the latest code row copied under another account, purpose or bound_to:
 * the same hash, so only the hash's own binding can tell them apart */
static void
copy_latest(struct fx *f, uint64_t account, const char *purpose, const char *bound)
{
	fx_sql("INSERT INTO codes (account_id, purpose, bound_to, channel, code_hash, created_at, expires_at) "
	    "SELECT %llu, '%s', '%s', channel, code_hash, created_at, expires_at FROM codes WHERE account_id = %llu "
	    "ORDER BY id DESC LIMIT 1", (unsigned long long)account, purpose, bound, (unsigned long long)f->account);
}

START_TEST(valid_issue_stores_only_a_hash_and_queues_the_code)
{
	struct fx f;
	char code[7], subject[200], hash[65];

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM codes WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 0);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "used_at IS NULL"), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "channel = 'email'"), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "TIMESTAMPDIFF(SECOND, created_at, expires_at)"), f.a.cfg.code_seconds);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "LENGTH(code_hash)"), 32);
	/* the stored value is no plain or plainly hashed form of the code */
	ck_assert_ptr_nonnull(fx_str(hash, sizeof hash, "SELECT LOWER(HEX(code_hash)) FROM codes WHERE account_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_ptr_null(strstr(hash, code));
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM codes WHERE account_id = %llu AND code_hash IN (UNHEX(SHA2('%s', 256)), "
	    "UNHEX(SHA2(CONCAT('%llu|check|%s', '%s'), 256)))", (unsigned long long)f.account, code,
	    (unsigned long long)f.account, f.bound, code), 0);
	/* one mail to the address given */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_ptr_nonnull(fx_str(subject, sizeof subject, "SELECT CONCAT(recipient, '|', subject) FROM outbox WHERE account_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(strchr(subject, '|') + 1, "Rekey Demo Exchange verification code");
	*strchr(subject, '|') = '\0';
	ck_assert_str_eq(subject, f.email);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_right_code_verifies)
{
	struct fx f;
	char code[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "used_at IS NOT NULL"), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_sms_code_goes_to_the_phone)
{
	struct fx f;
	char code[7], to[40];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "sms", "+41790000001", code);
	ck_assert_ptr_nonnull(fx_str(to, sizeof to, "SELECT recipient FROM outbox WHERE account_id = %llu AND channel = 'sms'",
	    (unsigned long long)f.account));
	ck_assert_str_eq(to, "+41790000001");
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu AND channel = 'email'", (unsigned long long)f.account), 0);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "channel = 'sms'"), 1);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_right_code_after_four_wrong_ones)
{
	struct fx f;
	char code[7], wrong[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	other_code(code, wrong);
	for (int i = 1; i < CODE_TRIES; i++) {
		ck_assert_int_eq(verify(&f, f.account, "check", f.bound, wrong, &left), 0);
		ck_assert_int_eq(left, CODE_TRIES - i);
	}
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_another_bound_to_has_its_own_code)
{
	struct fx f;
	char code1[7], code2[7], other[80];
	int left = -1;

	setup(&f);
	snprintf(other, sizeof other, "%s-2", f.bound);
	/* the resend budget is per purpose and binding: no throttle here */
	issue(&f, "check", f.bound, "email", f.email, code1);
	issue(&f, "check", other, "email", f.email, code2);
	ck_assert_int_eq(verify(&f, f.account, "check", other, code2, &left), 1);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code1, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_reissue_after_a_minute_retires_the_old_code)
{
	struct fx f;
	char code1[7], code2[7], ctx[200];
	int left = -1, n;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code1);
	/* a minute later: the resend window (codes.c: scope code:resend) has ended */
	n = snprintf(ctx, sizeof ctx, "%llu|check|%s", (unsigned long long)f.account, f.bound);
	ck_assert_int_eq(rate_clear(&f.a, "code:resend", ctx, (size_t)n), RK_OK);
	fx_commit(&f.a);
	issue(&f, "check", f.bound, "email", f.email, code2);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM codes WHERE account_id = %llu", (unsigned long long)f.account), 2);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM codes WHERE account_id = %llu AND used_at IS NULL", (unsigned long long)f.account), 1);
	if (strcmp(code1, code2) != 0) /* 1 in a million they are the same digits */
		ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code1, &left), 0);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code2, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_code_counts_a_try)
{
	struct fx f;
	char code[7], wrong[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	other_code(code, wrong);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, wrong, &left), 0);
	ck_assert_int_eq(left, CODE_TRIES - 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "used_at IS NULL"), 1);
	/* a code of another length or with letters is just as wrong */
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, "12345", &left), 0);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, "", &left), 0);
	ck_assert_int_eq(left, CODE_TRIES - 3);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 3);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_tries_exhausted_refuses_the_right_code)
{
	struct fx f;
	char code[7], wrong[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	other_code(code, wrong);
	for (int i = 1; i <= CODE_TRIES; i++) {
		ck_assert_int_eq(verify(&f, f.account, "check", f.bound, wrong, &left), 0);
		ck_assert_int_eq(left, CODE_TRIES - i);
	}
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), NONE);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, wrong, &left), NONE);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), CODE_TRIES);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "used_at IS NULL"), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_expired_code_is_refused)
{
	struct fx f;
	char code[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	fx_sql("UPDATE codes SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = %llu",
	    (unsigned long long)f.account);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), NONE);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "used_at IS NULL"), 1);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_code_works_once)
{
	struct fx f;
	char code[7], wrong[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	other_code(code, wrong);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), NONE);
	/* and a used code counts no more tries */
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, wrong, &left), NONE);
	ck_assert_int_eq(latest_col(&f, "check", f.bound, "tries"), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_no_code_issued)
{
	struct fx f;
	int left = -1;

	setup(&f);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, "123456", &left), NONE);
	ck_assert_int_eq(left, 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_purpose)
{
	struct fx f;
	char code[7];
	int left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	/* no code of that purpose */
	ck_assert_int_eq(verify(&f, f.account, "check_other", f.bound, code, &left), NONE);
	/* a row of that purpose with the very same hash: the hash is bound to the purpose */
	copy_latest(&f, f.account, "check_other", f.bound);
	ck_assert_int_eq(verify(&f, f.account, "check_other", f.bound, code, &left), 0);
	/* the code still works for its own purpose */
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_bound_to)
{
	struct fx f;
	char code[7], other[80];
	int left = -1;

	setup(&f);
	snprintf(other, sizeof other, "%s-other", f.bound);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_int_eq(verify(&f, f.account, "check", other, code, &left), NONE);
	copy_latest(&f, f.account, "check", other);
	ck_assert_int_eq(verify(&f, f.account, "check", other, code, &left), 0);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_account)
{
	struct fx f;
	char code[7];
	int left = -1;
	uint64_t other;

	setup(&f);
	other = fx_account("codes-other", NULL, 0);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_int_eq(verify(&f, other, "check", f.bound, code, &left), NONE);
	copy_latest(&f, other, "check", f.bound);
	ck_assert_int_eq(verify(&f, other, "check", f.bound, code, &left), 0);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_resend_within_a_minute_is_throttled)
{
	struct fx f;
	char code[7];
	int throttled = -1, left = -1;

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_int_eq(codes_issue(&f.a, f.account, "check", f.bound, "email", f.email, &throttled), RK_OK);
	fx_commit(&f.a);
	ck_assert_int_eq(throttled, 1);
	/* nothing new: no code, no mail; the first code still stands */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM codes WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_int_eq(verify(&f, f.account, "check", f.bound, code, &left), 1);
	fx_app_close(&f.a);
}
END_TEST

/* processes racing with the right code, each on its own connection: one wins */
#define RACERS 4

START_TEST(junk_racing_right_codes_have_one_winner)
{
	struct fx f;
	char code[7];
	int go[2], wins = 0, refused = 0;
	pid_t pid[RACERS];

	setup(&f);
	issue(&f, "check", f.bound, "email", f.email, code);
	ck_assert_int_eq(pipe(go), 0);
	for (int i = 0; i < RACERS; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			struct app mine;
			char c;
			int left, rc;
			close(go[1]);
			fx_app_open(&mine);
			if (read(go[0], &c, 1) < 0)
				_exit(255);
			do {
				rc = codes_verify(&mine, f.account, "check", f.bound, code, &left);
				if (rc == RK_RETRY)
					db_rollback(mine.db);
			} while (rc == RK_RETRY);
			if ((rc != 1 && rc != NONE) || db_commit(mine.db) != RK_OK)
				_exit(255);
			_exit(rc == 1 ? 1 : 0);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < RACERS; i++) {
		int st;
		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) != 255, "racer %d failed", i);
		wins += WEXITSTATUS(st);
		refused += WEXITSTATUS(st) == 0;
	}
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(refused, RACERS - 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_code_answer_says_the_tries_left)
{
	struct app a;
	struct req r;
	json_t *e;

	fx_app_open_nodb(&a);
	fx_req(&r, &a);
	codes_refuse(&r, 0, 2);
	ck_assert_int_eq(r.status, 400);
	ck_assert_str_eq(fx_error_code(&r), "code_wrong");
	e = json_object_get(r.out, "error");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "tries_left")), 2);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e, "message")), "try again"));
	fx_req_free(&r);
	/* the last try: the message says so */
	fx_req(&r, &a);
	codes_refuse(&r, 0, 0);
	ck_assert_int_eq(r.status, 400);
	e = json_object_get(r.out, "error");
	ck_assert_int_eq(json_integer_value(json_object_get(e, "tries_left")), 0);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e, "message")), "no tries are left"));
	fx_req_free(&r);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_code_answer_is_gone)
{
	struct app a;
	struct req r;

	fx_app_open_nodb(&a);
	fx_req(&r, &a);
	ck_assert_int_eq(codes_refuse(&r, NONE, 0), RK_REFUSED);
	ck_assert_int_eq(r.status, 410);
	ck_assert_str_eq(fx_error_code(&r), "code_expired");
	ck_assert_ptr_null(json_object_get(json_object_get(r.out, "error"), "tries_left"));
	fx_req_free(&r);
	fx_app_close(&a);
}
END_TEST

RUN_STORE_SUITE("codes", valid_issue_stores_only_a_hash_and_queues_the_code, valid_right_code_verifies,
    valid_sms_code_goes_to_the_phone, valid_right_code_after_four_wrong_ones, valid_another_bound_to_has_its_own_code,
    valid_reissue_after_a_minute_retires_the_old_code, wrong_code_counts_a_try, junk_tries_exhausted_refuses_the_right_code,
    junk_expired_code_is_refused, junk_code_works_once, junk_no_code_issued, wrong_purpose, wrong_bound_to, wrong_account,
    junk_resend_within_a_minute_is_throttled, junk_racing_right_codes_have_one_winner, wrong_code_answer_says_the_tries_left,
    junk_code_answer_is_gone)
