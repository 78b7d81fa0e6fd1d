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

static int
cmd_sweep(struct app *a)
{
	struct sweep_counts c;
	char line[200];

	if (sweep_once(a, &c) != RK_OK) {
		fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
		return 1;
	}
	sweep_describe(&c, line, sizeof line);
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
