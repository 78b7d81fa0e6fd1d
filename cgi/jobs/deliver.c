/* jobs/deliver.c -- the delivery process: outbox rows to a Maildir / SMS spool, or by SMTP (libcurl). */
#include <curl/curl.h>
#include <sodium.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "jobs.h"

static int
mkdirs(const char *base)
{
	char p[512];
	const char *subs[] = { "", "/tmp", "/new", "/cur" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", base, subs[i]);
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

/* A Subject in words of any language (#20): plain when ASCII, else RFC 2047
 * encoded-words ("=?UTF-8?B?...?="), each of at most 45 bytes of whole UTF-8
 * characters (60 characters of base64: under RFC 2047 §2's 75), folded. */
static void
put_subject(FILE *f, const char *s)
{
	size_t len = strlen(s), i = 0;
	int ascii = 1;

	for (size_t k = 0; k < len; k++)
		if ((unsigned char)s[k] >= 0x80 || s[k] == '\r' || s[k] == '\n')
			ascii = 0;
	if (ascii) {
		fputs(s, f);
		return;
	}
	while (i < len) {
		size_t n = len - i > 45 ? 45 : len - i;
		char b64[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80) /* not inside a character */
			n--;
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, n, sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += n;
	}
}

static char *
format_message(struct app *a, const char *to, const char *subject, const char *date, const char *body, long long id)
{
	char *msg = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&msg, &n);
	char host[64];

	if (f == NULL)
		return NULL;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	fprintf(f, "From: %s <%s>\r\nTo: <%s>\r\nSubject: ", a->cfg.operator_name, a->cfg.mail_from, to);
	put_subject(f, subject);
	fprintf(f, "\r\nDate: %s\r\nMessage-ID: <%lld.%ld@%s>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n",
	    date, id, (long)time(NULL), host);
	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			fputc('\r', f);
		fputc(*p, f);
	}
	fclose(f);
	return msg;
}

static int
write_file_atomically(const char *dir_tmp, const char *dir_final, const char *name, const char *data, size_t n)
{
	char tmp[600], fin[600];
	int fd;
	snprintf(tmp, sizeof tmp, "%s/%s", dir_tmp, name);
	snprintf(fin, sizeof fin, "%s/%s", dir_final, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return -1;
	if (write(fd, data, n) != (ssize_t)n || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	return rename(tmp, fin);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems < u->left ? size * nitems : u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

static int
smtp_send(struct app *a, const char *to, const char *msg, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct upload u = { msg, strlen(msg) };
	char from[300], rto[300];
	CURLcode rc;

	if (c == NULL)
		return -1;
	snprintf(from, sizeof from, "<%s>", a->cfg.mail_from);
	snprintf(rto, sizeof rto, "<%s>", to);
	rcpt = curl_slist_append(rcpt, rto);
	curl_easy_setopt(c, CURLOPT_URL, a->cfg.smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "smtp: %s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}

static int
deliver(struct app *a, long long id, const char *channel, const char *to, const char *subject, const char *body,
    const char *date, char *err, size_t errlen)
{
	char name[128], tmp[512], fin[512];
	char *msg;
	int rc;

	snprintf(name, sizeof name, "%ld.%lld_%d.rekey", (long)time(NULL), id, (int)getpid());
	if (strcmp(channel, "sms") == 0) {
		char *line = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&line, &n);
		if (f == NULL)
			return -1;
		fprintf(f, "To: %s\nDate: %s\n\n%s\n", to, date, body);
		fclose(f);
		snprintf(tmp, sizeof tmp, "%s/tmp", a->cfg.sms_dir);
		snprintf(fin, sizeof fin, "%s/new", a->cfg.sms_dir);
		rc = mkdirs(a->cfg.sms_dir) == 0 ? write_file_atomically(tmp, fin, name, line, n) : -1;
		if (rc != 0)
			snprintf(err, errlen, "sms spool: %s", strerror(errno));
		free(line);
		return rc;
	}
	if ((msg = format_message(a, to, subject, date, body, id)) == NULL)
		return -1;
	if (a->cfg.smtp_url[0]) {
		rc = smtp_send(a, to, msg, err, errlen);
	} else {
		snprintf(tmp, sizeof tmp, "%s/tmp", a->cfg.mail_dir);
		snprintf(fin, sizeof fin, "%s/new", a->cfg.mail_dir);
		rc = mkdirs(a->cfg.mail_dir) == 0 ? write_file_atomically(tmp, fin, name, msg, strlen(msg)) : -1;
		if (rc != 0)
			snprintf(err, errlen, "maildir: %s", strerror(errno));
	}
	free(msg);
	return rc;
}

/* The delivery process's loop for one kind of work: the due rows claimed
 * (the claim statement locks them, SKIP LOCKED), fn on each -- it records
 * success or the retry in the same transaction -- then one commit. *done
 * counts the rows fn reports as done. */
int
deliver_claimed(struct app *a, enum stmt claim, int (*fn)(struct app *a, struct dbrows *rows, unsigned i, int *done), int *done)
{
	struct dbrows rows;
	int rc;

	*done = 0;
	if ((rc = db_begin(a->db)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, claim, DBNOARGS, &rows)) != RK_OK) {
		db_rollback(a->db);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows && rc == RK_OK; i++)
		rc = fn(a, &rows, i, done);
	db_rows_free(&rows);
	if (rc == RK_OK)
		rc = db_commit(a->db);
	if (rc != RK_OK)
		db_rollback(a->db);
	return rc;
}

static int
deliver_row(struct app *a, struct dbrows *rows, unsigned i, int *done)
{
	char err[256] = "";
	long long id = db_cell_ll(rows, i, 0);

	enum metrics_channel ch = strcmp(db_cell(rows, i, 1, NULL), "sms") == 0 ? MCH_SMS : MCH_EMAIL;

	if (deliver(a, id, db_cell(rows, i, 1, NULL), db_cell(rows, i, 2, NULL), db_cell(rows, i, 3, NULL),
	    db_cell(rows, i, 4, NULL), db_cell(rows, i, 5, NULL), err, sizeof err) != 0) {
		metrics_delivery(ch, 0);
		return db_exec(a->db, STMT_OUTBOX_FAILED, DBARGS(DB_S(err), DB_I(id)), NULL, NULL);
	}
	metrics_delivery(ch, 1);
	*done += 1;
	return db_exec(a->db, STMT_OUTBOX_SENT, DBARGS(DB_I(id)), NULL, NULL);
}

int
deliver_mail_once(struct app *a, int *delivered)
{
	return deliver_claimed(a, STMT_OUTBOX_CLAIM, deliver_row, delivered);
}
