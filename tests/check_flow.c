/* check_flow.c -- the delete and reset machines and the reset decision table. */
#include "vectors.h"
#include "../wasm/flow.h"

static unsigned
st(enum flow_kind k, const char *name)
{
	int s = flow_state_lookup(flow_get(k), name);
	ck_assert_msg(s >= 0, "no state %s", name);
	return (unsigned)s;
}

static unsigned
ev(enum flow_kind k, const char *name)
{
	int e = flow_event_lookup(flow_get(k), name);
	ck_assert_msg(e >= 0, "no event %s", name);
	return (unsigned)e;
}

static enum problem
step(enum flow_kind k, const char *from, const char *event, const struct flow_facts *f, const char **to)
{
	unsigned t = 0;
	enum problem p = flow_next(k, st(k, from), ev(k, event), f, &t);
	*to = p == PROB_OK ? flow_get(k)->states[t] : NULL;
	return p;
}

START_TEST(valid_delete_happy_path)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "confirm", "next", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "email_code");
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "email_code", "email_verified", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "second_factor");
	f.factor = FACTOR_TOTP;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "deleted");
	ck_assert_int_eq(flow_get(FLOW_DELETE_PASSKEY)->terminal[st(FLOW_DELETE_PASSKEY, "deleted")], 1);
}
END_TEST

START_TEST(wrong_delete_skipped_step)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	f.factor = FACTOR_SMS;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "confirm", "factor_verified", &f, &to), PROB_FLOW_NOT_ALLOWED);
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "email_code", "factor_verified", &f, &to), PROB_FLOW_NOT_ALLOWED);
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "deleted", "next", &f, &to), PROB_FLOW_NOT_ALLOWED);
}
END_TEST

START_TEST(wrong_delete_same_factor_or_self)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	f.factor = FACTOR_EMAIL; /* the email code cannot also be the second step */
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_FLOW_SAME_FACTOR);
	f.factor = FACTOR_NONE;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_FLOW_SAME_FACTOR);
	f.factor = FACTOR_PASSKEY;
	f.factor_is_target = 1;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_FLOW_SELF_VERIFY);
	f.factor_is_target = 0;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_OK);
}
END_TEST

START_TEST(wrong_delete_last_factor)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	f.last_factor = 1;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "confirm", "next", &f, &to), PROB_FLOW_LAST_FACTOR);
}
END_TEST

START_TEST(valid_delete_switch_and_unavailable)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "switch_method", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "second_factor");
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "verification_unavailable", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "to_reset");
}
END_TEST

START_TEST(wrong_reset_consent_required)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "instructions", "agree", &f, &to), PROB_FLOW_NOT_AGREED);
	f.agreed = 1;
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "instructions", "agree", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "credentials");
}
END_TEST

/* One row of the decision table per case, first match wins. */
struct row_case {
	int identity, high, pwd, tool, attempts, docs, codes;
	const char *route;
	unsigned row;
};

START_TEST(valid_reset_decision_table_rows)
{
	static const struct row_case cases[] = {
		{ IDENTITY_VERIFIED, 1, 1, 1, 3, 0, 0, "face", 1 },
		{ IDENTITY_VERIFIED, 0, 0, 1, 3, 0, 0, "face", 2 },
		{ IDENTITY_VERIFIED, 0, 1, 0, 3, 0, 0, "face", 3 },
		{ IDENTITY_VERIFIED, 0, 1, 1, 0, 0, 0, "face", 4 },
		{ IDENTITY_UNVERIFIED, 1, 1, 1, 3, 0, 0, "documents", 5 },
		{ IDENTITY_INVALID, 0, 0, 1, 3, 0, 0, "documents", 6 },
		{ IDENTITY_UNVERIFIED, 0, 1, 0, 3, 0, 0, "documents", 7 },
		{ IDENTITY_UNVERIFIED, 0, 1, 1, 0, 0, 0, "documents", 8 },
		{ IDENTITY_VERIFIED, 0, 1, 1, 2, 1, 0, "documents", 9 },
		{ IDENTITY_VERIFIED, 0, 1, 1, 3, 0, 0, "questions", 12 },
		{ IDENTITY_UNVERIFIED, 0, 1, 1, 1, 0, 0, "questions", 12 },
		/* issue #17: a live set of recovery codes comes first, with the password only */
		{ IDENTITY_VERIFIED, 1, 1, 1, 3, 0, 1, "recovery_code", 0 },
		{ IDENTITY_UNVERIFIED, 0, 1, 0, 0, 0, 1, "recovery_code", 0 },
		{ IDENTITY_VERIFIED, 0, 0, 1, 3, 0, 1, "face", 2 },
		{ IDENTITY_UNVERIFIED, 0, 0, 1, 3, 0, 1, "documents", 6 },
		{ IDENTITY_UNVERIFIED, 0, 1, 1, 3, 1, 1, "documents", 9 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct flow_facts f;
		unsigned row;
		flow_facts_default(&f);
		f.identity = (unsigned char)cases[i].identity;
		f.high_value = (unsigned char)cases[i].high;
		f.password_confirmed = (unsigned char)cases[i].pwd;
		f.tool_available = (unsigned char)cases[i].tool;
		f.attempts_left = (unsigned char)cases[i].attempts;
		f.chose_documents = (unsigned char)cases[i].docs;
		f.recovery_codes = (unsigned char)cases[i].codes;
		ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), cases[i].route);
		ck_assert_uint_eq(row, cases[i].row);
	}
}
END_TEST

/* #18: the strict profile (reset_questions = off, sms_as_second_factor = off)
 * and the default one, on the same facts */
START_TEST(valid_reset_profiles_follow_the_settings)
{
	struct flow_facts f;
	const char *to;
	unsigned row;

	flow_facts_default(&f);
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "questions");
	ck_assert_uint_eq(row, 12);
	f.questions_off = 1;
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "documents");
	ck_assert_uint_eq(row, 11);
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "route", "decide", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "documents");
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "questions_attention", "start", &f, &to), PROB_FLOW_QUESTIONS_OFF);
	f.identity = IDENTITY_VERIFIED;
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "face");
	ck_assert_uint_eq(row, 10);
	/* a phone alone: another tool by default, none with SMS off */
	flow_facts_default(&f);
	f.phone_only = 1;
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "questions");
	f.sms_off = 1;
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "documents");
	ck_assert_uint_eq(row, 7);
	f.phone_only = 0; /* a TOTP app too */
	ck_assert_str_eq(flow_route_name(flow_reset_route(&f, &row)), "questions");
	/* the deletion's second factor */
	flow_facts_default(&f);
	f.factor = FACTOR_SMS;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_OK);
	f.sms_off = 1;
	ck_assert_msg(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to) == PROB_FLOW_SMS_OFF,
	    "flow_sms_not_a_factor expected with sms_off");
	f.factor = FACTOR_TOTP;
	ck_assert_int_eq(step(FLOW_DELETE_PASSKEY, "second_factor", "factor_verified", &f, &to), PROB_OK);
}
END_TEST

START_TEST(valid_reset_questions_then_documents)
{
	struct flow_facts f;
	const char *to;
	flow_facts_default(&f);
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "route", "decide", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "questions_attention");
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "questions", "answers_wrong", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "questions_failed");
	f.attempts_left = 0;
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "questions_failed", "continue", &f, &to), PROB_FLOW_NO_ATTEMPTS);
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "questions_failed", "submit_documents", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "documents");
	f.identity = IDENTITY_VERIFIED;
	ck_assert_int_eq(step(FLOW_RESET_PASSKEYS, "questions_failed", "submit_documents", &f, &to), PROB_OK);
	ck_assert_str_eq(to, "face");
}
END_TEST

START_TEST(junk_unknown_names_and_indexes)
{
	struct flow_facts f;
	unsigned to;
	flow_facts_default(&f);
	ck_assert_int_eq(flow_lookup("nope"), FLOW__MAX);
	ck_assert_int_eq(flow_state_lookup(flow_get(FLOW_DELETE_PASSKEY), "nope"), -1);
	ck_assert_int_eq(flow_next(FLOW__MAX, 0, 0, &f, &to), PROB_FLOW_UNKNOWN);
	ck_assert_int_eq(flow_next(FLOW_DELETE_PASSKEY, 999, 0, &f, &to), PROB_FLOW_STATE);
	ck_assert_int_eq(flow_next(FLOW_DELETE_PASSKEY, 0, 999, &f, &to), PROB_FLOW_EVENT);
}
END_TEST

START_TEST(valid_every_terminal_state_has_no_exit)
{
	for (unsigned k = 0; k < FLOW__MAX; k++) {
		const struct flow_def *d = flow_get((enum flow_kind)k);
		for (unsigned i = 0; i < d->ntr; i++)
			ck_assert_msg(!d->terminal[d->tr[i].from], "%s: terminal %s has a transition", d->name, d->states[d->tr[i].from]);
	}
}
END_TEST

RUN_SUITE("flow", valid_delete_happy_path, wrong_delete_skipped_step, wrong_delete_same_factor_or_self,
    wrong_delete_last_factor, valid_delete_switch_and_unavailable, wrong_reset_consent_required,
    valid_reset_decision_table_rows, valid_reset_profiles_follow_the_settings, valid_reset_questions_then_documents, junk_unknown_names_and_indexes,
    valid_every_terminal_state_has_no_exit)
