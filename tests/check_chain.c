/* check_chain.c -- BIP-173/350, EIP-55, base58check, TXIDs. */
#include "vectors.h"
#include "../wasm/chain.h"

static void
bech32_one(const struct vec *v, void *arg)
{
	char hrp[84];
	unsigned char data[100];
	size_t dl;
	int r = chain_bech32_decode(v->f[0], strlen(v->f[0]), hrp, data, sizeof data, &dl);
	(void)arg;
	if (strcmp(v->f[1], "bech32") == 0)
		ck_assert_msg(r == 1, "line %d: %s decoded as %d", v->lineno, v->f[0], r);
	else if (strcmp(v->f[1], "bech32m") == 0)
		ck_assert_msg(r == 2, "line %d: %s decoded as %d", v->lineno, v->f[0], r);
	else
		ck_assert_msg(r <= 0, "line %d: %s accepted", v->lineno, v->f[0]);
}

START_TEST(valid_and_junk_bip173_bip350_strings)
{
	vec_each("tests/vectors/chain/bech32.tsv", bech32_one, NULL);
}
END_TEST

START_TEST(junk_hrp_out_of_range)
{
	char hrp[84];
	unsigned char data[100];
	size_t dl;
	/* BIP-350: 0x20, 0x7f and 0x80 in the HRP */
	ck_assert_int_lt(chain_bech32_decode("\x20" "1xj0phk", 8, hrp, data, sizeof data, &dl), 0);
	ck_assert_int_lt(chain_bech32_decode("\x7f" "1g6xzxy", 8, hrp, data, sizeof data, &dl), 0);
	ck_assert_int_lt(chain_bech32_decode("\x80" "1vctc34", 8, hrp, data, sizeof data, &dl), 0);
}
END_TEST

static void
segwit_valid_one(const struct vec *v, void *arg)
{
	unsigned char prog[40], spk[64], want[64];
	size_t pl, wl;
	int ver;
	const char *hrp = (v->f[0][0] == 't' || v->f[0][0] == 'T') ? "tb" : "bc";
	(void)arg;
	ck_assert_int_eq(chain_segwit_decode(hrp, v->f[0], strlen(v->f[0]), &ver, prog, &pl), PROB_OK);
	spk[0] = (unsigned char)(ver ? 0x50 + ver : 0);
	spk[1] = (unsigned char)pl;
	memcpy(spk + 2, prog, pl);
	wl = vec_hex(v->f[1], want, sizeof want);
	ck_assert_uint_eq(wl, pl + 2);
	ck_assert_mem_eq(spk, want, wl);
}

START_TEST(valid_segwit_addresses)
{
	vec_each("tests/vectors/chain/segwit_valid.tsv", segwit_valid_one, NULL);
}
END_TEST

static void
segwit_invalid_one(const struct vec *v, void *arg)
{
	unsigned char prog[40];
	size_t pl;
	int ver;
	(void)arg;
	ck_assert_msg(chain_segwit_decode("bc", v->f[0], strlen(v->f[0]), &ver, prog, &pl) != PROB_OK &&
	    chain_segwit_decode("tb", v->f[0], strlen(v->f[0]), &ver, prog, &pl) != PROB_OK,
	    "line %d accepted: %s (%s)", v->lineno, v->f[0], v->f[1]);
}

START_TEST(junk_segwit_addresses)
{
	vec_each("tests/vectors/chain/segwit_invalid.tsv", segwit_invalid_one, NULL);
}
END_TEST

static void
address_one(const struct vec *v, void *arg)
{
	enum chain c = chain_lookup(v->f[0], strlen(v->f[0]));
	enum problem p = c == CHAIN__MAX ? PROB_CHAIN_UNKNOWN : chain_validate_address(c, v->f[1], strlen(v->f[1]));
	(void)arg;
	ck_assert_msg(strcmp(problem_name(p), v->f[2]) == 0, "line %d: %s %s gave %s, want %s", v->lineno,
	    v->f[0], v->f[1], problem_name(p), v->f[2]);
}

START_TEST(valid_and_wrong_addresses_per_chain)
{
	vec_each("tests/vectors/chain/address.tsv", address_one, NULL);
}
END_TEST

static void
txid_one(const struct vec *v, void *arg)
{
	enum chain c = chain_lookup(v->f[0], strlen(v->f[0]));
	enum problem p = chain_validate_txid(c, v->f[1], strlen(v->f[1]));
	(void)arg;
	ck_assert_msg(strcmp(problem_name(p), v->f[2]) == 0, "line %d: %s gave %s", v->lineno, v->f[1], problem_name(p));
}

START_TEST(valid_and_junk_txids)
{
	vec_each("tests/vectors/chain/txid.tsv", txid_one, NULL);
}
END_TEST

START_TEST(valid_base58_leading_zeros)
{
	unsigned char out[64];
	size_t n;
	ck_assert_int_eq(chain_base58_decode("1112", 4, out, sizeof out, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(out[3], 1);
	ck_assert_int_eq(chain_base58_decode("0OIl", 4, out, sizeof out, &n), -1);
	ck_assert_int_eq(chain_base58_decode("", 0, out, sizeof out, &n), -1);
}
END_TEST

START_TEST(wrong_lookup_is_case_insensitive_only)
{
	ck_assert_int_eq(chain_lookup("btc", 3), CHAIN_BTC);
	ck_assert_int_eq(chain_lookup("BTCX", 4), CHAIN__MAX);
	ck_assert_int_eq(chain_lookup("", 0), CHAIN__MAX);
}
END_TEST

/* the one table of coin decimals per network (vectors shared with the Node suite) */
static void
coin_one(const struct vec *v, void *arg)
{
	const char *coin = v->f[0], *net = v->f[1], *want = v->f[2];
	enum chain c = strcmp(net, "*") == 0 ? CHAIN__MAX : chain_lookup(net, strlen(net));
	unsigned dec = 99;
	enum problem p = chain_coin_decimals(coin, strlen(coin), c, &dec);

	(void)arg;
	if (want[0] >= '0' && want[0] <= '9')
		ck_assert_msg(p == PROB_OK && dec == (unsigned)atoi(want), "line %d: %s on %s: %s, %u decimals", v->lineno, coin, net,
		    problem_name(p), dec);
	else
		ck_assert_msg(strcmp(problem_name(p), want) == 0, "line %d: %s on %s: %s, want %s", v->lineno, coin, net, problem_name(p), want);
}

START_TEST(valid_and_unlisted_coins_per_network)
{
	ck_assert_int_gt(vec_each("tests/vectors/validate/coin.tsv", coin_one, NULL), 20);
}
END_TEST

RUN_SUITE("chain", valid_and_junk_bip173_bip350_strings, junk_hrp_out_of_range, valid_segwit_addresses,
    junk_segwit_addresses, valid_and_wrong_addresses_per_chain, valid_and_junk_txids, valid_base58_leading_zeros,
    wrong_lookup_is_case_insensitive_only, valid_and_unlisted_coins_per_network)
