/* base/app.c -- the application: configuration, keys, database connections (rekeyd and rekeyctl). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base.h"

char *
app_slurp(const char *path, size_t *n)
{
	/* up to 1 GiB: an audit checkpoint of a million chains is ~100 MB (issue #21) */
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len < (1L << 30) && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) != NULL) {
		*n = fread(buf, 1, (size_t)len, f);
		buf[*n] = '\0';
	}
	fclose(f);
	return buf;
}

int
app_open(struct app *a, const char *config_path, int create_key, char *err, size_t errlen)
{
	memset(a, 0, sizeof *a);
	a->log = stderr;
	if (config_load(&a->cfg, config_path, err, errlen) != 0)
		return -1;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to start");
		return -1;
	}
	if (keys_load(&a->keys, a->cfg.key_file, create_key) != 0) {
		snprintf(err, errlen, "cannot read the server key %s: %s", a->cfg.key_file, strerror(errno));
		return -1;
	}
	{
		char ring[300], why[400];
		snprintf(ring, sizeof ring, "%s.vault", a->cfg.key_file);
		if (keys_vault_load(&a->keys, ring, why, sizeof why) != 0) {
			snprintf(err, errlen, "cannot read the vault keys: %s", why);
			return -1;
		}
	}
	if (a->cfg.access_log[0] && (a->log = fopen(a->cfg.access_log, "a")) == NULL) {
		snprintf(err, errlen, "cannot open %s: %s", a->cfg.access_log, strerror(errno));
		return -1;
	}
	a->openapi = app_slurp(a->cfg.openapi_file, &a->openapi_len);
	{
		json_t *op = json_string(a->cfg.operator_name); /* NULL: not UTF-8 */
		a->operator_json = op ? json_dumps(op, JSON_ENCODE_ANY) : NULL;
		json_decref(op);
		if (a->operator_json == NULL) {
			snprintf(err, errlen, "operator_name is not UTF-8 text");
			return -1;
		}
	}
	return 0;
}

/* db_user's connection; `scripts` for rekeyctl's (migrations run text scripts) */
struct db *
app_db_new(const struct app *a, int scripts)
{
	return db_new(&(struct db_config){ a->cfg.db_socket, a->cfg.db_host, a->cfg.db_user, a->cfg.db_password,
	    a->cfg.db_name, (unsigned)a->cfg.db_port, scripts, a->cfg.db_sockets, a->cfg.db_hosts, a->cfg.db_tx_witness });
}

/* rekeyd's own user (schema/011-app-user.sql) when it has a password;
 * rekeyctl keeps db_user, the administrator (migrations, operators). */
struct db *
app_db_api_new(const struct app *a)
{
	if (a->cfg.db_app_password[0] == '\0')
		return app_db_new(a, 0);
	return db_new(&(struct db_config){ a->cfg.db_socket, a->cfg.db_host, "rekey_app", a->cfg.db_app_password,
	    a->cfg.db_name, (unsigned)a->cfg.db_port, 0, a->cfg.db_sockets, a->cfg.db_hosts, a->cfg.db_tx_witness });
}

/* The review API's user (schema/010-review-user.sql). */
struct db *
app_db_review_new(const struct app *a)
{
	return db_new(&(struct db_config){ a->cfg.db_socket, a->cfg.db_host, "rekey_review", a->cfg.db_review_password,
	    a->cfg.db_name, (unsigned)a->cfg.db_port, 0, a->cfg.db_sockets, a->cfg.db_hosts, a->cfg.db_tx_witness });
}

void
app_close(struct app *a)
{
	free(a->openapi);
	free(a->operator_json);
	if (a->db)
		db_free(a->db);
	if (a->log && a->log != stderr)
		fclose(a->log);
	keys_vault_free(&a->keys);
	sodium_memzero(&a->keys, sizeof a->keys);
}
