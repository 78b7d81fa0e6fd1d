/* base/db.h -- MariaDB access: one connection per process, prepared statements
 * from the one array in db_sql.h, reconnect on loss. */
#ifndef REKEY_DB_H
#define REKEY_DB_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "db_sql.h"

enum stmt {
#define SQL_ENUM(id, n, text) id,
	SQL_TABLE(SQL_ENUM)
#undef SQL_ENUM
	STMT__MAX
};

/* The one status every function that can fail returns (as int): done, or
 * answered with a 4xx that is already in the request (the handler's writes
 * are committed, nothing further runs), or one of the database's cases. A
 * refusal is never the same value as done. */
enum rk_status {
	RK_OK = 0,
	RK_REFUSED = 1,  /* an http_fail*() wrote the answer */
	RK_RETRY = -1,   /* deadlock, lock wait timeout, certification failure: run the transaction again */
	RK_DOWN = -2,    /* no connection; the next call reconnects */
	RK_DUP = -3,     /* duplicate key */
	RK_FAIL = -4,    /* anything else: a bug */
};

enum dbt { DBT_NULL, DBT_INT, DBT_STR, DBT_BLOB };
struct dbv {
	enum dbt t;
	long long i;
	const void *p;
	size_t n;
};
#define DB_I(x) ((struct dbv){ DBT_INT, (long long)(x), NULL, 0 })
#define DB_S(s) ((struct dbv){ DBT_STR, 0, (s), strlen(s) })
#define DB_SN(s, n) ((struct dbv){ DBT_STR, 0, (s), (n) })
#define DB_B(p, n) ((struct dbv){ DBT_BLOB, 0, (p), (n) })
#define DB_NULL ((struct dbv){ DBT_NULL, 0, NULL, 0 })

/* All cells as byte strings with lengths; NULL cells have isnull set. */
struct dbrows {
	unsigned nrows, ncols;
	char **cell;
	unsigned long *len;
	char *isnull;
};

struct db_config {
	const char *socket, *host, *user, *password, *name;
	unsigned port;
	int scripts; /* 1: text scripts of several statements (db_script: rekeyctl's
	              * migrations); 0, rekeyd: prepared statements only, and the
	              * server refuses stacked statements */
	/* a Galera cluster's nodes, comma-separated, first preferred: Unix
	 * sockets, then HOST[:PORT]s (port: the one above). Both NULL or empty:
	 * the one server above (socket when set, else host). */
	const char *sockets, *hosts;
	/* "auto" (NULL too): the write transactions' witness on a Galera node
	 * only; "on": always; "off": never (db.c, schema/032) */
	const char *witness;
};

#define DB_MAX_ENDPOINTS 8
/* Galera: a transaction's first statement waits until the node has
 * applied every write-set committed anywhere before it, so a request served
 * through one node sees what a request through another node committed (a
 * session just made, an account, a reviewer's decision). wsrep_sync_wait
 * bits 1 (SELECT, SHOW, BEGIN), 2 (UPDATE, DELETE) and 4 (INSERT, REPLACE):
 * the server skips the wait inside a transaction already begun (MariaDB
 * sql/wsrep_mysqld.cc, wsrep_must_sync_wait: !in_active_multi_stmt_transaction), and ours
 * begin with whatever statement comes first (autocommit off, often the
 * rate limit's INSERT), so bit 1 alone would leave their SELECTs stale. */
#define DB_WSREP_SYNC_WAIT 7

struct db;
struct db *db_new(const struct db_config *cfg);
void db_free(struct db *db);
/* Connects if needed. RK_OK or RK_DOWN. */
int db_ensure(struct db *db);
/* 1 before a read route, 0 before any other (see db.c). */
void db_set_readonly(struct db *db, int on);
int db_begin(struct db *db);
int db_commit(struct db *db);
/* 1 when a deadlock or certification failure (RK_RETRY) rolled back the
 * transaction since db_begin, whatever its caller made of that error: the
 * transaction certainly did not commit and may run again. */
int db_conflicted(struct db *db);
void db_rollback(struct db *db);
/* The transaction begun next (db_begin) is a request's write transaction:
 * it has a witness if db_tx_witness says so (db.c). */
void db_witness_next(struct db *db);
/* What the transactions from now on are for ("POST", "/api/reset"; NULL:
 * nothing named): the conflict and witness log lines name it. */
void db_tx_name(struct db *db, const char *method, const char *path);
/* A write transaction's handler failed with RC (no conflict reported): if its
 * witness is gone, the transaction was rolled back under it first and the
 * error is that abort's consequence (a row it wrote missing: a foreign key
 * refused, a lookup empty): logged and counted, RK_RETRY. RK_RETRY or
 * RK_DOWN too when the check's own read met a conflict or lost the
 * connection (nothing committed: run again). Else RC stands. */
int db_witness_error(struct db *db, int rc);
/* Test builds only (routes.c with REKEY_BENCH): roll the transaction back
 * after its statement AT, or (-1) just before COMMIT, telling nobody --
 * what Galera was seen doing; the witness (db_tx_witness) must catch it. */
void db_test_silent_rollback(struct db *db, int at);
int db_exec(struct db *db, enum stmt s, const struct dbv *args, unsigned nargs, uint64_t *affected, uint64_t *insert_id);
int db_query(struct db *db, enum stmt s, const struct dbv *args, unsigned nargs, struct dbrows *out);
void db_rows_free(struct dbrows *r);
const char *db_cell(const struct dbrows *r, unsigned row, unsigned col, size_t *len);
long long db_cell_ll(const struct dbrows *r, unsigned row, unsigned col);
int db_cell_null(const struct dbrows *r, unsigned row, unsigned col);
const char *db_error(struct db *db);
/* Where the connection goes: the endpoint (socket path or host:port), or
 * "" when not connected. */
const char *db_endpoint(struct db *db);
/* 1 when connected to a node that runs Galera replication (wsrep_on). */
int db_wsrep(struct db *db);
/* Closes the connection; the next call connects again, preferred endpoint first. */
void db_disconnect(struct db *db);
/* Sets a database user's password and unlocks it (SQL_UNLOCK_USER): the
 * user a name of a-z and _, the password 16 to 64 base64url characters,
 * both checked here so that nothing can close the statement's quotes.
 * RK_OK, RK_FAIL with err (a refused name or password, or the server's). */
int db_unlock_user(struct db *db, const char *user, const char *password, char *err, size_t errlen);
/* Runs a whole SQL script (migrations only; never request input). */
int db_script(struct db *db, const char *sql, size_t n, char *err, size_t errlen);
const char *db_sql_text(enum stmt s);

#define DB_MAX_ARGS 24 /* the most parameters one statement binds */
#define DBARGS(...) ((const struct dbv[]){ __VA_ARGS__ }), (unsigned)(sizeof((const struct dbv[]){ __VA_ARGS__ }) / sizeof(struct dbv))
#define DBNOARGS NULL, 0u

#endif
