/* base/flowrow.h -- a flow row moved by the core's table (wasm/flow.c), by one conditional UPDATE. */
#ifndef REKEY_BASE_FLOWROW_H
#define REKEY_BASE_FLOWROW_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "db.h"
#include "../../wasm/flow.h"

struct req;
int flowrow_plan(struct req *r, enum flow_kind kind, char *state, size_t statelen, const char *event,
    const struct flow_facts *facts, int *moved);
int flowrow_move(struct req *r, enum flow_kind kind, enum stmt move, uint64_t id, char *state, size_t statelen,
    const char *event, const struct flow_facts *facts, int *moved);

#endif
