/* problem.c -- names and messages of the problem table. */
#include <string.h>
#include "problem.h"

static const char *const names[PROB__MAX] = {
#define PROBLEM_NAME(id, name, msg) name,
	PROBLEM_TABLE(PROBLEM_NAME)
#undef PROBLEM_NAME
};
static const char *const messages[PROB__MAX] = {
#define PROBLEM_MSG(id, name, msg) msg,
	PROBLEM_TABLE(PROBLEM_MSG)
#undef PROBLEM_MSG
};

const char *
problem_name(enum problem p)
{
	return (unsigned)p < PROB__MAX ? names[p] : "internal";
}

const char *
problem_message(enum problem p)
{
	return (unsigned)p < PROB__MAX ? messages[p] : messages[PROB_INTERNAL];
}

enum problem
problem_lookup(const char *name)
{
	for (unsigned i = 0; i < PROB__MAX; i++)
		if (strcmp(names[i], name) == 0)
			return (enum problem)i;
	return PROB__MAX;
}

void
problems_add(struct problems *ps, enum problem p)
{
	if (problems_has(ps, p) || ps->n >= PROBLEMS_MAX)
		return;
	ps->code[ps->n++] = (unsigned char)p;
}

int
problems_has(const struct problems *ps, enum problem p)
{
	for (unsigned i = 0; i < ps->n; i++)
		if (ps->code[i] == p)
			return 1;
	return 0;
}
