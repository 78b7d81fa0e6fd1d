/* base/keys.c -- the server key, derived subkeys, tokens, keyed hashes, sealing. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base.h"
#include "../../wasm/b64url.h"

static void
derive(unsigned char out[32], uint64_t id, const unsigned char master[32])
{
	/* libsodium KDF, context "rekey-v1" */
	crypto_kdf_derive_from_key(out, 32, id, "rekey-v1", master);
}

int
keys_load(struct keys *k, const char *path, int create)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 && errno == ENOENT && create) {
		unsigned char fresh[32];
		randombytes_buf(fresh, sizeof fresh);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (write(fd, fresh, sizeof fresh) != (ssize_t)sizeof fresh || fsync(fd) != 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		close(fd);
		sodium_memzero(fresh, sizeof fresh);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	n = read(fd, k->master, sizeof k->master);
	close(fd);
	if (n != (ssize_t)sizeof k->master)
		return -1;
	derive(k->session, 1, k->master);
	derive(k->csrf, 2, k->master);
	derive(k->code, 3, k->master);
	derive(k->audit, 4, k->master);
	derive(k->seal, 5, k->master);
	derive(k->bucket, 6, k->master);
	derive(k->link, 7, k->master);
	derive(k->evidence, 8, k->master);
	derive(k->checkpoint, 9, k->master);
	return 0;
}

/* BLAKE2b-256 keyed over a, a separator-free length prefix, then b. */
void
keys_hash(const unsigned char key[32], const void *a, size_t an, const void *b, size_t bn, unsigned char out[32])
{
	crypto_generichash_state st;
	unsigned char len[8];

	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)an >> (8 * i));
	crypto_generichash_init(&st, key, 32, 32);
	crypto_generichash_update(&st, len, sizeof len);
	crypto_generichash_update(&st, a, an);
	if (b)
		crypto_generichash_update(&st, b, bn);
	crypto_generichash_final(&st, out, 32);
}

void
keys_random_token(char *out, size_t outlen, unsigned char raw[32])
{
	size_t n;
	randombytes_buf(raw, 32);
	if (b64url_encode(raw, 32, out, outlen - 1, &n) != PROB_OK)
		n = 0;
	out[n] = '\0';
}

/* A new token (32 random bytes, base64url, into token) and the keyed hash
 * to store for it under domain. */
void
keys_token_new(const unsigned char key[32], const char *domain, char *token, size_t tokenlen, unsigned char out[32])
{
	unsigned char raw[32];

	keys_random_token(token, tokenlen, raw);
	keys_hash(key, domain, strlen(domain), raw, 32, out);
	sodium_memzero(raw, sizeof raw);
}

/* A token we handed out (32 random bytes, base64url) to the keyed hash
 * stored for it, one domain per use. 0, or -1 when it is not such a token. */
int
keys_token_hash(const unsigned char key[32], const char *domain, const char *token, unsigned char out[32])
{
	unsigned char raw[48];
	size_t n;

	if (token == NULL || b64url_decode(token, strlen(token), raw, sizeof raw, &n) != PROB_OK || n != 32)
		return -1;
	keys_hash(key, domain, strlen(domain), raw, 32, out);
	sodium_memzero(raw, sizeof raw);
	return 0;
}

int
keys_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

int
keys_seal(const unsigned char key[32], const unsigned char *msg, size_t n, unsigned char *out, size_t outmax, size_t *outlen)
{
	if (outmax < n + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return -1;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, msg, n, out, key);
	*outlen = n + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	return 0;
}

int
keys_open(const unsigned char key[32], const unsigned char *box, size_t n, unsigned char *out, size_t outmax, size_t *outlen)
{
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES ||
	    outmax < n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES)
		return -1;
	if (crypto_secretbox_open_easy(out, box + crypto_secretbox_NONCEBYTES, n - crypto_secretbox_NONCEBYTES, box, key) != 0)
		return -1;
	*outlen = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	return 0;
}

int
keys_password_hash(const struct config *c, const char *pw, char out[crypto_pwhash_STRBYTES])
{
	/* argon2id; OWASP minimum: 19 MiB, 2 passes */
	return crypto_pwhash_str_alg(out, pw, strlen(pw), (unsigned long long)c->pwhash_opslimit,
	    (size_t)c->pwhash_memlimit_mib * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13);
}
