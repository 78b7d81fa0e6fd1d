/* fuzz_chain.c -- address and TXID checks on every chain: no crash, and an
 * accepted EVM address is 42 characters. The first byte picks the chain. */
#include <stdint.h>
#include <stdlib.h>
#include "../../wasm/chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum chain c;

	if (size < 1)
		return 0;
	c = (enum chain)(data[0] % CHAIN__MAX);
	if (chain_validate_address(c, (const char *)data + 1, size - 1) == PROB_OK &&
	    (c == CHAIN_ETH || c == CHAIN_BSC) && size - 1 != 42)
		abort();
	(void)chain_validate_txid(c, (const char *)data + 1, size - 1);
	return 0;
}
