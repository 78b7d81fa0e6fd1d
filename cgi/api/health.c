/* api/health.c -- health and the OpenAPI document. */
#include <stdlib.h>
#include <string.h>
#include "api.h"

/* The database node this worker uses: its endpoint and, when it runs
 * Galera (wsrep_on), its name and state. *usable: 0 for a Galera node that
 * is not ready and Synced (the caller then moves to the next node). */
static json_t *
health_node(struct req *r, int *usable)
{
	struct dbrows n;
	json_t *o;

	*usable = 1;
	if (!db_wsrep(r->app->db)) /* a plain server (found when connecting): nothing more to ask */
		return json_pack("{s:s,s:b}", "endpoint", db_endpoint(r->app->db), "wsrep", 0);
	if (db_query(r->app->db, STMT_NODE_STATE, DBNOARGS, &n) != RK_OK)
		return json_pack("{s:s}", "endpoint", db_endpoint(r->app->db));
	if (n.nrows != 1 || strcmp(db_cell(&n, 0, 0, NULL), "1") != 0) {
		db_rows_free(&n);
		return json_pack("{s:s,s:b}", "endpoint", db_endpoint(r->app->db), "wsrep", 0);
	}
	/* SHOW STATUS values as text: NULL cells read as "" */
	*usable = strcmp(db_cell(&n, 0, 2, NULL), "ON") == 0 && strcmp(db_cell(&n, 0, 3, NULL), "4") == 0;
	o = json_pack("{s:s,s:b,s:s,s:b,s:s,s:I,s:s}", "endpoint", db_endpoint(r->app->db), "wsrep", 1,
	    "name", db_cell(&n, 0, 1, NULL), "ready", strcmp(db_cell(&n, 0, 2, NULL), "ON") == 0,
	    "state", db_cell(&n, 0, 4, NULL), "cluster_size", (json_int_t)atoll(db_cell(&n, 0, 5, NULL)),
	    "cluster_status", db_cell(&n, 0, 6, NULL));
	db_rows_free(&n);
	return o;
}

int
h_health(struct req *r)
{
	struct dbrows rows;
	json_t *node = NULL;
	int rc = RK_DOWN, usable = 0;

	/* two tries: the first may only discover that the old connection died,
	 * or that its Galera node is no longer Synced (then the next node) */
	for (int i = 0; i < 2 && (rc == RK_DOWN || !usable); i++) {
		json_decref(node);
		node = NULL;
		if (i > 0 && rc == RK_OK) {
			db_rows_free(&rows);
			db_disconnect(r->app->db);
		}
		rc = db_query(r->app->db, STMT_SCHEMA_VERSION, DBNOARGS, &rows);
		if (rc == RK_OK)
			node = health_node(r, &usable);
	}
	if (rc != RK_OK || !usable) {
		if (rc == RK_OK)
			db_rows_free(&rows);
		http_json(r, 503, json_pack("{s:s,s:s,s:n,s:o*}", "status", "degraded", "db", rc == RK_OK ? "not_synced" : "down",
		    "schema", "node", node));
		return RK_OK;
	}
	/* support: where people get help, for the pages that offer it (issue #16) */
	http_json(r, 200, json_pack("{s:s,s:s,s:I,s:o,s:s}", "status", "ok", "db", "ok", "schema", (json_int_t)db_cell_ll(&rows, 0, 0),
	    "node", node, "support", r->app->cfg.support_contact));
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
