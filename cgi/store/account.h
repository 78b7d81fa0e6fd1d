/* store/account.h -- accounts: lookups the flows share. */
#ifndef REKEY_STORE_ACCOUNT_H
#define REKEY_STORE_ACCOUNT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

int account_email(struct app *a, uint64_t account, char *out, size_t outlen);

/* An account found by email for a password check (found 0: none). */
struct account_login {
	uint64_t id;
	int found, frozen;
	char hash[crypto_pwhash_STRBYTES];
};
/* The email as accounts store it: ASCII letters lower-cased. */
void account_email_normalize(char *email);
int account_find(struct app *a, const char *email, struct account_login *out);
/* 1 when pw is the account's password. The same argon2id work whether or
 * not the email has an account (a dummy hash), so that the answer's time
 * names no account; a frozen account never matches. */
int account_password_ok(const struct app *a, const struct account_login *l, const char *pw);

#endif
