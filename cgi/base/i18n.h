/* base/i18n.h -- mails and SMS in the account's language (issue #20). The
 * words are the catalogues' (web/i18n/<language>.json, the same files the
 * pages read); cgi/ops/i18n-table.mjs compiles their mail., sms., unit. and
 * time. keys into a C table at build time. Messages use the pages' syntax:
 * {name} and {n, plural, one {# hour} other {# hours}}.
 * Dates, times and durations: a small set of formats per language from the
 * catalogue (month names, one date pattern, unit plurals), not ICU: a mail
 * needs one date format and four units, and a 30 MB library in the daemon
 * for that is more to harden than these lines (docs/i18n.md). */
#ifndef REKEY_BASE_I18N_H
#define REKEY_BASE_I18N_H
#include <stddef.h>

enum i18n_lang { LANG_EN, LANG_DE, LANG_ZH, LANG_ES, LANG_AR, LANG__MAX };

/* "en", "de", "zh", "es", "ar" */
const char *i18n_code(enum i18n_lang l);
/* 0 and *out for a supported code (exactly as i18n_code() spells it), -1 otherwise */
int i18n_parse(const char *code, enum i18n_lang *out);
/* The best supported language of an Accept-Language header (RFC 9110
 * §12.5.4: q-values, then order); 0 and *out, or -1 when none fits.
 * Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant) is not offered Simplified. */
int i18n_negotiate(const char *accept_language, enum i18n_lang *out);
/* The message of key in l (English when l lacks it); NULL for an unknown key. */
const char *i18n_text(enum i18n_lang l, const char *key);
/* The CLDR plural category of an integer in l: "zero", "one", "two", "few", "many", "other". */
const char *i18n_plural(enum i18n_lang l, long long n);
/* Formats a message: vars is name, value, name, value, ..., NULL (strings;
 * a plural's value is its decimal number). An unknown key or a syntax error
 * gives -1 and the key itself in out; a value that does not fit is cut. */
int i18n_format(enum i18n_lang l, const char *key, char *out, size_t outlen, const char *const *vars);
/* "24 hours", "24 Stunden", "24 小时"...: the largest whole unit, as config_duration_text() */
void i18n_duration(enum i18n_lang l, long long seconds, char *out, size_t outlen);
/* A database time ("2026-12-02T13:13:59.709035Z") as people of l read it,
 * in UTC and saying so; the input itself when it does not parse. */
const char *i18n_time(enum i18n_lang l, const char *iso, char *out, size_t outlen);

#endif
