/* check_i18n.c -- cgi/base/i18n.c: Accept-Language, plural rules, the
 * catalogues' messages in C, the mail formats of dates and durations. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../cgi/base/i18n.h"

static enum i18n_lang
nego(const char *h)
{
	enum i18n_lang l = LANG__MAX;
	return i18n_negotiate(h, &l) == 0 ? l : LANG__MAX;
}

START_TEST(valid_accept_language)
{
	ck_assert_int_eq(nego("de-CH,de;q=0.9,en;q=0.8"), LANG_DE);
	ck_assert_int_eq(nego("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7"), LANG_ES);   /* the first one offered */
	ck_assert_int_eq(nego("en;q=0.5, ar;q=0.9"), LANG_AR);                  /* q-values, not order */
	ck_assert_int_eq(nego("zh-CN"), LANG_ZH);
	ck_assert_int_eq(nego("ZH-cn;Q=1.0"), LANG_ZH);
	ck_assert_int_eq(nego("es-419"), LANG_ES);
}
END_TEST

START_TEST(junk_accept_language)
{
	ck_assert_int_eq(nego(NULL), LANG__MAX);
	ck_assert_int_eq(nego(""), LANG__MAX);
	ck_assert_int_eq(nego("fr, it;q=0.5"), LANG__MAX);
	ck_assert_int_eq(nego("de;q=0"), LANG__MAX);          /* q=0: not acceptable */
	ck_assert_int_eq(nego("de;q=2"), LANG__MAX);          /* not a qvalue */
	ck_assert_int_eq(nego("de;q=0.12345"), LANG__MAX);
	ck_assert_int_eq(nego("deu"), LANG__MAX);             /* a three-letter code is another language */
	ck_assert_int_eq(nego("zh-TW, zh-Hant;q=0.9"), LANG__MAX); /* Traditional is not Simplified */
	ck_assert_int_eq(nego("zh-HK,en;q=0.1"), LANG_EN);
	ck_assert_int_eq(nego(";;;,,,=q"), LANG__MAX);
}
END_TEST

START_TEST(valid_parse_and_codes)
{
	enum i18n_lang l;
	for (unsigned i = 0; i < LANG__MAX; i++) {
		ck_assert_int_eq(i18n_parse(i18n_code((enum i18n_lang)i), &l), 0);
		ck_assert_int_eq(l, i);
	}
	ck_assert_int_eq(i18n_parse("EN", &l), -1);
	ck_assert_int_eq(i18n_parse("zh-CN", &l), -1);
	ck_assert_int_eq(i18n_parse("", &l), -1);
	ck_assert_int_eq(i18n_parse(NULL, &l), -1);
}
END_TEST

/* CLDR: English one/other; Chinese other; Arabic zero/one/two/few/many/other */
START_TEST(valid_plural_rules)
{
	ck_assert_str_eq(i18n_plural(LANG_EN, 1), "one");
	ck_assert_str_eq(i18n_plural(LANG_EN, 0), "other");
	ck_assert_str_eq(i18n_plural(LANG_DE, 2), "other");
	ck_assert_str_eq(i18n_plural(LANG_ZH, 1), "other");
	ck_assert_str_eq(i18n_plural(LANG_AR, 0), "zero");
	ck_assert_str_eq(i18n_plural(LANG_AR, 1), "one");
	ck_assert_str_eq(i18n_plural(LANG_AR, 2), "two");
	ck_assert_str_eq(i18n_plural(LANG_AR, 3), "few");
	ck_assert_str_eq(i18n_plural(LANG_AR, 10), "few");
	ck_assert_str_eq(i18n_plural(LANG_AR, 11), "many");
	ck_assert_str_eq(i18n_plural(LANG_AR, 99), "many");
	ck_assert_str_eq(i18n_plural(LANG_AR, 100), "other");
	ck_assert_str_eq(i18n_plural(LANG_AR, 103), "few");
}
END_TEST

START_TEST(valid_durations)
{
	char b[80];
	i18n_duration(LANG_EN, 86400, b, sizeof b);
	ck_assert_str_eq(b, "24 hours");
	i18n_duration(LANG_EN, 3600, b, sizeof b);
	ck_assert_str_eq(b, "1 hour");
	i18n_duration(LANG_EN, 7 * 86400, b, sizeof b);
	ck_assert_str_eq(b, "7 days");
	i18n_duration(LANG_DE, 600, b, sizeof b);
	ck_assert_str_eq(b, "10 Minuten");
	i18n_duration(LANG_ES, 90, b, sizeof b);
	ck_assert_str_eq(b, "90 segundos");
	i18n_duration(LANG_ZH, 86400, b, sizeof b);
	ck_assert_str_eq(b, "24 小时");
	i18n_duration(LANG_AR, 3600, b, sizeof b);
	ck_assert_str_eq(b, "ساعة واحدة");
	i18n_duration(LANG_AR, 7200, b, sizeof b);
	ck_assert_str_eq(b, "ساعتان");
	i18n_duration(LANG_AR, 600, b, sizeof b);
	ck_assert_str_eq(b, "10 دقائق");
	i18n_duration(LANG_AR, 86400, b, sizeof b);
	ck_assert_str_eq(b, "24 ساعة");
}
END_TEST

START_TEST(valid_times)
{
	char b[120];
	const char *iso = "2026-12-02T13:05:59.709035Z";
	ck_assert_str_eq(i18n_time(LANG_EN, iso, b, sizeof b), "2 December 2026, 13:05 UTC");
	ck_assert_str_eq(i18n_time(LANG_DE, iso, b, sizeof b), "2. Dezember 2026, 13:05 UTC");
	ck_assert_str_eq(i18n_time(LANG_ES, iso, b, sizeof b), "2 de diciembre de 2026, 13:05 UTC");
	ck_assert_str_eq(i18n_time(LANG_ZH, iso, b, sizeof b), "2026年12月2日 13:05 UTC");
	ck_assert_str_eq(i18n_time(LANG_AR, iso, b, sizeof b), "2 ديسمبر 2026، الساعة 13:05 بالتوقيت العالمي (UTC)");
}
END_TEST

START_TEST(junk_times)
{
	char b[120];
	ck_assert_str_eq(i18n_time(LANG_DE, "2026-13-02T13:05", b, sizeof b), "2026-13-02T13:05");
	ck_assert_str_eq(i18n_time(LANG_DE, "yesterday", b, sizeof b), "yesterday");
	ck_assert_str_eq(i18n_time(LANG_DE, "2026-12-02T25:05", b, sizeof b), "2026-12-02T25:05");
	ck_assert_str_eq(i18n_time(LANG_DE, NULL, b, sizeof b), "");
}
END_TEST

START_TEST(valid_format)
{
	char b[600];
	ck_assert_int_eq(i18n_format(LANG_EN, "mail.passkey_added.subject", b, sizeof b, NULL), 0);
	ck_assert_str_eq(b, "Passkey added");
	ck_assert_int_eq(i18n_format(LANG_DE, "mail.passkey_added.body", b, sizeof b, (const char *const[]){ "name", "YubiKey", NULL }), 0);
	ck_assert_ptr_nonnull(strstr(b, "„YubiKey“"));
	ck_assert_int_eq(i18n_format(LANG_ZH, "sms.code", b, sizeof b,
	    (const char *const[]){ "operator", "Rekey", "code", "123456", "life", "10 分钟", NULL }), 0);
	ck_assert_str_eq(b, "Rekey 验证码：123456。10 分钟后失效。切勿告诉任何人。");
	/* every key in every language: none falls back to English */
	ck_assert_str_ne(i18n_text(LANG_AR, "mail.hold.subject"), i18n_text(LANG_EN, "mail.hold.subject"));
	/* a value the message does not name stays out; one it names but is not given stays as {name} */
	ck_assert_int_eq(i18n_format(LANG_EN, "mail.passkey_added.body", b, sizeof b, (const char *const[]){ "x", "y", NULL }), 0);
	ck_assert_ptr_nonnull(strstr(b, "\"{name}\""));
}
END_TEST

START_TEST(junk_format)
{
	char b[16];
	ck_assert_int_eq(i18n_format(LANG_EN, "mail.no_such_key", b, sizeof b, NULL), -1);
	ck_assert_str_eq(b, "mail.no_such_ke"); /* the key, cut to fit */
	ck_assert_ptr_null(i18n_text(LANG_EN, "nothing"));
	/* a plural without a number is refused, not guessed */
	ck_assert_int_eq(i18n_format(LANG_EN, "unit.hours", b, sizeof b, (const char *const[]){ "n", "many", NULL }), -1);
	ck_assert_int_eq(i18n_format(LANG_EN, "unit.hours", b, sizeof b, NULL), -1);
	/* a value longer than the buffer is cut, never overflows */
	char tiny[8];
	ck_assert_int_eq(i18n_format(LANG_EN, "mail.passkey_added.subject", tiny, sizeof tiny, NULL), 0);
	ck_assert_str_eq(tiny, "Passkey");
	/* ... and never inside a character: "تمت إضافة مفتاح مرور" (2 bytes a letter) in 7 bytes is 3 letters
	 * and the space; in 5 bytes, 2 letters, not 2 and a half */
	ck_assert_int_eq(i18n_format(LANG_AR, "mail.passkey_added.subject", tiny, sizeof tiny, NULL), 0);
	ck_assert_str_eq(tiny, "تمت ");
	char five[6];
	ck_assert_int_eq(i18n_format(LANG_AR, "mail.passkey_added.subject", five, sizeof five, NULL), 0);
	ck_assert_str_eq(five, "تم");
	ck_assert_int_eq(i18n_format(LANG_ZH, "mail.passkey_added.subject", five, sizeof five, NULL), 0);
	ck_assert_str_eq(five, "已"); /* 5 bytes fit: one 3-byte character, not 2 bytes of the second */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("i18n");
	tcase_add_test(tc, valid_accept_language);
	tcase_add_test(tc, junk_accept_language);
	tcase_add_test(tc, valid_parse_and_codes);
	tcase_add_test(tc, valid_plural_rules);
	tcase_add_test(tc, valid_durations);
	tcase_add_test(tc, valid_times);
	tcase_add_test(tc, junk_times);
	tcase_add_test(tc, valid_format);
	tcase_add_test(tc, junk_format);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
