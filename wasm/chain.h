/* chain.h -- address and transaction-ID formats with their real checksums. */
#ifndef REKEY_CHAIN_H
#define REKEY_CHAIN_H
#include <stddef.h>
#include "problem.h"

enum chain {
	CHAIN_BTC, CHAIN_LTC, CHAIN_ETH, CHAIN_BSC, CHAIN_POLYGON, CHAIN_ARBITRUM,
	CHAIN_TRX, CHAIN_SOL,
	CHAIN__MAX
};

struct chain_info {
	const char *id;        /* "BTC" */
	const char *name;      /* "Bitcoin" */
	const char *coin;      /* native coin */
	unsigned decimals;     /* of the native coin */
};

const struct chain_info *chain_info(enum chain c);
/* Returns CHAIN__MAX when unknown. Case-insensitive. */
enum chain chain_lookup(const char *id, size_t n);
/* The coin's decimals on chain c, its native coin or a listed token
 * (CHAIN__MAX: the fewest on any network); PROB_COIN_NOT_LISTED when the
 * coin is not listed there. Case-insensitive. */
enum problem chain_coin_decimals(const char *coin, size_t n, enum chain c, unsigned *decimals);

enum problem chain_validate_address(enum chain c, const char *s, size_t n);
enum problem chain_validate_txid(enum chain c, const char *s, size_t n);

/* Building blocks, exposed for tests and vectors. */
/* Decodes base58 (Bitcoin alphabet). Returns 0/-1. */
int chain_base58_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
/* bech32/bech32m decode: returns 1 for bech32, 2 for bech32m, 0 for a bad
 * checksum, -1 for a malformed string.
 * hrp gets the lower-cased human-readable part (NUL-terminated, max 84),
 * data the 5-bit values without checksum. */
int chain_bech32_decode(const char *s, size_t n, char *hrp, unsigned char *data, size_t datamax, size_t *datalen);
/* Segwit address per BIP-173/BIP-350 for the given hrp: returns PROB_OK,
 * witness version in *ver, program in prog. */
enum problem chain_segwit_decode(const char *hrp, const char *s, size_t n, int *ver,
    unsigned char *prog, size_t *proglen);
/* EIP-55: 1 if the 40 hex characters (no 0x) carry a valid checksum or are one-case. */
int chain_eip55_ok(const char *hex40);

PROBLEM_STRERROR(chain)

#endif
