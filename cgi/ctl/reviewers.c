/* ctl/reviewers.c -- rekeyctl reviewer add|disable|enable|roles|list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "../../wasm/validate.h"

/* Prints the enrolment link; 0, or 1 with a message on stderr. */
int
ctl_reviewer(struct app *a, int argc, char **argv)
{
	const char *cmd = argc > 0 ? argv[0] : "";
	struct dbrows rows;
	uint64_t id = 0;
	int rc = RK_OK, found;

	if (strcmp(cmd, "list") == 0) {
		if (db_query(a->db, STMT_REVIEWER_LIST, DBNOARGS, &rows) != RK_OK)
			goto dberr;
		for (unsigned i = 0; i < rows.nrows; i++)
			printf("%s\t%s\t%s\t%s passkey(s)\n", db_cell(&rows, i, 1, NULL), db_cell(&rows, i, 2, NULL),
			    db_cell_ll(&rows, i, 3) ? "disabled" : "active", db_cell(&rows, i, 4, NULL));
		db_rows_free(&rows);
		return 0;
	}
	if (argc < 2 || (strcmp(cmd, "add") != 0 && strcmp(cmd, "disable") != 0 && strcmp(cmd, "enable") != 0 &&
	    strcmp(cmd, "roles") != 0 && strcmp(cmd, "enrol-link") != 0)) {
		fprintf(stderr, "usage: rekeyctl reviewer add EMAIL [ROLES] | roles EMAIL ROLES | disable EMAIL | enable EMAIL | enrol-link EMAIL | list\n"
		    "  ROLES: comma-separated reviewer, senior, admin (default reviewer)\n");
		return 2;
	}
	if ((cmd[0] == 'a' || cmd[0] == 'r') && argc > 2 && !reviewers_roles_valid(argv[2])) {
		fprintf(stderr, "rekeyctl: roles are reviewer, senior, admin\n");
		return 2;
	}
	if (validate_email(argv[1], strlen(argv[1])) != PROB_OK) {
		fprintf(stderr, "rekeyctl: not a valid email address: %s\n", argv[1]);
		return 2;
	}
	if (db_begin(a->db) != RK_OK || db_query(a->db, STMT_REVIEWER_BY_EMAIL, DBARGS(DB_S(argv[1])), &rows) != RK_OK)
		goto dberr;
	found = rows.nrows == 1;
	if (found)
		id = (uint64_t)db_cell_ll(&rows, 0, 0);
	db_rows_free(&rows);
	if (strcmp(cmd, "add") == 0) {
		unsigned char handle[32];
		if (found) {
			fprintf(stderr, "rekeyctl: %s is already a reviewer (use enrol-link for a new link)\n", argv[1]);
			db_rollback(a->db);
			return 1;
		}
		randombytes_buf(handle, sizeof handle);
		if (db_exec(a->db, STMT_REVIEWER_INSERT, DBARGS(DB_S(argv[1]), DB_B(handle, 32), DB_S(argc > 2 ? argv[2] : "reviewer")),
		    NULL, &id) != RK_OK)
			goto dberr;
	} else if (!found) {
		fprintf(stderr, "rekeyctl: no reviewer %s\n", argv[1]);
		db_rollback(a->db);
		return 1;
	}
	if (strcmp(cmd, "roles") == 0) {
		if (argc < 3) {
			fprintf(stderr, "rekeyctl: reviewer roles EMAIL ROLES\n");
			db_rollback(a->db);
			return 2;
		}
		rc = db_exec(a->db, STMT_REVIEWER_ROLES, DBARGS(DB_S(argv[2]), DB_I(id)), NULL, NULL);
	} else if (strcmp(cmd, "disable") == 0) {
		/* signed out at once: every session revoked with it */
		if ((rc = db_exec(a->db, STMT_REVIEWER_DISABLE, DBARGS(DB_I(id)), NULL, NULL)) == RK_OK)
			rc = db_exec(a->db, STMT_RSESSION_REVOKE_ALL, DBARGS(DB_I(id)), NULL, NULL);
	} else if (strcmp(cmd, "enable") == 0) {
		rc = db_exec(a->db, STMT_REVIEWER_ENABLE, DBARGS(DB_I(id)), NULL, NULL);
	}
	if (rc == RK_OK)
		rc = audit_append(a, 0, strcmp(cmd, "add") == 0 ? "reviewer_added" : strcmp(cmd, "roles") == 0 ? "reviewer_roles"
		    : strcmp(cmd, "disable") == 0 ? "reviewer_disabled" : strcmp(cmd, "enable") == 0 ? "reviewer_enabled" : "reviewer_enrol_link",
		    "operator", "", json_pack("{s:I,s:s}", "reviewer", (json_int_t)id, "roles", argc > 2 ? argv[2] : ""));
	if (rc == RK_OK && (strcmp(cmd, "add") == 0 || strcmp(cmd, "enrol-link") == 0)) {
		char token[64];
		unsigned char th[32];
		keys_token_new(a->keys.link, REVIEW_ENROL_DOMAIN, token, sizeof token, th);
		if ((rc = db_exec(a->db, STMT_ENROL_INSERT, DBARGS(DB_I(id), DB_B(th, 32), DB_I(a->cfg.review_enrol_hours)), NULL, NULL)) == RK_OK &&
		    (rc = db_commit(a->db)) == RK_OK) {
			printf("%s/review/enrol.html?token=%s\n", a->cfg.origin, token);
			return 0;
		}
	}
	if (rc == RK_OK && (rc = db_commit(a->db)) == RK_OK) {
		printf("reviewer %s: %s done\n", argv[1], cmd);
		return 0;
	}
dberr:
	fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
	db_rollback(a->db);
	return 1;
}
