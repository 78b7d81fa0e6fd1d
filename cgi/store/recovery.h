/* store/recovery.h -- saved recovery codes (issue #17, NIST SP 800-63B-4 §4.2.1):
 * a set of RECOVERY_CODES, each RECOVERY_CODE_BYTES of randomness written as
 * base32 in groups of 4, stored only as a keyed hash, single use. */
#ifndef REKEY_STORE_RECOVERY_H
#define REKEY_STORE_RECOVERY_H
#include <stddef.h>
#include <stdint.h>
#include "../base/base.h"

#define RECOVERY_CODES 10
#define RECOVERY_CODE_BYTES 10 /* 80 bits: 16 base32 characters (RFC 4648 §6) */
#define RECOVERY_CODE_TEXT 20  /* "XXXX-XXXX-XXXX-XXXX" */
#define RECOVERY_TRIES_ACCOUNT 10 /* wrong codes per account per signin window, over every flow */

/* A new set: the previous one stops working. codes[i] is shown once and never stored. */
int recovery_make(struct app *a, uint64_t account, char codes[RECOVERY_CODES][RECOVERY_CODE_TEXT], char created_at[32]);
/* The live set: codes left and when it was made ("" and 0 without one). */
int recovery_status(struct app *a, uint64_t account, int *remaining, char created_at[32]);
/* Spends the code if it is one of the live set's unused codes: 1 spent (this
 * request won, by one conditional UPDATE), 0 not (wrong, used, voided), or
 * the database's status (< 0). */
int recovery_use(struct app *a, uint64_t account, const char *code);

#endif
