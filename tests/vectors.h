/* vectors.h -- reads tests/vectors/<module>/<file>.tsv for the Check suites:
 * one case per line, fields separated by tabs, '#' lines are comments. */
#ifndef REKEY_TEST_VECTORS_H
#define REKEY_TEST_VECTORS_H
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VEC_MAX_FIELDS 4
struct vec {
	char *line;
	char *f[VEC_MAX_FIELDS];
	int nf;
	int lineno;
};

/* Calls fn for every case; returns the number of cases (at least one is required). */
static inline int
vec_each(const char *path, void (*fn)(const struct vec *v, void *arg), void *arg)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int count = 0, lineno = 0;

	ck_assert_msg(fp != NULL, "cannot open %s (run the tests from the repository root)", path);
	while ((n = getline(&line, &cap, fp)) >= 0) {
		struct vec v;
		char *p;
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (line[0] == '#' || n == 0)
			continue;
		memset(&v, 0, sizeof v);
		v.line = line;
		v.lineno = lineno;
		p = line;
		v.f[v.nf++] = p;
		while ((p = strchr(p, '\t')) != NULL && v.nf < VEC_MAX_FIELDS) {
			*p++ = '\0';
			v.f[v.nf++] = p;
		}
		fn(&v, arg);
		count++;
	}
	free(line);
	fclose(fp);
	ck_assert_int_gt(count, 0);
	return count;
}

static inline size_t
vec_hex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex) / 2;
	ck_assert_uint_eq(strlen(hex) % 2, 0);
	ck_assert_uint_le(n, max);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
	return n;
}

#define RUN_SUITE(name, ...)                                                \
	int main(void)                                                      \
	{                                                                   \
		Suite *s = suite_create(name);                              \
		TCase *tc = tcase_create("all");                            \
		const TTest *fns[] = { __VA_ARGS__ };                       \
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)     \
			tcase_add_test(tc, fns[i]);                         \
		suite_add_tcase(s, tc);                                     \
		SRunner *sr = srunner_create(s);                            \
		srunner_run_all(sr, CK_NORMAL);                             \
		int failed = srunner_ntests_failed(sr);                     \
		srunner_free(sr);                                           \
		return failed == 0 ? 0 : 1;                                 \
	}

#endif
