/* store/account.h -- accounts: lookups the flows share. */
#ifndef REKEY_STORE_ACCOUNT_H
#define REKEY_STORE_ACCOUNT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

int account_email(struct app *a, uint64_t account, char *out, size_t outlen);

#endif
