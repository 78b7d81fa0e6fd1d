/* api/face.c -- POST /api/face/webhook: the provider's answer (signed; checked before this). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

static const char *
field(struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->in, name));
}

int
h_face_webhook(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	uint64_t check, case_id, account;
	const char *result = field(r, "result");
	json_t *sj = json_object_get(r->in, "score");
	int score = sj ? (int)json_integer_value(sj) : -1, rc, match = strcmp(result, "match") == 0, identity_ok;
	char detail[200], status[24], cstatus[24], why[400];

	rc = db_exec(a->db, STMT_WEBHOOK_EVENT_INSERT, DBARGS(DB_S(a->cfg.face_provider), DB_S(field(r, "event_id"))), NULL, NULL);
	if (rc == RK_DUP)
		return http_fail(r, SP_WEBHOOK_REPLAYED);
	if (rc != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_FACE_CHECK_BY_REF, DBARGS(DB_S(field(r, "reference"))), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_CHECK);
	}
	check = (uint64_t)db_cell_ll(&rows, 0, 0);
	case_id = (uint64_t)db_cell_ll(&rows, 0, 1);
	snprintf(status, sizeof status, "%s", db_cell(&rows, 0, 2, NULL));
	account = (uint64_t)db_cell_ll(&rows, 0, 3);
	snprintf(cstatus, sizeof cstatus, "%s", db_cell(&rows, 0, 4, NULL));
	/* seed: a successful match still fails when the primary identity verification is invalid */
	identity_ok = face_identity_allows_match(db_cell(&rows, 0, 5, NULL));
	db_rows_free(&rows);
	if ((strcmp(status, "queued") != 0 && strcmp(status, "sent") != 0) || strcmp(cstatus, "under_review") != 0)
		return http_fail(r, SP_CHECK_CLOSED);
	snprintf(status, sizeof status, "%s", !match ? "no_match" : identity_ok ? "match" : "identity_invalid");
	if ((rc = db_exec(a->db, STMT_FACE_CHECK_RESULT, DBARGS(DB_S(status), score >= 0 ? DB_I(score) : DB_NULL, DB_I(check)), NULL, NULL)) != RK_OK)
		return rc;
	snprintf(detail, sizeof detail, "%s: %s", a->cfg.face_provider, status);
	if (score >= 0)
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " (score %d)", score);
	if ((rc = cases_event(a, case_id, "face_check_result", detail)) != RK_OK ||
	    (rc = audit_append(a, account, "reset_face_check_result", "provider", r->ip,
	    json_pack("{s:I,s:s,s:s}", "case", (json_int_t)case_id, "result", status, "event", field(r, "event_id")))) != RK_OK)
		return rc;
	/* the reason the user reads, in the account's language (#20) */
	if (strcmp(status, "no_match") == 0) {
		i18n_format(mail_lang(a, account), "mail.reason.face_mismatch", why, sizeof why, NULL);
		rc = cases_reject(r, case_id, account, "face_mismatch", why, "provider"); /* a reason of review_reasons_reject */
	} else if (strcmp(status, "identity_invalid") == 0) {
		i18n_format(mail_lang(a, account), "mail.reason.identity_invalid", why, sizeof why, NULL);
		rc = cases_reject(r, case_id, account, "identity_invalid", why, "provider");
	}
	if (rc != RK_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", status));
	return RK_OK;
}
