/* api/dev.c -- GET /api/dev/mail: the outbox for the dev mail page (dev_mode only). */
#include <stdio.h>
#include <string.h>
#include "api.h"

int
h_dev_mail(struct req *r)
{
	struct dbrows rows;
	json_t *list = json_array();
	int rc = db_query(r->app->db, STMT_OUTBOX_LIST, DBNOARGS, &rows);

	if (rc != RK_OK) {
		json_decref(list);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)db_cell_ll(&rows, i, 0),
		    "channel", db_cell(&rows, i, 1, NULL), "to", db_cell(&rows, i, 2, NULL), "subject", db_cell(&rows, i, 3, NULL),
		    "body", db_cell(&rows, i, 4, NULL), "created_at", db_cell(&rows, i, 5, NULL),
		    "delivered", db_cell_ll(&rows, i, 6) == 1));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o}", "messages", list));
	return RK_OK;
}
