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
	const long long seconds[] = { 3600LL * c->hold_hours, 3600LL * c->freeze_hold_hours, c->code_seconds, c->code_resend_seconds,
		3600LL * c->dispute_hours, 3600LL * c->freeze_link_hours, c->delete_flow_seconds, c->reset_flow_seconds, c->handoff_seconds,
		c->signin_window_seconds, 60LL * c->review_claim_minutes, c->step_up_seconds };
	json_t *texts = json_object(), *secs = json_object();
	enum i18n_lang lang = LANG_EN;

	_Static_assert(sizeof names / sizeof names[0] == sizeof seconds / sizeof seconds[0], "a length per name");
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char in[40], out[60];
		snprintf(in, sizeof in, "{%s}", names[i]);
		config_expand(c, in, out, sizeof out);
		json_object_set_new(texts, names[i], json_string(out));
		json_object_set_new(secs, names[i], json_integer((json_int_t)seconds[i]));
	}
	/* #20: the language the browser asks for, for the pages of a visitor
	 * who has not chosen one (a signed-in account's own is in /api/me) */
	i18n_negotiate(r->accept_language, &lang);
	http_json(r, 200, json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:o,s:o,s:s,s:b,s:b}", "operator", c->operator_name,
	    "hold_hours", c->hold_hours, "freeze_hold_hours", c->freeze_hold_hours, "code_seconds", c->code_seconds,
	    "code_resend_seconds", c->code_resend_seconds, "dispute_hours", c->dispute_hours, "freeze_link_hours", c->freeze_link_hours,
	    "delete_flow_seconds", c->delete_flow_seconds, "reset_flow_seconds", c->reset_flow_seconds,
	    "handoff_seconds", c->handoff_seconds, "signin_window_seconds", c->signin_window_seconds,
	    "face_frames", c->face_frames, "step_up_seconds", c->step_up_seconds, "texts", texts, "seconds", secs,
	    "language", i18n_code(lang),
	    /* the profile (#18): pages offer only what the server allows */
	    "reset_questions", !c->questions_off, "sms_as_second_factor", !c->sms_off));
	return RK_OK;
}
