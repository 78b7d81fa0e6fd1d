/* store/reviewers.c -- reviewers: their roles (one parser) and their sessions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"

unsigned
reviewers_roles_bits(const char *set)
{
	unsigned b = 0;
	char buf[64];
	snprintf(buf, sizeof buf, "%s", set ? set : "");
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		b |= strcmp(t, "reviewer") == 0 ? ROLE_REVIEWER : strcmp(t, "senior") == 0 ? ROLE_SENIOR : strcmp(t, "admin") == 0 ? ROLE_ADMIN : 0;
	return b;
}

json_t *
reviewers_roles_json(unsigned b)
{
	json_t *j = json_array();
	if (b & ROLE_REVIEWER) json_array_append_new(j, json_string("reviewer"));
	if (b & ROLE_SENIOR) json_array_append_new(j, json_string("senior"));
	if (b & ROLE_ADMIN) json_array_append_new(j, json_string("admin"));
	return j;
}

/* The reviewer session behind the rk_review cookie; on a state change, its
 * CSRF token in X-CSRF-Token as well (the Origin was checked already). */
int
reviewers_auth(struct req *r)
{
	char token[64];
	struct dbrows rows;
	int rc;

	if (http_cookie(r->cookie, REVIEW_COOKIE, token, sizeof token) == NULL ||
	    keys_token_hash(r->app->keys.session, REVIEW_SESSION_DOMAIN, token, r->rev.token_hash) != 0)
		return http_fail(r, SP_UNAUTHENTICATED_REVIEWER);
	if ((rc = db_query(r->app->db, STMT_RSESSION_LOOKUP, DBARGS(DB_B(r->rev.token_hash, 32),
	    DB_I(r->app->cfg.review_session_idle_seconds)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_REVIEW_SESSION_ENDED);
	}
	r->rev.session_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	r->rev.id = (uint64_t)db_cell_ll(&rows, 0, 1);
	r->rev.roles = reviewers_roles_bits(db_cell(&rows, 0, 2, NULL));
	snprintf(r->rev.email, sizeof r->rev.email, "%s", db_cell(&rows, 0, 3, NULL));
	r->has_reviewer = 1;
	if (db_cell_ll(&rows, 0, 4) >= 30)
		rc = db_exec(r->app->db, STMT_RSESSION_TOUCH, DBARGS(DB_I(r->rev.session_id)), NULL, NULL);
	db_rows_free(&rows);
	if (rc != RK_OK)
		return rc;
	if (r->method != M_GET && r->method != M_HEAD)
		return session_csrf_check(r, r->rev.token_hash);
	return RK_OK;
}

/* The reviewer's session checked by the statement that reads the page
 * (issue #21: one round trip): s takes (token hash, idle seconds, extra,
 * token hash, idle seconds) and answers first the session's row (tag,
 * session id, reviewer, roles, email, idle seconds) when it is live. GET
 * routes only (no CSRF check here). RK_OK with *rows, or a 401 answered. */
int
reviewers_read(struct req *r, enum stmt s, long long extra, struct dbrows *rows)
{
	char token[64];
	int rc;

	if (http_cookie(r->cookie, REVIEW_COOKIE, token, sizeof token) == NULL ||
	    keys_token_hash(r->app->keys.session, REVIEW_SESSION_DOMAIN, token, r->rev.token_hash) != 0)
		return http_fail(r, SP_UNAUTHENTICATED_REVIEWER);
	if ((rc = db_query(r->app->db, s, DBARGS(DB_B(r->rev.token_hash, 32), DB_I(r->app->cfg.review_session_idle_seconds),
	    DB_I(extra), DB_B(r->rev.token_hash, 32), DB_I(r->app->cfg.review_session_idle_seconds)), rows)) != RK_OK)
		return rc;
	if (rows->nrows == 0 || rows->ncols < 6 || strcmp(db_cell(rows, 0, 0, NULL), "a") != 0) {
		db_rows_free(rows);
		return http_fail(r, SP_REVIEW_SESSION_ENDED);
	}
	r->rev.session_id = (uint64_t)db_cell_ll(rows, 0, 1);
	r->rev.id = (uint64_t)db_cell_ll(rows, 0, 2);
	r->rev.roles = reviewers_roles_bits(db_cell(rows, 0, 3, NULL));
	snprintf(r->rev.email, sizeof r->rev.email, "%s", db_cell(rows, 0, 4, NULL));
	r->has_reviewer = 1;
	if (db_cell_ll(rows, 0, 5) >= 30 &&
	    (rc = db_exec(r->app->db, STMT_RSESSION_TOUCH, DBARGS(DB_I(r->rev.session_id)), NULL, NULL)) != RK_OK) {
		db_rows_free(rows);
		return rc;
	}
	return RK_OK;
}

int
reviewers_roles_valid(const char *s)
{
	char buf[64];
	int n = 0;
	if (strlen(s) >= sizeof buf)
		return 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save), n++)
		if (strcmp(t, "reviewer") != 0 && strcmp(t, "senior") != 0 && strcmp(t, "admin") != 0)
			return 0;
	return n > 0;
}
