/* routes.h -- the one route table and the one validation step. */
#ifndef REKEY_ROUTES_H
#define REKEY_ROUTES_H
#include <stddef.h>
#include "base/base.h"

void routes_dispatch(struct req *r);
size_t routes_count(void);
void routes_describe(size_t i, const char **method, const char **path, int *auth);

#endif
