/* jobs/jobs.h -- the delivery process's work: mail and SMS delivery, face
 * checks sent to the provider, the sweep of expired rows. Calls store/ and
 * base/ only. */
#ifndef REKEY_JOBS_H
#define REKEY_JOBS_H
#include "../store/store.h"

/* jobs/deliver.c */
int deliver_mail_once(struct app *a, int *delivered);
/* The due rows claimed by one statement, fn run on each in the same transaction, committed. */
int deliver_claimed(struct app *a, enum stmt claim, int (*fn)(struct app *a, struct dbrows *rows, unsigned i, int *done), int *done);

/* jobs/face_dispatch.c */
int face_dispatch_once(struct app *a, int *sent);

/* jobs/sweep.c */
struct sweep_counts {
	uint64_t challenges, codes, rate_windows, reset_flows, mail_bodies, suspended_passkeys, witness_rows;
	int done; /* 1: this pass reached the end of the last table */
};
/* where a pass stopped; zeroed: the first table */
struct sweep_state {
	int table;
};
/* One pass of at most `batches` batches (0: no limit), from where the last one stopped. */
int sweep_once(struct app *a, struct sweep_state *st, unsigned batches, struct sweep_counts *c);
void sweep_describe(const struct sweep_counts *c, char *out, size_t n);

#endif
