/* jobs/sweep.c -- deletes rows that only mattered until they expired, a while
 * after they did (schema/013): WebAuthn challenges, one-time codes, ended
 * rate-limit windows, reset flows that never opened a case (nor handed off
 * to a phone), passkeys suspended by a reset or a deletion whose dispute
 * window ended (#18); and empties the body of delivered mail (it held codes and
 * links), except in dev_mode, whose mail page shows them. Run by the
 * delivery process every sweep_seconds and by `rekeyctl sweep`. Each
 * statement takes at most SWEEP_BATCH rows and commits, so a large backlog
 * never holds locks for long; a pass takes at most sweep_batches_per_pass
 * batches, so that it never holds up the mail for long either (#21). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jobs.h"

#define SWEEP_BATCH 5000
#define KEEP_HOURS 24        /* challenges, codes, rate windows: a day past their end */
#define KEEP_FLOW_HOURS 168  /* reset flows without a case: a week past their end */
#define OUTBOX_HOURS 168     /* delivered mail looked at: the last week's (older was swept before) */

/* The tables in the order a pass takes them; the outbox's bodies only outside dev_mode. */
enum sweep_table { SW_CHALLENGES, SW_CODES, SW_RATE_LIMITS, SW_RESET_FLOWS, SW_SUSPENDED, SW_WITNESS, SW_OUTBOX, SW__MAX };
static const struct {
	enum stmt stmt;
	int hours;
} tables[SW__MAX] = {
	[SW_CHALLENGES] = { STMT_SWEEP_CHALLENGES, KEEP_HOURS },
	[SW_CODES] = { STMT_SWEEP_CODES, KEEP_HOURS },
	[SW_RATE_LIMITS] = { STMT_SWEEP_RATE_LIMITS, KEEP_HOURS },
	[SW_RESET_FLOWS] = { STMT_SWEEP_RESET_FLOWS, KEEP_FLOW_HOURS },
	/* #18: a passkey suspended by a reset or a deletion, once its dispute window ended */
	[SW_SUSPENDED] = { STMT_SWEEP_SUSPENDED, 0 },
	/* #15: the write transactions' witness rows of processes gone a day (a live one moves its row at every write) */
	[SW_WITNESS] = { STMT_SWEEP_WITNESS, KEEP_HOURS },
	[SW_OUTBOX] = { STMT_SWEEP_OUTBOX, OUTBOX_HOURS },
};

static uint64_t *
counter(struct sweep_counts *c, enum sweep_table t)
{
	switch (t) {
	case SW_CHALLENGES: return &c->challenges;
	case SW_CODES: return &c->codes;
	case SW_RATE_LIMITS: return &c->rate_windows;
	case SW_RESET_FLOWS: return &c->reset_flows;
	case SW_SUSPENDED: return &c->suspended_passkeys;
	case SW_WITNESS: return &c->witness_rows;
	case SW_OUTBOX: return &c->mail_bodies;
	case SW__MAX: break;
	}
	abort();
}

/* The counts as one line of text (the delivery process's log, rekeyctl). */
void
sweep_describe(const struct sweep_counts *c, char *out, size_t n)
{
	snprintf(out, n, "%llu challenges, %llu codes, %llu rate windows, %llu reset flows, %llu delivered mail bodies, "
	    "%llu suspended passkeys, %llu witness rows",
	    (unsigned long long)c->challenges, (unsigned long long)c->codes, (unsigned long long)c->rate_windows,
	    (unsigned long long)c->reset_flows, (unsigned long long)c->mail_bodies, (unsigned long long)c->suspended_passkeys,
	    (unsigned long long)c->witness_rows);
}

/* One pass: batches of SWEEP_BATCH rows, each its own transaction, from the
 * table where the last pass stopped (st->table), at most `batches` of them
 * (0: no limit), so that the delivery process goes back to its mail between
 * passes however much there is to delete (issue #21). A table is done when a
 * batch deletes less than a whole one; c->done says every table was done in
 * this pass's turn, and the next pass starts again from the first. */
int
sweep_once(struct app *a, struct sweep_state *st, unsigned batches, struct sweep_counts *c)
{
	unsigned used = 0;
	int rc;

	memset(c, 0, sizeof *c);
	if (st->table < 0 || st->table >= SW__MAX)
		st->table = 0;
	while (st->table < SW__MAX) {
		enum sweep_table t = (enum sweep_table)st->table;
		uint64_t n = 0;

		if (batches > 0 && used == batches)
			return RK_OK; /* the budget is spent: the next pass goes on from here */
		if (t == SW_OUTBOX && a->cfg.dev_mode) {
			st->table++;
			continue;
		}
		if ((rc = db_begin(a->db)) != RK_OK)
			return rc;
		if ((rc = db_exec(a->db, tables[t].stmt, DBARGS(DB_I(tables[t].hours), DB_I(SWEEP_BATCH)), &n, NULL)) != RK_OK ||
		    (rc = db_commit(a->db)) != RK_OK) {
			db_rollback(a->db);
			return rc;
		}
		used++;
		*counter(c, t) += n;
		if (n < SWEEP_BATCH)
			st->table++;
	}
	st->table = 0;
	c->done = 1;
	return RK_OK;
}
