/* validate.h -- field validators shared by the pages and rekeyd. */
#ifndef REKEY_VALIDATE_H
#define REKEY_VALIDATE_H
#include <stddef.h>
#include "problem.h"

/* 1 when s[0..n) is well-formed UTF-8 without NUL or C0/C1 controls
 * other than tab, CR and LF (RFC 3629 §4). */
int validate_utf8(const char *s, size_t n, int allow_newlines);
/* An address of the form local@domain: dot-atom local part (RFC 5322
 * §3.4.1, no quoted strings), a domain of LDH labels with a dot. */
enum problem validate_email(const char *s, size_t n);
/* Exactly 6 ASCII digits. */
enum problem validate_code(const char *s, size_t n);
/* Length 10..128 code points, not all one character class of a short
 * run, not a trivially repeated pattern. Fills ps. */
void validate_password(const char *s, size_t n, struct problems *ps);
/* A plain decimal, > 0, at most `decimals` fraction digits. */
enum problem validate_amount(const char *s, size_t n, unsigned decimals);

PROBLEM_STRERROR(validate)

#endif
