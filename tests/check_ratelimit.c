/* check_ratelimit.c -- cgi/base/ratelimit.c against the test stack's
 * MariaDB: fixed windows counted by one upsert whose changed-row count is
 * the answer. Hits are allowed up to the limit and refused after it, a
 * refusal moves nothing, the window reopens at its end, a clear starts
 * over, and processes racing on one bucket never count past the limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "store_fixture.h"

/* a key no other test uses */
static void
fresh_key(char *key, size_t n)
{
	unsigned char r[12];
	char hex[25];

	fx_random(r, sizeof r);
	snprintf(key, n, "check-rate-%s", fx_hex(r, sizeof r, hex));
}

/* the row's name: the keyed hash of scope and key (hex) */
static const char *
bucket_hex(const struct app *a, const char *scope, const char *key, char out[65])
{
	unsigned char b[32];
	keys_hash(a->keys.bucket, scope, strlen(scope), key, strlen(key), b);
	return fx_hex(b, 32, out);
}

static long long
hits(const struct app *a, const char *scope, const char *key)
{
	char b[65];
	return fx_ll("SELECT COALESCE((SELECT hits FROM rate_limits WHERE bucket = X'%s'), 0)", bucket_hex(a, scope, key, b));
}

/* one hit as a request makes it: its own transaction */
static int
hit(struct app *a, const char *scope, const char *key, int limit, int window)
{
	int rc = rate_hit(a, scope, key, strlen(key), limit, window);
	ck_assert_msg(rc == 0 || rc == 1, "rate_hit: %d %s", rc, db_error(a->db));
	fx_commit(a);
	return rc;
}

START_TEST(valid_hits_up_to_the_limit_are_allowed)
{
	struct app a;
	char key[64];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	for (int i = 1; i <= 3; i++) {
		ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
		ck_assert_int_eq(hits(&a, "check:a", key), i);
	}
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_window_of_the_length_asked)
{
	struct app a;
	char key[64], b[65];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	/* the window ends 900 s after the first hit (give or take the run) */
	ck_assert_int_le(llabs(fx_ll("SELECT TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(6), window_end) FROM rate_limits "
	    "WHERE bucket = X'%s'", bucket_hex(&a, "check:a", key, b)) - 900), 5);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_window_end_reopens_the_count)
{
	struct app a;
	char key[64], b[65];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 0);
	fx_sql("UPDATE rate_limits SET window_end = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE bucket = X'%s'",
	    bucket_hex(&a, "check:a", key, b));
	/* an ended window counts 1 again, in a new window, up to the limit */
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	ck_assert_int_eq(hits(&a, "check:a", key), 1);
	ck_assert_int_eq(fx_ll("SELECT window_end > UTC_TIMESTAMP(6) + INTERVAL 800 SECOND FROM rate_limits WHERE bucket = X'%s'",
	    b), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 0);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_clear_starts_over)
{
	struct app a;
	char key[64], b[65];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(hit(&a, "check:a", key, 2, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 2, 900), 0);
	ck_assert_int_eq(rate_clear(&a, "check:a", key, strlen(key)), RK_OK);
	fx_commit(&a);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM rate_limits WHERE bucket = X'%s'", bucket_hex(&a, "check:a", key, b)), 0);
	ck_assert_int_eq(hit(&a, "check:a", key, 2, 900), 1);
	ck_assert_int_eq(hits(&a, "check:a", key), 1);
	fx_app_close(&a);
}
END_TEST

START_TEST(valid_anon_under_the_limit_goes_on)
{
	struct app a;
	struct req r;
	char ip[64];

	fx_app_open(&a);
	fresh_key(ip, sizeof ip);
	a.cfg.anon_limit_ip = 2;
	fx_req(&r, &a);
	r.ip = ip;
	ck_assert_int_eq(rate_anon(&r), RK_OK);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(r.out);
	fx_commit(&a);
	ck_assert_int_eq(hits(&a, "anon:ip", ip), 1);
	fx_req_free(&r);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_hit_past_the_limit_is_refused)
{
	struct app a;
	char key[64];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 1);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(hit(&a, "check:a", key, 3, 900), 0);
		ck_assert_int_eq(hits(&a, "check:a", key), 3); /* a refusal counts nothing */
	}
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_refusals_do_not_push_the_window_end)
{
	struct app a;
	char key[64], b[65], end1[40], end2[40];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 1);
	ck_assert_ptr_nonnull(fx_str(end1, sizeof end1, "SELECT window_end FROM rate_limits WHERE bucket = X'%s'",
	    bucket_hex(&a, "check:a", key, b)));
	usleep(20000);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 3600), 0);
	ck_assert_ptr_nonnull(fx_str(end2, sizeof end2, "SELECT window_end FROM rate_limits WHERE bucket = X'%s'", b));
	ck_assert_str_eq(end1, end2);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_live_window_is_not_reopened_early)
{
	struct app a;
	char key[64], b[65];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 1);
	/* a second before its end the window is still closed */
	fx_sql("UPDATE rate_limits SET window_end = UTC_TIMESTAMP(6) + INTERVAL 2 SECOND WHERE bucket = X'%s'",
	    bucket_hex(&a, "check:a", key, b));
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 0);
	ck_assert_int_eq(hits(&a, "check:a", key), 1);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_no_limit_refuses_everything)
{
	struct app a;
	char key[64], b[65];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	/* a limit of 0 (or less) is no budget at all, and stores no row */
	ck_assert_int_eq(hit(&a, "check:a", key, 0, 900), 0);
	ck_assert_int_eq(hit(&a, "check:a", key, -1, 900), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM rate_limits WHERE bucket = X'%s'", bucket_hex(&a, "check:a", key, b)), 0);
	fx_app_close(&a);
}
END_TEST

START_TEST(wrong_scope_or_key_is_another_budget)
{
	struct app a;
	char key[64], other[64];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	fresh_key(other, sizeof other);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 0);
	/* a full bucket refuses only its own scope and key */
	ck_assert_int_eq(hit(&a, "check:b", key, 1, 900), 1);
	ck_assert_int_eq(hit(&a, "check:a", other, 1, 900), 1);
	/* and a clear of another key leaves it full */
	ck_assert_int_eq(rate_clear(&a, "check:a", other, strlen(other)), RK_OK);
	ck_assert_int_eq(rate_clear(&a, "check:b", key, strlen(key)), RK_OK);
	fx_commit(&a);
	ck_assert_int_eq(hit(&a, "check:a", key, 1, 900), 0);
	ck_assert_int_eq(hits(&a, "check:a", key), 1);
	fx_app_close(&a);
}
END_TEST

START_TEST(junk_anon_past_the_limit_answers_429)
{
	struct app a;
	struct req r;
	char ip[64];

	fx_app_open(&a);
	fresh_key(ip, sizeof ip);
	a.cfg.anon_limit_ip = 2;
	for (int i = 0; i < 2; i++) {
		fx_req(&r, &a);
		r.ip = ip;
		ck_assert_int_eq(rate_anon(&r), RK_OK);
		fx_req_free(&r);
	}
	fx_req(&r, &a);
	r.ip = ip;
	ck_assert_int_eq(rate_anon(&r), RK_REFUSED);
	ck_assert_int_eq(r.status, 429);
	ck_assert_str_eq(fx_error_code(&r), "too_many_requests");
	fx_req_free(&r);
	fx_commit(&a);
	ck_assert_int_eq(hits(&a, "anon:ip", ip), 2);
	fx_app_close(&a);
}
END_TEST

/* N processes, each with its own connection, hit one bucket M times each
 * (a transaction per hit, as requests do) after a common start: the
 * allowed hits add up to the limit exactly, and so does the row. */
#define RACERS 6
#define RACER_HITS 8
#define RACE_LIMIT 20

START_TEST(junk_concurrent_hits_never_count_past_the_limit)
{
	struct app a;
	char key[64];
	int go[2], allowed = 0;
	pid_t pid[RACERS];

	fx_app_open(&a);
	fresh_key(key, sizeof key);
	ck_assert_int_eq(pipe(go), 0);
	for (int i = 0; i < RACERS; i++) {
		ck_assert_int_ge(pid[i] = fork(), 0);
		if (pid[i] == 0) {
			struct app mine;
			char c;
			int n = 0;
			close(go[1]);
			fx_app_open(&mine);
			if (read(go[0], &c, 1) < 0) /* EOF: everyone starts */
				_exit(255);
			for (int h = 0; h < RACER_HITS; h++) {
				int rc;
				do
					rc = rate_hit(&mine, "check:race", key, strlen(key), RACE_LIMIT, 900);
				while (rc == RK_RETRY && (db_rollback(mine.db), 1));
				if (rc < 0 || db_commit(mine.db) != RK_OK)
					_exit(255);
				n += rc;
			}
			_exit(n);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < RACERS; i++) {
		int st;
		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) != 255, "racer %d failed", i);
		allowed += WEXITSTATUS(st);
	}
	ck_assert_int_eq(allowed, RACE_LIMIT);
	ck_assert_int_eq(hits(&a, "check:race", key), RACE_LIMIT);
	fx_app_close(&a);
}
END_TEST

RUN_STORE_SUITE("ratelimit", valid_hits_up_to_the_limit_are_allowed, valid_window_of_the_length_asked,
    valid_window_end_reopens_the_count, valid_clear_starts_over, valid_anon_under_the_limit_goes_on,
    junk_hit_past_the_limit_is_refused, junk_refusals_do_not_push_the_window_end, junk_live_window_is_not_reopened_early,
    junk_no_limit_refuses_everything, wrong_scope_or_key_is_another_budget, junk_anon_past_the_limit_answers_429,
    junk_concurrent_hits_never_count_past_the_limit)
