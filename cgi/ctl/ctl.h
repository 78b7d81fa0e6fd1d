/* ctl/ctl.h -- rekeyctl's commands: migrations, operator commands, the demo
 * seed, reviewer administration. Calls store/ and base/ only; the commands
 * that run a job or list the routes are in ../ctl_main.c, above both. */
#ifndef REKEY_CTL_H
#define REKEY_CTL_H
#include "../store/store.h"

/* ctl/ctl.c: rekeyctl's exit status */
int ctl_main(int argc, char **argv);
/* rekeyctl's database connection (db_user, scripts allowed): 0, or -1 with a message on stderr */
int ctl_connect(struct app *a);
/* ctl/seed.c */
int seed_demo(struct app *a, FILE *log);
int seed_identity_photo(struct app *a, uint64_t account, unsigned seed);
/* ctl/bulk.c: rekeyctl seed-bulk (argv after the command) */
int seed_bulk(struct app *a, int argc, char **argv);
/* ctl/reviewers.c */
int ctl_reviewer(struct app *a, int argc, char **argv);
/* ctl/keys.c: the evidence vault's keys (list, rotate, reseal, retire, verify) */
int ctl_keys(struct app *a, int argc, char **argv);
/* ctl/backup.c: mariadb-backup + the key files + MANIFEST; restore into an empty data directory (exit status) */
int ctl_backup(const char *cfgpath, const struct config *c, const char *dir);
int ctl_restore(const struct config *c, const char *dir, const char *datadir);

#endif
