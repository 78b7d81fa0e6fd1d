/* base/keys.c -- the server key, derived subkeys, tokens, keyed hashes, sealing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the evidence vault's keys (keys.h: struct vault_ring) ---- */

#define VAULT_RING_HEADER "# Rekey keys of data at rest (evidence vault, TOTP secrets), written by rekeyctl keys:\n" \
	"# \"ID derived\" (key 1, the server key's subkeys) or \"ID KEY\" (32 bytes, base64url), and \"current ID\".\n"

static int
ring_find(const struct vault_ring *v, int id)
{
	for (int i = 0; i < v->n; i++)
		if (v->id[i] == id)
			return i;
	return -1;
}

/* Each use's key of ring entry i: key 1 is the server key's subkeys, a later
 * key gives one subkey per use (libsodium KDF, context "rekeyrng") */
static void
ring_uses(struct vault_ring *v, int i, const struct keys *k)
{
	if (v->id[i] == 1) {
		memcpy(v->use[i][KEYS_USE_EVIDENCE], k->evidence, 32);
		memcpy(v->use[i][KEYS_USE_TOTP], k->seal, 32);
		return;
	}
	for (int u = 0; u < KEYS_USE__MAX; u++)
		crypto_kdf_derive_from_key(v->use[i][u], 32, (uint64_t)u + 1, "rekeyrng", v->key[i]);
}

/* Parses the ring file's text into v (0), or -1 with why in err. */
static int
ring_parse(struct vault_ring *v, const struct keys *k, char *text, char *err, size_t errlen)
{
	char *save = NULL, *line;
	int lineno = 0;

	v->n = 0;
	v->current = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char a[16], b[64], extra[2];
		long id;
		int f;

		lineno++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		f = sscanf(line, "%15s %63s %1s", a, b, extra);
		if (f != 2)
			goto bad;
		if (strcmp(a, "current") == 0) {
			if (v->current != 0 || strspn(b, "0123456789") != strlen(b) || (id = strtol(b, NULL, 10)) < 1 || id > 1000000)
				goto bad;
			v->current = (int)id;
			continue;
		}
		if (strspn(a, "0123456789") != strlen(a) || (id = strtol(a, NULL, 10)) < 1 || id > 1000000 ||
		    ring_find(v, (int)id) >= 0 || v->n >= KEYS_VAULT_MAX)
			goto bad;
		if (strcmp(b, "derived") == 0) {
			if (id != 1)
				goto bad;
			sodium_memzero(v->key[v->n], 32);
		} else {
			size_t n;
			if (b64url_decode(b, strlen(b), v->key[v->n], 32, &n) != PROB_OK || n != 32)
				goto bad;
		}
		v->id[v->n] = (int)id;
		ring_uses(v, v->n++, k);
	}
	if (v->current == 0 || ring_find(v, v->current) < 0) {
		snprintf(err, errlen, "%s: no current key, or the current key is not in the file", v->path);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: line %d is not \"ID derived\", \"ID KEY\" or \"current ID\" (or repeats an id)", v->path, lineno);
	return -1;
}

/* The ring file's text (malloc'd, NUL-terminated; a ring is a few lines), or NULL with errno */
static char *
ring_read(const char *path, size_t *len)
{
	char *buf = malloc(8192);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (buf != NULL && fd >= 0)
		n = read(fd, buf, 8191);
	if (fd >= 0)
		close(fd);
	if (n < 0 || n == 8191) {
		if (n == 8191)
			errno = EFBIG;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* (Re)reads the file when it changed since the last read: 0, or -1. */
static int
ring_refresh(struct vault_ring *v, const struct keys *k, char *err, size_t errlen)
{
	struct stat st;
	char *text;
	size_t len;
	int rc;

	if (stat(v->path, &st) != 0) {
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", v->path, strerror(errno));
			return -1;
		}
		if (v->present || v->n == 0) { /* none: key 1 alone */
			v->present = 0;
			v->n = 1;
			v->id[0] = 1;
			v->current = 1;
			ring_uses(v, 0, k);
		}
		return 0;
	}
	if (v->present && v->dev == (unsigned long long)st.st_dev && v->ino == (unsigned long long)st.st_ino &&
	    v->size == (unsigned long long)st.st_size && v->mtime_ns == (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec)
		return 0;
	if ((text = ring_read(v->path, &len)) == NULL) {
		snprintf(err, errlen, "%s: %s", v->path, strerror(errno));
		return -1;
	}
	rc = ring_parse(v, k, text, err, errlen);
	sodium_memzero(text, len);
	free(text);
	if (rc != 0) {
		v->n = 0; /* nothing opens or seals until the file is right */
		v->present = 0;
		return -1;
	}
	v->present = 1;
	v->dev = (unsigned long long)st.st_dev;
	v->ino = (unsigned long long)st.st_ino;
	v->size = (unsigned long long)st.st_size;
	v->mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	return 0;
}

int
keys_vault_load(struct keys *k, const char *path, char *err, size_t errlen)
{
	keys_vault_free(k);
	if ((k->vault = sodium_malloc(sizeof *k->vault)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(k->vault, 0, sizeof *k->vault);
	if ((size_t)snprintf(k->vault->path, sizeof k->vault->path, "%s", path) >= sizeof k->vault->path) {
		snprintf(err, errlen, "the vault key file's path is too long");
		return -1;
	}
	return ring_refresh(k->vault, k, err, errlen);
}

void
keys_vault_free(struct keys *k)
{
	if (k->vault != NULL)
		sodium_free(k->vault); /* wiped */
	k->vault = NULL;
}

const unsigned char *
keys_vault_key(const struct keys *k, enum keys_use use, int id)
{
	char err[300];
	int i;

	if ((unsigned)use >= KEYS_USE__MAX)
		abort();
	if (k->vault == NULL) /* no ring loaded (the tests' app without a key file): key 1 alone */
		return id != 1 ? NULL : use == KEYS_USE_TOTP ? k->seal : k->evidence;
	if (ring_refresh(k->vault, k, err, sizeof err) != 0 || (i = ring_find(k->vault, id)) < 0)
		return NULL;
	return k->vault->use[i][use];
}

const unsigned char *
keys_vault_current(const struct keys *k, enum keys_use use, int *id)
{
	char err[300];

	if (k->vault == NULL) {
		*id = 1;
		return keys_vault_key(k, use, 1);
	}
	if (ring_refresh(k->vault, k, err, sizeof err) != 0 || k->vault->n == 0)
		return NULL;
	*id = k->vault->current;
	return keys_vault_key(k, use, *id);
}

/* Writes the ring: a temporary file beside it (0600), fsync, rename, fsync of the folder. */
static int
ring_write(struct vault_ring *v, char *err, size_t errlen)
{
	char tmp[320], dir[300], *slash;
	FILE *f;
	int fd, ok;

	snprintf(tmp, sizeof tmp, "%s.new", v->path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fputs(VAULT_RING_HEADER, f);
	for (int i = 0; i < v->n; i++) {
		char b64[64];
		size_t n;
		if (b64url_encode(v->key[i], 32, b64, sizeof b64 - 1, &n) != PROB_OK)
			n = 0;
		b64[n] = '\0';
		fprintf(f, "%d %s\n", v->id[i], v->id[i] == 1 ? "derived" : b64);
		sodium_memzero(b64, sizeof b64);
	}
	fprintf(f, "current %d\n", v->current);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, v->path) != 0) {
		snprintf(err, errlen, "%s: %s", v->path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", v->path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if ((fd = open(dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	v->present = 0; /* read back at the next use */
	return 0;
}

int
keys_vault_rotate(struct keys *k, int *id, char *err, size_t errlen)
{
	struct vault_ring *v = k->vault;
	int next = 0;

	if (v == NULL || ring_refresh(v, k, err, errlen) != 0)
		return v == NULL ? (snprintf(err, errlen, "no vault key file"), -1) : -1;
	if (v->n >= KEYS_VAULT_MAX) {
		snprintf(err, errlen, "the ring holds %d keys already: retire one first", KEYS_VAULT_MAX);
		return -1;
	}
	for (int i = 0; i < v->n; i++)
		if (v->id[i] > next)
			next = v->id[i];
	/* ids are never reused: the highest is the current key (rotate makes it so,
	 * retire refuses it), which stays in the ring */
	next++;
	v->id[v->n] = next;
	randombytes_buf(v->key[v->n], 32);
	ring_uses(v, v->n, k);
	v->n++;
	v->current = next;
	*id = next;
	return ring_write(v, err, errlen);
}

int
keys_vault_remove(struct keys *k, int id, char *err, size_t errlen)
{
	struct vault_ring *v = k->vault;
	int i;

	if (v == NULL || ring_refresh(v, k, err, errlen) != 0)
		return v == NULL ? (snprintf(err, errlen, "no vault key file"), -1) : -1;
	if ((i = ring_find(v, id)) < 0) {
		snprintf(err, errlen, "key %d is not in %s", id, v->path);
		return -1;
	}
	if (id == v->current) {
		snprintf(err, errlen, "key %d is the current key: rotate first", id);
		return -1;
	}
	sodium_memzero(v->key[i], 32);
	sodium_memzero(v->use[i], sizeof v->use[i]);
	memmove(&v->id[i], &v->id[i + 1], (size_t)(v->n - i - 1) * sizeof v->id[0]);
	memmove(v->key[i], v->key[i + 1], (size_t)(v->n - i - 1) * 32);
	memmove(v->use[i], v->use[i + 1], (size_t)(v->n - i - 1) * sizeof v->use[0]);
	v->n--;
	return ring_write(v, err, errlen);
}
