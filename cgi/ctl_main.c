/* ctl_main.c -- rekeyctl. The commands of ctl/ are ctl_main()'s; the three
 * that list the route table or run a job of the delivery process once are
 * here, above both layers (ctl/ may not call jobs/ or routes.c). */
#include <stdio.h>
#include <string.h>
#include "ctl/ctl.h"
#include "jobs/jobs.h"
#include "routes.h"

static int
cmd_routes(void)
{
	static const char *const auth_names[] = { "none", "partial", "full", "service", "dev", "webhook", "reviewer", "optional" };

	for (size_t r = 0; r < routes_count(); r++) {
		const char *m, *p;
		int au;
		routes_describe(r, &m, &p, &au);
		printf("%s %s %s\n", m, p, auth_names[au]);
	}
	return 0;
}

/* Every table to the end, a pass at a time like the delivery process's
 * (sweep_batches_per_pass batches, 20 when that is 0), the running total after
 * each pass on stderr; the total on stdout. */
static int
cmd_sweep(struct app *a)
{
	struct sweep_state st = { 0 };
	struct sweep_counts c, total;
	unsigned batches = a->cfg.sweep_batches_per_pass > 0 ? (unsigned)a->cfg.sweep_batches_per_pass : 20;
	char line[200];

	memset(&total, 0, sizeof total);
	for (int pass = 1;; pass++) {
		if (sweep_once(a, &st, batches, &c) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			return 1;
		}
		total.challenges += c.challenges;
		total.codes += c.codes;
		total.rate_windows += c.rate_windows;
		total.reset_flows += c.reset_flows;
		total.mail_bodies += c.mail_bodies;
		total.suspended_passkeys += c.suspended_passkeys;
		total.witness_rows += c.witness_rows;
		if (c.done)
			break;
		sweep_describe(&total, line, sizeof line);
		fprintf(stderr, "sweep: pass %d: %s so far\n", pass, line);
	}
	sweep_describe(&total, line, sizeof line);
	printf("sweep: %s\n", line);
	return 0;
}

static int
cmd_deliver(struct app *a)
{
	int n = 0, total = 0;

	do {
		if (deliver_mail_once(a, &n) != RK_OK) {
			fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
			return 1;
		}
		total += n;
	} while (n > 0);
	printf("deliver: %d messages\n", total);
	return 0;
}

int
main(int argc, char **argv)
{
	int i = argc > 2 && strcmp(argv[1], "-c") == 0 ? 3 : 1, rc;
	const char *cfgpath = i == 3 ? argv[2] : "rekey.conf";
	struct app a;
	char err[256];

	if (i >= argc || (strcmp(argv[i], "routes") != 0 && strcmp(argv[i], "sweep") != 0 && strcmp(argv[i], "deliver") != 0))
		return ctl_main(argc, argv);
	if (strcmp(argv[i], "routes") == 0)
		return cmd_routes();
	if (app_open(&a, cfgpath, 0, err, sizeof err) != 0) {
		fprintf(stderr, "rekeyctl: %s\n", err);
		return 1;
	}
	if (ctl_connect(&a) != 0) {
		app_close(&a);
		return 1;
	}
	rc = strcmp(argv[i], "sweep") == 0 ? cmd_sweep(&a) : cmd_deliver(&a);
	app_close(&a);
	return rc;
}
