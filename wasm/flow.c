/* flow.c -- the delete-passkey and reset-passkeys machines.
 * Source: shared/seed/passkey-delete-and-reset.txt. */
#include <string.h>
#include "flow.h"

enum guard {
	G_NONE,
	G_AGREED,            /* seed: reset step 2, tick "I Agree" before Confirm */
	G_NOT_LAST_FACTOR,   /* the last second factor cannot be deleted */
	G_SECOND_FACTOR,     /* seed: delete step 6, a different factor than email */
	G_ATTEMPTS_LEFT,     /* seed: Case 1, only 3 attempts */
	G_ROUTE_QUESTIONS,
	G_ROUTE_FACE,
	G_ROUTE_DOCUMENTS,
	G_ROUTE_RECOVERY_CODE,
	G__MAX
};

static const char *const guard_names[G__MAX] = {
	"none", "agreed", "not_last_factor", "different_second_factor",
	"attempts_left", "route_questions", "route_face", "route_documents", "route_recovery_code",
};

/* ---- delete a passkey (seed: "How to delete an unusable passkey?") ---- */
enum { D_CONFIRM, D_EMAIL_CODE, D_SECOND_FACTOR, D_DELETED, D_TO_RESET, D_DEAD, D_EXPIRED, D_CANCELLED, D__MAX };
static const char *const d_states[D__MAX] = {
	"confirm", "email_code", "second_factor", "deleted", "to_reset", "dead", "expired", "cancelled",
};
enum { DE_NEXT, DE_EMAIL_VERIFIED, DE_SWITCH_METHOD, DE_FACTOR_VERIFIED, DE_UNAVAILABLE,
	DE_TRIES_EXHAUSTED, DE_EXPIRE, DE_CANCEL, DE__MAX };
static const char *const d_events[DE__MAX] = {
	"next", "email_verified", "switch_method", "factor_verified", "verification_unavailable",
	"tries_exhausted", "expire", "cancel",
};
static const struct flow_transition d_tr[] = {
	{ D_CONFIRM, DE_NEXT, D_EMAIL_CODE, G_NOT_LAST_FACTOR },       /* step 4 */
	{ D_CONFIRM, DE_CANCEL, D_CANCELLED, G_NONE },
	{ D_CONFIRM, DE_EXPIRE, D_EXPIRED, G_NONE },
	{ D_EMAIL_CODE, DE_EMAIL_VERIFIED, D_SECOND_FACTOR, G_NONE },  /* step 5 */
	{ D_EMAIL_CODE, DE_TRIES_EXHAUSTED, D_DEAD, G_NONE },
	{ D_EMAIL_CODE, DE_EXPIRE, D_EXPIRED, G_NONE },
	{ D_EMAIL_CODE, DE_CANCEL, D_CANCELLED, G_NONE },
	{ D_SECOND_FACTOR, DE_SWITCH_METHOD, D_SECOND_FACTOR, G_NONE }, /* note: switch method */
	{ D_SECOND_FACTOR, DE_FACTOR_VERIFIED, D_DELETED, G_SECOND_FACTOR }, /* step 6 */
	{ D_SECOND_FACTOR, DE_UNAVAILABLE, D_TO_RESET, G_NONE },      /* note: verification unavailable */
	{ D_SECOND_FACTOR, DE_TRIES_EXHAUSTED, D_DEAD, G_NONE },
	{ D_SECOND_FACTOR, DE_EXPIRE, D_EXPIRED, G_NONE },
	{ D_SECOND_FACTOR, DE_CANCEL, D_CANCELLED, G_NONE },
};
static const unsigned char d_terminal[D__MAX] = {
	[D_DELETED] = 1, [D_TO_RESET] = 1, [D_DEAD] = 1, [D_EXPIRED] = 1, [D_CANCELLED] = 1,
};

/* ---- reset passkeys (seed: "How to reset when all passkeys are unavailable") ---- */
enum { R_INSTRUCTIONS, R_CREDENTIALS, R_EMAIL_CODE, R_ROUTE, R_QUESTIONS_ATTENTION, R_QUESTIONS,
	R_QUESTIONS_FAILED, R_FACE, R_DOCUMENTS, R_UNDER_REVIEW, R_NEEDS_MORE_INFO, R_RESET_DONE,
	R_REJECTED, R_DEAD, R_EXPIRED, R_RECOVERY_CODE, R__MAX };
static const char *const r_states[R__MAX] = {
	"instructions", "credentials", "email_code", "route", "questions_attention", "questions",
	"questions_failed", "face", "documents", "under_review", "needs_more_info", "reset_done",
	"rejected", "dead", "expired", "recovery_code",
};
enum { RE_AGREE, RE_CREDENTIALS_OK, RE_FORGOT_PASSWORD, RE_EMAIL_VERIFIED, RE_DECIDE, RE_START,
	RE_ANSWERS_CORRECT, RE_ANSWERS_WRONG, RE_CONTINUE, RE_SUBMIT_DOCUMENTS, RE_EVIDENCE_SUBMITTED,
	RE_APPROVED, RE_REJECTED, RE_MORE_INFO, RE_TRIES_EXHAUSTED, RE_EXPIRE, RE_CODE_CORRECT, RE_SKIP_CODE, RE__MAX };
static const char *const r_events[RE__MAX] = {
	"agree", "credentials_ok", "forgot_password", "email_verified", "decide", "start",
	"answers_correct", "answers_wrong", "continue", "submit_documents", "evidence_submitted",
	"approved", "rejected", "needs_more_info", "tries_exhausted", "expire", "recovery_code_correct", "skip_recovery_code",
};
static const struct flow_transition r_tr[] = {
	{ R_INSTRUCTIONS, RE_AGREE, R_CREDENTIALS, G_AGREED },              /* step 2 */
	{ R_CREDENTIALS, RE_CREDENTIALS_OK, R_EMAIL_CODE, G_NONE },        /* step 3 */
	{ R_CREDENTIALS, RE_FORGOT_PASSWORD, R_EMAIL_CODE, G_NONE },       /* step 3 note */
	{ R_CREDENTIALS, RE_TRIES_EXHAUSTED, R_DEAD, G_NONE },
	{ R_EMAIL_CODE, RE_EMAIL_VERIFIED, R_ROUTE, G_NONE },              /* step 4 */
	{ R_EMAIL_CODE, RE_TRIES_EXHAUSTED, R_DEAD, G_NONE },
	{ R_ROUTE, RE_DECIDE, R_QUESTIONS_ATTENTION, G_ROUTE_QUESTIONS },  /* step 5 */
	{ R_ROUTE, RE_DECIDE, R_FACE, G_ROUTE_FACE },
	{ R_ROUTE, RE_DECIDE, R_DOCUMENTS, G_ROUTE_DOCUMENTS },
	{ R_ROUTE, RE_DECIDE, R_RECOVERY_CODE, G_ROUTE_RECOVERY_CODE },  /* #17: a saved recovery code first */
	{ R_RECOVERY_CODE, RE_CODE_CORRECT, R_RESET_DONE, G_NONE },      /* NIST SP 800-63B-4 §4.2.1 */
	/* "I don't have my codes": the table again, without them */
	{ R_RECOVERY_CODE, RE_SKIP_CODE, R_QUESTIONS_ATTENTION, G_ROUTE_QUESTIONS },
	{ R_RECOVERY_CODE, RE_SKIP_CODE, R_FACE, G_ROUTE_FACE },
	{ R_RECOVERY_CODE, RE_SKIP_CODE, R_DOCUMENTS, G_ROUTE_DOCUMENTS },
	{ R_RECOVERY_CODE, RE_TRIES_EXHAUSTED, R_DEAD, G_NONE },
	{ R_RECOVERY_CODE, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_QUESTIONS_ATTENTION, RE_START, R_QUESTIONS, G_ATTEMPTS_LEFT },  /* Case 1 (1) */
	{ R_QUESTIONS, RE_ANSWERS_CORRECT, R_RESET_DONE, G_NONE },         /* Case 1 (3) */
	{ R_QUESTIONS, RE_ANSWERS_WRONG, R_QUESTIONS_FAILED, G_NONE },
	{ R_QUESTIONS_FAILED, RE_CONTINUE, R_QUESTIONS, G_ATTEMPTS_LEFT }, /* Case 1 note */
	{ R_QUESTIONS_FAILED, RE_SUBMIT_DOCUMENTS, R_FACE, G_ROUTE_FACE },
	{ R_QUESTIONS_FAILED, RE_SUBMIT_DOCUMENTS, R_DOCUMENTS, G_ROUTE_DOCUMENTS },
	{ R_QUESTIONS_ATTENTION, RE_SUBMIT_DOCUMENTS, R_FACE, G_ROUTE_FACE },
	{ R_QUESTIONS_ATTENTION, RE_SUBMIT_DOCUMENTS, R_DOCUMENTS, G_ROUTE_DOCUMENTS },
	{ R_FACE, RE_EVIDENCE_SUBMITTED, R_UNDER_REVIEW, G_NONE },         /* Case 2 */
	{ R_DOCUMENTS, RE_EVIDENCE_SUBMITTED, R_UNDER_REVIEW, G_NONE },    /* Case 3 */
	{ R_UNDER_REVIEW, RE_APPROVED, R_RESET_DONE, G_NONE },
	{ R_UNDER_REVIEW, RE_REJECTED, R_REJECTED, G_NONE },
	{ R_UNDER_REVIEW, RE_MORE_INFO, R_NEEDS_MORE_INFO, G_NONE },
	{ R_NEEDS_MORE_INFO, RE_EVIDENCE_SUBMITTED, R_UNDER_REVIEW, G_NONE },
	{ R_INSTRUCTIONS, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_CREDENTIALS, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_EMAIL_CODE, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_ROUTE, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_QUESTIONS_ATTENTION, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_QUESTIONS, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_QUESTIONS_FAILED, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_FACE, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_DOCUMENTS, RE_EXPIRE, R_EXPIRED, G_NONE },
	{ R_NEEDS_MORE_INFO, RE_EXPIRE, R_EXPIRED, G_NONE },
};
static const unsigned char r_terminal[R__MAX] = {
	[R_RESET_DONE] = 1, [R_REJECTED] = 1, [R_DEAD] = 1, [R_EXPIRED] = 1,
};

static const struct flow_def flows[FLOW__MAX] = {
	[FLOW_DELETE_PASSKEY] = { "delete_passkey", d_states, D__MAX, d_events, DE__MAX,
	    d_tr, sizeof d_tr / sizeof d_tr[0], D_CONFIRM, d_terminal },
	[FLOW_RESET_PASSKEYS] = { "reset_passkeys", r_states, R__MAX, r_events, RE__MAX,
	    r_tr, sizeof r_tr / sizeof r_tr[0], R_INSTRUCTIONS, r_terminal },
};

/* The information-verification decision table (seed: reset step 5, Cases
 * 1-3). First matching row wins; -1 matches anything. Case 2 needs a
 * verified primary identity; otherwise the same situations go to Case 3. */
static const struct route_rule rules[] = {
	/* idv  high  pwd  tool  exh  docs  codes  qoff */
	/* issue #17: email + password + email code, and a live set of saved
	 * recovery codes: a code first (NIST SP 800-63B-4 §4.2.1), before the cases */
	{ -1, -1, 1, -1, -1, 0, 1, -1, ROUTE_RECOVERY_CODE, "saved recovery codes, password given" },
	{ 1, 1, -1, -1, -1, -1, -1, -1, ROUTE_FACE, "high-value account with verified identity" },
	{ 1, -1, 0, -1, -1, -1, -1, -1, ROUTE_FACE, "password unavailable, identity verified" },
	{ 1, -1, -1, 0, -1, -1, -1, -1, ROUTE_FACE, "no other security tool, identity verified" },
	{ 1, -1, -1, -1, 1, -1, -1, -1, ROUTE_FACE, "question attempts used up, identity verified" },
	{ 0, 1, -1, -1, -1, -1, -1, -1, ROUTE_DOCUMENTS, "high-value account without valid identity verification" },
	{ 0, -1, 0, -1, -1, -1, -1, -1, ROUTE_DOCUMENTS, "password unavailable, no valid identity verification" },
	{ 0, -1, -1, 0, -1, -1, -1, -1, ROUTE_DOCUMENTS, "no other security tool, no valid identity verification" },
	{ 0, -1, -1, -1, 1, -1, -1, -1, ROUTE_DOCUMENTS, "question attempts used up, no valid identity verification" },
	{ -1, -1, -1, -1, -1, 1, -1, -1, ROUTE_DOCUMENTS, "the user chose Submit documents" },
	/* the strict profile (#18): NIST SP 800-63A-4 "knowledge-based verification
	 * SHALL NOT be used", OWASP ASVS 5.0 6.4.2 -- no questions at all */
	{ 1, -1, -1, -1, -1, -1, -1, 1, ROUTE_FACE, "security questions switched off, identity verified" },
	{ 0, -1, -1, -1, -1, -1, -1, 1, ROUTE_DOCUMENTS, "security questions switched off, no valid identity verification" },
	{ -1, -1, -1, -1, -1, -1, -1, -1, ROUTE_QUESTIONS, "default: security questions" },
};

static const char *const route_names[ROUTE__MAX] = { "questions", "face", "documents", "recovery_code" };

const struct flow_def *
flow_get(enum flow_kind k)
{
	return (unsigned)k < FLOW__MAX ? &flows[k] : NULL;
}

enum flow_kind
flow_lookup(const char *name)
{
	for (unsigned i = 0; i < FLOW__MAX; i++)
		if (strcmp(flows[i].name, name) == 0)
			return (enum flow_kind)i;
	return FLOW__MAX;
}

const char *
flow_guard_name(unsigned g)
{
	return g < G__MAX ? guard_names[g] : "none";
}

const char *
flow_route_name(enum reset_route r)
{
	return (unsigned)r < ROUTE__MAX ? route_names[r] : "questions";
}

const struct route_rule *
flow_route_rules(unsigned *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}

void
flow_facts_default(struct flow_facts *f)
{
	memset(f, 0, sizeof *f);
	f->password_confirmed = 1;
	f->tool_available = 1;
	f->attempts_left = 3;
}

int
flow_state_lookup(const struct flow_def *d, const char *name)
{
	for (unsigned i = 0; i < d->nstates; i++)
		if (strcmp(d->states[i], name) == 0)
			return (int)i;
	return -1;
}

int
flow_event_lookup(const struct flow_def *d, const char *name)
{
	for (unsigned i = 0; i < d->nevents; i++)
		if (strcmp(d->events[i], name) == 0)
			return (int)i;
	return -1;
}

static int
match(signed char want, int have)
{
	return want < 0 || want == (have != 0);
}

int
flow_tool_usable(const struct flow_facts *f)
{
	/* ASVS 6.6.1: with SMS off, a phone alone is no other tool */
	return f->tool_available && !(f->sms_off && f->phone_only);
}

enum reset_route
flow_reset_route(const struct flow_facts *f, unsigned *row)
{
	unsigned n = sizeof rules / sizeof rules[0];
	int verified = f->identity == IDENTITY_VERIFIED;

	for (unsigned i = 0; i < n; i++) {
		const struct route_rule *r = &rules[i];
		if (match(r->identity_verified, verified) && match(r->high_value, f->high_value) &&
		    match(r->password_confirmed, f->password_confirmed) &&
		    match(r->tool_available, flow_tool_usable(f)) &&
		    match(r->attempts_exhausted, f->attempts_left == 0) &&
		    match(r->chose_documents, f->chose_documents) &&
		    match(r->recovery_codes, f->recovery_codes) &&
		    match(r->questions_off, f->questions_off)) {
			if (row)
				*row = i;
			return (enum reset_route)r->route;
		}
	}
	if (row)
		*row = n - 1;
	return ROUTE_QUESTIONS;
}

static enum problem
guard_check(unsigned g, const struct flow_facts *f)
{
	switch (g) {
	case G_NONE:
		return PROB_OK;
	case G_AGREED:
		return f->agreed ? PROB_OK : PROB_FLOW_NOT_AGREED;
	case G_NOT_LAST_FACTOR:
		return f->last_factor ? PROB_FLOW_LAST_FACTOR : PROB_OK;
	case G_SECOND_FACTOR:
		if (f->factor != FACTOR_PASSKEY && f->factor != FACTOR_SMS && f->factor != FACTOR_TOTP)
			return PROB_FLOW_SAME_FACTOR;
		if (f->factor == FACTOR_PASSKEY && f->factor_is_target)
			return PROB_FLOW_SELF_VERIFY;
		if (f->factor == FACTOR_SMS && f->sms_off) /* ASVS 6.6.1 */
			return PROB_FLOW_SMS_OFF;
		return PROB_OK;
	case G_ATTEMPTS_LEFT:
		if (f->questions_off) /* no question set is ever shown in the strict profile */
			return PROB_FLOW_QUESTIONS_OFF;
		return f->attempts_left > 0 ? PROB_OK : PROB_FLOW_NO_ATTEMPTS;
	case G_ROUTE_QUESTIONS:
		return flow_reset_route(f, NULL) == ROUTE_QUESTIONS ? PROB_OK : PROB_FLOW_GUARD;
	case G_ROUTE_FACE:
		return flow_reset_route(f, NULL) == ROUTE_FACE ? PROB_OK : PROB_FLOW_GUARD;
	case G_ROUTE_DOCUMENTS:
		return flow_reset_route(f, NULL) == ROUTE_DOCUMENTS ? PROB_OK : PROB_FLOW_GUARD;
	case G_ROUTE_RECOVERY_CODE:
		return flow_reset_route(f, NULL) == ROUTE_RECOVERY_CODE ? PROB_OK : PROB_FLOW_GUARD;
	default:
		return PROB_INTERNAL;
	}
}

enum problem
flow_next(enum flow_kind k, unsigned state, unsigned event,
    const struct flow_facts *f, unsigned *to)
{
	const struct flow_def *d = flow_get(k);
	enum problem first = PROB_FLOW_NOT_ALLOWED;
	int seen = 0;

	if (d == NULL)
		return PROB_FLOW_UNKNOWN;
	if (state >= d->nstates)
		return PROB_FLOW_STATE;
	if (event >= d->nevents)
		return PROB_FLOW_EVENT;
	for (unsigned i = 0; i < d->ntr; i++) {
		const struct flow_transition *t = &d->tr[i];
		enum problem p;
		if (t->from != state || t->event != event)
			continue;
		p = guard_check(t->guard, f);
		if (p == PROB_OK) {
			*to = t->to;
			return PROB_OK;
		}
		if (!seen) {
			first = p;
			seen = 1;
		}
	}
	return first;
}
