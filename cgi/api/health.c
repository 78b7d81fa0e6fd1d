/* api/health.c -- health and the OpenAPI document. */
#include <stdlib.h>
#include <string.h>
#include "api.h"

int
h_health(struct req *r)
{
	struct dbrows rows;
	int rc = RK_DOWN;

	/* two tries: the first may only discover that the old connection died */
	for (int i = 0; i < 2 && rc == RK_DOWN; i++)
		rc = db_query(r->app->db, STMT_SCHEMA_VERSION, DBNOARGS, &rows);
	if (rc != RK_OK) {
		http_json(r, 503, json_pack("{s:s,s:s,s:n}", "status", "degraded", "db", "down", "schema"));
		return RK_OK;
	}
	/* support: where people get help, for the pages that offer it (issue #16) */
	http_json(r, 200, json_pack("{s:s,s:s,s:I,s:s}", "status", "ok", "db", "ok", "schema", (json_int_t)db_cell_ll(&rows, 0, 0),
	    "support", r->app->cfg.support_contact));
	db_rows_free(&rows);
	return RK_OK; /* a read route: no transaction to end */
}

int
h_openapi(struct req *r)
{
	if (r->app->openapi == NULL)
		return http_fail(r, SP_NOT_FOUND_OPENAPI);
	r->raw = malloc(r->app->openapi_len);
	if (r->raw == NULL)
		return RK_FAIL;
	memcpy(r->raw, r->app->openapi, r->app->openapi_len);
	r->raw_len = r->app->openapi_len;
	r->raw_type = "application/json; charset=utf-8";
	r->status = 200;
	return RK_OK;
}
