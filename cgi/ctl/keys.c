/* ctl/keys.c -- rekeyctl keys list|rotate|reseal|retire|verify: the keys of
 * data at rest, the evidence vault's and the TOTP secrets' (base/keys.c holds
 * the ring, store/vault.c seals and reseals).
 * Each step is audited on the operators' chain (0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

/* rows per key id, printed; into *stale the rows not under the current key */
static int
key_counts(struct app *a, int current, unsigned long long *stale, int print)
{
	struct dbrows rows;

	*stale = 0;
	if (db_query(a->db, STMT_VAULT_KEY_COUNTS, DBNOARGS, &rows) != RK_OK)
		return -1;
	for (unsigned i = 0; i < rows.nrows; i++) {
		if ((int)db_cell_ll(&rows, i, 1) != current)
			*stale += (unsigned long long)db_cell_ll(&rows, i, 2);
		if (print)
			printf("keys: %s under key %s: %s\n", db_cell(&rows, i, 0, NULL), db_cell(&rows, i, 1, NULL), db_cell(&rows, i, 2, NULL));
	}
	db_rows_free(&rows);
	db_rollback(a->db);
	return 0;
}

static int
audited(struct app *a, const char *event, json_t *detail)
{
	if (db_begin(a->db) != RK_OK || audit_append(a, 0, event, "operator", "", detail) != RK_OK || db_commit(a->db) != RK_OK) {
		db_rollback(a->db);
		return -1;
	}
	return 0;
}

static int
cmd_reseal(struct app *a, int batch)
{
	struct vault_reseal st = { 0 };
	unsigned long long stale;
	int current = 0, tries = 0;
	char why[200] = "";

	if (keys_vault_current(&a->keys, KEYS_USE_EVIDENCE, &current) == NULL || key_counts(a, current, &stale, 0) != 0) {
		fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
		return 1;
	}
	printf("reseal: %llu rows under older keys, to key %d, %d per transaction\n", stale, current, batch);
	fflush(stdout);
	while (!st.totp_done) {
		int rc = vault_reseal_batch(a, batch, &st, why, sizeof why);
		if (rc == RK_RETRY && ++tries < 20)
			continue;
		if (rc != RK_OK) {
			fprintf(stderr, "rekeyctl: reseal stopped after %llu rows: %s\n", st.resealed, why[0] ? why : db_error(a->db));
			return 1;
		}
		tries = 0;
		if (st.batch > 0) {
			/* committed: a run stopped after this line resumes from here */
			printf("reseal: %llu/%llu resealed\n", st.resealed, stale);
			fflush(stdout);
		}
	}
	if (audited(a, "vault_resealed", json_pack("{s:i,s:I}", "key", current, "rows", (json_int_t)st.resealed)) != 0) {
		fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
		return 1;
	}
	printf("reseal: done, %llu rows resealed, every row under key %d\n", st.resealed, current);
	return 0;
}

int
ctl_keys(struct app *a, int argc, char **argv)
{
	const char *cmd = argc > 0 ? argv[0] : "";
	unsigned long long stale;
	char err[400];
	int current = 0, id;

	if (strcmp(cmd, "list") == 0) {
		if (keys_vault_current(&a->keys, KEYS_USE_EVIDENCE, &current) == NULL) {
			fprintf(stderr, "rekeyctl: the vault's key file is unreadable\n");
			return 1;
		}
		for (int i = 0; i < a->keys.vault->n; i++)
			printf("keys: key %d%s%s\n", a->keys.vault->id[i], a->keys.vault->id[i] == 1 ? " (derived from the server key)" : "",
			    a->keys.vault->id[i] == current ? ", current" : "");
		if (key_counts(a, current, &stale, 1) != 0) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			return 1;
		}
		printf("keys: %llu rows under older keys\n", stale);
		return 0;
	}
	if (strcmp(cmd, "rotate") == 0) {
		if (keys_vault_rotate(&a->keys, &id, err, sizeof err) != 0) {
			fprintf(stderr, "rekeyctl: %s\n", err);
			return 1;
		}
		if (audited(a, "vault_key_rotated", json_pack("{s:i}", "key", id)) != 0) {
			fprintf(stderr, "rekeyctl: key %d made, but not audited: %s\n", id, db_error(a->db));
			return 1;
		}
		printf("keys: key %d made; everything new is sealed with it. Back up %s now, then run rekeyctl keys reseal\n",
		    id, a->keys.vault->path);
		return 0;
	}
	if (strcmp(cmd, "reseal") == 0) {
		int batch = argc > 1 ? atoi(argv[1]) : 50;
		if (batch < 1 || batch > 1000) {
			fprintf(stderr, "rekeyctl: keys reseal [BATCH]: 1 to 1000 rows per transaction\n");
			return 2;
		}
		return cmd_reseal(a, batch);
	}
	if (strcmp(cmd, "retire") == 0 && argc > 1) {
		struct dbrows rows;
		long long uses;
		if (strspn(argv[1], "0123456789") != strlen(argv[1]) || (id = atoi(argv[1])) < 1) {
			fprintf(stderr, "rekeyctl: keys retire ID: a key id from rekeyctl keys list\n");
			return 2;
		}
		if (keys_vault_current(&a->keys, KEYS_USE_EVIDENCE, &current) != NULL && id == current) {
			fprintf(stderr, "rekeyctl: key %d is the current key: rotate first\n", id);
			return 1;
		}
		if (db_query(a->db, STMT_VAULT_KEY_USES, DBARGS(DB_I(id), DB_I(id), DB_I(id)), &rows) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			return 1;
		}
		uses = db_cell_ll(&rows, 0, 0);
		db_rows_free(&rows);
		db_rollback(a->db);
		if (uses != 0) {
			fprintf(stderr, "rekeyctl: key %d still seals %lld rows: run rekeyctl keys reseal first\n", id, uses);
			return 1;
		}
		if (keys_vault_remove(&a->keys, id, err, sizeof err) != 0) {
			fprintf(stderr, "rekeyctl: %s\n", err);
			return 1;
		}
		if (audited(a, "vault_key_retired", json_pack("{s:i}", "key", id)) != 0) {
			fprintf(stderr, "rekeyctl: key %d retired, but not audited: %s\n", id, db_error(a->db));
			return 1;
		}
		printf("keys: key %d retired (removed from %s)\n", id, a->keys.vault->path);
		return 0;
	}
	if (strcmp(cmd, "verify") == 0) {
		unsigned long long good, bad;
		char first[200];
		if (vault_verify(a, &good, &bad, first, sizeof first) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			return 2;
		}
		printf("keys: %llu rows open as sealed, %llu do not%s%s\n", good, bad, bad ? "; the first: " : "", bad ? first : "");
		return bad == 0 ? 0 : 1;
	}
	fprintf(stderr, "usage: rekeyctl keys list | rotate | reseal [BATCH] | retire ID | verify\n");
	return 2;
}
