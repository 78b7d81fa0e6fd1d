/* check_validate.c -- email, code, password, amount, UTF-8. */
#include "vectors.h"
#include "../wasm/chain.h"
#include "../wasm/validate.h"

static void
email_one(const struct vec *v, void *arg)
{
	(void)arg;
	ck_assert_msg(strcmp(problem_name(validate_email(v->f[0], strlen(v->f[0]))), v->f[1]) == 0, "line %d: %s", v->lineno, v->f[0]);
}

START_TEST(valid_and_junk_emails)
{
	vec_each("tests/vectors/validate/email.tsv", email_one, NULL);
}
END_TEST

static void
code_one(const struct vec *v, void *arg)
{
	(void)arg;
	ck_assert_msg(strcmp(problem_name(validate_code(v->f[0], strlen(v->f[0]))), v->f[1]) == 0, "line %d: %s", v->lineno, v->f[0]);
}

START_TEST(valid_and_junk_codes)
{
	vec_each("tests/vectors/validate/code.tsv", code_one, NULL);
}
END_TEST

static void
password_one(const struct vec *v, void *arg)
{
	struct problems ps = { 0, { 0 } };
	char got[200] = "";
	(void)arg;
	validate_password(v->f[0], strlen(v->f[0]), &ps);
	for (unsigned i = 0; i < ps.n; i++) {
		if (i)
			strcat(got, ",");
		strcat(got, problem_name((enum problem)ps.code[i]));
	}
	ck_assert_msg(strcmp(ps.n ? got : "ok", v->f[1]) == 0, "line %d: %s gave %s", v->lineno, v->f[0], got);
}

START_TEST(valid_and_weak_passwords)
{
	vec_each("tests/vectors/validate/password.tsv", password_one, NULL);
}
END_TEST

static void
amount_one(const struct vec *v, void *arg)
{
	enum chain c = chain_lookup(v->f[0], strlen(v->f[0]));
	unsigned d = strcmp(v->f[0], "USDT") == 0 ? 6 : c == CHAIN__MAX ? 0 : chain_info(c)->decimals;
	enum problem p = (c == CHAIN__MAX && strcmp(v->f[0], "USDT") != 0) ? PROB_CHAIN_UNKNOWN : validate_amount(v->f[1], strlen(v->f[1]), d);
	(void)arg;
	ck_assert_msg(strcmp(problem_name(p), v->f[2]) == 0, "line %d: %s gave %s", v->lineno, v->f[1], problem_name(p));
}

START_TEST(valid_and_junk_amounts)
{
	vec_each("tests/vectors/validate/amount.tsv", amount_one, NULL);
}
END_TEST

START_TEST(junk_utf8_refused)
{
	ck_assert_int_eq(validate_utf8("h\xc3\xa9llo", 6, 0), 1);
	ck_assert_int_eq(validate_utf8("\xf0\x9f\x94\x91", 4, 0), 1);  /* U+1F511 */
	ck_assert_int_eq(validate_utf8("\xc0\xaf", 2, 0), 0);          /* overlong '/' */
	ck_assert_int_eq(validate_utf8("\xe0\x80\xaf", 3, 0), 0);      /* overlong */
	ck_assert_int_eq(validate_utf8("\xed\xa0\x80", 3, 0), 0);      /* surrogate */
	ck_assert_int_eq(validate_utf8("\xf4\x90\x80\x80", 4, 0), 0);  /* > U+10FFFF */
	ck_assert_int_eq(validate_utf8("\xc3", 1, 0), 0);              /* truncated */
	ck_assert_int_eq(validate_utf8("a\0b", 3, 0), 0);              /* NUL */
	ck_assert_int_eq(validate_utf8("a\nb", 3, 0), 0);
	ck_assert_int_eq(validate_utf8("a\nb", 3, 1), 1);
	ck_assert_int_eq(validate_utf8("\xc2\x85", 2, 1), 0);          /* C1 control NEL */
}
END_TEST

RUN_SUITE("validate", valid_and_junk_emails, valid_and_junk_codes, valid_and_weak_passwords, valid_and_junk_amounts,
    junk_utf8_refused)
