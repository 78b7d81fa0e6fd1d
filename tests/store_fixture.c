/* store_fixture.c -- the app, requests and the test's own SQL connection
 * for the store/ and base/ suites (store_fixture.h). */
#include <errno.h>
#include <libgen.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "store_fixture.h"

static const char *
stack_socket(void)
{
	const char *sock = getenv("REKEY_TEST_DB_SOCKET");

	ck_assert_msg(sock != NULL && *sock, "REKEY_TEST_DB_SOCKET names the test stack's MariaDB socket (tests/run.sh)");
	return sock;
}

/* the stack's server key: REKEY_TEST_KEY_FILE, else DIR/secret.key for the socket DIR/run/mysqld.sock */
static void
stack_key(const char *sock, char *out, size_t outlen)
{
	const char *k = getenv("REKEY_TEST_KEY_FILE");
	char tmp[512];

	if (k != NULL && *k) {
		snprintf(out, outlen, "%s", k);
		return;
	}
	snprintf(tmp, sizeof tmp, "%s", sock);
	snprintf(out, outlen, "%s/../secret.key", dirname(tmp));
}

static void
open_with(struct app *a, const char *sock, const char *keyfile, int create_key)
{
	char path[] = "/tmp/rekey-check-conf.XXXXXX", err[256];
	int fd = mkstemp(path);
	FILE *f;
	int rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f, "db_socket = %s\ndb_user = root\ndb_name = rekey\nkey_file = %s\nopenapi_file = /nonexistent\n",
	    sock, keyfile);
	ck_assert_int_eq(fclose(f), 0);
	rc = app_open(a, path, create_key, err, sizeof err);
	unlink(path);
	ck_assert_msg(rc == 0, "app_open: %s", err);
}

void
fx_app_open(struct app *a)
{
	const char *sock = stack_socket();
	char key[600];
	int rc;

	stack_key(sock, key, sizeof key);
	if (access(key, R_OK) == 0) {
		open_with(a, sock, key, 0);
	} else { /* not tests/run.sh's stack: a key of our own (its audit chains will not verify under the stack's) */
		char dir[] = "/tmp/rekey-check-key.XXXXXX";
		ck_assert_ptr_nonnull(mkdtemp(dir));
		snprintf(key, sizeof key, "%s/secret.key", dir);
		open_with(a, sock, key, 1);
		unlink(key);
		rmdir(dir);
	}
	ck_assert_ptr_nonnull(a->db = app_db_new(a, 0));
	db_set_readonly(a->db, 0);
	rc = db_ensure(a->db);
	ck_assert_msg(rc == RK_OK, "connect: %s", db_error(a->db));
}

void
fx_app_open_nodb(struct app *a)
{
	memset(a, 0, sizeof *a);
	ck_assert_int_ge(sodium_init(), 0);
	a->log = stderr;
	randombytes_buf(a->keys.master, sizeof a->keys.master);
	randombytes_buf(a->keys.evidence, sizeof a->keys.evidence);
	randombytes_buf(a->keys.session, sizeof a->keys.session);
}

void
fx_app_close(struct app *a)
{
	if (a->db)
		db_rollback(a->db);
	app_close(a);
}

void
fx_commit(struct app *a)
{
	int rc = db_commit(a->db);
	ck_assert_msg(rc == RK_OK, "commit: %d %s", rc, db_error(a->db));
}

void
fx_req(struct req *r, struct app *a)
{
	memset(r, 0, sizeof *r);
	r->app = a;
	r->method = M_POST;
	r->path = "/check";
	r->ip = "127.0.0.1";
	r->user_agent = "check";
}

void
fx_req_free(struct req *r)
{
	if (r->out)
		json_decref(r->out);
	r->out = NULL;
	free(r->raw);
	r->raw = NULL;
}

const char *
fx_error_code(const struct req *r)
{
	const char *c = json_string_value(json_object_get(json_object_get(r->out, "error"), "code"));
	return c ? c : "";
}

/* NAME=value; attrs, in "v1\r\nSet-Cookie: v2" */
static const char *
cookie_part(const struct req *r, const char *name, int attrs, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = r->set_cookie;

	while (p && *p) {
		const char *end = strstr(p, "\r\n"), *v, *semi;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (strncmp(p, "Set-Cookie: ", 12) == 0) {
			p += 12;
			len -= 12;
		}
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			v = p + nl + 1;
			semi = memchr(v, ';', len - nl - 1);
			if (attrs) {
				if (semi == NULL)
					return NULL;
				v = semi + 2;
				len = (size_t)(p + len - v);
			} else {
				len = semi ? (size_t)(semi - v) : (size_t)(p + len - v);
			}
			ck_assert_uint_lt(len, outlen);
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
		p = end ? end + 2 : NULL;
	}
	return NULL;
}

const char *
fx_set_cookie(const struct req *r, const char *name, char *out, size_t outlen)
{
	return cookie_part(r, name, 0, out, outlen);
}

const char *
fx_set_cookie_attrs(const struct req *r, const char *name, char *out, size_t outlen)
{
	return cookie_part(r, name, 1, out, outlen);
}

/* ---- the test's own connection ---- */

static MYSQL *own;
static pid_t own_pid;

static MYSQL *
conn(void)
{
	/* after a fork the parent's connection is not ours to use (nor to close) */
	if (own != NULL && own_pid == getpid())
		return own;
	ck_assert_ptr_nonnull(own = mysql_init(NULL));
	ck_assert_msg(mysql_real_connect(own, NULL, "root", "", "rekey", 0, stack_socket(), 0) != NULL,
	    "connect: %s", mysql_error(own));
	ck_assert_int_eq(mysql_query(own, "SET time_zone = '+00:00'"), 0);
	own_pid = getpid();
	return own;
}

static void
run(const char *fmt, va_list ap)
{
	char sql[4096];
	int n = vsnprintf(sql, sizeof sql, fmt, ap);
	MYSQL *m = conn();

	ck_assert_int_lt(n, (int)sizeof sql);
	ck_assert_msg(mysql_real_query(m, sql, (unsigned long)n) == 0, "%s: %s", sql, mysql_error(m));
}

void
fx_sql(const char *fmt, ...)
{
	va_list ap;
	MYSQL_RES *res;

	va_start(ap, fmt);
	run(fmt, ap);
	va_end(ap);
	if ((res = mysql_store_result(conn())) != NULL)
		mysql_free_result(res);
}

static MYSQL_RES *
result(const char *fmt, va_list ap)
{
	MYSQL_RES *res;

	run(fmt, ap);
	res = mysql_store_result(conn());
	ck_assert_msg(res != NULL, "no result: %s", mysql_error(conn()));
	return res;
}

long long
fx_ll(const char *fmt, ...)
{
	va_list ap;
	MYSQL_RES *res;
	MYSQL_ROW row;
	long long v;

	va_start(ap, fmt);
	res = result(fmt, ap);
	va_end(ap);
	ck_assert_msg(mysql_num_rows(res) == 1, "%llu rows, one expected", (unsigned long long)mysql_num_rows(res));
	row = mysql_fetch_row(res);
	v = row[0] ? strtoll(row[0], NULL, 10) : -1;
	mysql_free_result(res);
	return v;
}

const char *
fx_str(char *out, size_t outlen, const char *fmt, ...)
{
	va_list ap;
	MYSQL_RES *res;
	MYSQL_ROW row;
	const char *v = NULL;

	va_start(ap, fmt);
	res = result(fmt, ap);
	va_end(ap);
	ck_assert_msg(mysql_num_rows(res) == 1, "%llu rows, one expected", (unsigned long long)mysql_num_rows(res));
	row = mysql_fetch_row(res);
	if (row[0]) {
		snprintf(out, outlen, "%s", row[0]);
		v = out;
	}
	mysql_free_result(res);
	return v;
}

unsigned long long
fx_rows(const char *fmt, ...)
{
	va_list ap;
	MYSQL_RES *res;
	unsigned long long n;

	va_start(ap, fmt);
	res = result(fmt, ap);
	va_end(ap);
	n = (unsigned long long)mysql_num_rows(res);
	mysql_free_result(res);
	return n;
}

void
fx_random(void *p, size_t n)
{
	ck_assert_int_ge(sodium_init(), 0);
	randombytes_buf(p, n);
}

char *
fx_hex(const void *p, size_t n, char *out)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	out[2 * n] = '\0';
	return out;
}

uint64_t
fx_account(const char *label, char *email, size_t emaillen)
{
	unsigned char r[8];
	char hex[17], addr[200];

	fx_random(r, sizeof r);
	snprintf(addr, sizeof addr, "check-%s-%s@rekey.test", label, fx_hex(r, sizeof r, hex));
	fx_sql("INSERT INTO accounts (email, password_hash, user_handle, identity_status, asset_value_cents, display_name, "
	    "created_at) VALUES ('%s', 'x', UNHEX(SHA2(UUID(), 256)), 'unverified', 0, '', UTC_TIMESTAMP(6) - INTERVAL 400 DAY)", addr);
	if (email)
		snprintf(email, emaillen, "%s", addr);
	return (uint64_t)mysql_insert_id(conn());
}

void
fx_phone(uint64_t account, const char *number)
{
	fx_sql("INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (%llu, '%s', UTC_TIMESTAMP(6), "
	    "UTC_TIMESTAMP(6))", (unsigned long long)account, number);
}
