/* check_holds.c -- cgi/store/holds.c against the test stack's MariaDB:
 * withdrawal holds are rows that are only ever added, each audited and
 * notified; the effective end is the latest end, so a shorter hold never
 * shortens a longer one; {held, until, holds} is what the API shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_fixture.h"
#include "../cgi/store/store.h"

#define TS "'%%Y-%%m-%%dT%%H:%%i:%%s.%%fZ'" /* SQL's TSFMT, through printf */

struct fx {
	struct app a;
	uint64_t account;
	char email[200];
};

static void
setup(struct fx *f)
{
	fx_app_open(&f->a);
	f->account = fx_account("holds", f->email, sizeof f->email);
}

static void
add(struct fx *f, const char *reason, const char *source, int seconds)
{
	int rc = holds_add(&f->a, f->account, reason, source, seconds);
	ck_assert_msg(rc == RK_OK, "holds_add: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
}

static json_t *
shown(struct fx *f, uint64_t account)
{
	json_t *j = NULL;
	int rc = holds_json(&f->a, account, &j);
	ck_assert_msg(rc == RK_OK, "holds_json: %d %s", rc, db_error(f->a.db));
	ck_assert_ptr_nonnull(j);
	return j;
}

/* YYYY-MM-DDTHH:MM:SS.ffffffZ */
static void
assert_timestamp(const char *s)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(strlen(s), 27);
	ck_assert_msg(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[26] == 'Z',
	    "not a timestamp: %s", s);
}

START_TEST(valid_add_writes_the_hold)
{
	struct fx f;

	setup(&f);
	add(&f, "passkey_deleted", "passkey:7", 24 * 3600);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu AND reason = 'passkey_deleted' "
	    "AND source_event = 'passkey:7' AND kind = 'withdrawal'", (unsigned long long)f.account), 1);
	ck_assert_int_eq(fx_ll("SELECT TIMESTAMPDIFF(SECOND, starts_at, ends_at) FROM holds WHERE account_id = %llu",
	    (unsigned long long)f.account), 24 * 3600);
	ck_assert_int_le(fx_ll("SELECT ABS(TIMESTAMPDIFF(SECOND, starts_at, UTC_TIMESTAMP(6))) FROM holds WHERE account_id = %llu",
	    (unsigned long long)f.account), 5);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_add_is_audited)
{
	struct fx f;
	char detail[300], who[100];

	setup(&f);
	add(&f, "passkey_deleted", "passkey:7", 48 * 3600);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_ptr_nonnull(fx_str(who, sizeof who, "SELECT CONCAT(event, '|', actor, '|', seq) FROM audit_log WHERE chain_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(who, "hold_started|system|1");
	ck_assert_ptr_nonnull(fx_str(detail, sizeof detail, "SELECT detail FROM audit_log WHERE chain_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(detail, "{\"reason\":\"passkey_deleted\",\"seconds\":172800,\"source_event\":\"passkey:7\"}");
	/* the head moved with the entry */
	ck_assert_int_eq(fx_ll("SELECT seq FROM audit_heads WHERE chain_id = %llu", (unsigned long long)f.account), 1);
	fx_app_close(&f.a);
}
END_TEST

/* #16: one message per event -- holds_add records and audits only (the
 * deletion's or the reset's own message names the hold); holds_notify tells
 * every channel, for a hold no other message names (rekeyctl hold) */
START_TEST(valid_add_tells_no_one_by_itself)
{
	struct fx f;

	setup(&f);
	fx_phone(f.account, "+41790000004");
	add(&f, "passkey_deleted", "passkey:8", 24 * 3600);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", (unsigned long long)f.account), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", (unsigned long long)f.account), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_notify_tells_every_channel)
{
	struct fx f;
	char to[220], body[600];

	setup(&f);
	fx_phone(f.account, "+41790000002");
	add(&f, "passkey_deleted", "passkey:7", 24 * 3600);
	ck_assert_int_eq(holds_notify(&f.a, f.account, "passkey_deleted", 24 * 3600), RK_OK);
	fx_commit(&f.a);
	ck_assert_ptr_nonnull(fx_str(to, sizeof to, "SELECT recipient FROM outbox WHERE account_id = %llu AND channel = 'email' "
	    "AND subject = 'Withdrawals are on hold'", (unsigned long long)f.account));
	ck_assert_str_eq(to, f.email);
	ck_assert_ptr_nonnull(fx_str(body, sizeof body, "SELECT body FROM outbox WHERE account_id = %llu AND channel = 'email'",
	    (unsigned long long)f.account));
	/* the reason in words (#20), not its code */
	ck_assert_ptr_nonnull(strstr(body, "held for 24 hours (reason: a passkey was deleted)"));
	ck_assert_ptr_nonnull(fx_str(to, sizeof to, "SELECT recipient FROM outbox WHERE account_id = %llu AND channel = 'sms'",
	    (unsigned long long)f.account));
	ck_assert_str_eq(to, "+41790000002");
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", (unsigned long long)f.account), 2);
	fx_app_close(&f.a);
}
END_TEST

/* #20: the notice in the account's language, mail and SMS alike */
START_TEST(valid_notify_in_the_account_language)
{
	struct fx f;
	char body[600];

	setup(&f);
	fx_phone(f.account, "+41790000003");
	fx_sql("UPDATE accounts SET language = 'de' WHERE id = %llu", (unsigned long long)f.account);
	ck_assert_int_eq(holds_notify(&f.a, f.account, "passkey_deleted", 24 * 3600), RK_OK);
	fx_commit(&f.a);
	ck_assert_ptr_nonnull(fx_str(body, sizeof body, "SELECT body FROM outbox WHERE account_id = %llu AND channel = 'email' "
	    "AND subject = 'Auszahlungen sind gesperrt'", (unsigned long long)f.account));
	ck_assert_ptr_nonnull(strstr(body, "für 24 Stunden gesperrt (Grund: ein Passkey wurde gelöscht)"));
	ck_assert_ptr_nonnull(fx_str(body, sizeof body, "SELECT body FROM outbox WHERE account_id = %llu AND channel = 'sms'",
	    (unsigned long long)f.account));
	ck_assert_ptr_nonnull(strstr(body, "Sicherheitshinweis: Auszahlungen sind gesperrt."));
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_json_shape)
{
	struct fx f;
	json_t *j, *h;
	char end[40];
	const char *k;
	json_t *v;

	setup(&f);
	add(&f, "passkey_reset", "reset_case:1", 3600);
	j = shown(&f, f.account);
	ck_assert_uint_eq(json_object_size(j), 3);
	ck_assert(json_is_true(json_object_get(j, "held")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 1);
	h = json_array_get(json_object_get(j, "holds"), 0);
	ck_assert_uint_eq(json_object_size(h), 4);
	json_object_foreach(h, k, v)
		ck_assert_msg(json_is_string(v), "%s is not a string", k);
	ck_assert_str_eq(json_string_value(json_object_get(h, "reason")), "passkey_reset");
	ck_assert_str_eq(json_string_value(json_object_get(h, "source_event")), "reset_case:1");
	assert_timestamp(json_string_value(json_object_get(h, "starts_at")));
	assert_timestamp(json_string_value(json_object_get(h, "ends_at")));
	ck_assert_ptr_nonnull(fx_str(end, sizeof end, "SELECT DATE_FORMAT(ends_at, " TS ") FROM holds WHERE account_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(json_string_value(json_object_get(h, "ends_at")), end);
	ck_assert_str_eq(json_string_value(json_object_get(j, "until")), end);
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_longer_hold_extends)
{
	struct fx f;
	json_t *j;
	char end[40];

	setup(&f);
	add(&f, "first", "check:1", 3600);
	add(&f, "second", "check:2", 48 * 3600);
	ck_assert_ptr_nonnull(fx_str(end, sizeof end, "SELECT DATE_FORMAT(ends_at, " TS ") FROM holds WHERE account_id = %llu "
	    "AND reason = 'second'", (unsigned long long)f.account));
	j = shown(&f, f.account);
	ck_assert_str_eq(json_string_value(json_object_get(j, "until")), end);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "reason")), "second");
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

/* the summary's holds column as it is stored (schema/031: parsed by
 * rekeyd before they are read; text that is no JSON reads as NULL) */
static json_t *
from_text(const char *text, const char *now)
{
	json_t *all = json_loads(text, JSON_REJECT_DUPLICATES, NULL), *h = holds_from_summary(all, now);

	json_decref(all);
	return h;
}

START_TEST(valid_summary_rows_give_the_same_json)
{
	struct fx f;
	json_t *j, *s, *e;
	char *text;

	setup(&f);
	add(&f, "first", "check:1", 3600);
	add(&f, "second", "check:2", 7200);
	/* GET /api/me reads the holds from the account's summary (schema/031):
	 * the same holds as the direct query, in its order, as JSON text */
	j = shown(&f, f.account);
	text = json_dumps(json_object_get(j, "holds"), JSON_COMPACT);
	s = from_text(text, "2000-01-01T00:00:00.000000Z");
	ck_assert_ptr_nonnull(s);
	ck_assert(json_equal(s, j));
	json_decref(s);
	/* a hold that has ended since the summary was made is dropped by the
	 * reader; the other stays, and is the one "until" names */
	e = from_text(text, json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 1), "ends_at")));
	ck_assert_uint_eq(json_array_size(json_object_get(e, "holds")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(e, "until")),
	    json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "ends_at")));
	json_decref(e);
	e = from_text(text, "9999-01-01T00:00:00.000000Z");
	ck_assert(json_is_false(json_object_get(e, "held")));
	ck_assert(json_is_null(json_object_get(e, "until")));
	ck_assert_uint_eq(json_array_size(json_object_get(e, "holds")), 0);
	json_decref(e);
	free(text);
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_summary_holds_refused)
{
	/* the database's own JSON: anything but an array of 4-field holds is refused */
	static const char *const bad[] = { "", "{}", "[1]", "[{\"ends_at\":1}]", "[{\"reason\":\"a\",\"source_event\":\"b\",\"starts_at\":\"c\"}]",
		"[{\"reason\":\"a\",\"source_event\":\"b\",\"starts_at\":\"c\",\"ends_at\":\"d\",\"x\":1}]", "[", "null" };
	json_t *ok = from_text("[]", "2000");

	ck_assert_ptr_nonnull(ok);
	ck_assert(json_is_false(json_object_get(ok, "held")));
	json_decref(ok);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(from_text(bad[i], "2000") == NULL, "accepted %s", bad[i]);
}
END_TEST

START_TEST(junk_no_hold)
{
	struct fx f;
	json_t *j;

	setup(&f);
	j = shown(&f, f.account);
	ck_assert(json_is_false(json_object_get(j, "held")));
	ck_assert(json_is_null(json_object_get(j, "until")));
	ck_assert(json_is_array(json_object_get(j, "holds")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 0);
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_shorter_hold_never_shortens)
{
	struct fx f;
	json_t *j;
	char end[40], after[40];

	setup(&f);
	add(&f, "long", "check:1", 48 * 3600);
	ck_assert_ptr_nonnull(fx_str(end, sizeof end, "SELECT DATE_FORMAT(ends_at, " TS ") FROM holds WHERE account_id = %llu",
	    (unsigned long long)f.account));
	add(&f, "short", "check:2", 3600);
	/* the long hold's row is as it was, and it is still the end */
	ck_assert_ptr_nonnull(fx_str(after, sizeof after, "SELECT DATE_FORMAT(ends_at, " TS ") FROM holds WHERE account_id = %llu "
	    "AND reason = 'long'", (unsigned long long)f.account));
	ck_assert_str_eq(after, end);
	j = shown(&f, f.account);
	ck_assert(json_is_true(json_object_get(j, "held")));
	ck_assert_str_eq(json_string_value(json_object_get(j, "until")), end);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "reason")), "long");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 1), "reason")), "short");
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_ended_hold_is_not_shown)
{
	struct fx f;
	json_t *j;

	setup(&f);
	add(&f, "ended", "check:1", 48 * 3600);
	fx_sql("UPDATE holds SET ends_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = %llu", (unsigned long long)f.account);
	j = shown(&f, f.account);
	ck_assert(json_is_false(json_object_get(j, "held")));
	ck_assert(json_is_null(json_object_get(j, "until")));
	json_decref(j);
	/* beside a live one, only the live one */
	add(&f, "live", "check:2", 3600);
	j = shown(&f, f.account);
	ck_assert(json_is_true(json_object_get(j, "held")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "reason")), "live");
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_account_holds_are_not_shown)
{
	struct fx f;
	json_t *j;
	uint64_t other;

	setup(&f);
	other = fx_account("holds-other", NULL, 0);
	add(&f, "mine", "check:1", 3600);
	j = shown(&f, other);
	ck_assert(json_is_false(json_object_get(j, "held")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 0);
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_hold_for_no_account_fails_and_leaves_nothing)
{
	struct fx f;
	uint64_t none;
	int rc;

	setup(&f);
	none = (uint64_t)fx_ll("SELECT MAX(id) + 1000000 FROM accounts");
	rc = holds_add(&f.a, none, "nobody", "check:1", 3600);
	ck_assert_int_ne(rc, RK_OK);
	ck_assert_int_lt(rc, 0); /* the database's refusal, not an HTTP answer */
	db_rollback(f.a.db);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", (unsigned long long)none), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu", (unsigned long long)none), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM outbox WHERE account_id = %llu", (unsigned long long)none), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_list_is_capped_at_20)
{
	struct fx f;
	json_t *j;

	setup(&f);
	for (int i = 1; i <= 21; i++) {
		char src[32];
		snprintf(src, sizeof src, "check:%d", i);
		ck_assert_int_eq(holds_add(&f.a, f.account, "many", src, 3600 * i), RK_OK);
	}
	fx_commit(&f.a);
	j = shown(&f, f.account);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 20);
	/* the latest end first; the one that ends first is the one left out */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "source_event")), "check:21");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 19), "source_event")), "check:2");
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_zero_second_hold_holds_nothing)
{
	struct fx f;
	json_t *j;

	setup(&f);
	add(&f, "instant", "check:1", 0);
	/* a row (and its audit entry) but no hold: it ended as it started */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", (unsigned long long)f.account), 1);
	j = shown(&f, f.account);
	ck_assert(json_is_false(json_object_get(j, "held")));
	ck_assert_uint_eq(json_array_size(json_object_get(j, "holds")), 0);
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_quotes_in_reason_are_data)
{
	struct fx f;
	json_t *j;
	const char *reason = "x'); DELETE FROM holds; --";

	setup(&f);
	add(&f, reason, "check:\\1\"", 3600);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM holds WHERE account_id = %llu", (unsigned long long)f.account), 1);
	j = shown(&f, f.account);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "reason")), reason);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(j, "holds"), 0), "source_event")),
	    "check:\\1\"");
	json_decref(j);
	fx_app_close(&f.a);
}
END_TEST

RUN_STORE_SUITE("holds", valid_add_writes_the_hold, valid_add_is_audited, valid_add_tells_no_one_by_itself, valid_notify_tells_every_channel, valid_notify_in_the_account_language, valid_json_shape,
    valid_longer_hold_extends, valid_summary_rows_give_the_same_json, junk_summary_holds_refused, junk_no_hold, junk_shorter_hold_never_shortens,
    junk_ended_hold_is_not_shown, wrong_account_holds_are_not_shown, junk_hold_for_no_account_fails_and_leaves_nothing,
    junk_list_is_capped_at_20, junk_zero_second_hold_holds_nothing, junk_quotes_in_reason_are_data)
