/* fuzz_flow.c -- random event sequences with random facts: a terminal state
 * is never left, states stay in range, and deletion never happens through
 * the email factor or the passkey being deleted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../wasm/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum flow_kind k;
	const struct flow_def *d;
	unsigned state;

	if (size < 1)
		return 0;
	k = (enum flow_kind)(data[0] % FLOW__MAX);
	d = flow_get(k);
	state = d->start;
	for (size_t i = 1; i + 4 <= size; i += 4) {
		struct flow_facts f;
		unsigned to = 0, ev = data[i] % d->nevents;
		flow_facts_default(&f);
		f.factor = (unsigned char)(data[i + 1] % FACTOR__MAX);
		f.factor_is_target = data[i + 1] >> 7;
		f.identity = (unsigned char)(data[i + 2] % IDENTITY__MAX);
		f.high_value = data[i + 2] >> 7 & 1;
		f.password_confirmed = data[i + 2] >> 6 & 1;
		f.tool_available = data[i + 2] >> 5 & 1;
		f.agreed = data[i + 2] >> 4 & 1;
		f.attempts_left = (unsigned char)(data[i + 3] % 4);
		f.chose_documents = data[i + 3] >> 7;
		f.last_factor = data[i + 3] >> 6 & 1;
		f.recovery_codes = data[i + 3] >> 5 & 1;
		if (flow_next(k, state, ev, &f, &to) != PROB_OK)
			continue;
		if (d->terminal[state] || to >= d->nstates)
			abort();
		if (k == FLOW_DELETE_PASSKEY && strcmp(d->states[to], "deleted") == 0 &&
		    (f.factor == FACTOR_EMAIL || f.factor == FACTOR_NONE || (f.factor == FACTOR_PASSKEY && f.factor_is_target)))
			abort();
		state = to;
	}
	return 0;
}
