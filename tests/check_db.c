/* check_db.c -- cgi/base/db.c against a live MariaDB (the test stack's, named by
 * REKEY_TEST_DB_SOCKET; tests/run.sh runs this suite once the stack is up):
 * read routes run each statement on its own and may write only the session
 * touches; every other route's writes wait for its COMMIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vectors.h"
#include "../cgi/base/db.h"

static struct db *
connect_db(void)
{
	const char *sock = getenv("REKEY_TEST_DB_SOCKET");
	struct db_config cfg = { sock, "127.0.0.1", "root", "", "rekey", 0, 0, NULL, NULL, NULL };
	struct db *db;

	ck_assert_msg(sock != NULL && *sock, "REKEY_TEST_DB_SOCKET names the test stack's MariaDB socket");
	db = db_new(&cfg);
	ck_assert_ptr_nonnull(db);
	ck_assert_int_eq(db_ensure(db), RK_OK);
	return db;
}

/* a new account with one session, committed; returns the session id */
static uint64_t
account_with_session(struct db *db, uint64_t *account)
{
	char email[80];
	unsigned char handle[32], token[32];
	uint64_t sid = 0;
	FILE *f = fopen("/dev/urandom", "rb");
	int rc;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(handle, 1, 32, f), 32);
	ck_assert_uint_eq(fread(token, 1, 32, f), 32);
	fclose(f);
	snprintf(email, sizeof email, "check-db-%02x%02x%02x%02x%02x%02x@rekey.test", handle[0], handle[1], handle[2],
	    handle[3], handle[4], handle[5]);
	db_set_readonly(db, 0);
	rc = db_exec(db, STMT_ACCOUNT_INSERT, DBARGS(DB_S(email), DB_S("x"), DB_B(handle, 32), DB_S("unverified"),
	    DB_I(0), DB_S("")), NULL, account);
	ck_assert_msg(rc == RK_OK, "account: %d %s", rc, db_error(db));
	rc = db_exec(db, STMT_SESSION_INSERT, DBARGS(DB_B(token, 32), DB_I(*account), DB_S("full"), DB_I(3600),
	    DB_S("127.0.0.1"), DB_S("check_db"), DB_I(0)), NULL, &sid);
	ck_assert_msg(rc == RK_OK, "session: %d %s", rc, db_error(db));
	ck_assert_int_eq(db_commit(db), RK_OK);
	return sid;
}

/* how many live sessions the account has, seen from another connection */
static unsigned
live_sessions(struct db *other, uint64_t account)
{
	struct dbrows rows;
	unsigned n;

	db_set_readonly(other, 1);
	ck_assert_int_eq(db_query(other, STMT_SESSION_LIST, DBARGS(DB_I(account), DB_I(3600)), &rows), RK_OK);
	n = rows.nrows;
	db_rows_free(&rows);
	return n;
}

START_TEST(read_route_refuses_writes)
{
	struct db *db = connect_db(), *other = connect_db();
	uint64_t account = 0;
	uint64_t sid = account_with_session(db, &account);
	uint64_t aff = 99;

	db_set_readonly(db, 1);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_FAIL);
	ck_assert_ptr_nonnull(strstr(db_error(db), "writes in a read route"));
	ck_assert_uint_eq(aff, 99); /* nothing ran */
	ck_assert_uint_eq(live_sessions(other, account), 1);
	/* the same statement in a write route runs */
	db_set_readonly(db, 0);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(aff, 1);
	ck_assert_int_eq(db_commit(db), RK_OK);
	ck_assert_uint_eq(live_sessions(other, account), 0);
	(void)sid;
	db_free(db);
	db_free(other);
}
END_TEST

START_TEST(read_route_touch_needs_no_commit)
{
	struct db *db = connect_db(), *other = connect_db();
	uint64_t account = 0, aff = 0;
	uint64_t sid = account_with_session(db, &account);

	/* a touch in a read route stands on its own, with no COMMIT: it keeps
	 * no row lock (left uncommitted, it would hold one and another
	 * connection's update of the row would wait, then time out) */
	db_set_readonly(db, 1);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_TOUCH, DBARGS(DB_I(sid)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(aff, 1);
	db_set_readonly(other, 0);
	ck_assert_int_eq(db_exec(other, STMT_SESSION_REVOKE, DBARGS(DB_I(sid), DB_I(account)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(aff, 1);
	db_rollback(other);
	db_free(db);
	db_free(other);
}
END_TEST

START_TEST(write_route_waits_for_commit)
{
	struct db *db = connect_db(), *other = connect_db();
	uint64_t account = 0, aff = 0;

	account_with_session(db, &account);
	/* after a read route on the same connection, a write route is a
	 * transaction again: its write is invisible until COMMIT, and a
	 * rollback undoes it */
	db_set_readonly(db, 1);
	ck_assert_uint_eq(live_sessions(db, account), 1);
	db_set_readonly(db, 0);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(aff, 1);
	ck_assert_uint_eq(live_sessions(other, account), 1);
	db_rollback(db);
	ck_assert_uint_eq(live_sessions(other, account), 1);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(live_sessions(other, account), 1);
	ck_assert_int_eq(db_commit(db), RK_OK);
	ck_assert_uint_eq(live_sessions(other, account), 0);
	db_free(db);
	db_free(other);
}
END_TEST

START_TEST(mode_survives_reconnect)
{
	struct db *db = connect_db(), *other = connect_db();
	uint64_t account = 0, aff = 0;

	account_with_session(db, &account);
	/* a new connection starts in the mode asked for: a write route on a
	 * fresh connection still needs its COMMIT */
	db_free(db);
	db = db_new(&(struct db_config){ getenv("REKEY_TEST_DB_SOCKET"), "127.0.0.1", "root", "", "rekey", 0, 0, NULL, NULL, NULL });
	db_set_readonly(db, 0);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_OK);
	ck_assert_uint_eq(aff, 1);
	ck_assert_uint_eq(live_sessions(other, account), 1);
	db_rollback(db);
	/* and a read route on a fresh connection refuses writes */
	db_free(db);
	db = db_new(&(struct db_config){ getenv("REKEY_TEST_DB_SOCKET"), "127.0.0.1", "root", "", "rekey", 0, 0, NULL, NULL, NULL });
	db_set_readonly(db, 1);
	ck_assert_int_eq(db_exec(db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), &aff, NULL), RK_FAIL);
	ck_assert_uint_eq(live_sessions(other, account), 1);
	db_free(db);
	db_free(other);
}
END_TEST

START_TEST(scripts_only_where_asked)
{
	struct db *db = connect_db(), *admin;
	char err[256];

	/* rekeyd's connections: no text scripts (and they are opened without
	 * CLIENT_MULTI_STATEMENTS: the server refuses stacked statements) */
	ck_assert_int_eq(db_script(db, "SELECT 1; SELECT 2", 18, err, sizeof err), RK_FAIL);
	ck_assert_str_eq(err, "this connection runs prepared statements only");
	/* rekeyctl's (migrations) */
	admin = db_new(&(struct db_config){ getenv("REKEY_TEST_DB_SOCKET"), "127.0.0.1", "root", "", "rekey", 0, 1, NULL, NULL, NULL });
	ck_assert_int_eq(db_script(admin, "SELECT 1; SELECT 2", 18, err, sizeof err), RK_OK);
	db_free(admin);
	db_free(db);
}
END_TEST

START_TEST(rate_window_counts_to_the_limit_and_reopens)
{
	struct db *db = connect_db(), *admin;
	unsigned char b[32];
	char hex[65], sql[200], err[256];
	uint64_t aff = 9;
	FILE *f = fopen("/dev/urandom", "rb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(b, 1, sizeof b, f), sizeof b);
	fclose(f);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	admin = db_new(&(struct db_config){ getenv("REKEY_TEST_DB_SOCKET"), "127.0.0.1", "root", "", "rekey", 0, 1, NULL, NULL, NULL });
	db_set_readonly(db, 0);
	for (int round = 0; round < 2; round++) {
		/* a new bucket (round 0) or an ended window (round 1) counts 1; then up to the limit of 3 */
		for (int i = 0; i < 3; i++) {
			ck_assert_int_eq(db_exec(db, STMT_RATE_HIT, DBARGS(DB_B(b, 32), DB_I(900), DB_I(3)), &aff, NULL), RK_OK);
			ck_assert_msg(aff >= 1, "round %d hit %d refused", round, i + 1);
		}
		/* full: nothing changes, and that is the refusal */
		ck_assert_int_eq(db_exec(db, STMT_RATE_HIT, DBARGS(DB_B(b, 32), DB_I(900), DB_I(3)), &aff, NULL), RK_OK);
		ck_assert_uint_eq(aff, 0);
		ck_assert_int_eq(db_commit(db), RK_OK);
		/* the window ends */
		snprintf(sql, sizeof sql, "UPDATE rate_limits SET window_end = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE bucket = X'%s'", hex);
		ck_assert_int_eq(db_script(admin, sql, strlen(sql), err, sizeof err), RK_OK);
		ck_assert_int_eq(db_commit(admin), RK_OK);
	}
	snprintf(sql, sizeof sql, "DELETE FROM rate_limits WHERE bucket = X'%s'", hex);
	ck_assert_int_eq(db_script(admin, sql, strlen(sql), err, sizeof err), RK_OK);
	ck_assert_int_eq(db_commit(admin), RK_OK);
	db_free(admin);
	db_free(db);
}
END_TEST

/* a cluster's endpoint list: a node that does not answer is passed over
 * for the next, in order; none answering is RK_DOWN, never a crash */
START_TEST(endpoints_pass_over_an_unreachable_node)
{
	const char *sock = getenv("REKEY_TEST_DB_SOCKET");
	char list[600];
	struct db *db;

	snprintf(list, sizeof list, "/nonexistent/rekey-node1.sock,%s", sock);
	db = db_new(&(struct db_config){ NULL, NULL, "root", "", "rekey", 0, 0, list, NULL, NULL });
	ck_assert_str_eq(db_endpoint(db), "");
	ck_assert_int_eq(db_ensure(db), RK_OK);
	ck_assert_str_eq(db_endpoint(db), sock);
	/* a dropped connection comes back, preferred endpoint first (still down) */
	db_disconnect(db);
	ck_assert_str_eq(db_endpoint(db), "");
	ck_assert_int_eq(db_ensure(db), RK_OK);
	ck_assert_str_eq(db_endpoint(db), sock);
	db_free(db);
	/* a host that refuses (port 1), then the socket: sockets come first */
	db = db_new(&(struct db_config){ NULL, NULL, "root", "", "rekey", 0, 0, sock, "127.0.0.1:1", NULL });
	ck_assert_int_eq(db_ensure(db), RK_OK);
	ck_assert_str_eq(db_endpoint(db), sock);
	db_free(db);
}
END_TEST

START_TEST(endpoints_none_reachable_is_down)
{
	struct db *db = db_new(&(struct db_config){ NULL, NULL, "root", "", "rekey", 0, 0, "/nonexistent/a.sock,/nonexistent/b.sock", "127.0.0.1:1", NULL });

	ck_assert_int_eq(db_ensure(db), RK_DOWN);
	ck_assert_msg(strstr(db_error(db), "127.0.0.1:1") != NULL, "the last endpoint tried is named: %s", db_error(db));
	ck_assert_int_eq(db_begin(db), RK_DOWN);
	ck_assert_int_eq(db_conflicted(db), 0);
	db_free(db);
	/* empty entries are skipped; the list is bounded (DB_MAX_ENDPOINTS) */
	db = db_new(&(struct db_config){ NULL, NULL, "root", "", "rekey", 0, 0, ",,", ",127.0.0.1:1,127.0.0.1:2,127.0.0.1:3,127.0.0.1:4,127.0.0.1:5,127.0.0.1:6,127.0.0.1:7,127.0.0.1:8,127.0.0.1:9", NULL });
	ck_assert_int_eq(db_ensure(db), RK_DOWN);
	ck_assert_msg(strstr(db_error(db), "127.0.0.1:8") != NULL, "the 9th endpoint is left out: %s", db_error(db));
	db_free(db);
}
END_TEST

/* #25: the one statement that cannot be prepared is filled only with a
 * checked user name and password (db_unlock_user) */
START_TEST(unlock_user_takes_only_checked_names_and_passwords)
{
	struct db *admin = db_new(&(struct db_config){ getenv("REKEY_TEST_DB_SOCKET"), "127.0.0.1", "root", "", "rekey", 0, 1, NULL, NULL, NULL });
	char err[256];
	static const char *const bad_users[] = { "", "rekey_app'@'%' IDENTIFIED BY 'x'; --", "Rekey", "rekey-t", "a b",
		"abcdefghijklmnopqrstuvwxyzabcdefg" };
	static const char *const bad_pw[] = { "short", "AAAAAAAAAAAAAAAA' ACCOUNT UNLOCK; DROP DATABASE rekey; --", "AAAAAAAAAAAAAAA=",
		"AAAAAAAA AAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };

	ck_assert_ptr_nonnull(admin);
	ck_assert_int_eq(db_script(admin, "DROP USER IF EXISTS 'rekey_t'@'localhost'; CREATE USER 'rekey_t'@'localhost' ACCOUNT LOCK", 89,
	    err, sizeof err), RK_OK);
	for (size_t i = 0; i < sizeof bad_users / sizeof bad_users[0]; i++)
		ck_assert_msg(db_unlock_user(admin, bad_users[i], "AAAAAAAAAAAAAAAAAAAA", err, sizeof err) == RK_FAIL, "%s taken", bad_users[i]);
	for (size_t i = 0; i < sizeof bad_pw / sizeof bad_pw[0]; i++)
		ck_assert_msg(db_unlock_user(admin, "rekey_t", bad_pw[i], err, sizeof err) == RK_FAIL, "%s taken", bad_pw[i]);
	ck_assert_int_eq(db_unlock_user(admin, "rekey_t", "Abc_-0123456789xyzAB", err, sizeof err), RK_OK);
	ck_assert_int_eq(db_script(admin, "DROP USER 'rekey_t'@'localhost'", 31, err, sizeof err), RK_OK);
	db_free(admin);
}
END_TEST

RUN_SUITE("db", endpoints_pass_over_an_unreachable_node, endpoints_none_reachable_is_down, read_route_refuses_writes, read_route_touch_needs_no_commit, write_route_waits_for_commit,
    mode_survives_reconnect, scripts_only_where_asked, rate_window_counts_to_the_limit_and_reopens, unlock_user_takes_only_checked_names_and_passwords)
