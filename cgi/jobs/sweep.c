/* jobs/sweep.c -- deletes rows that only mattered until they expired, a while
 * after they did (schema/013): WebAuthn challenges, one-time codes, ended
 * rate-limit windows, reset flows that never opened a case (nor handed off
 * to a phone), passkeys suspended by a reset or a deletion whose dispute
 * window ended (#18); and empties the body of delivered mail (it held codes and
 * links), except in dev_mode, whose mail page shows them. Run by the
 * delivery process every sweep_seconds and by `rekeyctl sweep`. Each
 * statement takes at most SWEEP_BATCH rows and commits, so a large backlog
 * never holds locks for long. */
#include <stdio.h>
#include <string.h>
#include "jobs.h"

#define SWEEP_BATCH 5000
#define KEEP_HOURS 24        /* challenges, codes, rate windows: a day past their end */
#define KEEP_FLOW_HOURS 168  /* reset flows without a case: a week past their end */
#define OUTBOX_HOURS 168     /* delivered mail looked at: the last week's (older was swept before) */

static int
sweep_table(struct app *a, enum stmt s, int hours, uint64_t *total)
{
	uint64_t n;
	int rc;

	do {
		n = 0;
		if ((rc = db_begin(a->db)) != RK_OK)
			return rc;
		if ((rc = db_exec(a->db, s, DBARGS(DB_I(hours), DB_I(SWEEP_BATCH)), &n, NULL)) != RK_OK ||
		    (rc = db_commit(a->db)) != RK_OK) {
			db_rollback(a->db);
			return rc;
		}
		*total += n;
	} while (n == SWEEP_BATCH);
	return RK_OK;
}

/* The counts as one line of text (the delivery process's log, rekeyctl). */
void
sweep_describe(const struct sweep_counts *c, char *out, size_t n)
{
	snprintf(out, n, "%llu challenges, %llu codes, %llu rate windows, %llu reset flows, %llu delivered mail bodies, "
	    "%llu suspended passkeys",
	    (unsigned long long)c->challenges, (unsigned long long)c->codes, (unsigned long long)c->rate_windows,
	    (unsigned long long)c->reset_flows, (unsigned long long)c->mail_bodies, (unsigned long long)c->suspended_passkeys);
}

int
sweep_once(struct app *a, struct sweep_counts *c)
{
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = sweep_table(a, STMT_SWEEP_CHALLENGES, KEEP_HOURS, &c->challenges)) != RK_OK ||
	    (rc = sweep_table(a, STMT_SWEEP_CODES, KEEP_HOURS, &c->codes)) != RK_OK ||
	    (rc = sweep_table(a, STMT_SWEEP_RATE_LIMITS, KEEP_HOURS, &c->rate_windows)) != RK_OK ||
	    (rc = sweep_table(a, STMT_SWEEP_RESET_FLOWS, KEEP_FLOW_HOURS, &c->reset_flows)) != RK_OK ||
	    /* #18: a passkey suspended by a reset or a deletion, once its dispute window ended */
	    (rc = sweep_table(a, STMT_SWEEP_SUSPENDED, 0, &c->suspended_passkeys)) != RK_OK ||
	    (!a->cfg.dev_mode && (rc = sweep_table(a, STMT_SWEEP_OUTBOX, OUTBOX_HOURS, &c->mail_bodies)) != RK_OK))
		return rc;
	return RK_OK;
}
