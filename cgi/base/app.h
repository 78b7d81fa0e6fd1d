/* base/app.h -- the application every layer works in: configuration, keys,
 * the database connections in use, the log. */
#ifndef REKEY_BASE_APP_H
#define REKEY_BASE_APP_H
#include <stdio.h>
#include <sodium.h>
#include "config.h"
#include "db.h"

struct keys {
	unsigned char master[32];
	unsigned char session[32];  /* session token hashes */
	unsigned char csrf[32];     /* CSRF token derivation */
	unsigned char code[32];     /* one-time code hashes */
	unsigned char audit[32];    /* audit chain hashes */
	unsigned char seal[32];     /* secretbox for TOTP secrets */
	unsigned char bucket[32];   /* rate-limit bucket names */
	unsigned char link[32];     /* signed links */
	unsigned char evidence[32]; /* evidence at rest (key id 1) */
	unsigned char checkpoint[32]; /* Ed25519 seed: signed audit checkpoints */
	struct vault_ring *vault;   /* the evidence vault's keys by id (keys.h); NULL: key 1 alone */
};

struct app {
	struct config cfg;
	struct db *db;              /* the connection in use: the main one, or db_review during a review request */
	struct db *db_review;       /* rekey_review's connection (NULL: review requests use db) */
	struct keys keys;
	char dummy_hash[crypto_pwhash_STRBYTES];
	char *openapi;              /* the OpenAPI document, read at start */
	size_t openapi_len;
	char *operator_json;        /* cfg.operator_name as a JSON string, made at start (GET /api/me) */
	FILE *log;
};

int app_open(struct app *a, const char *config_path, int create_key, char *err, size_t errlen);
struct db *app_db_new(const struct app *a, int scripts);
struct db *app_db_api_new(const struct app *a);
struct db *app_db_review_new(const struct app *a);
void app_close(struct app *a);
/* A whole file, NUL-terminated (malloc'd), or NULL with errno set. */
char *app_slurp(const char *path, size_t *len);

#endif
