/* api/settings.c -- GET /api/settings: the durations and counts the pages
 * state ("withdrawals are held for 24 hours"), read from the configuration
 * so that a page never says what the server does not do. */
#include "api.h"

int
h_settings(struct req *r)
{
	const struct config *c = &r->app->cfg;
	static const char *const names[] = { "hold", "freeze_hold", "code", "code_resend", "dispute", "freeze_link", "delete_flow", "reset_flow",
		"handoff", "signin_window", "review_claim", "step_up" };
	json_t *texts = json_object();

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char in[40], out[60];
		snprintf(in, sizeof in, "{%s}", names[i]);
		config_expand(c, in, out, sizeof out);
		json_object_set_new(texts, names[i], json_string(out));
	}
	http_json(r, 200, json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:o,s:b,s:b}", "operator", c->operator_name,
	    "hold_hours", c->hold_hours, "freeze_hold_hours", c->freeze_hold_hours, "code_seconds", c->code_seconds,
	    "code_resend_seconds", c->code_resend_seconds, "dispute_hours", c->dispute_hours, "freeze_link_hours", c->freeze_link_hours,
	    "delete_flow_seconds", c->delete_flow_seconds, "reset_flow_seconds", c->reset_flow_seconds,
	    "handoff_seconds", c->handoff_seconds, "signin_window_seconds", c->signin_window_seconds,
	    "face_frames", c->face_frames, "step_up_seconds", c->step_up_seconds, "texts", texts,
	    /* the profile (#18): pages offer only what the server allows */
	    "reset_questions", !c->questions_off, "sms_as_second_factor", !c->sms_off));
	return RK_OK;
}
