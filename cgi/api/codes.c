/* api/codes.c -- POST /api/codes/send and /api/codes/verify (step-up codes). */
#include <stdio.h>
#include <string.h>
#include "api.h"

int
h_code_send(struct req *r)
{
	char email[256], bound[64];
	int throttled, rc;

	if ((rc = account_email(r->app, r->sess.account_id, email, sizeof email)) != RK_OK)
		return rc;
	snprintf(bound, sizeof bound, "session:%llu", (unsigned long long)r->sess.id);
	if ((rc = codes_issue(r->app, r->sess.account_id, json_string_value(json_object_get(r->in, "purpose")),
	    bound, "email", email, &throttled)) != RK_OK)
		return rc;
	if (throttled)
		return http_fail(r, SP_RESEND_TOO_SOON);
	http_json(r, 202, json_pack("{s:b,s:i,s:i}", "sent", 1, "expires_in", r->app->cfg.code_seconds, "resend_after", r->app->cfg.code_resend_seconds));
	return RK_OK;
}

int
h_code_verify(struct req *r)
{
	char bound[64];
	int left, rc;

	snprintf(bound, sizeof bound, "session:%llu", (unsigned long long)r->sess.id);
	rc = codes_verify(r->app, r->sess.account_id, json_string_value(json_object_get(r->in, "purpose")), bound,
	    json_string_value(json_object_get(r->in, "code")), &left);
	if (rc < 0 && rc != -10)
		return rc;
	if (rc != 1)
		return codes_refuse(r, rc, left);
	http_json(r, 200, json_pack("{s:b}", "verified", 1));
	return RK_OK;
}
