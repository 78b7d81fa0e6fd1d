/* validate.c -- field validators. */
#include <string.h>
#include "validate.h"
#include "limits.h"

int
validate_utf8(const char *str, size_t n, int allow_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], cp, need;
		if (c < 0x80) {
			if (c == 0 || c == 0x7f || (c < 0x20 && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t'))))
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
		else return 0;
		if (n - i <= need)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* RFC 3629 §3: no overlongs, no surrogates, nothing above U+10FFFF */
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int
atext(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	for (const char *p = "!#$%&'*+/=?^_`{|}~-"; *p; p++)
		if (*p == c)
			return 1;
	return 0;
}

enum problem
validate_email(const char *s, size_t n)
{
	size_t at = n, i, label = 0, dots = 0;

	if (n < 3 || n > LIM_EMAIL_MAX)
		return PROB_EMAIL_INVALID;
	for (i = 0; i < n; i++)
		if (s[i] == '@') {
			if (at != n)
				return PROB_EMAIL_INVALID;
			at = i;
		}
	if (at == n || at == 0 || at > LIM_EMAIL_LOCAL_MAX || at == n - 1)
		return PROB_EMAIL_INVALID;
	/* local part: dot-atom, RFC 5322 §3.2.3 */
	if (s[0] == '.' || s[at - 1] == '.')
		return PROB_EMAIL_INVALID;
	for (i = 0; i < at; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return PROB_EMAIL_INVALID;
		} else if (!atext(s[i]))
			return PROB_EMAIL_INVALID;
	}
	/* domain: LDH labels of 1..63, at least two labels, RFC 1035 §2.3.1 */
	for (i = at + 1; i <= n; i++) {
		char c = i < n ? s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return PROB_EMAIL_INVALID;
			if (i < n)
				dots++;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return PROB_EMAIL_INVALID;
		if (label == 0 && c == '-')
			return PROB_EMAIL_INVALID;
		label++;
	}
	return dots >= 1 ? PROB_OK : PROB_EMAIL_INVALID;
}

enum problem
validate_code(const char *s, size_t n)
{
	if (n != 6)
		return PROB_CODE_INVALID;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return PROB_CODE_INVALID;
	return PROB_OK;
}

static size_t
utf8_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* NIST SP 800-63B §3.1.1.2: refuse values from breach corpora -- the
 * common passwords of @zxcvbn-ts/language-common (MIT), those long enough to
 * pass the length rule, lower-cased and sorted; generated at build time by
 * wasm/common-passwords.mjs (see README, "Passwords"). */
#include "common_passwords.inc"

/* 1 when s (n bytes) is on the list, ASCII letters in any case. */
static int
password_common(const char *s, size_t n)
{
	char low[LIM_PASSWORD_MAX * 4 + 1];
	size_t lo = 0, hi = sizeof common_passwords / sizeof common_passwords[0];

	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	low[n] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(low, common_passwords[mid]);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

void
validate_password(const char *s, size_t n, struct problems *ps)
{
	size_t cps, distinct = 0, period;
	unsigned char seen[256] = { 0 };

	if (!validate_utf8(s, n, 0)) {
		problems_add(ps, PROB_TEXT_UTF8);
		return;
	}
	cps = utf8_count(s, n);
	if (cps < LIM_PASSWORD_MIN)
		problems_add(ps, PROB_PASSWORD_SHORT);
	if (cps > LIM_PASSWORD_MAX) {
		problems_add(ps, PROB_PASSWORD_LONG);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!seen[(unsigned char)s[i]]++)
			distinct++;
	/* NIST SP 800-63B §5.1.1.2: refuse repetitive or sequential values */
	for (period = 1; period <= n / 2; period++) {
		size_t i;
		for (i = period; i < n && s[i] == s[i - period]; i++)
			;
		if (i == n)
			break;
	}
	if (password_common(s, n))
		problems_add(ps, PROB_PASSWORD_COMMON);
	if (n > 0 && (distinct < 4 || period <= n / 2))
		problems_add(ps, PROB_PASSWORD_WEAK);
	else if (n >= 3) {
		size_t i;
		int step = s[1] - s[0];
		for (i = 2; i < n && s[i] - s[i - 1] == step && (step == 1 || step == -1); i++)
			;
		if (i == n)
			problems_add(ps, PROB_PASSWORD_WEAK);
	}
}

enum problem
validate_amount(const char *s, size_t n, unsigned decimals)
{
	size_t i = 0, intd = 0, fracd = 0;
	int nonzero = 0;

	if (n == 0 || n > LIM_AMOUNT_DIGITS + 1 + 18)
		return PROB_AMOUNT_FORMAT;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (s[i] != '0')
			nonzero = 1;
		intd++;
		i++;
	}
	if (intd == 0)
		return PROB_AMOUNT_FORMAT;
	if (intd > 1 && s[0] == '0')
		return PROB_AMOUNT_FORMAT; /* no leading zeros */
	if (i < n) {
		if (s[i] != '.')
			return PROB_AMOUNT_FORMAT;
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (s[i] != '0')
				nonzero = 1;
			fracd++;
			i++;
		}
		if (fracd == 0 || i != n)
			return PROB_AMOUNT_FORMAT;
	}
	if (intd > LIM_AMOUNT_DIGITS)
		return PROB_AMOUNT_RANGE;
	if (fracd > decimals)
		return PROB_AMOUNT_DECIMALS;
	if (!nonzero)
		return PROB_AMOUNT_ZERO;
	return PROB_OK;
}
