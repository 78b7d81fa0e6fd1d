/* check_config.c -- cgi/base/config.c: defaults and REKEY_* overrides, the
 * refusal of malformed policy lists, and whole-entry list matching (the
 * authenticator allow-list and the COSE algorithms are security policy). */
#include <stdlib.h>
#include <string.h>
#include "vectors.h"
#include "../cgi/base/config.h"

#define AAGUID "adce0002-35bc-c60a-648b-0b25f1f05503"

static int
load_with(const char *env, const char *value, char *err, size_t errlen)
{
	struct config c;
	int rc;

	setenv(env, value, 1);
	rc = config_load(&c, NULL, err, errlen);
	unsetenv(env);
	return rc;
}

START_TEST(defaults_load)
{
	struct config c;
	char err[256] = "";

	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
	ck_assert_str_eq(c.webauthn_algs, "-7,-8,-257");
	ck_assert_str_eq(c.aaguid_allow, "");
	setenv("REKEY_AAGUID_ALLOW", AAGUID, 1);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
	unsetenv("REKEY_AAGUID_ALLOW");
	ck_assert_str_eq(c.aaguid_allow, AAGUID);
}
END_TEST

/* each of bad refused with an error naming the key, each of good loaded */
static void
list_cases(const char *env, const char *key, const char *const *bad, size_t nbad, const char *const *good, size_t ngood)
{
	char err[256];

	for (size_t i = 0; i < nbad; i++) {
		err[0] = '\0';
		ck_assert_msg(load_with(env, bad[i], err, sizeof err) == -1, "%s: accepted \"%s\"", key, bad[i]);
		ck_assert_msg(strncmp(err, key, strlen(key)) == 0 && err[strlen(key)] == ':', "%s", err);
	}
	for (size_t i = 0; i < ngood; i++)
		ck_assert_msg(load_with(env, good[i], err, sizeof err) == 0, "%s: refused \"%s\": %s", key, good[i], err);
}

START_TEST(algorithms_list_refused_unless_supported)
{
	static const char *const bad[] = { "", "-7,", ",-7", "-7,,-8", "-7,-70", "-35", "ES256", "-7 ,-8", "7", "-2570" };
	static const char *const good[] = { "-7", "-257", "-8,-7", "-7,-8,-257" };

	list_cases("REKEY_WEBAUTHN_ALGS", "webauthn_algs", bad, sizeof bad / sizeof bad[0], good, sizeof good / sizeof good[0]);
}
END_TEST

START_TEST(aaguid_list_refused_unless_uuids)
{
	static const char *const bad[] = { "x", AAGUID ",", "," AAGUID, AAGUID ",,", "adce000235bcc60a648b0b25f1f05503",
		"adce0002-35bc-c60a-648b-0b25f1f0550", "adce0002-35bc-c60a-648b-0b25f1f055033", "gdce0002-35bc-c60a-648b-0b25f1f05503",
		"adce0002_35bc-c60a-648b-0b25f1f05503", AAGUID " " };
	static const char *const good[] = { AAGUID, "ADCE0002-35BC-C60A-648B-0B25F1F05503", AAGUID ",00000000-0000-0000-0000-000000000000" };

	list_cases("REKEY_AAGUID_ALLOW", "aaguid_allow", bad, sizeof bad / sizeof bad[0], good, sizeof good / sizeof good[0]);
}
END_TEST

START_TEST(list_matches_whole_entries_only)
{
	/* the algorithms: -25 is inside "-257" but is not on the list */
	ck_assert_int_eq(config_list_has("-7,-8,-257", "-7"), 1);
	ck_assert_int_eq(config_list_has("-7,-8,-257", "-257"), 1);
	ck_assert_int_eq(config_list_has("-7,-8,-257", "-25"), 0);
	ck_assert_int_eq(config_list_has("-7,-8,-257", "-2"), 0);
	ck_assert_int_eq(config_list_has("-7,-8,-257", "257"), 0);
	ck_assert_int_eq(config_list_has("-7,-8,-257", "-7,-8"), 0);
	ck_assert_int_eq(config_list_has("-7,-8,-257", ""), 0);
	ck_assert_int_eq(config_list_has("", "-7"), 0);
	/* AAGUIDs: whole and case-blind, never a prefix or a part */
	ck_assert_int_eq(config_list_has("00000000-0000-0000-0000-000000000000," AAGUID, AAGUID), 1);
	ck_assert_int_eq(config_list_has(AAGUID, "ADCE0002-35BC-C60A-648B-0B25F1F05503"), 1);
	ck_assert_int_eq(config_list_has(AAGUID, "adce0002-35bc-c60a-648b-0b25f1f0550"), 0);
	ck_assert_int_eq(config_list_has(AAGUID, "dce0002-35bc-c60a-648b-0b25f1f05503"), 0);
	ck_assert_int_eq(config_list_has(AAGUID, "00000000-0000-0000-0000-000000000000"), 0);
}
END_TEST

/* issue #14 finding 9: the dev mail page shows codes and links without a
 * session, so dev_mode starts only on a loopback origin without Secure cookies */
START_TEST(dev_mode_only_on_loopback)
{
	static const char *const bad[] = { "https://exchange.example", "http://localhost.example.com:8080",
		"http://127.0.0.1.nip.io", "http://mylocalhost:8080", "https://10.0.0.5", "http://[::2]:80" };
	static const char *const good[] = { "http://localhost:8080", "http://localhost", "http://127.0.0.1:9000",
		"https://localhost:8443" };
	struct config c;
	char err[256];

	setenv("REKEY_DEV_MODE", "1", 1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		setenv("REKEY_ORIGIN", bad[i], 1);
		ck_assert_msg(config_load(&c, NULL, err, sizeof err) == -1, "%s accepted", bad[i]);
		ck_assert_ptr_nonnull(strstr(err, "dev_mode"));
	}
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		setenv("REKEY_ORIGIN", good[i], 1);
		ck_assert_msg(config_load(&c, NULL, err, sizeof err) == 0, "%s refused: %s", good[i], err);
	}
	setenv("REKEY_COOKIE_SECURE", "1", 1);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), -1);
	setenv("REKEY_DEV_MODE", "0", 1);
	setenv("REKEY_ORIGIN", "https://exchange.example", 1);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
	unsetenv("REKEY_DEV_MODE");
	unsetenv("REKEY_ORIGIN");
	unsetenv("REKEY_COOKIE_SECURE");
}
END_TEST

/* #25: texts that state a duration read it from the configuration */
START_TEST(durations_as_words)
{
	static const struct { long long s; const char *want; } cases[] = {
		{ 86400, "24 hours" }, { 3600, "1 hour" }, { 172800, "48 hours" }, { 900, "15 minutes" }, { 60, "1 minute" },
		{ 600, "10 minutes" }, { 2592000, "30 days" }, { 259200, "3 days" }, { 90, "90 seconds" }, { 1, "1 second" },
		{ 5400, "90 minutes" },
	};
	char out[40];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config_duration_text(cases[i].s, out, sizeof out);
		ck_assert_str_eq(out, cases[i].want);
	}
}
END_TEST

START_TEST(texts_expand_the_configured_durations)
{
	struct config c;
	char err[256], out[200], tiny[8];

	setenv("REKEY_HOLD_HOURS", "48", 1);
	setenv("REKEY_CODE_SECONDS", "300", 1);
	ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
	unsetenv("REKEY_HOLD_HOURS");
	unsetenv("REKEY_CODE_SECONDS");
	config_expand(&c, "held for {hold}; code {code}; {signin_window}; {reset_flow} {delete_flow} {handoff} {freeze_hold}", out, sizeof out);
	ck_assert_str_eq(out, "held for 48 hours; code 5 minutes; 15 minutes; 1 hour 15 minutes 10 minutes 30 days");
	/* unknown names and lone braces stay as they are */
	config_expand(&c, "{nope} {hold {hold}", out, sizeof out);
	ck_assert_str_eq(out, "{nope} {hold 48 hours");
	/* never past the buffer */
	config_expand(&c, "{hold}{hold}", tiny, sizeof tiny);
	ck_assert_uint_eq(strlen(tiny), sizeof tiny - 1);
}
END_TEST

START_TEST(durations_refused_out_of_range)
{
	static const char *const bad[][2] = {
		{ "REKEY_HOLD_HOURS", "23" }, { "REKEY_HOLD_HOURS", "721" }, { "REKEY_FREEZE_HOLD_HOURS", "10" },
		{ "REKEY_CODE_SECONDS", "59" }, { "REKEY_CODE_SECONDS", "3601" }, { "REKEY_DELETE_FLOW_SECONDS", "0" },
		{ "REKEY_RESET_FLOW_SECONDS", "100" }, { "REKEY_HANDOFF_SECONDS", "7200" }, { "REKEY_FACE_FRAMES", "0" },
		{ "REKEY_FACE_FRAMES", "11" }, { "REKEY_CODE_RESEND_SECONDS", "5" }, { "REKEY_CODE_RESEND_SECONDS", "601" },
		{ "REKEY_DISPUTE_HOURS", "23" }, { "REKEY_DISPUTE_HOURS", "2161" }, { "REKEY_RESET_QUESTIONS", "yes" },
		{ "REKEY_SMS_AS_SECOND_FACTOR", "" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(load_with(bad[i][0], bad[i][1], err, sizeof err) == -1, "%s=%s accepted", bad[i][0], bad[i][1]);
	ck_assert_int_eq(load_with("REKEY_HOLD_HOURS", "48", err, sizeof err), 0);
	ck_assert_int_eq(load_with("REKEY_FACE_FRAMES", "5", err, sizeof err), 0);
	/* #18: the dispute window defaults to the hold, and the profile switches are flags */
	{
		struct config c;
		setenv("REKEY_HOLD_HOURS", "48", 1);
		setenv("REKEY_RESET_QUESTIONS", "off", 1);
		ck_assert_int_eq(config_load(&c, NULL, err, sizeof err), 0);
		ck_assert_int_eq(c.dispute_hours, 48);
		ck_assert_int_eq(c.questions_off, 1);
		ck_assert_int_eq(c.sms_off, 0);
		unsetenv("REKEY_HOLD_HOURS");
		unsetenv("REKEY_RESET_QUESTIONS");
	}
}
END_TEST

START_TEST(db_endpoint_lists_refused_unless_well_formed)
{
	static const char *const bad_hosts[] = { ",", "a,", ",a", "a,,b", "a:", ":3306", "a:0", "a:65536", "a:12x", "a b:1",
		"1,2,3,4,5,6,7,8,9" };
	static const char *const good_hosts[] = { "", "db1", "db1:3306,db2:3307", "10.0.0.1:3306", "a,b,c,d,e,f,g,h" };
	static const char *const bad_socks[] = { ",", "/a.sock,", "/a,,/b", "/1,/2,/3,/4,/5,/6,/7,/8,/9" };
	static const char *const good_socks[] = { "", "/var/run/n1.sock", "/n1.sock,/n2.sock,/n3.sock" };

	list_cases("REKEY_DB_HOSTS", "db_sockets, db_hosts", bad_hosts, sizeof bad_hosts / sizeof bad_hosts[0], good_hosts,
	    sizeof good_hosts / sizeof good_hosts[0]);
	list_cases("REKEY_DB_SOCKETS", "db_sockets, db_hosts", bad_socks, sizeof bad_socks / sizeof bad_socks[0], good_socks,
	    sizeof good_socks / sizeof good_socks[0]);
	/* together: 8 at most */
	setenv("REKEY_DB_SOCKETS", "/1,/2,/3,/4,/5", 1);
	{
		char err[256];
		ck_assert_int_eq(load_with("REKEY_DB_HOSTS", "a,b,c", err, sizeof err), 0);
		ck_assert_int_eq(load_with("REKEY_DB_HOSTS", "a,b,c,d", err, sizeof err), -1);
	}
	unsetenv("REKEY_DB_SOCKETS");
}
END_TEST

RUN_SUITE("config", db_endpoint_lists_refused_unless_well_formed, defaults_load, algorithms_list_refused_unless_supported, aaguid_list_refused_unless_uuids,
    list_matches_whole_entries_only, dev_mode_only_on_loopback, durations_as_words, texts_expand_the_configured_durations,
    durations_refused_out_of_range)
