/* base/keys.h -- the server key and its subkeys: keyed hashes, tokens,
 * constant-time compares, sealing, password hashes. */
#ifndef REKEY_BASE_KEYS_H
#define REKEY_BASE_KEYS_H
#include <stddef.h>
#include <sodium.h>
#include "config.h"

struct keys;
int keys_load(struct keys *k, const char *path, int create);
void keys_hash(const unsigned char key[32], const void *a, size_t an, const void *b, size_t bn, unsigned char out[32]);
void keys_token_new(const unsigned char key[32], const char *domain, char *token, size_t tokenlen, unsigned char out[32]);
int keys_token_hash(const unsigned char key[32], const char *domain, const char *token, unsigned char out[32]);
void keys_random_token(char *out, size_t outlen, unsigned char raw[32]);
int keys_equal(const void *a, const void *b, size_t n);
int keys_seal(const unsigned char key[32], const unsigned char *msg, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
int keys_open(const unsigned char key[32], const unsigned char *box, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
int keys_password_hash(const struct config *c, const char *pw, char out[crypto_pwhash_STRBYTES]);

#endif
