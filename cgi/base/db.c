/* base/db.c -- MariaDB Connector/C, prepared statements only. */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "db.h"
#include "log.h"
#include "metrics.h"

static const struct {
	const char *sql;
	unsigned nparams;
} stmts[STMT__MAX] = {
#define SQL_DEF(id, n, text) [id] = { text, n },
	SQL_TABLE(SQL_DEF)
#undef SQL_DEF
};

/* one server to connect to: a Unix socket, or a host and port */
struct endpoint {
	char socket[256];
	char host[128];
	unsigned port;
	char label[272]; /* the socket, or host:port (logs, /api/health) */
};

struct db {
	struct db_config cfg;
	struct endpoint ep[DB_MAX_ENDPOINTS];
	unsigned nep, cur;  /* the endpoints, preferred first; the one connected */
	unsigned long conflicts; /* deadlocks and certification failures seen (logged) */
	int at_commit;           /* classify() is looking at COMMIT's error */
	unsigned streak;         /* conflicts since the last COMMIT that went through */
	int conflicted;          /* a conflict rolled back the transaction begun last */
	int wsrep;               /* the node connected to runs Galera replication */
	/* the write transactions' witness (db_commit): 0 off, 1 on, 2 on Galera */
	int witness_mode;
	uint64_t witness_id;     /* this process's row of tx_witness */
	unsigned char witness[16]; /* the token this transaction wrote */
	int in_tx;               /* db_begin'd, not yet committed or rolled back */
	int witnessed;           /* this transaction wrote its token */
	int witness_next, tx_witness; /* db_witness_next: for the next transaction; this one's */
	unsigned long witness_catches; /* transactions found aborted with no error (logged) */
	unsigned tx_statements;  /* statements of this transaction (the witness's not counted) */
	const char *tx_method, *tx_path; /* db_tx_name: what the transactions are for (logs) */
	int test_rollback_at;    /* db_test_silent_rollback */
	int last;                /* the statement run last (logs) */
	MYSQL *conn;
	MYSQL_STMT *st[STMT__MAX];
	int readonly;   /* a read route: autocommit, no write but the session touches */
	int autocommit; /* the connection's mode, switched only when the kind of route changes */
	char err[256];
};

const char *
db_sql_text(enum stmt s)
{
	return (unsigned)s < STMT__MAX ? stmts[s].sql : NULL;
}

/* Adds the entries of a comma-separated list (sockets, or HOST[:PORT]s);
 * entries past DB_MAX_ENDPOINTS or too long are left out. */
static void
endpoints_add(struct db *db, const char *list, int is_socket)
{
	size_t n;

	for (const char *p = list && *list ? list : NULL, *e; p != NULL; p = e ? e + 1 : NULL) {
		struct endpoint *ep = &db->ep[db->nep];
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		if (n == 0 || db->nep == DB_MAX_ENDPOINTS)
			continue;
		memset(ep, 0, sizeof *ep);
		ep->port = db->cfg.port;
		if (is_socket) {
			if (n >= sizeof ep->socket)
				continue;
			memcpy(ep->socket, p, n);
			memcpy(ep->label, p, n); /* zeroed above: terminated */
		} else {
			const char *colon = memchr(p, ':', n);
			size_t hn = colon ? (size_t)(colon - p) : n;
			if (hn == 0 || hn >= sizeof ep->host)
				continue;
			memcpy(ep->host, p, hn);
			if (colon)
				ep->port = (unsigned)strtoul(colon + 1, NULL, 10);
			snprintf(ep->label, sizeof ep->label, "%.*s:%u", (int)hn, p, ep->port);
		}
		db->nep++;
	}
}

struct db *
db_new(const struct db_config *cfg)
{
	struct db *db = calloc(1, sizeof *db);
	if (db == NULL)
		return NULL;
	db->cfg = *cfg;
	/* rekeyctl's connection (scripts: migrations may run before schema/032) never */
	db->witness_mode = cfg->scripts || (cfg->witness && strcmp(cfg->witness, "off") == 0) ? 0 :
	    cfg->witness && strcmp(cfg->witness, "on") == 0 ? 1 : 2;
	randombytes_buf(&db->witness_id, sizeof db->witness_id);
	db->witness_id >>= 1; /* a positive BIGINT for the logs' sake */
	endpoints_add(db, cfg->sockets, 1);
	endpoints_add(db, cfg->hosts, 0);
	if (db->nep == 0) { /* the one server: its socket when set, else host and port */
		if (cfg->socket && *cfg->socket)
			endpoints_add(db, cfg->socket, 1);
		else
			endpoints_add(db, cfg->host ? cfg->host : "127.0.0.1", 0);
	}
	return db;
}

static void
db_drop(struct db *db)
{
	for (unsigned i = 0; i < STMT__MAX; i++)
		if (db->st[i]) {
			mysql_stmt_close(db->st[i]);
			db->st[i] = NULL;
		}
	if (db->conn) {
		mysql_close(db->conn);
		db->conn = NULL;
	}
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_drop(db);
	free(db);
}

const char *
db_error(struct db *db)
{
	return db->err;
}

int
db_wsrep(struct db *db)
{
	return db->conn != NULL && db->wsrep;
}

const char *
db_endpoint(struct db *db)
{
	return db->conn ? db->ep[db->cur].label : "";
}

void
db_disconnect(struct db *db)
{
	db_drop(db);
}

/* Before the transaction runs again: a random pause, doubling with each
 * conflict in a row (up to 2, 4, 8, 16, 32 ms), so that transactions that
 * collided on a hot row (on Galera: certified against each other on two
 * nodes) do not collide again at once. */
static void
backoff(struct db *db)
{
	unsigned cap = 1u << (db->streak < 4 ? db->streak + 1 : 5); /* ms */
	struct timespec ts;

	db->streak++;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	srandom((unsigned)ts.tv_nsec ^ (unsigned)getpid());
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(random() % (long)(cap * 1000)) * 1000; /* a microsecond grain */
	nanosleep(&ts, NULL);
}

/* Maps a server/client error number to our codes; drops the connection
 * when it is gone so that the next call reconnects. */
static int
classify(struct db *db, unsigned e, const char *msg)
{
	snprintf(db->err, sizeof db->err, "%u: %s", e, msg ? msg : "");
	switch (e) {
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
	case 1180: /* ER_ERROR_DURING_COMMIT: Galera certification failure */
		/* rolled back: the caller runs the transaction again (routes.c,
		 * at most 4 times). Counted so that a hot row shows in the log. */
		db->conflicts++;
		db->conflicted = 1;
		/* a deadlock at COMMIT on a Galera node, or 1180, is a certification failure */
		metrics_db_retry(e == 1180 || (e == ER_LOCK_DEADLOCK && db->at_commit && db->wsrep) ? MDB_CERTIFICATION :
		    e == ER_LOCK_WAIT_TIMEOUT ? MDB_LOCK_WAIT : MDB_DEADLOCK);
		log_msg("warn", "rekeyd: db: transaction conflict %lu of this process%s on %s (%s %s), rolled back: %s",
		    db->conflicts, db->at_commit ? " at COMMIT (Galera certification)" : "",
		    db->conn ? db->ep[db->cur].label : "-", db->tx_method ? db->tx_method : "-", db->tx_path ? db->tx_path : "-", db->err);
		backoff(db);
		return RK_RETRY;
	case ER_DUP_ENTRY:
		return RK_DUP;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_UNKNOWN_COM_ERROR: /* Galera: the node left the primary component (not ready) */
		metrics_db_retry(MDB_LOST_CONNECTION);
		log_msg("warn", "rekeyd: db: connection to %s dropped%s after statement %d: %s",
		    db->conn ? db->ep[db->cur].label : "-", db->at_commit ? " at COMMIT" : "", db->last, db->err);
		db_drop(db);
		return RK_DOWN;
	default:
		if (e >= 2000 && e < 3000) { /* any other client error: start over */
			metrics_db_retry(MDB_LOST_CONNECTION);
			log_msg("warn", "rekeyd: db: connection to %s dropped%s after statement %d: %s",
			    db->conn ? db->ep[db->cur].label : "-", db->at_commit ? " at COMMIT" : "", db->last, db->err);
			db_drop(db);
			return RK_DOWN;
		}
		return RK_FAIL;
	}
}

/* After connecting: is this node one to use? A Galera node must be ready
 * and Synced (not joining, not a donor blocking writes); then its session
 * waits for causality on reads (DB_WSREP_SYNC_WAIT). A plain server: yes. */
static int
node_usable(struct db *db)
{
	struct dbrows r;
	int rc, wsrep, ok;

	if ((rc = db_query(db, STMT_NODE_STATE, DBNOARGS, &r)) != RK_OK)
		/* 1193 ER_UNKNOWN_SYSTEM_VARIABLE: a server built without wsrep */
		return rc == RK_FAIL && strncmp(db->err, "1193:", 5) == 0 ? RK_OK : rc;
	db->wsrep = wsrep = r.nrows == 1 && strcmp(db_cell(&r, 0, 0, NULL), "1") == 0;
	ok = !wsrep || (!db_cell_null(&r, 0, 2) && strcmp(db_cell(&r, 0, 2, NULL), "ON") == 0 &&
	    !db_cell_null(&r, 0, 3) && strcmp(db_cell(&r, 0, 3, NULL), "4") == 0);
	if (!ok)
		snprintf(db->err, sizeof db->err, "%s: Galera node %s not ready (%s)", db->ep[db->cur].label,
		    db_cell(&r, 0, 1, NULL), db_cell_null(&r, 0, 4) ? "?" : db_cell(&r, 0, 4, NULL));
	db_rows_free(&r);
	if (!ok)
		return RK_DOWN;
	if (wsrep && (rc = db_exec(db, STMT_SET_SYNC_WAIT, DBARGS(DB_I(DB_WSREP_SYNC_WAIT)), NULL, NULL)) != RK_OK)
		return rc;
	return RK_OK;
}

/* Connects to endpoint i. RK_OK, or RK_DOWN with the reason in db->err. */
static int
connect_one(struct db *db, unsigned i)
{
	const struct endpoint *ep = &db->ep[i];
	unsigned timeout = 2;
	my_bool off = 0;

	if ((db->conn = mysql_init(NULL)) == NULL)
		return RK_DOWN;
	db->cur = i;
	mysql_options(db->conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	/* rekeyd: 10 s; rekeyctl (scripts): an hour, since one statement of a
	 * migration or an operator's command may run for minutes at a million
	 * accounts (schema/037's remake: 55 s), and a client that gave up at 10 s
	 * left the migration unrecorded, to run again and be cut again */
	timeout = db->cfg.scripts ? 3600 : 10;
	mysql_options(db->conn, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	mysql_options(db->conn, MYSQL_OPT_RECONNECT, &off); /* we reconnect ourselves, re-preparing */
	mysql_options(db->conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(db->conn, ep->socket[0] ? NULL : ep->host, db->cfg.user, db->cfg.password, db->cfg.name,
	    ep->port, ep->socket[0] ? ep->socket : NULL, db->cfg.scripts ? CLIENT_MULTI_STATEMENTS : 0) == NULL) {
		snprintf(db->err, sizeof db->err, "connect %s: %s", ep->label, mysql_error(db->conn));
		mysql_close(db->conn);
		db->conn = NULL;
		return RK_DOWN;
	}
	db->autocommit = db->readonly;
	if (mysql_autocommit(db->conn, (my_bool)db->autocommit) != 0 ||
	    db_exec(db, STMT_SET_ISOLATION, DBNOARGS, NULL, NULL) != RK_OK ||
	    db_exec(db, STMT_SET_TZ, DBNOARGS, NULL, NULL) != RK_OK ||
	    node_usable(db) != RK_OK) {
		db_drop(db);
		return RK_DOWN;
	}
	/* with autocommit off, node_usable's statements may have begun a transaction: end it,
	 * or the first request on this connection would run inside it, where
	 * Galera skips wsrep_sync_wait's causal wait and could read stale rows */
	if (!db->autocommit && mysql_rollback(db->conn) != 0) {
		db_drop(db);
		return RK_DOWN;
	}
	return RK_OK;
}

/* The endpoints in order, preferred first: the first that connects and is
 * usable. A lost connection or a node that is not ready thus moves a worker
 * to the next node; it comes back to the preferred one at its next reconnect. */
int
db_ensure(struct db *db)
{
	if (db->conn)
		return RK_OK;
	for (unsigned i = 0; i < db->nep; i++) {
		if (connect_one(db, i) == RK_OK) {
			if (i > 0)
				log_msg("info", "rekeyd: db: connected to %s (endpoint %u of %u)", db->ep[i].label, i + 1, db->nep);
			return RK_OK;
		}
	}
	return RK_DOWN;
}

/* A read route runs each statement on its own (autocommit): there is no
 * transaction to end, which saves the COMMIT round trip. Its only writes
 * are the session touches (one statement each, atomic alone); any other
 * write is refused, so a read route that starts writing fails loudly. */
void
db_set_readonly(struct db *db, int on)
{
	db->readonly = on != 0;
	if (db->conn == NULL || db->autocommit == db->readonly)
		return;
	/* switching to autocommit also ends any transaction still open; if the
	 * switch fails the connection is dropped and the next one starts in
	 * the mode asked for */
	if (mysql_autocommit(db->conn, (my_bool)db->readonly) != 0)
		classify(db, mysql_errno(db->conn), mysql_error(db->conn));
	else
		db->autocommit = db->readonly;
}

int
db_begin(struct db *db)
{
	int rc;

	db->conflicted = 0;
	db->in_tx = 1;
	db->tx_witness = db->witness_next;
	db->witness_next = 0;
	db->witnessed = 0;
	db->tx_statements = 0;
	db->test_rollback_at = 0;
	rc = db_ensure(db);
	if (rc != RK_OK)
		return rc;
	/* autocommit is off: the transaction starts with the first statement
	 * (with a witness, the witness's: bind_and_run) */
	return RK_OK;
}

static int
witness_active(const struct db *db)
{
	return db->in_tx && db->tx_witness && !db->readonly && (db->witness_mode == 1 || (db->witness_mode == 2 && db->wsrep));
}

/* The transaction begun next is a request's write transaction (routes.c):
 * it has a witness when db_tx_witness says so. The delivery process's polls
 * and sweeps have none (a poll that finds no mail writes nothing; mail is
 * at-least-once anyway; a sweep's batch is idempotent), nor has rekeyctl. */
void
db_witness_next(struct db *db)
{
	db->witness_next = 1;
}

void
db_tx_name(struct db *db, const char *method, const char *path)
{
	db->tx_method = method;
	db->tx_path = path;
}

/* A transaction aborted under us with no error for any statement of it:
 * logged and counted; the caller runs it again. */
static int
witness_caught(struct db *db, const char *when)
{
	db->witness_catches++;
	snprintf(db->err, sizeof db->err, "the transaction was rolled back under it with no error reported (%s)", when);
	log_msg("warn", "rekeyd: db: on %s the transaction of %s %s was rolled back under it with no error reported, found %s "
	    "(%lu in this process); nothing of it counts, run again", db->conn ? db->ep[db->cur].label : "-",
	    db->tx_method ? db->tx_method : "-", db->tx_path ? db->tx_path : "-", when, db->witness_catches);
	metrics_db_retry(MDB_UNREPORTED_ABORT);
	if (db->conn)
		mysql_rollback(db->conn);
	db->in_tx = 0;
	backoff(db);
	return RK_RETRY;
}

/* Reads this process's witness row: *OURS = 1 when it holds this
 * transaction's token, 0 when not (rolled back under us). */
static int
witness_read(struct db *db, int *ours)
{
	struct dbrows r;
	int rc;

	*ours = 0;
	rc = db_query(db, db->wsrep ? STMT_WITNESS_GET_NOWAIT : STMT_WITNESS_GET, DBARGS(DB_I(db->witness_id)), &r);
	if (rc != RK_OK)
		return rc;
	*ours = r.nrows == 1 && r.len[0] == sizeof db->witness && memcmp(r.cell[0], db->witness, sizeof db->witness) == 0;
	db_rows_free(&r);
	return RK_OK;
}

int
db_witness_error(struct db *db, int rc)
{
	int ours, read;

	if (!db->witnessed || db->conn == NULL || !db->in_tx)
		return rc;
	read = witness_read(db, &ours);
	if (read == RK_RETRY || read == RK_DOWN) /* the read met a conflict, or lost the connection: nothing committed */
		return read;
	if (read != RK_OK || ours) /* still ours (or the check could not be made): RC stands */
		return rc;
	db->witnessed = 0;
	return witness_caught(db, "after the handler's error");
}

/* Test builds (routes.c with REKEY_BENCH) only: what Galera was seen doing
 * under cluster races -- roll this transaction back after its statement
 * AT (1 = the first; the witness's own not counted), or with AT = -1 just
 * before COMMIT (after the witness's check), with no error for anyone. */
void
db_test_silent_rollback(struct db *db, int at)
{
	db->test_rollback_at = at;
}

int
db_conflicted(struct db *db)
{
	return db->conflicted;
}

int
db_commit(struct db *db)
{
	if (db->conn == NULL)
		return RK_DOWN;
	/* a statement of this transaction was rolled back with it (a deadlock,
	 * or on Galera a write-set from another node that aborted it): what
	 * ran after it is not that transaction, so nothing is committed */
	if (db->conflicted) {
		mysql_rollback(db->conn);
		db->in_tx = 0;
		return RK_RETRY;
	}
	/* The witness (db_tx_witness; schema/032). On Galera a transaction was
	 * seen aborted by another node's write-set with no error reaching any of
	 * its statements: the statements after the abort ran in a new
	 * transaction, which COMMIT then committed -- a part of a request (say a
	 * flow row without the rate-limit count before it) answered as if the
	 * whole had. Before COMMIT the token written by the transaction's first
	 * statement must still be there: one conditional UPDATE moves it to a
	 * second token. After COMMIT the second token must be there: else the
	 * COMMIT committed nothing of ours (an abort in between). Either way
	 * nothing of the transaction stands and the caller runs it again. */
	if (db->witnessed) {
		unsigned char next[16];
		uint64_t moved = 0;
		int rc;
		randombytes_buf(next, sizeof next);
		if ((rc = db_exec(db, STMT_WITNESS_MOVE, DBARGS(DB_B(next, sizeof next), DB_I(db->witness_id),
		    DB_B(db->witness, sizeof db->witness)), &moved, NULL)) != RK_OK) {
			db->in_tx = 0;
			return rc;
		}
		if (moved != 1)
			return witness_caught(db, "before COMMIT");
		memcpy(db->witness, next, sizeof next);
	}
	if (db->test_rollback_at == -1) { /* db_test_silent_rollback */
		db->test_rollback_at = 0;
		mysql_rollback(db->conn);
	}
	db->in_tx = 0;
	if (mysql_commit(db->conn) != 0) {
		int rc;
		db->at_commit = 1;
		rc = classify(db, mysql_errno(db->conn), mysql_error(db->conn));
		db->at_commit = 0;
		return rc;
	}
	if (db->witnessed) {
		int ours;
		db->witnessed = 0;
		if (witness_read(db, &ours) != RK_OK) /* COMMIT went through; the check could not be made: as without a witness */
			return RK_OK;
		if (db->conn)
			mysql_rollback(db->conn); /* the check's read began a transaction */
		if (!ours)
			return witness_caught(db, "after COMMIT");
	}
	db->streak = 0;
	return RK_OK;
}

void
db_rollback(struct db *db)
{
	db->last = -2; /* ROLLBACK */
	db->in_tx = 0;
	db->witnessed = 0;
	if (db->conn && mysql_rollback(db->conn) != 0)
		classify(db, mysql_errno(db->conn), mysql_error(db->conn));
}

/* After a statement of a transaction went through: counted, and in test
 * builds maybe rolled back under the caller (db_test_silent_rollback). */
static int
is_witness_stmt(enum stmt s)
{
	return s == STMT_WITNESS_SET || s == STMT_WITNESS_MOVE || s == STMT_WITNESS_GET || s == STMT_WITNESS_GET_NOWAIT;
}

static void
after_statement(struct db *db, enum stmt s)
{
	if (!db->in_tx || is_witness_stmt(s))
		return;
	db->tx_statements++;
	if (db->test_rollback_at > 0 && db->tx_statements == (unsigned)db->test_rollback_at && db->conn) {
		db->test_rollback_at = 0;
		mysql_rollback(db->conn);
	}
}

static int
prepare(struct db *db, enum stmt s, MYSQL_STMT **out)
{
	MYSQL_STMT *st = NULL;
	int rc;

	if ((unsigned)s >= STMT__MAX)
		abort();
	if ((rc = db_ensure(db)) != RK_OK)
		return rc;
	if (db->st[s]) {
		*out = db->st[s];
		return RK_OK;
	}
	if ((st = mysql_stmt_init(db->conn)) == NULL)
		return classify(db, mysql_errno(db->conn), mysql_error(db->conn));
	if (mysql_stmt_prepare(st, stmts[s].sql, strlen(stmts[s].sql)) != 0) {
		rc = classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
		mysql_stmt_close(st);
		return rc == RK_DOWN ? rc : RK_FAIL;
	}
	if (mysql_stmt_param_count(st) != stmts[s].nparams) {
		snprintf(db->err, sizeof db->err, "statement %d: %lu parameters, table says %u", (int)s,
		    mysql_stmt_param_count(st), stmts[s].nparams);
		mysql_stmt_close(st);
		return RK_FAIL;
	}
	db->st[s] = *out = st;
	return RK_OK;
}

static int
bind_and_run(struct db *db, enum stmt s, const struct dbv *args, unsigned nargs, MYSQL_STMT **out)
{
	MYSQL_BIND b[DB_MAX_ARGS];
	MYSQL_STMT *st = NULL;
	my_bool isnull = 1;
	int rc;

	if ((rc = prepare(db, s, &st)) != RK_OK)
		return rc;
	if (!db->witnessed && !is_witness_stmt(s) && witness_active(db)) {
		/* the transaction's first statement: its witness first (db_commit).
		 * First, not before the first write: a silent abort that hits
		 * while the transaction holds only read locks (FOR UPDATE) must be
		 * caught too -- what it decided under them is gone with them (seen:
		 * with the witness before the first write only, the cluster races
		 * answered 500s and a code_wrong where flow_finished was right) */
		randombytes_buf(db->witness, sizeof db->witness);
		if ((rc = db_exec(db, STMT_WITNESS_SET, DBARGS(DB_I(db->witness_id), DB_B(db->witness, sizeof db->witness)), NULL, NULL)) != RK_OK)
			return rc;
		/* only once written: a witness that could not be written (a node
		 * turned read-only, a privilege missing) is that error, never a
		 * token found missing (db_witness_error) */
		db->witnessed = 1;
	}
	db->last = (int)s;
	if (nargs != stmts[s].nparams || nargs > DB_MAX_ARGS) {
		snprintf(db->err, sizeof db->err, "statement %d: %u arguments for %u parameters", (int)s, nargs, stmts[s].nparams);
		return RK_FAIL;
	}
	memset(b, 0, sizeof b);
	for (unsigned i = 0; i < nargs; i++) {
		switch (args[i].t) {
		case DBT_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			b[i].is_null = &isnull;
			break;
		case DBT_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)(uintptr_t)&args[i].i;
			break;
		case DBT_STR:
		case DBT_BLOB:
			b[i].buffer_type = args[i].t == DBT_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)(uintptr_t)(args[i].p ? args[i].p : "");
			b[i].buffer_length = (unsigned long)args[i].n;
			break;
		}
	}
	if (nargs && mysql_stmt_bind_param(st, b) != 0)
		return classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
	if (mysql_stmt_execute(st) != 0)
		return classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
	*out = st;
	return RK_OK;
}

int
db_exec(struct db *db, enum stmt s, const struct dbv *args, unsigned nargs, uint64_t *affected, uint64_t *insert_id)
{
	MYSQL_STMT *st = NULL;
	int rc;

	if (db->readonly && !SQL_READ_ROUTE_EXEC(s)) {
		snprintf(db->err, sizeof db->err, "statement %d writes in a read route", (int)s);
		return RK_FAIL;
	}
	if ((rc = bind_and_run(db, s, args, nargs, &st)) != RK_OK)
		return rc;
	if (affected)
		*affected = (uint64_t)mysql_stmt_affected_rows(st);
	if (insert_id)
		*insert_id = (uint64_t)mysql_stmt_insert_id(st);
	if (mysql_stmt_field_count(st) > 0)
		mysql_stmt_free_result(st);
	after_statement(db, s);
	return RK_OK;
}

int
db_query(struct db *db, enum stmt s, const struct dbv *args, unsigned nargs, struct dbrows *out)
{
	MYSQL_STMT *st = NULL;
	MYSQL_BIND *b = NULL;
	unsigned long *lens = NULL;
	my_bool *nulls = NULL, *errs = NULL;
	char **bufs = NULL;
	unsigned nc, cap = 0;
	int rc, fr;

	memset(out, 0, sizeof *out);
	if ((rc = bind_and_run(db, s, args, nargs, &st)) != RK_OK)
		return rc;
	nc = mysql_stmt_field_count(st);
	out->ncols = nc;
	if (nc == 0) {
		after_statement(db, s);
		return RK_OK;
	}
	b = calloc(nc, sizeof *b);
	lens = calloc(nc, sizeof *lens);
	nulls = calloc(nc, sizeof *nulls);
	errs = calloc(nc, sizeof *errs);
	bufs = calloc(nc, sizeof *bufs);
	if (!b || !lens || !nulls || !errs || !bufs)
		goto oom;
	for (unsigned i = 0; i < nc; i++) {
		if ((bufs[i] = malloc(256)) == NULL)
			goto oom;
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer = bufs[i];
		b[i].buffer_length = 256;
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
		b[i].error = &errs[i];
	}
	if (mysql_stmt_bind_result(st, b) != 0 || mysql_stmt_store_result(st) != 0) {
		rc = classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
		goto done;
	}
	while ((fr = mysql_stmt_fetch(st)) == 0 || fr == MYSQL_DATA_TRUNCATED) {
		unsigned r = out->nrows;
		if (r + 1 > cap) {
			unsigned ncap = cap ? cap * 2 : 8;
			char **ncell = realloc(out->cell, (size_t)ncap * nc * sizeof *ncell);
			unsigned long *nlen;
			char *nnull;
			if (ncell == NULL) goto oom;
			out->cell = ncell;
			if ((nlen = realloc(out->len, (size_t)ncap * nc * sizeof *nlen)) == NULL) goto oom;
			out->len = nlen;
			if ((nnull = realloc(out->isnull, (size_t)ncap * nc)) == NULL) goto oom;
			out->isnull = nnull;
			cap = ncap;
		}
		for (unsigned i = 0; i < nc; i++) {
			size_t k = (size_t)r * nc + i;
			char *cell = malloc(lens[i] + 1);
			if (cell == NULL) {
				out->cell[k] = NULL;
				out->nrows = r + (i > 0);
				goto oom;
			}
			if (nulls[i]) {
				lens[i] = 0;
			} else if (lens[i] > 256) {
				MYSQL_BIND one;
				memset(&one, 0, sizeof one);
				one.buffer_type = MYSQL_TYPE_STRING;
				one.buffer = cell;
				one.buffer_length = lens[i] + 1;
				if (mysql_stmt_fetch_column(st, &one, i, 0) != 0) {
					free(cell);
					rc = classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
					goto done;
				}
			} else {
				memcpy(cell, bufs[i], lens[i]);
			}
			cell[lens[i]] = '\0';
			out->cell[k] = cell;
			out->len[k] = lens[i];
			out->isnull[k] = (char)nulls[i];
		}
		out->nrows = r + 1;
	}
	if (fr != MYSQL_NO_DATA)
		rc = classify(db, mysql_stmt_errno(st), mysql_stmt_error(st));
	goto done;
oom:
	rc = RK_FAIL;
	snprintf(db->err, sizeof db->err, "out of memory");
done:
	if (db->conn && db->st[s])
		mysql_stmt_free_result(st);
	if (bufs)
		for (unsigned i = 0; i < nc; i++)
			free(bufs[i]);
	free(bufs);
	free(b);
	free(lens);
	free(nulls);
	free(errs);
	if (rc != RK_OK)
		db_rows_free(out);
	else
		after_statement(db, s);
	return rc;
}

void
db_rows_free(struct dbrows *r)
{
	if (r->cell)
		for (size_t i = 0; i < (size_t)r->nrows * r->ncols; i++)
			free(r->cell[i]);
	free(r->cell);
	free(r->len);
	free(r->isnull);
	memset(r, 0, sizeof *r);
}

const char *
db_cell(const struct dbrows *r, unsigned row, unsigned col, size_t *len)
{
	size_t k;
	if (row >= r->nrows || col >= r->ncols)
		abort(); /* an impossible index is a bug */
	k = (size_t)row * r->ncols + col;
	if (len)
		*len = r->len[k];
	return r->cell[k];
}

long long
db_cell_ll(const struct dbrows *r, unsigned row, unsigned col)
{
	return strtoll(db_cell(r, row, col, NULL), NULL, 10);
}

int
db_cell_null(const struct dbrows *r, unsigned row, unsigned col)
{
	if (row >= r->nrows || col >= r->ncols)
		abort();
	return r->isnull[(size_t)row * r->ncols + col];
}

int
db_script(struct db *db, const char *sql, size_t n, char *err, size_t errlen)
{
	int rc, status;

	if (!db->cfg.scripts) {
		snprintf(err, errlen, "this connection runs prepared statements only");
		return RK_FAIL;
	}
	if ((rc = db_ensure(db)) != RK_OK) {
		snprintf(err, errlen, "%s", db->err);
		return rc;
	}
	if (mysql_real_query(db->conn, sql, (unsigned long)n) != 0) {
		snprintf(err, errlen, "%s", mysql_error(db->conn));
		return RK_FAIL;
	}
	do {
		MYSQL_RES *res = mysql_store_result(db->conn);
		if (res)
			mysql_free_result(res);
		else if (mysql_field_count(db->conn) != 0) {
			snprintf(err, errlen, "%s", mysql_error(db->conn));
			return RK_FAIL;
		}
		if ((status = mysql_next_result(db->conn)) > 0) {
			snprintf(err, errlen, "%s", mysql_error(db->conn));
			return RK_FAIL;
		}
	} while (status == 0);
	return mysql_commit(db->conn) == 0 ? RK_OK : RK_FAIL;
}

int
db_unlock_user(struct db *db, const char *user, const char *password, char *err, size_t errlen)
{
	static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
	size_t un = strlen(user), pn = strlen(password);
	char sql[sizeof SQL_UNLOCK_USER + 64 + 64];
	int rc;

	if (un == 0 || un > 32 || strspn(user, "abcdefghijklmnopqrstuvwxyz_") != un) {
		snprintf(err, errlen, "a database user name is a-z and _ only");
		return RK_FAIL;
	}
	if (pn < 16 || pn > 64 || strspn(password, b64url) != pn) {
		snprintf(err, errlen, "the password of %s: 16 to 64 characters of A-Z a-z 0-9 _ -", user);
		return RK_FAIL;
	}
	snprintf(sql, sizeof sql, SQL_UNLOCK_USER, user, password);
	rc = db_script(db, sql, strlen(sql), err, errlen);
	explicit_bzero(sql, sizeof sql);
	return rc;
}

