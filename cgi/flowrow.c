/* flowrow.c -- a flow stored as a row, moved only by the core's tables:
 * flow_next decides whether the event is allowed (and its guard holds),
 * then one conditional UPDATE moves the row from the state that was read,
 * so two racing requests cannot both move it. Shared by the delete and
 * reset flows. */
#include <stdio.h>
#include "extern.h"

int
flowrow_move(struct req *r, enum flow_kind kind, enum stmt move, uint64_t id, char *state, size_t statelen,
    const char *event, const struct flow_facts *facts, int *moved)
{
	const struct flow_def *d = flow_get(kind);
	int s = flow_state_lookup(d, state), e = flow_event_lookup(d, event), rc;
	unsigned to = 0;
	uint64_t aff = 0;
	enum problem p;

	*moved = 0;
	if (s < 0 || e < 0)
		return DB_FAIL;
	if ((p = flow_next(kind, (unsigned)s, (unsigned)e, facts, &to)) != PROB_OK)
		return http_error(r, p == PROB_FLOW_NOT_ALLOWED ? 409 : 400, problem_name(p), problem_message(p));
	if ((rc = db_exec(r->app->db, move, DBARGS(DB_S(d->states[to]), DB_I(id), DB_S(state)), &aff, NULL)) != DB_OK)
		return rc;
	if (aff != 1)
		return http_error(r, 409, "flow_step_not_allowed", problem_message(PROB_FLOW_NOT_ALLOWED));
	snprintf(state, statelen, "%s", d->states[to]);
	*moved = 1;
	return DB_OK;
}
