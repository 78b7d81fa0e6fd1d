/* flow.h -- the article's two flows as const tables: states, events,
 * guarded transitions. rekeyd enforces exactly these tables; the pages use
 * them to know what comes next. */
#ifndef REKEY_FLOW_H
#define REKEY_FLOW_H
#include "problem.h"

enum flow_kind { FLOW_DELETE_PASSKEY, FLOW_RESET_PASSKEYS, FLOW__MAX };

enum flow_factor { FACTOR_NONE, FACTOR_EMAIL, FACTOR_PASSKEY, FACTOR_SMS, FACTOR_TOTP, FACTOR__MAX };
enum flow_identity { IDENTITY_UNVERIFIED, IDENTITY_VERIFIED, IDENTITY_INVALID, IDENTITY__MAX };

/* What the server knows when an event arrives. Zero-initialised facts are
 * not the defaults: call flow_facts_default first. */
struct flow_facts {
	unsigned char agreed;             /* "I agree" ticked */
	unsigned char last_factor;        /* target is the account's last second factor */
	unsigned char factor;             /* enum flow_factor used for this step */
	unsigned char factor_is_target;   /* the verifying passkey is the one being deleted */
	unsigned char identity;           /* enum flow_identity */
	unsigned char high_value;         /* assets at or above the configured threshold */
	unsigned char password_confirmed; /* 0 on the forgot-password route */
	unsigned char tool_available;     /* another security tool (TOTP/SMS) is bound and usable */
	unsigned char attempts_left;      /* security-question attempts left */
	unsigned char chose_documents;    /* the user pressed Submit documents */
	unsigned char recovery_codes;     /* a live set of saved recovery codes, not declined in this flow (issue #17) */
	/* the operator's profile (#18; rekeyd's reset_questions and
	 * sms_as_second_factor settings): zero is the article's default */
	unsigned char questions_off;      /* no knowledge-based verification (NIST SP 800-63A-4, ASVS 6.4.2) */
	unsigned char sms_off;            /* SMS is no second factor (ASVS 6.6.1) */
	unsigned char phone_only;         /* the only other tool bound is a phone (SMS) */
};

/* Reset routes: the article's three cases of information verification. */
enum reset_route { ROUTE_QUESTIONS, ROUTE_FACE, ROUTE_DOCUMENTS, ROUTE_RECOVERY_CODE, ROUTE__MAX };

struct flow_transition {
	unsigned char from, event, to, guard;
};

struct route_rule {
	signed char identity_verified, high_value, password_confirmed, tool_available,
	    attempts_exhausted, chose_documents, recovery_codes, questions_off; /* -1: any */
	unsigned char route;
	const char *why;
};

struct flow_def {
	const char *name;
	const char *const *states;
	unsigned nstates;
	const char *const *events;
	unsigned nevents;
	const struct flow_transition *tr;
	unsigned ntr;
	unsigned start;
	const unsigned char *terminal; /* nstates flags */
};

const struct flow_def *flow_get(enum flow_kind k);
enum flow_kind flow_lookup(const char *name);
const char *flow_guard_name(unsigned guard);
void flow_facts_default(struct flow_facts *f);
/* -1 when unknown */
int flow_state_lookup(const struct flow_def *d, const char *name);
int flow_event_lookup(const struct flow_def *d, const char *name);

/* Applies event to state. On success returns PROB_OK and *to; otherwise
 * the reason the event is refused (not allowed here, or its guard). */
enum problem flow_next(enum flow_kind k, unsigned state, unsigned event,
    const struct flow_facts *f, unsigned *to);

/* Another tool the reset can count on: a bound TOTP app or phone, but not
 * a phone alone when SMS is no factor (sms_off). */
int flow_tool_usable(const struct flow_facts *f);
/* The reset decision table, first matching row wins. */
enum reset_route flow_reset_route(const struct flow_facts *f, unsigned *row);
const struct route_rule *flow_route_rules(unsigned *n);
const char *flow_route_name(enum reset_route r);

PROBLEM_STRERROR(flow)

#endif
