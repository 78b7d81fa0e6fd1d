/* check_metrics.c -- cgi/base/metrics.c: counters in shared memory that
 * processes forked after metrics_map() add to together, that a killed
 * process never takes back, latency buckets, and the slots of code texts. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vectors.h"
#include "../cgi/base/metrics.h"

START_TEST(no_map_no_counting)
{
	ck_assert_ptr_null(metrics_get());
	metrics_request(1, 200, 1.0); /* a no-op, never a crash (rekeyctl) */
	metrics_problem("not_found");
	ck_assert_ptr_null(metrics_get());
}
END_TEST

START_TEST(valid_counts_add_up_across_processes)
{
	const struct metrics *m;
	pid_t pids[4];

	ck_assert_int_eq(metrics_map(), 0);
	m = metrics_get();
	for (int p = 0; p < 4; p++) {
		if ((pids[p] = fork()) == 0) {
			for (int i = 0; i < 5000; i++) {
				metrics_request(3, 200, 2.0);
				metrics_problem(i % 2 ? "not_found" : "rate_limited");
			}
			_exit(0);
		}
	}
	for (int p = 0; p < 4; p++)
		waitpid(pids[p], NULL, 0);
	ck_assert_uint_eq(m->requests[3][0], 20000); /* status 200 is the table's first */
	ck_assert_uint_eq(m->latency[3][0], 20000);  /* 2 ms: under the first bound, 5 ms */
	ck_assert_uint_eq(m->latency_us[3], 20000ull * 2000);
	/* two texts, two slots, whichever process claimed each first */
	ck_assert_ptr_nonnull(m->problems[0].name);
	ck_assert_ptr_nonnull(m->problems[1].name);
	ck_assert_ptr_null(m->problems[2].name);
	ck_assert_uint_eq(m->problems[0].n + m->problems[1].n, 20000);
	ck_assert_uint_eq(m->problems[0].n, 10000);
}
END_TEST

START_TEST(wrong_process_killed_keeps_what_it_counted)
{
	const struct metrics *m;
	int fds[2];
	char c;
	pid_t p;

	ck_assert_int_eq(metrics_map(), 0);
	m = metrics_get();
	ck_assert_int_eq(pipe(fds), 0);
	if ((p = fork()) == 0) {
		for (int i = 0; i < 100; i++)
			metrics_request(-1, 404, 0.5);
		(void)!write(fds[1], "x", 1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	metrics_restart(MPROC_WORKER);
	/* -1 (no route matched) is the last row; 404 the table's tenth status */
	ck_assert_uint_eq(m->requests[METRICS_ROUTES][9], 100);
	ck_assert_uint_eq(m->restarts[MPROC_WORKER], 1);
}
END_TEST

START_TEST(junk_indexes_ignored)
{
	const struct metrics *m;

	ck_assert_int_eq(metrics_map(), 0);
	m = metrics_get();
	metrics_request(METRICS_ROUTES + 5, 299, 99999.0); /* an unknown route and status: counted as unmatched, other, +Inf */
	metrics_db_retry(MDB__MAX);
	metrics_delivery(MCH__MAX, 0);
	metrics_flow_finished(MFLOW_DELETE, METRICS_OUTCOMES);
	metrics_flow_finished(MFLOW__MAX, 0);
	ck_assert_uint_eq(m->requests[METRICS_ROUTES][METRICS_STATUSES], 1);
	ck_assert_uint_eq(m->latency[METRICS_ROUTES][METRICS_BUCKETS], 1);
	for (int k = 0; k < MDB__MAX; k++)
		ck_assert_uint_eq(m->db_retries[k], 0);
	for (int k = 0; k < METRICS_OUTCOMES; k++)
		ck_assert_uint_eq(m->flows_finished[MFLOW_DELETE][k], 0);
}
END_TEST

START_TEST(valid_buckets_by_bound)
{
	const struct metrics *m;

	ck_assert_int_eq(metrics_map(), 0);
	m = metrics_get();
	metrics_request(0, 200, 5.0);    /* le 0.005: bounds are inclusive */
	metrics_request(0, 200, 5.001);  /* le 0.01 */
	metrics_request(0, 200, 30000.0); /* le 30 */
	metrics_request(0, 200, 30001.0); /* +Inf */
	ck_assert_uint_eq(m->latency[0][0], 1);
	ck_assert_uint_eq(m->latency[0][1], 1);
	ck_assert_uint_eq(m->latency[0][METRICS_BUCKETS - 1], 1);
	ck_assert_uint_eq(m->latency[0][METRICS_BUCKETS], 1);
}
END_TEST

RUN_SUITE("metrics", no_map_no_counting, valid_counts_add_up_across_processes, wrong_process_killed_keeps_what_it_counted,
    junk_indexes_ignored, valid_buckets_by_bound)
