#define _GNU_SOURCE
/* server.c -- rekeyd: a supervisor that forks N FastCGI workers and one
 * mail-delivery process, restarts any that die, and stops them gracefully
 * on SIGTERM (in-flight requests finish). */
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "base/base.h"
#include "jobs/jobs.h"
#include "routes.h"
#include "server.h"

static volatile sig_atomic_t stopping;
static volatile sig_atomic_t child_exited;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_child(int sig)
{
	(void)sig;
	child_exited = 1;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
respond(FCGX_Request *fr, struct req *r)
{
	char *body = NULL;
	size_t blen = 0;
	const char *ctype = "application/json; charset=utf-8";

	if (r->raw) {
		body = r->raw;
		blen = r->raw_len;
		ctype = r->raw_type;
	} else if (r->out && r->status != 204) {
		body = json_dumps(r->out, JSON_COMPACT);
		blen = body ? strlen(body) : 0;
	}
	char head[2700];
	int hl = snprintf(head, sizeof head, "Status: %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\nX-Request-Id: %s\r\nContent-Length: %zu\r\n%s%s%s%s%s%s%s%s\r\n",
	    r->status, http_status_text(r->status), ctype, r->request_id, r->status == 204 ? (size_t)0 : blen,
	    r->set_cookie[0] ? "Set-Cookie: " : "", r->set_cookie, r->set_cookie[0] ? "\r\n" : "",
	    r->allow ? "Allow: " : "", r->allow ? r->allow : "", r->allow ? "\r\n" : "",
	    r->status == 401 ? "WWW-Authenticate: Cookie realm=\"rekey\"\r\n" : "",
	    r->sandbox ? "Content-Security-Policy: default-src 'none'; img-src 'self'; sandbox\r\nContent-Disposition: inline\r\n"
	    "Cross-Origin-Resource-Policy: same-origin\r\n" : "");
	/* fcgi2's own printf knows no %zu: format here, write bytes */
	FCGX_PutStr(head, hl < (int)sizeof head ? hl : (int)sizeof head - 1, fr->out);
	if (body && r->method != M_HEAD && r->status != 204)
		FCGX_PutStr(body, (int)blen, fr->out);
	if (body != r->raw)
		free(body);
}

static void
handle(struct app *a, FCGX_Request *fr)
{
	struct req r;
	const char *cl, *uri;
	char path[1024];
	double t0 = now_ms();
	size_t plen;

	memset(&r, 0, sizeof r);
	r.app = a;
	r.route = -1;
	/* nginx's X-Request-Id (the caller's when valid, else its $request_id);
	 * without nginx, or with none that is valid, one of our own */
	{
		const char *rid = FCGX_GetParam("HTTP_X_REQUEST_ID", fr->envp);
		if (log_request_id_valid(rid)) {
			snprintf(r.request_id, sizeof r.request_id, "%s", rid);
		} else {
			unsigned char raw[16];
			randombytes_buf(raw, sizeof raw);
			sodium_bin2hex(r.request_id, sizeof r.request_id, raw, sizeof raw);
		}
		log_set_request(r.request_id);
	}
	r.method = http_method_parse(FCGX_GetParam("REQUEST_METHOD", fr->envp));
	uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	if (uri == NULL)
		uri = FCGX_GetParam("SCRIPT_NAME", fr->envp);
	plen = uri ? strcspn(uri, "?") : 0;
	if (plen >= sizeof path)
		plen = 0;
	memcpy(path, uri ? uri : "", plen);
	path[plen] = '\0';
	r.path = path;
	r.query = FCGX_GetParam("QUERY_STRING", fr->envp);
	r.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	r.cookie = FCGX_GetParam("HTTP_COOKIE", fr->envp);
	r.origin = FCGX_GetParam("HTTP_ORIGIN", fr->envp);
	r.csrf = FCGX_GetParam("HTTP_X_CSRF_TOKEN", fr->envp);
	r.ip = FCGX_GetParam("REMOTE_ADDR", fr->envp);
	r.user_agent = FCGX_GetParam("HTTP_USER_AGENT", fr->envp);
	r.accept_language = FCGX_GetParam("HTTP_ACCEPT_LANGUAGE", fr->envp);
	r.authorization = FCGX_GetParam("HTTP_AUTHORIZATION", fr->envp);
	r.sig_timestamp = FCGX_GetParam("HTTP_X_REKEY_TIMESTAMP", fr->envp);
	r.signature = FCGX_GetParam("HTTP_X_REKEY_SIGNATURE", fr->envp);
	if (r.ip == NULL)
		r.ip = "";
	cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	if (cl && *cl) {
		char *end;
		unsigned long long v = strtoull(cl, &end, 10);
		r.content_length = *end == '\0' && v < (1ull << 40) ? (size_t)v : (size_t)-1;
	}
	if (r.method == M__MAX) {
		r.method = M_GET;
		http_fail(&r, SP_METHOD_NOT_ALLOWED);
	} else if (r.content_length > a->cfg.max_upload) { /* the per-route limit is checked in the dispatch */
		http_fail(&r, SP_BODY_TOO_LARGE);
	} else {
		if (r.content_length > 0) {
			r.body = malloc(r.content_length + 1);
			if (r.body == NULL) {
				http_fail(&r, SP_OVERLOADED);
				goto out;
			}
			r.body_len = (size_t)FCGX_GetStr(r.body, (int)r.content_length, fr->in);
			r.body[r.body_len] = '\0';
			if (r.body_len != r.content_length) {
				http_fail(&r, SP_TRUNCATED_BODY);
				goto out;
			}
		}
		routes_dispatch(&r);
	}
out:
	respond(fr, &r);
	{
		/* the access log: one JSON object per request */
		double ms = now_ms() - t0;
		char t[40], jip[200], jpath[2100];
		log_time(t, sizeof t);
		log_json_string(jip, sizeof jip, r.ip);
		log_json_string(jpath, sizeof jpath, r.path);
		fprintf(a->log, "{\"time\":\"%s\",\"request_id\":\"%s\",\"ip\":%s,\"method\":\"%s\",\"path\":%s,\"route\":%d,"
		    "\"status\":%d,\"ms\":%.1f}\n", t, r.request_id, jip, http_method_name(r.method), jpath, r.route, r.status, ms);
		fflush(a->log);
		metrics_request(r.route, r.status, ms);
	}
	log_set_request(NULL);
	if (r.in)
		json_decref(r.in);
	if (r.out)
		json_decref(r.out);
	free(r.raw);
	free(r.body);
}

static void
worker(struct app *a, int listen_fd)
{
	FCGX_Request fr;
	sigset_t block, waitmask;
	struct sigaction sa;
	struct pollfd pfd = { listen_fd, POLLIN, 0 };

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop; /* no SA_RESTART: ppoll must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);

	/* an upload's buffers reused, not faulted in again each request (base/heap.h) */
	if (heap_keep_for_requests() != 0)
		log_msg("warn", "rekeyd: the heap settings were refused: each upload faults its buffers in again");
	if ((a->db = app_db_api_new(a)) == NULL)
		_exit(1);
	/* review requests run as the review API's own database user */
	if (a->cfg.db_review_password[0] && (a->db_review = app_db_review_new(a)) == NULL)
		_exit(1);
	/* the same work for unknown emails as for wrong passwords */
	{
		char pw[33];
		unsigned char raw[32];
		keys_random_token(pw, sizeof pw, raw);
		if (keys_password_hash(&a->cfg, pw, a->dummy_hash) != 0)
			_exit(1);
	}
	db_ensure(a->db);
	if (a->db_review)
		db_ensure(a->db_review);
	FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping) {
		/* SIGTERM is blocked except inside ppoll: no lost wake-up */
		int n = ppoll(&pfd, 1, NULL, &waitmask);
		if (n <= 0 || stopping)
			continue;
		if (FCGX_Accept_r(&fr) < 0)
			continue; /* another worker took it (EAGAIN) */
		handle(a, &fr);
		FCGX_Finish_r(&fr);
	}
	db_free(a->db);
	if (a->db_review)
		db_free(a->db_review);
	_exit(0);
}

static void
mailer(struct app *a)
{
	struct sigaction sa;
	time_t next_sweep = 0;
	struct sweep_state sweep = { 0 };
	int sweeping = 0; /* the last pass spent its budget: go on at the next round */

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	if ((a->db = app_db_api_new(a)) == NULL)
		_exit(1);
	while (!stopping) {
		int delivered = 0, sent = 0;
		int rc = deliver_mail_once(a, &delivered);
		time_t now = time(NULL);
		/* issue #21: a pass of at most sweep_batches_per_pass batches, then the
		 * mail again; a sweep that is not done goes on at the next round */
		if (a->cfg.sweep_seconds > 0 && (sweeping || now >= next_sweep)) {
			struct sweep_counts c;
			char line[200];
			if (!sweeping)
				next_sweep = now + a->cfg.sweep_seconds;
			if (sweep_once(a, &sweep, (unsigned)a->cfg.sweep_batches_per_pass, &c) != RK_OK) {
				log_msg("error", "rekeyd: sweep: %s", db_error(a->db));
				sweeping = 0;
			} else {
				sweeping = !c.done;
				if (c.challenges + c.codes + c.rate_windows + c.reset_flows + c.mail_bodies + c.suspended_passkeys + c.witness_rows > 0) {
					sweep_describe(&c, line, sizeof line);
					log_msg("info", "rekeyd: sweep: %s%s", line, sweeping ? " (more next round)" : "");
				}
			}
		}
		if (face_dispatch_once(a, &sent) != 0 || rc != 0 || delivered + sent == 0) {
			struct timespec ts = { 0, 200 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	db_free(a->db);
	_exit(0);
}

static int
open_listener(const char *spec)
{
	int fd, flags;
	const char *path = spec;

	if (strncmp(spec, "unix:", 5) == 0) {
		path = spec + 5;
		unlink(path);
	}
	fd = FCGX_OpenSocket(path, 256);
	if (fd < 0)
		return -1;
	if (path != spec)
		chmod(path, 0666); /* nginx's workers connect; the folder guards it */
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	return fd;
}

int
server_main(int argc, char **argv)
{
	struct app a;
	const char *cfgpath = "rekey.conf";
	char err[256];
	pid_t *pids;
	int listen_fd, nchild;
	struct sigaction sa;
	sigset_t block, empty;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			cfgpath = argv[++i];
		else {
			fprintf(stderr, "usage: rekeyd [-c rekey.conf]\n");
			return 2;
		}
	}
	if (app_open(&a, cfgpath, 1, err, sizeof err) != 0) {
		log_msg("error", "rekeyd: %s", err);
		return 1;
	}
	FCGX_Init();
	if ((listen_fd = open_listener(a.cfg.listen)) < 0) {
		log_msg("error", "rekeyd: cannot listen on %s: %s", a.cfg.listen, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&empty);

	nchild = a.cfg.workers + 1;
	if ((pids = calloc((size_t)nchild, sizeof *pids)) == NULL)
		return 1;
	/* the counters every worker adds to: mapped before the first fork,
	 * kept by this process, so a restarted worker finds them as they were */
	if (metrics_map() != 0)
		log_msg("warn", "rekeyd: metrics: cannot map shared memory: %s", strerror(errno));
	for (size_t i = 0; i < routes_count(); i++) {
		const char *m, *p;
		int au;
		routes_describe(i, &m, &p, &au);
		metrics_name_route((int)i, m, p);
	}
	log_msg("info", "rekeyd: %d workers on %s, pid %d", a.cfg.workers, a.cfg.listen, (int)getpid());
	while (!stopping) {
		for (int i = 0; i < nchild && !stopping; i++) {
			if (pids[i] > 0)
				continue;
			pids[i] = fork();
			if (pids[i] == 0) {
				sigprocmask(SIG_UNBLOCK, &block, NULL);
				if (i == 0)
					mailer(&a);
				worker(&a, listen_fd);
			}
			if (pids[i] < 0) {
				pids[i] = 0;
				sleep(1);
			}
		}
		sigsuspend(&empty);
		if (child_exited) {
			pid_t p;
			int st;
			child_exited = 0;
			while ((p = waitpid(-1, &st, WNOHANG)) > 0)
				for (int i = 0; i < nchild; i++)
					if (pids[i] == p) {
						pids[i] = 0;
						if (!stopping) {
							metrics_restart(i == 0 ? MPROC_MAILER : MPROC_WORKER);
							log_msg("warn", "rekeyd: %s %d ended (status %d); restarting",
							    i == 0 ? "mailer" : "worker", (int)p, st);
						}
					}
		}
	}
	/* graceful stop: workers finish their request, then exit */
	for (int i = 0; i < nchild; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int waited = 0; waited < 100; waited++) {
		int alive = 0;
		pid_t p;
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			for (int i = 0; i < nchild; i++)
				if (pids[i] == p)
					pids[i] = 0;
		for (int i = 0; i < nchild; i++)
			alive += pids[i] > 0;
		if (!alive)
			break;
		usleep(100000);
	}
	for (int i = 0; i < nchild; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	if (strncmp(a.cfg.listen, "unix:", 5) == 0)
		unlink(a.cfg.listen + 5);
	log_msg("info", "rekeyd: stopped");
	app_close(&a);
	free(pids);
	return 0;
}
