/* ctl/backup.c -- rekeyctl backup DIR | restore DIR DATADIR: a consistent
 * physical copy of the database by mariadb-backup (InnoDB's redo log makes
 * it a single point in time without stopping writes), prepared at once so
 * that a restore is a copy; the configuration, the server key and the
 * vault's key ring beside it; and DIR/MANIFEST, the SHA-256 of every file
 * in sha256sum's format (`sha256sum -c MANIFEST` checks it by hand too).
 * A restore checks the manifest first, then fills an empty data directory
 * and puts the key files back where the configuration names them, refusing
 * to replace different ones. Neither needs the server key to be readable,
 * so both run before app_open(). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "ctl.h"

extern char **environ;

#define BK_MAX_FILES 20000
#define BK_PATH 1024

/* ---- files ---- */

static int
sha256_file(const char *path, char hex[65])
{
	crypto_hash_sha256_state st;
	unsigned char buf[1 << 16], out[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return -1;
	crypto_hash_sha256_final(&st, out);
	sodium_bin2hex(hex, 65, out, 32);
	return 0;
}

/* Copies a file (mode 0600), fsync'd: 0, or -1 with errno. */
static int
copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, ok = 1;
	ssize_t n;

	if (in < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		close(in);
		return -1;
	}
	while (ok && (n = read(in, buf, sizeof buf)) != 0)
		ok = n > 0 && write(out, buf, (size_t)n) == n;
	ok = ok && fsync(out) == 0;
	close(in);
	ok = close(out) == 0 && ok;
	if (!ok)
		unlink(to);
	return ok ? 0 : -1;
}

/* 1 when both files hold the same bytes, 0 when not, -1 when one cannot be read */
static int
same_file(const char *a, const char *b)
{
	char ha[65], hb[65];
	if (sha256_file(a, ha) != 0 || sha256_file(b, hb) != 0)
		return -1;
	return strcmp(ha, hb) == 0;
}

/* Every regular file under ROOT/SUB, paths relative to ROOT, into names (malloc'd each). */
static int
walk(const char *root, const char *sub, char **names, size_t *n)
{
	char path[BK_PATH];
	DIR *d;
	struct dirent *e;
	int rc = 0;

	snprintf(path, sizeof path, "%s%s%s", root, sub[0] ? "/" : "", sub);
	if ((d = opendir(path)) == NULL)
		return -1;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char rel[BK_PATH], full[BK_PATH * 2];
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", root, rel);
		if (lstat(full, &st) != 0)
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = walk(root, rel, names, n);
		else if (!S_ISREG(st.st_mode) || *n >= BK_MAX_FILES)
			rc = -1; /* a link or a device has no place in a backup */
		else
			names[(*n)++] = strdup(rel);
	}
	closedir(d);
	return rc;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* 1 when DIR does not exist or holds nothing, 0 when it holds something, -1 unreadable */
static int
dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (d == NULL)
		return errno == ENOENT ? 1 : -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/* ---- mariadb-backup ---- */

/* Runs argv (argv[0] looked up in PATH) with its output in LOG; its exit status, or -1. */
static int
run(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
tail_log(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[512], last[12][512];
	int n = 0;

	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		snprintf(last[n++ % 12], sizeof last[0], "%s", line);
	fclose(f);
	for (int i = n > 12 ? n - 12 : 0; i < n; i++)
		fprintf(stderr, "  %s", last[i % 12]);
}

/* A defaults file for mariadb-backup's connection (the password stays out of
 * the process list), 0600 in a private folder: its path into out. */
static int
client_defaults(const struct config *c, char *dir, size_t dirlen, char *out, size_t outlen)
{
	FILE *f;
	int fd;

	snprintf(dir, dirlen, "/tmp/rekeyctl-backup.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(out, outlen, "%s/client.cnf", dir);
	if ((fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	fprintf(f, "[client]\nuser=%s\n", c->db_user);
	if (c->db_password[0])
		fprintf(f, "password=%s\n", c->db_password);
	if (c->db_socket[0])
		fprintf(f, "socket=%s\n", c->db_socket);
	else if (c->db_host[0])
		fprintf(f, "host=%s\nport=%d\n", c->db_host, c->db_port);
	return fclose(f) == 0 ? 0 : -1;
}

/* The key files the data needs: the server key, and the vault's ring when there is one. */
static void
key_paths(const struct config *c, char *key, size_t keylen, char *ring, size_t ringlen)
{
	snprintf(key, keylen, "%s", c->key_file);
	snprintf(ring, ringlen, "%s.vault", c->key_file);
}

int
ctl_backup(const char *cfgpath, const struct config *c, const char *dir)
{
	char db[BK_PATH], files[BK_PATH], tmpdir[64], cnf[128], log[128], arg[2][BK_PATH + 32], key[300], ring[320], p[BK_PATH + 40];
	char **names = NULL, abscfg[BK_PATH];
	size_t n = 0;
	int rc = 1, e;
	FILE *m = NULL, *info = NULL;
	time_t now = time(NULL);
	char when[32];

	if ((e = dir_empty(dir)) != 1) {
		fprintf(stderr, "rekeyctl: %s %s: a backup goes into a new or empty folder\n", dir, e == 0 ? "is not empty" : "cannot be read");
		return 1;
	}
	if (c->db_sockets[0] || c->db_hosts[0]) {
		/* a cluster: back up one node with its own rekey.conf (db_socket of that node) */
		fprintf(stderr, "rekeyctl: backup reads one server's files: run it on a node, with db_socket set to that node\n");
		return 1;
	}
	mkdir(dir, 0700);
	snprintf(db, sizeof db, "%s/db", dir);
	snprintf(files, sizeof files, "%s/files", dir);
	if (mkdir(files, 0700) != 0 || client_defaults(c, tmpdir, sizeof tmpdir, cnf, sizeof cnf) != 0) {
		fprintf(stderr, "rekeyctl: %s: %s\n", files, strerror(errno));
		return 1;
	}
	snprintf(log, sizeof log, "%s/mariadb-backup.log", tmpdir);
	/* a physical copy while the server runs, then --prepare: the redo log
	 * applied, the copy consistent as of one moment (the end of the copy) */
	snprintf(arg[0], sizeof arg[0], "--defaults-file=%s", cnf);
	snprintf(arg[1], sizeof arg[1], "--target-dir=%s", db);
	printf("backup: copying the database (mariadb-backup --backup)\n");
	fflush(stdout);
	if (run((char *const[]){ "mariadb-backup", arg[0], "--backup", arg[1], NULL }, log) != 0) {
		fprintf(stderr, "rekeyctl: mariadb-backup --backup failed:\n");
		tail_log(log);
		goto out;
	}
	printf("backup: preparing the copy (mariadb-backup --prepare)\n");
	fflush(stdout);
	if (run((char *const[]){ "mariadb-backup", "--no-defaults", "--prepare", arg[1], NULL }, log) != 0) {
		fprintf(stderr, "rekeyctl: mariadb-backup --prepare failed:\n");
		tail_log(log);
		goto out;
	}
	/* the configuration and the keys the data needs (sealed evidence, audit chains, TOTP secrets) */
	key_paths(c, key, sizeof key, ring, sizeof ring);
	{
		char *rp = realpath(cfgpath, NULL); /* PATH_MAX bytes when given a buffer: malloc'd here */
		snprintf(abscfg, sizeof abscfg, "%s", rp ? rp : cfgpath);
		free(rp);
	}
	snprintf(p, sizeof p, "%s/rekey.conf", files);
	if (copy_file(cfgpath, p) != 0) {
		fprintf(stderr, "rekeyctl: %s: %s\n", cfgpath, strerror(errno));
		goto out;
	}
	snprintf(p, sizeof p, "%s/secret.key", files);
	if (copy_file(key, p) != 0) {
		fprintf(stderr, "rekeyctl: %s: %s\n", key, strerror(errno));
		goto out;
	}
	snprintf(p, sizeof p, "%s/secret.key.vault", files);
	if (access(ring, F_OK) == 0 && copy_file(ring, p) != 0) {
		fprintf(stderr, "rekeyctl: %s: %s\n", ring, strerror(errno));
		goto out;
	}
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(p, sizeof p, "%s/backup.info", dir);
	if ((info = fopen(p, "wx")) == NULL)
		goto out;
	fprintf(info, "rekey-backup v1\ncreated %s\ndatabase %s\nconfig %s\nkey_file %s\nvault_keys %s\n", when, c->db_name, abscfg, key,
	    access(ring, F_OK) == 0 ? ring : "(none: key 1 alone)");
	fclose(info);
	info = NULL;
	/* the manifest: every file's SHA-256, sorted by path */
	if ((names = calloc(BK_MAX_FILES, sizeof *names)) == NULL || walk(dir, "", names, &n) != 0) {
		fprintf(stderr, "rekeyctl: %s: cannot list the backup's files\n", dir);
		goto out;
	}
	qsort(names, n, sizeof *names, cmp_str);
	snprintf(p, sizeof p, "%s/MANIFEST", dir);
	if ((m = fopen(p, "wx")) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char full[BK_PATH * 2], hex[65];
		snprintf(full, sizeof full, "%s/%s", dir, names[i]);
		if (sha256_file(full, hex) != 0) {
			fprintf(stderr, "rekeyctl: %s: %s\n", full, strerror(errno));
			goto out;
		}
		fprintf(m, "%s  %s\n", hex, names[i]);
	}
	if (fflush(m) != 0 || fsync(fileno(m)) != 0)
		goto out;
	printf("backup: %zu files in %s, checksums in %s/MANIFEST (created %s)\n", n, dir, dir, when);
	rc = 0;
out:
	if (m)
		fclose(m);
	if (info)
		fclose(info);
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	unlink(cnf);
	unlink(log);
	rmdir(tmpdir);
	return rc;
}

/* The manifest against the files: every listed file present with its
 * checksum, no file that it does not list. 0, or -1 (said on stderr). */
static int
manifest_check(const char *dir)
{
	char p[BK_PATH + 16], line[BK_PATH + 80], **names = NULL;
	size_t n = 0, listed = 0;
	FILE *m;
	int rc = -1;

	snprintf(p, sizeof p, "%s/MANIFEST", dir);
	if ((m = fopen(p, "r")) == NULL) {
		fprintf(stderr, "rekeyctl: %s: %s\n", p, strerror(errno));
		return -1;
	}
	if ((names = calloc(BK_MAX_FILES, sizeof *names)) == NULL || walk(dir, "", names, &n) != 0) {
		fprintf(stderr, "rekeyctl: %s: cannot list the backup's files\n", dir);
		goto out;
	}
	while (fgets(line, sizeof line, m) != NULL) {
		char full[BK_PATH * 2], hex[65], *path = line + 66;
		size_t l = strlen(line);
		if (l < 68 || line[l - 1] != '\n' || line[64] != ' ' || line[65] != ' ' || strspn(line, "0123456789abcdef") != 64 ||
		    strstr(path, "..") != NULL || path[0] == '/') {
			fprintf(stderr, "rekeyctl: MANIFEST: a malformed line\n");
			goto out;
		}
		line[l - 1] = '\0';
		snprintf(full, sizeof full, "%s/%s", dir, path);
		if (sha256_file(full, hex) != 0 || memcmp(hex, line, 64) != 0) {
			fprintf(stderr, "rekeyctl: MANIFEST: %s %s\n", path, errno == ENOENT ? "is missing" : "does not match its checksum");
			goto out;
		}
		listed++;
	}
	/* every file but MANIFEST itself must have been listed */
	if (listed + 1 != n) {
		fprintf(stderr, "rekeyctl: MANIFEST lists %zu files, the folder holds %zu besides it\n", listed, n - 1);
		goto out;
	}
	rc = 0;
out:
	fclose(m);
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* A key file back where the configuration names it: written when absent,
 * left when identical, refused when different. 0, or -1. */
static int
key_back(const char *from, const char *to)
{
	int same;

	if (access(from, F_OK) != 0) { /* no ring in the backup: none may be in the way */
		if (access(to, F_OK) == 0) {
			fprintf(stderr, "rekeyctl: %s exists, but the backup has no such file: move it away first\n", to);
			return -1;
		}
		return 0;
	}
	if (access(to, F_OK) != 0)
		return copy_file(from, to) == 0 ? 0 : (fprintf(stderr, "rekeyctl: %s: %s\n", to, strerror(errno)), -1);
	if ((same = same_file(from, to)) == 1)
		return 0;
	fprintf(stderr, "rekeyctl: %s %s: the restored data needs the backup's; move it away first\n", to,
	    same == 0 ? "differs from the backup's" : "cannot be read");
	return -1;
}

int
ctl_restore(const struct config *c, const char *dir, const char *datadir)
{
	char db[BK_PATH], from[BK_PATH + 40], key[300], ring[320], tmpdir[64], log[128], arg[2][BK_PATH + 32];
	int e, rc = 1;

	printf("restore: checking %s/MANIFEST\n", dir);
	if (manifest_check(dir) != 0)
		return 1;
	if ((e = dir_empty(datadir)) != 1) {
		fprintf(stderr, "rekeyctl: %s %s: a restore goes into an empty data directory (the server stopped)\n", datadir,
		    e == 0 ? "is not empty" : "cannot be read");
		return 1;
	}
	/* the keys first: refused here, nothing was written */
	key_paths(c, key, sizeof key, ring, sizeof ring);
	snprintf(from, sizeof from, "%s/files/secret.key.vault", dir);
	if (access(key, F_OK) == 0 || access(ring, F_OK) == 0) {
		char fk[BK_PATH + 40];
		snprintf(fk, sizeof fk, "%s/files/secret.key", dir);
		if (access(key, F_OK) == 0 && same_file(fk, key) != 1) {
			fprintf(stderr, "rekeyctl: %s differs from the backup's: the restored data needs the backup's; move it away first\n", key);
			return 1;
		}
		if (access(ring, F_OK) == 0 && (access(from, F_OK) != 0 || same_file(from, ring) != 1)) {
			fprintf(stderr, "rekeyctl: %s differs from the backup's: move it away first\n", ring);
			return 1;
		}
	}
	snprintf(tmpdir, sizeof tmpdir, "/tmp/rekeyctl-restore.XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	snprintf(log, sizeof log, "%s/mariadb-backup.log", tmpdir);
	mkdir(datadir, 0700);
	snprintf(db, sizeof db, "%s/db", dir);
	snprintf(arg[0], sizeof arg[0], "--target-dir=%s", db);
	snprintf(arg[1], sizeof arg[1], "--datadir=%s", datadir);
	printf("restore: copying the database into %s (mariadb-backup --copy-back)\n", datadir);
	fflush(stdout);
	if (run((char *const[]){ "mariadb-backup", "--no-defaults", "--copy-back", arg[0], arg[1], NULL }, log) != 0) {
		fprintf(stderr, "rekeyctl: mariadb-backup --copy-back failed:\n");
		tail_log(log);
		goto out;
	}
	snprintf(from, sizeof from, "%s/files/secret.key", dir);
	if (key_back(from, key) != 0)
		goto out;
	snprintf(from, sizeof from, "%s/files/secret.key.vault", dir);
	if (key_back(from, ring) != 0)
		goto out;
	printf("restore: done. The configuration of the backup's moment is %s/files/rekey.conf; start MariaDB on %s "
	    "(owned by its user), then run rekeyctl audit-verify\n", dir, datadir);
	rc = 0;
out:
	unlink(log);
	rmdir(tmpdir);
	return rc;
}
