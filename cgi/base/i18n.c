/* base/i18n.c -- the catalogues' messages for mails and SMS (i18n.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "i18n.h"

struct i18n_row {
	const char *key;
	const char *text[LANG__MAX];
};
#include "i18n_table.h" /* build/gen/, from the catalogues web/i18n/: I18N_ROWS, sorted by key */

static const char *const codes[LANG__MAX] = { "en", "de", "zh", "es", "ar" };

const char *
i18n_code(enum i18n_lang l)
{
	if ((unsigned)l >= LANG__MAX)
		abort();
	return codes[l];
}

int
i18n_parse(const char *code, enum i18n_lang *out)
{
	for (unsigned i = 0; code != NULL && i < LANG__MAX; i++)
		if (strcmp(code, codes[i]) == 0) {
			*out = (enum i18n_lang)i;
			return 0;
		}
	return -1;
}

/* One language range of Accept-Language: its primary subtag, if supported. */
static int
range_lang(const char *s, size_t len, enum i18n_lang *out)
{
	char tag[32];
	size_t p = 0;

	if (len == 0 || len >= sizeof tag)
		return -1;
	memcpy(tag, s, len);
	tag[len] = '\0';
	if (strncasecmp(tag, "zh-", 3) == 0 && (strncasecmp(tag + 3, "tw", 2) == 0 || strncasecmp(tag + 3, "hk", 2) == 0 ||
	    strncasecmp(tag + 3, "mo", 2) == 0 || strncasecmp(tag + 3, "hant", 4) == 0))
		return -1;
	while (p < len && tag[p] != '-')
		p++;
	for (unsigned i = 0; i < LANG__MAX; i++)
		if (p == 2 && strncasecmp(tag, codes[i], 2) == 0) {
			*out = (enum i18n_lang)i;
			return 0;
		}
	return -1;
}

/* RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as thousandths */
static int
qvalue(const char *s, size_t len)
{
	int q = 0, scale = 1000;

	if (len == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (len == 1)
		return q;
	if (s[1] != '.' || len > 5)
		return -1;
	for (size_t i = 2; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		scale /= 10;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

int
i18n_negotiate(const char *h, enum i18n_lang *out)
{
	int best_q = 0, found = -1;

	if (h == NULL)
		return -1;
	while (*h) {
		const char *end = h + strcspn(h, ","), *semi;
		size_t tlen;
		int q = 1000;
		enum i18n_lang l;

		while (h < end && (*h == ' ' || *h == '\t'))
			h++;
		semi = memchr(h, ';', (size_t)(end - h));
		tlen = (size_t)((semi ? semi : end) - h);
		while (tlen > 0 && (h[tlen - 1] == ' ' || h[tlen - 1] == '\t'))
			tlen--;
		if (semi) {
			const char *v = semi + 1;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			if (end - v >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
				size_t vlen = (size_t)(end - v - 2);
				while (vlen > 0 && (v[2 + vlen - 1] == ' ' || v[2 + vlen - 1] == '\t'))
					vlen--;
				q = qvalue(v + 2, vlen);
			} else {
				q = -1;
			}
		}
		if (q > best_q && range_lang(h, tlen, &l) == 0) {
			best_q = q;
			*out = l;
			found = 0;
		}
		h = *end ? end + 1 : end;
	}
	return found;
}

static int
row_cmp(const void *k, const void *row)
{
	return strcmp(k, ((const struct i18n_row *)row)->key);
}

const char *
i18n_text(enum i18n_lang l, const char *key)
{
	const struct i18n_row *row;

	if ((unsigned)l >= LANG__MAX)
		abort();
	row = bsearch(key, I18N_ROWS, sizeof I18N_ROWS / sizeof I18N_ROWS[0], sizeof I18N_ROWS[0], row_cmp);
	if (row == NULL)
		return NULL;
	return row->text[l] ? row->text[l] : row->text[LANG_EN];
}

/* CLDR plural rules for integers (unicode.org/cldr/charts, "Language Plural Rules") */
const char *
i18n_plural(enum i18n_lang l, long long n)
{
	long long m = n < 0 ? -n : n, h = m % 100;

	switch (l) {
	case LANG_EN: case LANG_DE: case LANG_ES:
		return m == 1 ? "one" : "other";
	case LANG_ZH:
		return "other";
	case LANG_AR:
		return m == 0 ? "zero" : m == 1 ? "one" : m == 2 ? "two" : h >= 3 && h <= 10 ? "few" : h >= 11 ? "many" : "other";
	default:
		abort();
	}
}

struct out {
	char *p;
	size_t n, o;
};

static void
put(struct out *w, const char *s, size_t len)
{
	while (len-- > 0 && w->o + 1 < w->n)
		w->p[w->o++] = *s++;
}

static const char *
var(const char *const *vars, const char *name, size_t len)
{
	for (size_t i = 0; vars && vars[i] && vars[i + 1]; i += 2)
		if (strlen(vars[i]) == len && strncmp(vars[i], name, len) == 0)
			return vars[i + 1];
	return NULL;
}

/* The '}' that closes the '{' at s, or NULL. */
static const char *
closing(const char *s, const char *end)
{
	int depth = 0;

	for (; s < end; s++)
		if (*s == '{')
			depth++;
		else if (*s == '}' && --depth == 0)
			return s;
	return NULL;
}

static const char *
skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\n' || *s == '\t'))
		s++;
	return s;
}

static size_t
name_len(const char *s, const char *end)
{
	size_t n = 0;
	while (s + n < end && (s[n] == '_' || s[n] == '=' || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (s[n] >= '0' && s[n] <= '9')))
		n++;
	return n;
}

static int
emit(enum i18n_lang l, const char *s, const char *end, const char *const *vars, const char *hash, struct out *w)
{
	while (s < end) {
		const char *close, *p;
		size_t nlen;

		if (*s == '#' && hash) {
			put(w, hash, strlen(hash));
			s++;
			continue;
		}
		if (*s == '}')
			return -1;
		if (*s != '{') {
			put(w, s++, 1);
			continue;
		}
		if ((close = closing(s, end)) == NULL)
			return -1;
		p = skip_space(s + 1, close);
		nlen = name_len(p, close);
		if (nlen == 0)
			return -1;
		const char *name = p, *value = var(vars, name, nlen);
		p = skip_space(p + nlen, close);
		if (p == close) { /* {name} */
			if (value)
				put(w, value, strlen(value));
			else
				put(w, s, (size_t)(close - s + 1));
			s = close + 1;
			continue;
		}
		/* {name, plural, sel {form} ...} */
		if (*p != ',' || (p = skip_space(p + 1, close), strncmp(p, "plural", 6) != 0))
			return -1;
		p = skip_space(p + 6, close);
		if (*p != ',')
			return -1;
		p++;
		char *num_end;
		long long n = value ? strtoll(value, &num_end, 10) : 0;
		if (value == NULL || *value == '\0' || *num_end != '\0')
			return -1;
		const char *cat = i18n_plural(l, n), *exact = NULL, *byCat = NULL, *other = NULL, *ex_end = NULL, *cat_end = NULL, *other_end = NULL;
		char want[24];
		snprintf(want, sizeof want, "=%lld", n);
		for (;;) {
			const char *fclose;
			size_t sl;
			p = skip_space(p, close);
			if (p == close)
				break;
			sl = name_len(p, close);
			if (sl == 0)
				return -1;
			const char *sel = p;
			p = skip_space(p + sl, close);
			if (*p != '{' || (fclose = closing(p, close)) == NULL)
				return -1;
			if (sl == strlen(want) && strncmp(sel, want, sl) == 0)
				exact = p + 1, ex_end = fclose;
			else if (sl == strlen(cat) && strncmp(sel, cat, sl) == 0)
				byCat = p + 1, cat_end = fclose;
			if (sl == 5 && strncmp(sel, "other", 5) == 0)
				other = p + 1, other_end = fclose;
			p = fclose + 1;
		}
		if (other == NULL)
			return -1;
		if (exact == NULL) {
			exact = byCat ? byCat : other;
			ex_end = byCat ? cat_end : other_end;
		}
		if (emit(l, exact, ex_end, vars, value, w) != 0)
			return -1;
		s = close + 1;
	}
	return 0;
}

/* The length of out[0..n) without a UTF-8 sequence cut at its end (a
 * message cut to fit its buffer stays valid UTF-8 in a mail or an SMS). */
static size_t
utf8_whole(const char *p, size_t n)
{
	size_t i = n, need;
	unsigned char c;

	while (i > 0 && n - i < 3 && ((unsigned char)p[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return n;
	c = (unsigned char)p[i - 1];
	if (c < 0xC0)
		return n; /* ASCII (or a stray continuation byte: left as it is) */
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	return n - (i - 1) < need ? i - 1 : n;
}

int
i18n_format(enum i18n_lang l, const char *key, char *out, size_t outlen, const char *const *vars)
{
	const char *msg = i18n_text(l, key);
	struct out w = { out, outlen, 0 };

	if (outlen == 0)
		return -1;
	if (msg == NULL || emit(l, msg, msg + strlen(msg), vars, NULL, &w) != 0) {
		snprintf(out, outlen, "%s", key);
		return -1;
	}
	out[utf8_whole(out, w.o)] = '\0';
	return 0;
}

void
i18n_duration(enum i18n_lang l, long long seconds, char *out, size_t outlen)
{
	static const struct { long long unit; const char *key; } units[] = {
		{ 86400, "unit.days" }, { 3600, "unit.hours" }, { 60, "unit.minutes" }, { 1, "unit.seconds" },
	};
	const char *key = "unit.seconds";
	long long k = seconds;
	char num[24];

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (seconds >= units[i].unit && seconds % units[i].unit == 0 && !(units[i].unit == 86400 && seconds / units[i].unit <= 2)) {
			key = units[i].key;
			k = seconds / units[i].unit;
			break;
		}
	snprintf(num, sizeof num, "%lld", k);
	i18n_format(l, key, out, outlen, (const char *const[]){ "n", num, NULL });
}

const char *
i18n_time(enum i18n_lang l, const char *iso, char *out, size_t outlen)
{
	static const char *const months[12] = { "time.month.1", "time.month.2", "time.month.3", "time.month.4", "time.month.5",
		"time.month.6", "time.month.7", "time.month.8", "time.month.9", "time.month.10", "time.month.11", "time.month.12" };
	int y, mo, d, h, mi;
	char day[8], year[8], hm[8];

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h < 0 || h > 23 || mi < 0 || mi > 59) {
		snprintf(out, outlen, "%s", iso ? iso : "");
		return out;
	}
	snprintf(day, sizeof day, "%d", d);
	snprintf(year, sizeof year, "%d", y);
	snprintf(hm, sizeof hm, "%02d:%02d", h, mi);
	i18n_format(l, "time.datetime", out, outlen,
	    (const char *const[]){ "day", day, "month", i18n_text(l, months[mo - 1]), "year", year, "time", hm, NULL });
	return out;
}
