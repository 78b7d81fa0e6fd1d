/* api/metrics.c -- GET /metrics (issue #22): the Prometheus text format
 * 0.0.4. Counters come from the shared block every process adds to
 * (base/metrics.c); gauges that live in the database are read now, each by
 * one statement over a bounded index range (STMT_METRICS_*). Answered only to
 * the addresses in metrics_allow (loopback by default); the public nginx site
 * does not pass /metrics at all (cgi/ops/nginx.conf.in). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define METRICS_DB_ROWS 100000 /* the most rows one gauge reads: its value caps there */

static const char *const db_retry_kind[MDB__MAX] = { "deadlock", "lock_wait_timeout", "galera_certification", "lost_connection", "unreported_abort" };
static const char *const channel_name[MCH__MAX] = { "email", "sms", "face_provider" };
static const char *const proc_name[MPROC__MAX] = { "worker", "mailer" };

/* metrics_allow: exact addresses, comma-separated (no names, no ranges:
 * what is allowed is visible at a glance) */
static int
metrics_allowed(const char *list, const char *ip)
{
	size_t n = strlen(ip);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		if (n > 0 && len == n && strncmp(p, ip, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* a label value: backslash, quote and newline escaped (text format 0.0.4) */
static void
label(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
}

static void
head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
route_labels(FILE *f, int i)
{
	fputs("method=\"", f);
	label(f, i < METRICS_ROUTES ? metrics_route_method(i) : "any");
	fputs("\",route=\"", f);
	label(f, i < METRICS_ROUTES && metrics_route_path(i) ? metrics_route_path(i) : "unmatched");
	fputc('"', f);
}

static void
counters(FILE *f, const struct metrics *m)
{
	head(f, "rekey_http_requests_total", "counter", "Requests answered, by route and status.");
	for (int i = 0; i <= METRICS_ROUTES; i++)
		for (int s = 0; s <= METRICS_STATUSES; s++) {
			uint64_t v = __atomic_load_n(&m->requests[i][s], __ATOMIC_RELAXED);
			if (v == 0)
				continue;
			fputs("rekey_http_requests_total{", f);
			route_labels(f, i);
			if (s < METRICS_STATUSES)
				fprintf(f, ",status=\"%d\"} %llu\n", metrics_status_codes[s], (unsigned long long)v);
			else
				fprintf(f, ",status=\"other\"} %llu\n", (unsigned long long)v);
		}
	head(f, "rekey_http_request_duration_seconds", "histogram", "Time from the request's arrival at rekeyd to its answer, by route.");
	for (int i = 0; i <= METRICS_ROUTES; i++) {
		uint64_t cum = 0, b[METRICS_BUCKETS + 1];
		for (int k = 0; k <= METRICS_BUCKETS; k++)
			b[k] = __atomic_load_n(&m->latency[i][k], __ATOMIC_RELAXED);
		for (int k = 0; k <= METRICS_BUCKETS; k++)
			cum += b[k];
		if (cum == 0)
			continue;
		cum = 0;
		for (int k = 0; k <= METRICS_BUCKETS; k++) {
			cum += b[k];
			fputs("rekey_http_request_duration_seconds_bucket{", f);
			route_labels(f, i);
			if (k < METRICS_BUCKETS)
				fprintf(f, ",le=\"%g\"} %llu\n", metrics_bucket_seconds[k], (unsigned long long)cum);
			else
				fprintf(f, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
		}
		fputs("rekey_http_request_duration_seconds_sum{", f);
		route_labels(f, i);
		fprintf(f, "} %.6f\n", (double)__atomic_load_n(&m->latency_us[i], __ATOMIC_RELAXED) / 1e6);
		fputs("rekey_http_request_duration_seconds_count{", f);
		route_labels(f, i);
		fprintf(f, "} %llu\n", (unsigned long long)cum);
	}
	head(f, "rekey_problems_total", "counter", "Error answers, by problem code.");
	for (int i = 0; i < METRICS_PROBLEMS; i++) {
		const char *name = __atomic_load_n(&m->problems[i].name, __ATOMIC_ACQUIRE);
		if (name == NULL)
			break;
		fputs("rekey_problems_total{code=\"", f);
		label(f, name);
		fprintf(f, "\"} %llu\n", (unsigned long long)__atomic_load_n(&m->problems[i].n, __ATOMIC_RELAXED));
	}
	head(f, "rekey_ratelimit_refusals_total", "counter", "Requests a rate limit refused, by limit.");
	for (int i = 0; i < METRICS_SCOPES; i++) {
		const char *name = __atomic_load_n(&m->ratelimited[i].name, __ATOMIC_ACQUIRE);
		if (name == NULL)
			break;
		fputs("rekey_ratelimit_refusals_total{scope=\"", f);
		label(f, name);
		fprintf(f, "\"} %llu\n", (unsigned long long)__atomic_load_n(&m->ratelimited[i].n, __ATOMIC_RELAXED));
	}
	head(f, "rekey_db_retries_total", "counter", "Transactions run again after a conflict, and connections lost.");
	for (int k = 0; k < MDB__MAX; k++)
		fprintf(f, "rekey_db_retries_total{kind=\"%s\"} %llu\n", db_retry_kind[k],
		    (unsigned long long)__atomic_load_n(&m->db_retries[k], __ATOMIC_RELAXED));
	head(f, "rekey_process_restarts_total", "counter", "Worker and delivery processes that ended and were started again.");
	for (int k = 0; k < MPROC__MAX; k++)
		fprintf(f, "rekey_process_restarts_total{process=\"%s\"} %llu\n", proc_name[k],
		    (unsigned long long)__atomic_load_n(&m->restarts[k], __ATOMIC_RELAXED));
	head(f, "rekey_deliveries_total", "counter", "Messages delivered (mail, SMS) and face checks sent, by channel.");
	for (int k = 0; k < MCH__MAX; k++)
		fprintf(f, "rekey_deliveries_total{channel=\"%s\"} %llu\n", channel_name[k],
		    (unsigned long long)__atomic_load_n(&m->delivered[k], __ATOMIC_RELAXED));
	head(f, "rekey_delivery_failures_total", "counter", "Delivery attempts that failed (tried again later), by channel.");
	for (int k = 0; k < MCH__MAX; k++)
		fprintf(f, "rekey_delivery_failures_total{channel=\"%s\"} %llu\n", channel_name[k],
		    (unsigned long long)__atomic_load_n(&m->delivery_failures[k], __ATOMIC_RELAXED));
	head(f, "rekey_flows_started_total", "counter", "Passkey deletions and resets begun.");
	for (int k = 0; k < MFLOW__MAX; k++)
		fprintf(f, "rekey_flows_started_total{kind=\"%s\"} %llu\n", flow_get((enum flow_kind)k)->name,
		    (unsigned long long)__atomic_load_n(&m->flows_started[k], __ATOMIC_RELAXED));
	head(f, "rekey_flows_finished_total", "counter", "Flows that reached an end state, by kind and end state.");
	for (int k = 0; k < MFLOW__MAX; k++) {
		const struct flow_def *d = flow_get((enum flow_kind)k);
		for (unsigned s = 0; s < d->nstates && s < METRICS_OUTCOMES; s++)
			if (d->terminal && d->terminal[s])
				fprintf(f, "rekey_flows_finished_total{kind=\"%s\",outcome=\"%s\"} %llu\n", d->name, d->states[s],
				    (unsigned long long)__atomic_load_n(&m->flows_finished[k][s], __ATOMIC_RELAXED));
	}
	head(f, "rekey_start_time_seconds", "gauge", "When rekeyd's supervisor started (Unix time).");
	fprintf(f, "rekey_start_time_seconds %llu\n", (unsigned long long)m->started_unix);
}

/* the database's gauges; RK_OK or the database's status */
static int
gauges(struct req *r, FILE *f)
{
	struct config *c = &r->app->cfg;
	struct dbrows q;
	int rc;
	const char *ch[] = { "email", "sms" };

	if ((rc = db_query(r->app->db, STMT_METRICS_OUTBOX, DBARGS(DB_I(METRICS_DB_ROWS)), &q)) != RK_OK)
		return rc;
	head(f, "rekey_outbox_backlog", "gauge", "Messages waiting in the outbox, by channel.");
	for (int k = 0; k < 2; k++) {
		long long n = 0;
		for (unsigned i = 0; i < q.nrows; i++)
			if (strcmp(db_cell(&q, i, 0, NULL), ch[k]) == 0)
				n = db_cell_ll(&q, i, 1);
		fprintf(f, "rekey_outbox_backlog{channel=\"%s\"} %lld\n", ch[k], n);
	}
	head(f, "rekey_outbox_given_up", "gauge", "Messages no longer tried (every attempt failed), by channel.");
	for (int k = 0; k < 2; k++) {
		long long n = 0;
		for (unsigned i = 0; i < q.nrows; i++)
			if (strcmp(db_cell(&q, i, 0, NULL), ch[k]) == 0)
				n = db_cell_ll(&q, i, 2);
		fprintf(f, "rekey_outbox_given_up{channel=\"%s\"} %lld\n", ch[k], n);
	}
	head(f, "rekey_outbox_oldest_age_seconds", "gauge", "Age of the oldest message waiting, by channel (0: none).");
	for (int k = 0; k < 2; k++) {
		long long n = 0;
		for (unsigned i = 0; i < q.nrows; i++)
			if (strcmp(db_cell(&q, i, 0, NULL), ch[k]) == 0)
				n = db_cell_ll(&q, i, 3);
		fprintf(f, "rekey_outbox_oldest_age_seconds{channel=\"%s\"} %lld\n", ch[k], n);
	}
	db_rows_free(&q);

	if ((rc = db_query(r->app->db, STMT_METRICS_FACE, DBARGS(DB_I(METRICS_DB_ROWS)), &q)) != RK_OK)
		return rc;
	head(f, "rekey_face_checks_backlog", "gauge", "Face checks not yet answered by the provider: queued (not sent) or sent.");
	for (int k = 0; k < 2; k++) {
		const char *st = k ? "sent" : "queued";
		long long n = 0;
		for (unsigned i = 0; i < q.nrows; i++)
			if (strcmp(db_cell(&q, i, 0, NULL), st) == 0)
				n = db_cell_ll(&q, i, 1);
		fprintf(f, "rekey_face_checks_backlog{status=\"%s\"} %lld\n", st, n);
	}
	db_rows_free(&q);

	if ((rc = db_query(r->app->db, STMT_METRICS_QUEUE, DBARGS(DB_I(c->review_sla_face_hours), DB_I(c->review_sla_questions_failed_hours),
	    DB_I(c->review_sla_documents_hours), DB_I(METRICS_DB_ROWS)), &q)) != RK_OK)
		return rc;
	{
		const char *kinds[] = { "face", "documents", "questions_failed" }, *sts[] = { "under_review", "needs_more_info" };
		head(f, "rekey_review_queue_depth", "gauge", "Cases in the review queue, by route and status.");
		for (int k = 0; k < 3; k++)
			for (int s = 0; s < 2; s++) {
				long long n = 0;
				for (unsigned i = 0; i < q.nrows; i++)
					if (strcmp(db_cell(&q, i, 0, NULL), kinds[k]) == 0 && strcmp(db_cell(&q, i, 1, NULL), sts[s]) == 0)
						n = db_cell_ll(&q, i, 2);
				fprintf(f, "rekey_review_queue_depth{route=\"%s\",status=\"%s\"} %lld\n", kinds[k], sts[s], n);
			}
		head(f, "rekey_review_queue_overdue", "gauge", "Cases under review past their route's SLA (review_sla_*_hours), by route.");
		for (int k = 0; k < 3; k++) {
			long long n = 0;
			for (unsigned i = 0; i < q.nrows; i++)
				if (strcmp(db_cell(&q, i, 0, NULL), kinds[k]) == 0)
					n += db_cell_ll(&q, i, 3);
			fprintf(f, "rekey_review_queue_overdue{route=\"%s\"} %lld\n", kinds[k], n);
		}
	}
	db_rows_free(&q);

	if ((rc = db_query(r->app->db, STMT_METRICS_HOLDS, DBARGS(DB_I(METRICS_DB_ROWS)), &q)) != RK_OK)
		return rc;
	head(f, "rekey_holds_active", "gauge", "Withdrawal holds in force.");
	fprintf(f, "rekey_holds_active %lld\n", q.nrows ? db_cell_ll(&q, 0, 0) : 0);
	db_rows_free(&q);
	return RK_OK;
}

int
h_metrics(struct req *r)
{
	const struct metrics *m = metrics_get();
	char *gbuf = NULL, *out = NULL;
	size_t glen = 0, olen = 0;
	FILE *g, *f;
	int rc = RK_DOWN;

	if (!metrics_allowed(r->app->cfg.metrics_allow, r->ip))
		return http_fail(r, SP_METRICS_FORBIDDEN);
	/* the database's part first, into its own buffer: a scrape while the
	 * database is down still has every counter, and rekey_db_up 0 */
	for (int i = 0; i < 2 && rc == RK_DOWN; i++) { /* the first try may only find the old connection dead */
		free(gbuf);
		gbuf = NULL;
		if ((g = open_memstream(&gbuf, &glen)) == NULL)
			return RK_FAIL;
		if ((rc = db_ensure(r->app->db)) == RK_OK)
			rc = gauges(r, g);
		fclose(g);
	}
	if ((f = open_memstream(&out, &olen)) == NULL) {
		free(gbuf);
		return RK_FAIL;
	}
	if (m)
		counters(f, m);
	if (rc == RK_OK)
		fwrite(gbuf, 1, glen, f);
	head(f, "rekey_db_up", "gauge", "1 when this scrape read the database's gauges, 0 when the database did not answer.");
	fprintf(f, "rekey_db_up %d\n", rc == RK_OK);
	fclose(f);
	free(gbuf);
	r->raw = out;
	r->raw_len = olen;
	r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
	r->status = 200;
	return RK_OK;
}
