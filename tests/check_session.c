/* check_session.c -- cgi/store/session.c against the test stack's MariaDB:
 * a session starts with a fresh token (stored only as its keyed hash), is
 * found while neither idle nor past its absolute end, partial until the
 * second factor; promotion replaces the token (the old one stops at once,
 * the CSRF token changes with it); the device cookie names one account and
 * is refused when its MAC does not hold. Cookies are read from the answer
 * and sent back as a browser would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_fixture.h"
#include "../cgi/store/store.h"
#include "../wasm/b64url.h"

struct fx {
	struct app a;
	uint64_t account;
};

static void
setup(struct fx *f)
{
	fx_app_open(&f->a);
	f->account = fx_account("session", NULL, 0);
}

/* starts a session (committed); its token and, when set, the device cookie */
static uint64_t
start(struct fx *f, int full, const char *method, char token[64], char device[96], char *set_cookie, size_t sclen)
{
	struct req r;
	uint64_t id;
	int rc;

	fx_req(&r, &f->a);
	rc = session_start(&r, f->account, full, method);
	ck_assert_msg(rc == RK_OK, "session_start: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
	ck_assert_ptr_nonnull(fx_set_cookie(&r, "rk_session", token, 64));
	if (device != NULL && fx_set_cookie(&r, "rk_device", device, 96) == NULL)
		device[0] = '\0';
	if (set_cookie)
		snprintf(set_cookie, sclen, "%s", r.set_cookie);
	ck_assert_int_eq(r.has_session, 1);
	ck_assert_uint_eq(r.sess.account_id, f->account);
	ck_assert_int_eq(r.sess.full, full);
	id = r.sess.id;
	fx_req_free(&r);
	return id;
}

/* a request carrying COOKIE through session_lookup (committed) */
static int
lookup(struct fx *f, const char *cookie, enum auth need, struct req *r)
{
	int rc;

	fx_req(r, &f->a);
	r->cookie = cookie;
	rc = session_lookup(r, need);
	ck_assert_msg(rc == RK_OK || rc == RK_REFUSED, "session_lookup: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
	return rc;
}

static void
assert_refused(struct fx *f, const char *cookie, enum auth need, const char *code)
{
	struct req r;

	ck_assert_int_eq(lookup(f, cookie, need, &r), RK_REFUSED);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(fx_error_code(&r), code);
	fx_req_free(&r);
}

static void
session_cookie(const char *token, char *out, size_t n)
{
	snprintf(out, n, "theme=dark; rk_session=%s; other=1", token);
}

/* promotes the session of TOKEN (committed): *promoted, and the new token (or "") */
static int
promote(struct fx *f, const char *token, const char *method, char newtoken[64], struct req *keep)
{
	char cookie[200];
	struct req r;
	int promoted = -1, rc;

	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(f, cookie, AUTH_PARTIAL, &r), RK_OK);
	fx_req_free(&r);
	fx_req(&r, &f->a);
	r.cookie = cookie;
	ck_assert_int_eq(session_lookup(&r, AUTH_PARTIAL), RK_OK);
	rc = session_promote(&r, method, &promoted);
	ck_assert_msg(rc == RK_OK, "session_promote: %d %s", rc, db_error(f->a.db));
	fx_commit(&f->a);
	if (fx_set_cookie(&r, "rk_session", newtoken, 64) == NULL)
		newtoken[0] = '\0';
	if (keep)
		*keep = r;
	else
		fx_req_free(&r);
	return promoted;
}

static void
device_cookie(const char *text, char *out, size_t n)
{
	snprintf(out, n, "rk_device=%s", text);
}

static int
device_known(struct fx *f, const char *cookie, uint64_t account)
{
	struct req r;
	char out[96];
	int known;

	fx_req(&r, &f->a);
	r.cookie = cookie;
	known = session_device_known(&r, account, out, sizeof out);
	fx_req_free(&r);
	return known;
}

START_TEST(valid_full_start_sets_the_cookie_and_records_the_sign_in)
{
	struct fx f;
	char token[64], device[96], sc[1024], attrs[200], detail[200];
	unsigned char raw[48];
	size_t n = 0;
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, device, sc, sizeof sc);
	/* 32 random bytes, base64url */
	ck_assert_int_eq(b64url_decode(token, strlen(token), raw, sizeof raw, &n), PROB_OK);
	ck_assert_uint_eq(n, 32);
	{
		struct req r;
		memset(&r, 0, sizeof r);
		snprintf(r.set_cookie, sizeof r.set_cookie, "%s", sc);
		ck_assert_ptr_nonnull(fx_set_cookie_attrs(&r, "rk_session", attrs, sizeof attrs));
		ck_assert_str_eq(attrs, "Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
		/* the device cookie goes only to the sign-in routes, for 400 days */
		ck_assert_ptr_nonnull(fx_set_cookie_attrs(&r, "rk_device", attrs, sizeof attrs));
		ck_assert_str_eq(attrs, "Path=/api/session; HttpOnly; SameSite=Strict; Max-Age=34560000");
	}
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE id = %llu AND account_id = %llu AND stage = 'full' AND revoked_at IS NULL "
	    "AND TIMESTAMPDIFF(SECOND, created_at, absolute_expires_at) = 43200 AND ip = '127.0.0.1' AND user_agent = 'check'",
	    (unsigned long long)id, (unsigned long long)f.account), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM signins WHERE account_id = %llu AND ip = '127.0.0.1' AND device = 'check'",
	    (unsigned long long)f.account), 1);
	ck_assert_ptr_nonnull(fx_str(detail, sizeof detail, "SELECT CONCAT(event, ' ', detail) FROM audit_log WHERE chain_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(detail, "signed_in {\"method\":\"password\"}");
	ck_assert_str_ne(device, "");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_token_is_stored_only_as_its_keyed_hash)
{
	struct fx f;
	char token[64], hex[65], stored[65];
	unsigned char raw[48], h[32];
	size_t n = 0;
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	ck_assert_int_eq(b64url_decode(token, strlen(token), raw, sizeof raw, &n), PROB_OK);
	ck_assert_ptr_nonnull(fx_str(stored, sizeof stored, "SELECT LOWER(HEX(token_hash)) FROM sessions WHERE id = %llu",
	    (unsigned long long)id));
	ck_assert_str_ne(stored, fx_hex(raw, 32, hex));
	keys_hash(f.a.keys.session, raw, 32, NULL, 0, h);
	ck_assert_str_eq(stored, fx_hex(h, 32, hex));
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_partial_start_records_nothing_more)
{
	struct fx f;
	char token[64], device[96];
	uint64_t id;

	setup(&f);
	id = start(&f, 0, "password", token, device, NULL, 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE id = %llu AND stage = 'partial'", (unsigned long long)id), 1);
	/* no sign-in yet: no sign-in row, no audit entry, this browser not remembered */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM signins WHERE account_id = %llu", (unsigned long long)f.account), 0);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu", (unsigned long long)f.account), 0);
	ck_assert_str_eq(device, "");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_lookup_finds_the_session)
{
	struct fx f;
	struct req r;
	char token[64], cookie[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	ck_assert_int_eq(r.has_session, 1);
	ck_assert_uint_eq(r.sess.id, id);
	ck_assert_uint_eq(r.sess.account_id, f.account);
	ck_assert_int_eq(r.sess.full, 1);
	ck_assert_int_eq(r.status, 0);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_partial_session_serves_partial_routes)
{
	struct fx f;
	struct req r;
	char token[64], cookie[200];

	setup(&f);
	start(&f, 0, NULL, token, NULL, NULL, 0);
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_PARTIAL, &r), RK_OK);
	ck_assert_int_eq(r.sess.full, 0);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_idle_clock_moves_on_use)
{
	struct fx f;
	struct req r;
	char token[64], cookie[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	fx_sql("UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 1700 SECOND WHERE id = %llu", (unsigned long long)id);
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	fx_req_free(&r);
	ck_assert_int_le(fx_ll("SELECT TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP(6)) FROM sessions WHERE id = %llu",
	    (unsigned long long)id), 5);
	/* so 1700 s more idle is still within the 1800 s */
	fx_sql("UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 1700 SECOND WHERE id = %llu", (unsigned long long)id);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_promote_makes_the_session_full)
{
	struct fx f;
	struct req r, kept;
	char token[64], fresh[64], cookie[200], device[96], detail[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 0, NULL, token, NULL, NULL, 0);
	ck_assert_int_eq(promote(&f, token, "totp", fresh, &kept), 1);
	ck_assert_str_ne(fresh, "");
	ck_assert_str_ne(fresh, token);
	ck_assert_int_eq(kept.sess.full, 1);
	ck_assert_uint_eq(kept.sess.id, id);
	ck_assert_ptr_nonnull(fx_set_cookie(&kept, "rk_device", device, sizeof device));
	fx_req_free(&kept);
	/* the same session, now full, under the new token */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE id = %llu AND stage = 'full'", (unsigned long long)id), 1);
	session_cookie(fresh, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	ck_assert_uint_eq(r.sess.id, id);
	fx_req_free(&r);
	/* and the sign-in is recorded now */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM signins WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_ptr_nonnull(fx_str(detail, sizeof detail, "SELECT CONCAT(event, ' ', detail) FROM audit_log WHERE chain_id = %llu",
	    (unsigned long long)f.account));
	ck_assert_str_eq(detail, "signed_in {\"method\":\"totp\"}");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_csrf_token_follows_the_session_token)
{
	struct fx f;
	struct req r;
	char token[64], fresh[64], cookie[200], before[40], again[40], after[40];
	unsigned char old_hash[32];

	setup(&f);
	start(&f, 0, NULL, token, NULL, NULL, 0);
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_PARTIAL, &r), RK_OK);
	memcpy(old_hash, r.sess.token_hash, 32);
	fx_req_free(&r);
	session_csrf(&f.a, old_hash, before);
	session_csrf(&f.a, old_hash, again);
	ck_assert_str_eq(before, again);
	ck_assert_uint_eq(strlen(before), 32); /* 24 bytes, base64url */
	ck_assert_int_eq(promote(&f, token, "totp", fresh, NULL), 1);
	session_cookie(fresh, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	session_csrf(&f.a, r.sess.token_hash, after);
	fx_req_free(&r);
	ck_assert_str_ne(before, after);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_device_cookie_is_known_for_its_account)
{
	struct fx f;
	struct req r;
	char token[64], device[96], cookie[200], out[96];

	setup(&f);
	start(&f, 1, "password", token, device, NULL, 0);
	device_cookie(device, cookie, sizeof cookie);
	fx_req(&r, &f.a);
	r.cookie = cookie;
	ck_assert_int_eq(session_device_known(&r, f.account, out, sizeof out), 1);
	ck_assert_str_eq(out, device);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(valid_cookie_clear_deletes_the_cookie)
{
	struct fx f;
	struct req r;
	char v[64], attrs[200];

	fx_app_open_nodb(&f.a);
	fx_req(&r, &f.a);
	session_cookie_clear(&r);
	ck_assert_ptr_nonnull(fx_set_cookie(&r, "rk_session", v, sizeof v));
	ck_assert_str_eq(v, "");
	ck_assert_ptr_nonnull(fx_set_cookie_attrs(&r, "rk_session", attrs, sizeof attrs));
	ck_assert_str_eq(attrs, "Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_no_cookie)
{
	struct fx f;
	struct req r;

	setup(&f);
	ck_assert_int_eq(lookup(&f, NULL, AUTH_PARTIAL, &r), RK_REFUSED);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(fx_error_code(&r), "unauthenticated");
	ck_assert_int_eq(r.has_session, 0);
	fx_req_free(&r);
	assert_refused(&f, "theme=dark; rk_device=abc", AUTH_PARTIAL, "unauthenticated");
	assert_refused(&f, "", AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_malformed_session_cookie)
{
	struct fx f;
	char token[64], cookie[300], longer[200];

	setup(&f);
	start(&f, 1, "password", token, NULL, NULL, 0);
	/* not base64url, a character short, a character more, padded, far too long */
	snprintf(cookie, sizeof cookie, "rk_session=%.42s!", token);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	snprintf(cookie, sizeof cookie, "rk_session=%.42s", token);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	snprintf(cookie, sizeof cookie, "rk_session=%sA", token);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	snprintf(cookie, sizeof cookie, "rk_session=%s=", token);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	memset(longer, 'A', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	snprintf(cookie, sizeof cookie, "rk_session=%s", longer);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	/* a cookie of another name holding the token is not the session */
	snprintf(cookie, sizeof cookie, "xrk_session=%s", token);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_unknown_token)
{
	struct fx f;
	struct req r;
	unsigned char raw[32];
	char token[64], cookie[200];
	size_t n = 0;

	setup(&f);
	fx_random(raw, sizeof raw);
	ck_assert_int_eq(b64url_encode(raw, sizeof raw, token, sizeof token - 1, &n), PROB_OK);
	token[n] = '\0';
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_PARTIAL, &r), RK_REFUSED);
	ck_assert_int_eq(r.status, 401);
	ck_assert_str_eq(fx_error_code(&r), "unauthenticated");
	ck_assert_int_eq(r.has_session, 0);
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_partial_session_on_a_full_route)
{
	struct fx f;
	char token[64], cookie[200];

	setup(&f);
	start(&f, 0, NULL, token, NULL, NULL, 0);
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_FULL, "second_factor_required");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_idle_session_has_ended)
{
	struct fx f;
	char token[64], cookie[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	fx_sql("UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 1801 SECOND WHERE id = %llu", (unsigned long long)id);
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	/* and a refused lookup does not bring it back */
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_session_past_its_absolute_end)
{
	struct fx f;
	char token[64], cookie[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	/* used a second ago, but its 12 hours are over */
	fx_sql("UPDATE sessions SET absolute_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = %llu", (unsigned long long)id);
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_revoked_session)
{
	struct fx f;
	char token[64], cookie[200];
	uint64_t id;

	setup(&f);
	id = start(&f, 1, "password", token, NULL, NULL, 0);
	fx_sql("UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE id = %llu", (unsigned long long)id);
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_frozen_account)
{
	struct fx f;
	char token[64], cookie[200];

	setup(&f);
	start(&f, 1, "password", token, NULL, NULL, 0);
	fx_sql("UPDATE accounts SET frozen = 1 WHERE id = %llu", (unsigned long long)f.account);
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_promote_ends_the_old_token)
{
	struct fx f;
	char token[64], fresh[64], cookie[200];

	setup(&f);
	start(&f, 0, NULL, token, NULL, NULL, 0);
	ck_assert_int_eq(promote(&f, token, "sms", fresh, NULL), 1);
	/* the token that saw only the password is no session any more, for any route */
	session_cookie(token, cookie, sizeof cookie);
	assert_refused(&f, cookie, AUTH_PARTIAL, "unauthenticated");
	assert_refused(&f, cookie, AUTH_FULL, "unauthenticated");
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_promote_of_a_full_session_changes_nothing)
{
	struct fx f;
	struct req r;
	char token[64], fresh[64], cookie[200];

	setup(&f);
	start(&f, 1, "password", token, NULL, NULL, 0);
	ck_assert_int_eq(promote(&f, token, "totp", fresh, NULL), 0);
	ck_assert_str_eq(fresh, ""); /* no new cookie */
	session_cookie(token, cookie, sizeof cookie);
	ck_assert_int_eq(lookup(&f, cookie, AUTH_FULL, &r), RK_OK);
	fx_req_free(&r);
	/* no second sign-in recorded */
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM signins WHERE account_id = %llu", (unsigned long long)f.account), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM audit_log WHERE chain_id = %llu", (unsigned long long)f.account), 1);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_promote_of_a_revoked_session)
{
	struct fx f;
	struct req r;
	char token[64], cookie[200], fresh[64];
	int promoted = -1;
	uint64_t id;

	setup(&f);
	id = start(&f, 0, NULL, token, NULL, NULL, 0);
	session_cookie(token, cookie, sizeof cookie);
	fx_req(&r, &f.a);
	r.cookie = cookie;
	ck_assert_int_eq(session_lookup(&r, AUTH_PARTIAL), RK_OK);
	/* signed out by another request between the lookup and the promotion */
	fx_commit(&f.a);
	fx_sql("UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE id = %llu", (unsigned long long)id);
	ck_assert_int_eq(session_promote(&r, "totp", &promoted), RK_OK);
	fx_commit(&f.a);
	ck_assert_int_eq(promoted, 0);
	ck_assert_ptr_null(fx_set_cookie(&r, "rk_session", fresh, sizeof fresh));
	fx_req_free(&r);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM sessions WHERE id = %llu AND stage = 'partial'", (unsigned long long)id), 1);
	ck_assert_uint_eq(fx_rows("SELECT 1 FROM signins WHERE account_id = %llu", (unsigned long long)f.account), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(wrong_device_cookie_of_another_account)
{
	struct fx f;
	char token[64], device[96], cookie[200];
	uint64_t other;

	setup(&f);
	other = fx_account("session-other", NULL, 0);
	start(&f, 1, "password", token, device, NULL, 0);
	device_cookie(device, cookie, sizeof cookie);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 1);
	ck_assert_int_eq(device_known(&f, cookie, other), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_device_cookie_with_a_forged_mac)
{
	struct fx f;
	char token[64], device[96], forged[96], cookie[200];
	unsigned char raw[48];
	size_t n = 0, m = 0;
	uint64_t other;

	setup(&f);
	other = fx_account("session-other", NULL, 0);
	start(&f, 1, "password", token, device, NULL, 0);
	ck_assert_int_eq(b64url_decode(device, strlen(device), raw, sizeof raw, &n), PROB_OK);
	ck_assert_uint_eq(n, 40); /* account (8) || random (16) || MAC (16) */
	/* one bit of the MAC */
	raw[39] ^= 1;
	ck_assert_int_eq(b64url_encode(raw, n, forged, sizeof forged - 1, &m), PROB_OK);
	forged[m] = '\0';
	device_cookie(forged, cookie, sizeof cookie);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	raw[39] ^= 1;
	/* another account's id under this MAC */
	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(other >> (56 - 8 * i));
	ck_assert_int_eq(b64url_encode(raw, n, forged, sizeof forged - 1, &m), PROB_OK);
	forged[m] = '\0';
	device_cookie(forged, cookie, sizeof cookie);
	ck_assert_int_eq(device_known(&f, cookie, other), 0);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	fx_app_close(&f.a);
}
END_TEST

/* the cookie as session.c makes it: account || random || MAC (16 bytes of
 * the keyed hash of the first 24 under the session key, domain known-device) */
static void
made_cookie(const unsigned char key[32], uint64_t account, char *cookie, size_t n)
{
	unsigned char raw[40], h[32];
	char text[64];
	size_t m = 0;

	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)(account >> (56 - 8 * i));
	fx_random(raw + 8, 16);
	keys_hash(key, "known-device", 12, raw, 24, h);
	memcpy(raw + 24, h, 16);
	ck_assert_int_eq(b64url_encode(raw, sizeof raw, text, sizeof text - 1, &m), PROB_OK);
	text[m] = '\0';
	device_cookie(text, cookie, n);
}

START_TEST(junk_device_cookie_under_another_server_key)
{
	struct fx f;
	char cookie[200];
	unsigned char stranger[32];

	setup(&f);
	/* made like the server makes it, under its key: known (the recipe is right) */
	made_cookie(f.a.keys.session, f.account, cookie, sizeof cookie);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 1);
	/* the same under another key: not known */
	fx_random(stranger, sizeof stranger);
	made_cookie(stranger, f.account, cookie, sizeof cookie);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_device_cookie_malformed)
{
	struct fx f;
	char token[64], device[96], cookie[200];

	setup(&f);
	start(&f, 1, "password", token, device, NULL, 0);
	snprintf(cookie, sizeof cookie, "rk_device=%.52s", device); /* 39 bytes */
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	snprintf(cookie, sizeof cookie, "rk_device=%sAAAA", device); /* 43 bytes */
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	snprintf(cookie, sizeof cookie, "rk_device=%.53s*", device);
	ck_assert_int_eq(device_known(&f, cookie, f.account), 0);
	ck_assert_int_eq(device_known(&f, "rk_device=", f.account), 0);
	ck_assert_int_eq(device_known(&f, NULL, f.account), 0);
	fx_app_close(&f.a);
}
END_TEST

START_TEST(junk_known_device_gets_no_new_cookie)
{
	struct fx f;
	struct req r;
	char token[64], device[96], cookie[200], again[96];

	setup(&f);
	start(&f, 1, "password", token, device, NULL, 0);
	device_cookie(device, cookie, sizeof cookie);
	fx_req(&r, &f.a);
	r.cookie = cookie;
	ck_assert_int_eq(session_start(&r, f.account, 1, "password"), RK_OK);
	fx_commit(&f.a);
	ck_assert_ptr_null(fx_set_cookie(&r, "rk_device", again, sizeof again));
	ck_assert_ptr_nonnull(fx_set_cookie(&r, "rk_session", again, sizeof again));
	fx_req_free(&r);
	fx_app_close(&f.a);
}
END_TEST

RUN_STORE_SUITE("session", valid_full_start_sets_the_cookie_and_records_the_sign_in, valid_token_is_stored_only_as_its_keyed_hash,
    valid_partial_start_records_nothing_more, valid_lookup_finds_the_session, valid_partial_session_serves_partial_routes,
    valid_idle_clock_moves_on_use, valid_promote_makes_the_session_full, valid_csrf_token_follows_the_session_token,
    valid_device_cookie_is_known_for_its_account, valid_cookie_clear_deletes_the_cookie, junk_no_cookie,
    junk_malformed_session_cookie, junk_unknown_token, junk_partial_session_on_a_full_route, junk_idle_session_has_ended,
    junk_session_past_its_absolute_end, junk_revoked_session, junk_frozen_account, junk_promote_ends_the_old_token,
    junk_promote_of_a_full_session_changes_nothing, junk_promote_of_a_revoked_session, wrong_device_cookie_of_another_account,
    junk_device_cookie_with_a_forged_mac, junk_device_cookie_under_another_server_key, junk_device_cookie_malformed, junk_known_device_gets_no_new_cookie)
