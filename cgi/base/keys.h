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

/* The keys of data at rest, by key id: the evidence vault's boxes
 * (store/vault.c) and the TOTP secrets (store/tools.c), each row storing the
 * id it was sealed under. A ring kept in the file <key_file>.vault beside the
 * server key, written by `rekeyctl keys`. Key 1 is the server key's own
 * subkeys (8 for evidence, 5 for TOTP secrets: "derived"); a later key is 32
 * random bytes, from which each use gets its own subkey. No file means key 1
 * alone. The ring is read again whenever the file changes, so a running
 * rekeyd seals with a key rotated in after it started and opens rows resealed
 * under it. */
#define KEYS_VAULT_MAX 32
enum keys_use { KEYS_USE_EVIDENCE, KEYS_USE_TOTP, KEYS_USE__MAX };
struct vault_ring {
	char path[300];
	int current;                       /* the key id every new box is sealed with */
	int n;
	int id[KEYS_VAULT_MAX];
	unsigned char key[KEYS_VAULT_MAX][32];               /* as in the file (key 1: unused) */
	unsigned char use[KEYS_VAULT_MAX][KEYS_USE__MAX][32]; /* per use */
	int present;                       /* the file existed when last read */
	unsigned long long dev, ino, size;
	long long mtime_ns;
};
/* Reads the ring (0, or -1 when the file is unreadable or malformed: why in err). */
int keys_vault_load(struct keys *k, const char *path, char *err, size_t errlen);
void keys_vault_free(struct keys *k);
/* The key id new rows are sealed with, and its key for USE (NULL when the ring is unreadable). */
const unsigned char *keys_vault_current(const struct keys *k, enum keys_use use, int *id);
/* The key for USE of key id ID, or NULL when the ring does not hold it (retired, or never made). */
const unsigned char *keys_vault_key(const struct keys *k, enum keys_use use, int id);
/* rekeyctl keys: a new random key, made the current one (its id in *id);
 * key ID removed (refused for the current key). Each writes the file
 * atomically (a temporary file, fsync, rename). 0, or -1 with why in err. */
int keys_vault_rotate(struct keys *k, int *id, char *err, size_t errlen);
int keys_vault_remove(struct keys *k, int id, char *err, size_t errlen);

#endif
