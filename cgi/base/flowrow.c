/* base/flowrow.c -- a flow stored as a row, moved only by the core's tables:
 * flow_next decides whether the event is allowed (and its guard holds),
 * then one conditional UPDATE moves the row from the state that was read,
 * so two racing requests cannot both move it. Shared by the delete and
 * reset flows. */
#include <stdio.h>
#include "base.h"

/* Decides one step by the core's table and moves STATE in memory only:
 * a handler that takes several steps in one request writes the row once
 * at the end (from the state it read, under the row lock it holds). */
int
flowrow_plan(struct req *r, enum flow_kind kind, char *state, size_t statelen, const char *event,
    const struct flow_facts *facts, int *moved)
{
	const struct flow_def *d = flow_get(kind);
	int s = flow_state_lookup(d, state), e = flow_event_lookup(d, event);
	unsigned to = 0;
	enum problem p;

	*moved = 0;
	if (s < 0 || e < 0)
		return RK_FAIL;
	if ((p = flow_next(kind, (unsigned)s, (unsigned)e, facts, &to)) != PROB_OK)
		return http_fail_core(r, p == PROB_FLOW_NOT_ALLOWED ? 409 : 400, p, NULL);
	snprintf(state, statelen, "%s", d->states[to]);
	*moved = 1;
	/* a flow that ends here is counted once its transaction commits (routes.c) */
	if (d->terminal && d->terminal[to]) {
		r->flow_ended = (unsigned char)(kind + 1);
		r->flow_outcome = (unsigned char)to;
	}
	return RK_OK;
}

int
flowrow_move(struct req *r, enum flow_kind kind, enum stmt move, uint64_t id, char *state, size_t statelen,
    const char *event, const struct flow_facts *facts, int *moved)
{
	char from[64];
	uint64_t aff = 0;
	int rc;

	snprintf(from, sizeof from, "%s", state);
	if ((rc = flowrow_plan(r, kind, state, statelen, event, facts, moved)) != RK_OK || !*moved)
		return rc;
	if ((rc = db_exec(r->app->db, move, DBARGS(DB_S(state), DB_I(id), DB_S(from)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1) {
		snprintf(state, statelen, "%s", from);
		*moved = 0;
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	}
	return RK_OK;
}
