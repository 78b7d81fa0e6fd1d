/* ctl/ctl.c -- rekeyctl, the admin CLI. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

int
ctl_connect(struct app *a)
{
	a->db = app_db_new(a, 1);
	if (a->db == NULL || db_ensure(a->db) != RK_OK) {
		fprintf(stderr, "rekeyctl: cannot reach the database: %s\n", a->db ? db_error(a->db) : "out of memory");
		return -1;
	}
	return 0;
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int
cmd_migrate(struct app *a)
{
	DIR *d = opendir(a->cfg.schema_dir);
	struct dirent *e;
	char *names[1000];
	size_t n = 0, applied = 0;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "rekeyctl: %s: %s\n", a->cfg.schema_dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < 1000) {
		size_t l = strlen(e->d_name);
		if (l > 8 && strspn(e->d_name, "0123456789") == 3 && e->d_name[3] == '-' && strcmp(e->d_name + l - 4, ".sql") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], cmp_names);
	if (db_exec(a->db, STMT_MIGRATIONS_CREATE, DBNOARGS, NULL, NULL) != RK_OK || db_commit(a->db) != RK_OK) {
		fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
		rc = 1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		int version = atoi(names[i]);
		struct dbrows rows;
		char path[600], err[512];
		size_t len;
		char *sql;

		if (db_query(a->db, STMT_MIGRATION_APPLIED, DBARGS(DB_I(version)), &rows) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			rc = 1;
			break;
		}
		if (rows.nrows > 0) {
			db_rows_free(&rows);
			continue;
		}
		db_rows_free(&rows);
		snprintf(path, sizeof path, "%s/%s", a->cfg.schema_dir, names[i]);
		if ((sql = app_slurp(path, &len)) == NULL) {
			fprintf(stderr, "rekeyctl: %s: %s\n", path, strerror(errno));
			rc = 1;
			break;
		}
		if (db_script(a->db, sql, len, err, sizeof err) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s: %s\n", names[i], err);
			free(sql);
			rc = 1;
			break;
		}
		free(sql);
		if (db_exec(a->db, STMT_MIGRATION_ADD, DBARGS(DB_I(version), DB_S(names[i])), NULL, NULL) != RK_OK ||
		    db_commit(a->db) != RK_OK) {
			fprintf(stderr, "rekeyctl: recording %s: %s\n", names[i], db_error(a->db));
			rc = 1;
			break;
		}
		printf("migrate: applied %s\n", names[i]);
		applied++;
	}
	/* the database users rekeyd runs as: a password set here unlocks them */
	for (int u = 0; u < 2 && rc == 0; u++) {
		const char *user = u == 0 ? "rekey_app" : "rekey_review";
		const char *pw = u == 0 ? a->cfg.db_app_password : a->cfg.db_review_password;
		char err[512];
		if (pw[0] == '\0')
			continue;
		if (db_unlock_user(a->db, user, pw, err, sizeof err) != RK_OK) {
			fprintf(stderr, "rekeyctl: the user %s: %s\n", user, err);
			rc = 1;
		}
	}
	if (rc == 0)
		printf("migrate: %zu applied, %zu known, schema up to date\n", applied, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

static void
print_config(const char *k, const char *v, const char *doc, void *arg)
{
	(void)arg;
	printf("%-26s %-28s %s\n", k, v, doc);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: rekeyctl [-c rekey.conf] COMMAND\n"
	    "  migrate                      apply schema/NNN-*.sql in order (re-running is a no-op)\n"
	    "  seed-demo                    create the demo accounts (idempotent)\n"
	    "  seed-bulk --accounts N [--backlog N] [--expired N] --out DIR\n"
	    "                               write a large data set as LOAD DATA files (tests/bench/seed-bulk.sh loads them)\n"
	    "  audit-verify [CHECKPOINT]    walk every audit chain; name the first broken entry; with a checkpoint,\n"
	    "                               also that every chain still holds the head it had then\n"
	    "  audit-verify --since CHECKPOINT  only what was added since the checkpoint (its heads unchanged, every later entry)\n"
	    "  audit-checkpoint             print the chains' heads, signed (keep it outside the database)\n"
	    "  summaries check | rebuild    the account summaries GET /api/me reads (schema/031, kept by triggers):\n"
	    "                               name the accounts whose summary differs from its tables; make every one again\n"
	    "  hold ACCOUNT HOURS REASON    impose a withdrawal hold (extends, never shortens)\n"
	    "  account-add EMAIL PASSWORD [verified|unverified|invalid] [CENTS]\n"
	    "  identity-photo ACCOUNT       store a drawn demo identity photo (verified accounts' photo on file)\n"
	    "  reviewer add EMAIL [ROLES]   add a reviewer (roles: reviewer,senior,admin); prints the enrolment link\n"
	    "  reviewer roles EMAIL ROLES | disable EMAIL | enable EMAIL | enrol-link EMAIL | list\n"
	    "  keys list | rotate | reseal [BATCH] | retire ID | verify\n"
	    "                               the evidence vault's keys: a new key for everything new, older rows sealed\n"
	    "                               again in batches (resumable), a key removed once no row needs it\n"
	    "  backup DIR                   mariadb-backup of the database (prepared), the configuration and key files,\n"
	    "                               DIR/MANIFEST with every file's SHA-256\n"
	    "  restore DIR DATADIR          check DIR/MANIFEST, fill the empty DATADIR, put the key files back\n"
	    "  deliver                      deliver pending mail and SMS now\n"
	    "  sweep                        delete long-expired challenges, codes, rate windows, caseless reset flows\n"
	    "  routes                       print the route table\n"
	    "  problems                     print every problem code: the server's table, then the core's\n"
	    "  sql                          print the SQL array: name, parameter count, text (one statement a line)\n"
	    "  config                       print the configuration reference\n"
	    "  wait-db SECONDS              wait until the database answers\n");
}

int
ctl_main(int argc, char **argv)
{
	struct app a;
	const char *cfgpath = "rekey.conf";
	char err[256];
	int i = 1, rc = 0;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		cfgpath = argv[2];
		i = 3;
	}
	if (i >= argc) {
		usage();
		return 2;
	}
	if (strcmp(argv[i], "problems") == 0) {
		/* the server's table (base/problems.h), then the core's (wasm/problem.h, answered as 400/409) */
		for (int p = 0; p < SP__MAX; p++)
			printf("%s %d server %s\n", sproblem_code((enum sproblem)p), sproblem_status((enum sproblem)p),
			    sproblem_message((enum sproblem)p)[0] ? sproblem_message((enum sproblem)p) : "(the field's name)");
		for (int p = 0; p < PROB__MAX; p++)
			printf("%s 400 core %s\n", problem_name((enum problem)p), problem_message((enum problem)p));
		return 0;
	}
	if (strcmp(argv[i], "backup") == 0 || strcmp(argv[i], "restore") == 0) {
		/* before app_open: a restore comes before the key files are back */
		if (config_load(&a.cfg, cfgpath, err, sizeof err) != 0 || sodium_init() < 0) {
			fprintf(stderr, "rekeyctl: %s\n", err);
			return 1;
		}
		if (strcmp(argv[i], "backup") == 0 && i + 1 < argc)
			return ctl_backup(cfgpath, &a.cfg, argv[i + 1]);
		if (strcmp(argv[i], "restore") == 0 && i + 2 < argc)
			return ctl_restore(&a.cfg, argv[i + 1], argv[i + 2]);
		usage();
		return 2;
	}
	if (strcmp(argv[i], "sql") == 0) {
		/* the statements as db.c prepares them (tests/node/api_explain.test.mjs EXPLAINs each) */
		static const char *const names[STMT__MAX] = {
#define SQL_NAME(id, n, text) [id] = #id,
			SQL_TABLE(SQL_NAME)
#undef SQL_NAME
		};
		static const unsigned nparams[STMT__MAX] = {
#define SQL_NPARAMS(id, n, text) [id] = n,
			SQL_TABLE(SQL_NPARAMS)
#undef SQL_NPARAMS
		};
		for (int s = 0; s < STMT__MAX; s++)
			printf("%s\t%u\t%s\n", names[s], nparams[s], db_sql_text((enum stmt)s));
		return 0;
	}
	if (app_open(&a, cfgpath, strcmp(argv[i], "migrate") == 0 || strcmp(argv[i], "seed-demo") == 0, err, sizeof err) != 0) {
		if (strcmp(argv[i], "config") != 0) {
			fprintf(stderr, "rekeyctl: %s\n", err);
			return 1;
		}
	}
	if (strcmp(argv[i], "config") == 0) {
		config_describe(&a.cfg, print_config, NULL);
		return 0;
	}
	if (strcmp(argv[i], "wait-db") == 0) {
		int secs = i + 1 < argc ? atoi(argv[i + 1]) : 30;
		if ((a.db = app_db_new(&a, 0)) == NULL)
			return 1;
		for (int t = 0; t < secs * 10; t++) {
			if (db_ensure(a.db) == RK_OK) {
				app_close(&a);
				return 0;
			}
			usleep(100000);
		}
		fprintf(stderr, "rekeyctl: database not reachable: %s\n", db_error(a.db));
		app_close(&a);
		return 1;
	}
	if (ctl_connect(&a) != 0) {
		app_close(&a);
		return 1;
	}
	if (strcmp(argv[i], "migrate") == 0) {
		rc = cmd_migrate(&a);
	} else if (strcmp(argv[i], "seed-demo") == 0) {
		rc = seed_demo(&a, stdout) == RK_OK ? 0 : 1;
		if (rc)
			fprintf(stderr, "rekeyctl: seed failed: %s\n", db_error(a.db));
	} else if (strcmp(argv[i], "audit-verify") == 0 && i + 2 < argc && strcmp(argv[i + 1], "--since") == 0) {
		/* incremental: only what was added since a signed checkpoint */
		uint64_t chain = 0, seq = 0, entries = 0, chains = 0;
		char why[200] = "";
		size_t len;
		char *text = app_slurp(argv[i + 2], &len);
		int v;
		if (text == NULL) {
			fprintf(stderr, "rekeyctl: %s: %s\n", argv[i + 2], strerror(errno));
			rc = 2;
		} else if ((v = audit_verify_since(&a, text, &chain, &seq, why, sizeof why, &entries, &chains)) == 0) {
			printf("audit: since the checkpoint %s: %llu new entries in %llu chains, every chain intact\n", argv[i + 2],
			    (unsigned long long)entries, (unsigned long long)chains);
		} else if (v == 1) {
			if (strncmp(why, "REWOUND", 7) == 0 || strncmp(why, "the checkpoint", 14) == 0)
				printf("audit: %s\n", why);
			else
				printf("audit: BROKEN at chain %llu entry %llu: %s\n", (unsigned long long)chain, (unsigned long long)seq, why);
			rc = 1;
		} else {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 2;
		}
		free(text);
	} else if (strcmp(argv[i], "audit-verify") == 0) {
		uint64_t chain = 0, seq = 0, entries = 0;
		char why[200] = "";
		int v = audit_verify(&a, &chain, &seq, why, sizeof why, &entries);
		if (v == 0) {
			printf("audit: %llu entries, every chain intact\n", (unsigned long long)entries);
			if (i + 1 < argc) { /* and still holding what a checkpoint saw */
				size_t len;
				char *text = app_slurp(argv[i + 1], &len);
				if (text == NULL) {
					fprintf(stderr, "rekeyctl: %s: %s\n", argv[i + 1], strerror(errno));
					rc = 2;
				} else if ((v = audit_checkpoint_holds(&a, text, why, sizeof why)) == 0) {
					printf("audit: the checkpoint %s holds\n", argv[i + 1]);
				} else if (v == 1) {
					printf("audit: %s\n", why);
					rc = 1;
				} else {
					fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
					rc = 2;
				}
				free(text);
			}
		} else if (v == 1) {
			printf("audit: BROKEN at chain %llu entry %llu: %s\n", (unsigned long long)chain, (unsigned long long)seq, why);
			rc = 1;
		} else {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 2;
		}
	} else if (strcmp(argv[i], "audit-checkpoint") == 0) {
		if (audit_checkpoint(&a, stdout) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 2;
		}
	} else if (strcmp(argv[i], "summaries") == 0 && i + 1 < argc && strcmp(argv[i + 1], "check") == 0) {
		struct dbrows rows;
		if (db_query(a.db, STMT_SUMMARY_DIFFER, NULL, 0, &rows) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 2;
		} else {
			for (unsigned k = 0; k < rows.nrows; k++)
				printf("summaries: account %s: the kept summary differs from its tables\n", db_cell(&rows, k, 0, NULL));
			if (rows.nrows == 0)
				printf("summaries: every account's summary matches its tables\n");
			else
				printf("summaries: %u%s accounts differ (rekeyctl summaries rebuild makes them again)\n", rows.nrows,
				    rows.nrows == 1000 ? " or more" : "");
			rc = rows.nrows == 0 ? 0 : 1;
			db_rows_free(&rows);
		}
	} else if (strcmp(argv[i], "summaries") == 0 && i + 1 < argc && strcmp(argv[i + 1], "rebuild") == 0) {
		uint64_t n = 0;
		if (db_begin(a.db) != RK_OK || db_exec(a.db, STMT_SUMMARY_REBUILD, NULL, 0, &n, NULL) != RK_OK || db_commit(a.db) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 2;
		} else {
			printf("summaries: made again (%llu rows written)\n", (unsigned long long)n);
		}
	} else if (strcmp(argv[i], "hold") == 0 && i + 3 < argc) {
		uint64_t acct = strtoull(argv[i + 1], NULL, 10);
		int hours = atoi(argv[i + 2]);
		if (hours <= 0 || hours > 24 * 365 || strlen(argv[i + 3]) > 64) {
			fprintf(stderr, "rekeyctl: hours 1..8760, reason up to 64 characters\n");
			rc = 2;
		} else if (db_begin(a.db) != RK_OK || holds_add(&a, acct, argv[i + 3], "operator", hours * 3600) != RK_OK ||
		    holds_notify(&a, acct, argv[i + 3], hours * 3600) != RK_OK ||
		    db_commit(a.db) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			db_rollback(a.db);
			rc = 1;
		} else {
			printf("hold: account %llu held for %d h\n", (unsigned long long)acct, hours);
		}
	} else if (strcmp(argv[i], "account-add") == 0 && i + 2 < argc) {
		char hash[crypto_pwhash_STRBYTES];
		unsigned char handle[32];
		uint64_t id = 0;
		const char *idv = i + 3 < argc ? argv[i + 3] : "unverified";
		long long cents = i + 4 < argc ? atoll(argv[i + 4]) : 0;
		randombytes_buf(handle, sizeof handle);
		/* the one password policy (the core's, the common-password list included), as at every other place a password is set */
		if (password_policy(argv[i + 2]) != PROB_OK) {
			fprintf(stderr, "rekeyctl: account-add: %s\n", problem_message(password_policy(argv[i + 2])));
			rc = 1;
		} else if (keys_password_hash(&a.cfg, argv[i + 2], hash) != 0 ||
		    db_exec(a.db, STMT_ACCOUNT_INSERT, DBARGS(DB_S(argv[i + 1]), DB_S(hash), DB_B(handle, 32), DB_S(idv),
		    DB_I(cents), DB_S("")), NULL, &id) != RK_OK ||
		    audit_append(&a, id, "account_created", "operator", "", json_object()) != RK_OK || db_commit(a.db) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			rc = 1;
		} else {
			printf("%llu\n", (unsigned long long)id);
		}
	} else if (strcmp(argv[i], "identity-photo") == 0 && i + 1 < argc) {
		uint64_t acct = strtoull(argv[i + 1], NULL, 10);
		if (db_begin(a.db) != RK_OK || seed_identity_photo(&a, acct, (unsigned)acct) != RK_OK || db_commit(a.db) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a.db));
			db_rollback(a.db);
			rc = 1;
		} else {
			printf("identity-photo: stored for account %llu\n", (unsigned long long)acct);
		}
	} else if (strcmp(argv[i], "seed-bulk") == 0) {
		rc = seed_bulk(&a, argc - i - 1, argv + i + 1);
	} else if (strcmp(argv[i], "reviewer") == 0) {
		rc = ctl_reviewer(&a, argc - i - 1, argv + i + 1);
	} else if (strcmp(argv[i], "keys") == 0) {
		rc = ctl_keys(&a, argc - i - 1, argv + i + 1);
	} else {
		usage();
		rc = 2;
	}
	app_close(&a);
	return rc;
}
