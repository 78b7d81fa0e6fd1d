/* base/metrics.c -- the shared counters (metrics.h). Relaxed atomic adds:
 * each counter is independent, a scrape may see one request counted in
 * requests and not yet in latency, never a count that goes down. */
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "metrics.h"

static struct metrics *shm;
static const char *route_method[METRICS_ROUTES], *route_path[METRICS_ROUTES];

/* the statuses rekeyd answers (http_status_text), in order */
const int metrics_status_codes[METRICS_STATUSES] = {
	200, 201, 202, 204, 301, 302, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503, 504,
};
/* Prometheus' default buckets, from 5 ms to 10 s */
const double metrics_bucket_seconds[METRICS_BUCKETS] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
};

int
metrics_map(void)
{
	void *p = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	shm = p; /* zero-filled by the kernel */
	shm->started_unix = (uint64_t)time(NULL);
	return 0;
}

void
metrics_name_route(int route, const char *method, const char *path)
{
	if (route >= 0 && route < METRICS_ROUTES) {
		route_method[route] = method;
		route_path[route] = path;
	}
}

const char *
metrics_route_method(int route)
{
	return route >= 0 && route < METRICS_ROUTES ? route_method[route] : NULL;
}

const char *
metrics_route_path(int route)
{
	return route >= 0 && route < METRICS_ROUTES ? route_path[route] : NULL;
}

const struct metrics *
metrics_get(void)
{
	return shm;
}

static void
add(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

void
metrics_request(int route, int status, double ms)
{
	unsigned ri = route >= 0 && route < METRICS_ROUTES ? (unsigned)route : METRICS_ROUTES, si = METRICS_STATUSES, b;

	if (shm == NULL)
		return;
	for (unsigned i = 0; i < METRICS_STATUSES; i++)
		if (metrics_status_codes[i] == status)
			si = i;
	for (b = 0; b < METRICS_BUCKETS && ms > metrics_bucket_seconds[b] * 1000.0; b++)
		;
	add(&shm->requests[ri][si], 1);
	add(&shm->latency[ri][b], 1);
	add(&shm->latency_us[ri], ms > 0 ? (uint64_t)(ms * 1000.0) : 0);
}

void
metrics_db_retry(enum metrics_db_retry kind)
{
	if (shm && (unsigned)kind < MDB__MAX)
		add(&shm->db_retries[kind], 1);
}

void
metrics_restart(enum metrics_proc p)
{
	if (shm && (unsigned)p < MPROC__MAX)
		add(&shm->restarts[p], 1);
}

void
metrics_delivery(enum metrics_channel ch, int ok)
{
	if (shm && (unsigned)ch < MCH__MAX)
		add(ok ? &shm->delivered[ch] : &shm->delivery_failures[ch], 1);
}

void
metrics_flow_started(enum metrics_flow_kind k)
{
	if (shm && (unsigned)k < MFLOW__MAX)
		add(&shm->flows_started[k], 1);
}

void
metrics_flow_finished(enum metrics_flow_kind k, unsigned outcome)
{
	if (shm && (unsigned)k < MFLOW__MAX && outcome < METRICS_OUTCOMES)
		add(&shm->flows_finished[k][outcome], 1);
}

/* The slot of name: the one that holds it, or the first free one claimed by
 * compare-and-swap (two processes claiming at once: one wins, the other
 * looks again). NULL when the table is full. */
static struct metrics_slot *
slot(struct metrics_slot *t, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++) {
		const char *cur = __atomic_load_n(&t[i].name, __ATOMIC_ACQUIRE);
		if (cur == NULL) {
			const char *expected = NULL;
			if (__atomic_compare_exchange_n(&t[i].name, &expected, name, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				return &t[i];
			cur = expected;
		}
		if (cur == name || strcmp(cur, name) == 0)
			return &t[i];
	}
	return NULL;
}

void
metrics_problem(const char *code)
{
	struct metrics_slot *s;

	if (shm && code && (s = slot(shm->problems, METRICS_PROBLEMS, code)) != NULL)
		add(&s->n, 1);
}

void
metrics_ratelimited(const char *scope)
{
	struct metrics_slot *s;

	if (shm && scope && (s = slot(shm->ratelimited, METRICS_SCOPES, scope)) != NULL)
		add(&s->n, 1);
}
