/* store/vault.h -- the evidence vault: sealed at rest, canonical PNGs. */
#ifndef REKEY_STORE_VAULT_H
#define REKEY_STORE_VAULT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

unsigned char *vault_seal(const struct app *a, const unsigned char *p, size_t n, const char *ad, size_t *outlen);
unsigned char *vault_unseal(const struct app *a, const unsigned char *box, size_t n, const char *ad, size_t *outlen);
void vault_ad(char *out, size_t outlen, uint64_t case_id, const char *kind, const char *shahex);
void vault_identity_ad(char *out, size_t outlen, uint64_t account);
/* A PNG re-encoded from the decoded pixels: no metadata, no trailing data (malloc'd in *out). */
int vault_canonical_png(const unsigned char *p, size_t n, unsigned char **out, size_t *outlen);
int vault_png(const unsigned char *rgb, int w, int h, unsigned char **out, size_t *outlen);

#endif
