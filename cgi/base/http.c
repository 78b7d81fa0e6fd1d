/* base/http.c -- response helpers, query strings, cookies. */
#include <string.h>
#include "base.h"
#include "metrics.h"

static const char *const method_names[M__MAX] = { "GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS" };

enum method
http_method_parse(const char *name)
{
	for (int i = 0; i < M__MAX; i++)
		if (name && strcmp(name, method_names[i]) == 0)
			return (enum method)i;
	return M__MAX;
}

const char *
http_method_name(enum method m)
{
	return (unsigned)m < M__MAX ? method_names[m] : "GET";
}

const char *
http_status_text(int s)
{
	switch (s) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
http_json(struct req *r, int status, json_t *out)
{
	if (r->out)
		json_decref(r->out);
	r->status = status;
	r->out = out;
}

/* Forgets a response set so far (a refusal replaced by a later answer). */
void
http_clear(struct req *r)
{
	if (r->out)
		json_decref(r->out);
	r->out = NULL;
	r->status = 0;
}

static const struct {
	const char *code;
	int status;
	const char *message;
} sproblems[SP__MAX] = {
#define SP_ROW(id, c, s, m) [id] = { c, s, m },
	SERVER_PROBLEMS(SP_ROW)
#undef SP_ROW
};

const char *
sproblem_code(enum sproblem p)
{
	return (unsigned)p < SP__MAX ? sproblems[p].code : "internal";
}

int
sproblem_status(enum sproblem p)
{
	return (unsigned)p < SP__MAX ? sproblems[p].status : 500;
}

const char *
sproblem_message(enum sproblem p)
{
	return (unsigned)p < SP__MAX && sproblems[p].message ? sproblems[p].message : "";
}

/* The one place an error answer is written: {"error": {"code", "message", ...extra}}. */
static int
error_answer(struct req *r, int status, const char *code, const char *message, json_t *extra)
{
	json_t *e = json_pack("{s:s,s:s}", "code", code, "message", message);

	/* the id the logs carry (nginx's or the caller's): support finds the request by it */
	if (r->request_id[0])
		json_object_set_new(e, "request_id", json_string(r->request_id));
	metrics_problem(code);

	if (extra) {
		json_object_update(e, extra);
		json_decref(extra);
	}
	http_json(r, status, json_pack("{s:o}", "error", e));
	return RK_REFUSED;
}

int
http_fail(struct req *r, enum sproblem p)
{
	return http_fail_with(r, p, NULL);
}

int
http_fail_with(struct req *r, enum sproblem p, json_t *extra)
{
	char msg[400];

	config_expand(&r->app->cfg, sproblem_message(p), msg, sizeof msg);
	return error_answer(r, sproblem_status(p), sproblem_code(p), msg, extra);
}

int
http_fail_field(struct req *r, enum sproblem p, const char *field)
{
	return error_answer(r, sproblem_status(p), sproblem_code(p), field, NULL);
}

int
http_fail_core(struct req *r, int status, enum problem p, const char *detail)
{
	return error_answer(r, status, problem_name(p), detail ? detail : problem_message(p), NULL);
}

int
http_fail_core_with(struct req *r, int status, enum problem p, json_t *extra)
{
	return error_answer(r, status, problem_name(p), problem_message(p), extra);
}

static int
hexv(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Finds name=value in a query string and percent-decodes it. Returns 1
 * found, 0 absent, -1 malformed or too long. */
int
http_query_param(const char *q, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);

	while (q && *q) {
		const char *end = strchr(q, '&');
		size_t len = end ? (size_t)(end - q) : strlen(q);
		if (len > nl && strncmp(q, name, nl) == 0 && q[nl] == '=') {
			size_t o = 0;
			for (size_t i = nl + 1; i < len; i++) {
				char c = q[i];
				if (c == '%') {
					int h, l;
					if (i + 2 >= len)
						return -1;
					if ((h = hexv(q[i + 1])) < 0 || (l = hexv(q[i + 2])) < 0)
						return -1;
					c = (char)(h * 16 + l);
					i += 2;
				} else if (c == '+') {
					c = ' ';
				}
				if (c == '\0' || o + 1 >= outlen)
					return -1;
				out[o++] = c;
			}
			out[o] = '\0';
			return 1;
		}
		q = end ? end + 1 : NULL;
	}
	return 0;
}

/* The one place a Set-Cookie is written: HttpOnly, SameSite=Strict,
 * Secure whenever cookie_secure is on; a second cookie of the same answer
 * is added as a header of its own. max_age 0 deletes the cookie. */
void
http_set_cookie(struct req *r, const char *name, const char *value, const char *path, int max_age)
{
	size_t used = strlen(r->set_cookie);

	snprintf(r->set_cookie + used, sizeof r->set_cookie - used, "%s%s=%s; Path=%s; HttpOnly; SameSite=Strict; Max-Age=%d%s",
	    used ? "\r\nSet-Cookie: " : "", name, value, path, max_age, r->app->cfg.cookie_secure ? "; Secure" : "");
}

/* A query-string field that the route table declared and the validation
 * step checked (routes.c); NULL when absent. */
const char *
http_query(const struct req *r, const char *name)
{
	return json_string_value(json_object_get(json_object_get(r->in, "query"), name));
}

const char *
http_cookie(const char *cookies, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = cookies;

	while (p && *p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
			const char *v = p + nl + 1, *e = strchr(v, ';');
			size_t len = e ? (size_t)(e - v) : strlen(v);
			if (len + 1 > outlen)
				return NULL;
			memcpy(out, v, len);
			out[len] = '\0';
			return out;
		}
		p = strchr(p, ';');
	}
	return NULL;
}
