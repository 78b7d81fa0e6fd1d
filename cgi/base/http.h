/* base/http.h -- a request and its answer: the one structure that every
 * handler, store function and the dispatcher share, and the helpers that
 * write answers (JSON, errors, cookies) and read query strings and cookies. */
#ifndef REKEY_BASE_HTTP_H
#define REKEY_BASE_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "app.h"
#include "problems.h"
#include "log.h"
#include "../../wasm/problem.h"

enum method { M_GET, M_POST, M_PATCH, M_DELETE, M_PUT, M_HEAD, M_OPTIONS, M__MAX };

enum auth { AUTH_NONE, AUTH_PARTIAL, AUTH_FULL, AUTH_SERVICE, AUTH_DEV,
	AUTH_WEBHOOK /* no session, no Origin: an HMAC-SHA256 signature over timestamp and body */,
	AUTH_REVIEWER /* a reviewer session (store/reviewers.c), never an account session */,
	AUTH_OPTIONAL /* a session (partial or full) is used when present */ };

struct session {
	uint64_t id, account_id;
	int full;
	unsigned char token_hash[32];
};

struct req {
	struct app *app;
	enum method method;
	const char *path, *query, *content_type, *cookie, *origin, *csrf, *ip, *user_agent, *authorization;
	const char *sig_timestamp, *signature;  /* X-Rekey-Timestamp, X-Rekey-Signature (webhooks) */
	const char *accept_language;            /* the browser's languages (#20: GET /api/settings) */
	size_t content_length;
	char *body;
	size_t body_len;
	json_t *in;                 /* the validated JSON body (object), or NULL */
	char param[64];             /* the {id} of the path, if any */
	struct session sess;
	int has_session;
	struct {
		uint64_t id, session_id;
		unsigned roles;
		char email[256];
		unsigned char token_hash[32];
	} rev;                      /* the reviewer, on review routes */
	int has_reviewer;
	/* response */
	int status;
	json_t *out;
	char set_cookie[1024];         /* Set-Cookie values, joined by http_set_cookie() */
	char location[512];
	const char *allow;
	char *raw;                  /* non-JSON body (owned) */
	size_t raw_len;
	const char *raw_type;
	int sandbox;                /* an evidence image: a sandboxing CSP of its own */
	/* operations (issue #22) */
	int route;                  /* the route table's index; -1: none matched */
	char request_id[LOG_REQUEST_ID_MAX + 1]; /* X-Request-Id: logged, answered, in error bodies */
	/* a flow started or ended by this request, counted in the metrics only
	 * once its transaction committed (kind + 1; 0: none) */
	unsigned char flow_started, flow_ended;
	unsigned char flow_outcome; /* the terminal state's index in the flow's table */
	/* A check the dispatcher runs after a COMMIT that went through, on the
	 * same connection: RK_OK keeps the answer; RK_REFUSED replaced it;
	 * RK_RETRY: the transaction's decisive write is not there (on Galera a
	 * transaction can be aborted by another node's write-set without the
	 * error reaching us), so the handler runs again. Set by the handler;
	 * cleared before each try. id and token survive the tries of one request. */
	struct {
		int (*fn)(struct req *r);
		uint64_t id;
		unsigned char token[16];
	} confirm;
};

/* A handler fills r->status and r->out and returns RK_OK, or answers with
 * http_fail*() and returns what it returns (RK_REFUSED), or returns the
 * database's RK_RETRY / RK_DOWN / RK_FAIL for the dispatcher to retry or to
 * answer 503/500. */
typedef int (*handler_fn)(struct req *r);

/* http.c */
/* The error answers, each from a row of a problem table; each returns
 * RK_REFUSED. http_fail: the server's row (base/problems.h) as it is;
 * _with: extra fields beside code and message (the JSON is taken over);
 * _field: a row whose message is the field the request got wrong;
 * http_fail_core: a core problem (wasm/problem.h) with the status the
 * situation has, and its message (or detail, a field's name). */
int http_fail(struct req *r, enum sproblem p);
int http_fail_with(struct req *r, enum sproblem p, json_t *extra);
int http_fail_field(struct req *r, enum sproblem p, const char *field);
int http_fail_core(struct req *r, int status, enum problem p, const char *detail);
int http_fail_core_with(struct req *r, int status, enum problem p, json_t *extra);
void http_json(struct req *r, int status, json_t *out);
void http_clear(struct req *r);
const char *http_status_text(int status);
int http_query_param(const char *query, const char *name, char *out, size_t outlen);
const char *http_query(const struct req *r, const char *name);
const char *http_cookie(const char *cookies, const char *name, char *out, size_t outlen);
void http_set_cookie(struct req *r, const char *name, const char *value, const char *path, int max_age);
const char *http_method_name(enum method m);
/* M__MAX for a method no route has */
enum method http_method_parse(const char *name);

#endif
