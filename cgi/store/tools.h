/* store/tools.h -- second factors: TOTP and phone. */
#ifndef REKEY_STORE_TOOLS_H
#define REKEY_STORE_TOOLS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define TOTP_SECRET_BYTES 20 /* RFC 4226 §4 R6: 160 bits recommended */
int tools_summary(struct app *a, uint64_t account, json_t *out);
void tools_from_row(const struct dbrows *rows, unsigned row, unsigned col, json_t *out);
/* The account's TOTP secret, opened: its length, whether confirmed, the last step used; < 0 the database's status, 0 none, 1 found */
int tools_totp_secret(struct app *a, uint64_t account, unsigned char *secret, size_t *len, int *confirmed, long long *last);
/* The matched absolute step within one step either side, or -1 (RFC 6238 §5.2) */
long long tools_totp_match(const unsigned char *secret, size_t len, const char *code);
int tools_totp_check(struct app *a, uint64_t account, const char *code);

#endif
