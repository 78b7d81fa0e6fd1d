/* store_fixture.h -- what the suites of cgi/store/ and cgi/base/ modules
 * share (tests/check_session.c, check_codes.c, check_holds.c, check_cases.c,
 * check_vault.c, check_ratelimit.c): a `struct app` on the test stack's
 * MariaDB, requests built on the stack, and a connection of the test's own
 * that reads and moves rows behind the module's back.
 *
 * The stack is the one tests/run.sh starts: REKEY_TEST_DB_SOCKET names its
 * socket (root over it, as check_db does). The app uses the stack's server
 * key (REKEY_TEST_KEY_FILE, or secret.key beside the stack's run/ folder), so
 * the audit chains these suites extend still verify under `rekeyctl
 * audit-verify`, which the API suites run on the same database later. */
#ifndef REKEY_TEST_STORE_FIXTURE_H
#define REKEY_TEST_STORE_FIXTURE_H
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include "../cgi/base/base.h"

#define FX_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* An app whose configuration is a file written for the test (the stack's
 * socket and key, everything else the defaults), connected as a write
 * route: statements run in a transaction that the test commits. */
void fx_app_open(struct app *a);
/* The same without any database (check_vault): a random server key. */
void fx_app_open_nodb(struct app *a);
void fx_app_close(struct app *a);
/* COMMIT on the app's connection, asserted. */
void fx_commit(struct app *a);

/* A request from 127.0.0.1 ("check" as its user agent) in app A. */
void fx_req(struct req *r, struct app *a);
void fx_req_free(struct req *r);
/* error.code of the JSON answer, or "" when there is none. */
const char *fx_error_code(const struct req *r);
/* The value of cookie NAME in the answer's Set-Cookie headers (into out), or NULL. */
const char *fx_set_cookie(const struct req *r, const char *name, char *out, size_t outlen);
/* The attributes after NAME's value (Path=...; Max-Age=...), or NULL. */
const char *fx_set_cookie_attrs(const struct req *r, const char *name, char *out, size_t outlen);

/* The test's own connection (autocommit, so every statement is seen at
 * once, and it sees only what the app committed). */
void fx_sql(const char *fmt, ...) FX_PRINTF(1, 2);
/* The first column of the one row a query returns: as an integer (a NULL
 * cell is -1), or as text (NULL for a NULL cell; into out). */
long long fx_ll(const char *fmt, ...) FX_PRINTF(1, 2);
const char *fx_str(char *out, size_t outlen, const char *fmt, ...) FX_PRINTF(3, 4);
/* How many rows a query returns. */
unsigned long long fx_rows(const char *fmt, ...) FX_PRINTF(1, 2);

/* A new account (committed): its id; its email in email (when not NULL). */
uint64_t fx_account(const char *label, char *email, size_t emaillen);
/* A confirmed phone for the account (the second channel of notices). */
void fx_phone(uint64_t account, const char *number);
/* Lower-case hex of n bytes into out (2n + 1). */
char *fx_hex(const void *p, size_t n, char *out);
void fx_random(void *p, size_t n);

/* Each suite as one Check case; tests that wait on row locks or start
 * processes take longer than Check's 4 s default on a busy machine. */
#define RUN_STORE_SUITE(name, ...)                                          \
	int main(void)                                                      \
	{                                                                   \
		Suite *s = suite_create(name);                              \
		TCase *tc = tcase_create("all");                            \
		const TTest *fns[] = { __VA_ARGS__ };                       \
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)     \
			tcase_add_test(tc, fns[i]);                         \
		tcase_set_timeout(tc, 60);                                  \
		suite_add_tcase(s, tc);                                     \
		SRunner *sr = srunner_create(s);                            \
		srunner_run_all(sr, CK_NORMAL);                             \
		int failed = srunner_ntests_failed(sr);                     \
		srunner_free(sr);                                           \
		return failed == 0 ? 0 : 1;                                 \
	}

#endif
