/* base/metrics.h -- counters for GET /metrics (issue #22), in one block of
 * shared memory that rekeyd's supervisor maps before it forks: every worker
 * and the delivery process add to the same counters with atomic adds, so they
 * add up across processes and a restarted worker never takes one back.
 * Before metrics_map() (rekeyctl, the tests' programs) every call is a no-op. */
#ifndef REKEY_BASE_METRICS_H
#define REKEY_BASE_METRICS_H
#include <stdint.h>

#define METRICS_ROUTES 128    /* >= the route table's R__MAX (routes.c checks) */
#define METRICS_STATUSES 20   /* the statuses in metrics.c's table, then "other" */
#define METRICS_BUCKETS 12    /* latency bucket bounds, then +Inf */
#define METRICS_PROBLEMS 256  /* problem codes answered: one slot per code text */
#define METRICS_SCOPES 24     /* rate-limit scopes */

enum metrics_db_retry { MDB_DEADLOCK, MDB_LOCK_WAIT, MDB_CERTIFICATION, MDB_LOST_CONNECTION, MDB_UNREPORTED_ABORT, MDB__MAX };
enum metrics_channel { MCH_EMAIL, MCH_SMS, MCH_FACE, MCH__MAX };
enum metrics_proc { MPROC_WORKER, MPROC_MAILER, MPROC__MAX };
enum metrics_flow_kind { MFLOW_DELETE, MFLOW_RESET, MFLOW__MAX };
#define METRICS_OUTCOMES 16   /* a flow's terminal states (wasm/flow.c), by index */

/* a code or scope text: the pointer of a string literal (the same in every
 * process forked from the supervisor) claimed once per slot */
struct metrics_slot {
	const char *name;
	uint64_t n;
};

struct metrics {
	uint64_t requests[METRICS_ROUTES + 1][METRICS_STATUSES + 1]; /* last route row: no route matched */
	uint64_t latency[METRICS_ROUTES + 1][METRICS_BUCKETS + 1];   /* not cumulative; +Inf last */
	uint64_t latency_us[METRICS_ROUTES + 1];
	uint64_t db_retries[MDB__MAX];
	uint64_t restarts[MPROC__MAX];
	uint64_t delivered[MCH__MAX], delivery_failures[MCH__MAX];
	uint64_t flows_started[MFLOW__MAX];
	uint64_t flows_finished[MFLOW__MAX][METRICS_OUTCOMES];
	struct metrics_slot problems[METRICS_PROBLEMS];
	struct metrics_slot ratelimited[METRICS_SCOPES];
	uint64_t started_unix;      /* the supervisor's start */
};

extern const int metrics_status_codes[METRICS_STATUSES];
extern const double metrics_bucket_seconds[METRICS_BUCKETS];

/* The supervisor, once, before it forks. 0, or -1 (mmap failed: no metrics). */
int metrics_map(void);
/* NULL before metrics_map() */
const struct metrics *metrics_get(void);
/* route: the route table's index, or -1 when no route matched */
void metrics_request(int route, int status, double ms);
void metrics_db_retry(enum metrics_db_retry kind);
void metrics_restart(enum metrics_proc p);
void metrics_delivery(enum metrics_channel ch, int ok);
void metrics_flow_started(enum metrics_flow_kind k);
void metrics_flow_finished(enum metrics_flow_kind k, unsigned outcome);
/* The route table's labels, set by the supervisor before it forks (the
 * layers below routes.c cannot ask it); NULL for an index never named. */
void metrics_name_route(int route, const char *method, const char *path);
const char *metrics_route_method(int route);
const char *metrics_route_path(int route);
/* code: a string literal (a problem table's code) */
void metrics_problem(const char *code);
/* scope: a string literal (rate_hit's scope) */
void metrics_ratelimited(const char *scope);

#endif
