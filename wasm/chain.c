/* chain.c -- address and TXID validation per chain. */
#include <string.h>
#include "chain.h"
#include "hash.h"
#include "limits.h"

static const struct chain_info chains[CHAIN__MAX] = {
	[CHAIN_BTC] = { "BTC", "Bitcoin", "BTC", 8 },
	[CHAIN_LTC] = { "LTC", "Litecoin", "LTC", 8 },
	[CHAIN_ETH] = { "ETH", "Ethereum (ERC-20)", "ETH", 18 },
	[CHAIN_BSC] = { "BSC", "BNB Smart Chain (BEP-20)", "BNB", 18 },
	[CHAIN_POLYGON] = { "POLYGON", "Polygon", "POL", 18 },
	[CHAIN_ARBITRUM] = { "ARBITRUM", "Arbitrum One", "ETH", 18 },
	[CHAIN_TRX] = { "TRX", "TRON (TRC-20)", "TRX", 6 },
	[CHAIN_SOL] = { "SOL", "Solana", "SOL", 9 },
};

/* The coins listed on each network besides its native one, with the
 * decimals of the token's contract there (USDT and USDC have 18 on BNB
 * Smart Chain, 6 elsewhere). The one table of token decimals: the page,
 * the server and the amount check all read it. */
static const struct listing {
	const char *coin;
	enum chain chain;
	unsigned decimals;
} tokens[] = {
	{ "USDT", CHAIN_ETH, 6 }, { "USDT", CHAIN_TRX, 6 }, { "USDT", CHAIN_BSC, 18 }, { "USDT", CHAIN_SOL, 6 },
	{ "USDT", CHAIN_POLYGON, 6 }, { "USDT", CHAIN_ARBITRUM, 6 },
	{ "USDC", CHAIN_ETH, 6 }, { "USDC", CHAIN_TRX, 6 }, { "USDC", CHAIN_BSC, 18 }, { "USDC", CHAIN_SOL, 6 },
	{ "USDC", CHAIN_POLYGON, 6 }, { "USDC", CHAIN_ARBITRUM, 6 },
};

const struct chain_info *
chain_info(enum chain c)
{
	return (unsigned)c < CHAIN__MAX ? &chains[c] : NULL;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int
same_ci(const char *a, size_t n, const char *b)
{
	size_t j;

	if (strlen(b) != n)
		return 0;
	for (j = 0; j < n && lower(a[j]) == lower(b[j]); j++)
		;
	return j == n;
}

/* The coin's decimals on chain c (its native coin, or a listed token); on
 * CHAIN__MAX, the fewest it has on any network (the strictest check). */
enum problem
chain_coin_decimals(const char *coin, size_t n, enum chain c, unsigned *decimals)
{
	int found = 0;

	*decimals = 0;
	for (unsigned i = 0; i < CHAIN__MAX; i++)
		if ((c == CHAIN__MAX || c == (enum chain)i) && same_ci(coin, n, chains[i].coin) &&
		    (!found || chains[i].decimals < *decimals)) {
			*decimals = chains[i].decimals;
			found = 1;
		}
	for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
		if ((c == CHAIN__MAX || c == tokens[i].chain) && same_ci(coin, n, tokens[i].coin) &&
		    (!found || tokens[i].decimals < *decimals)) {
			*decimals = tokens[i].decimals;
			found = 1;
		}
	return found ? PROB_OK : PROB_COIN_NOT_LISTED;
}

enum chain
chain_lookup(const char *id, size_t n)
{
	for (unsigned i = 0; i < CHAIN__MAX; i++) {
		const char *k = chains[i].id;
		size_t j;
		if (strlen(k) != n)
			continue;
		for (j = 0; j < n && lower(id[j]) == lower(k[j]); j++)
			;
		if (j == n)
			return (enum chain)i;
	}
	return CHAIN__MAX;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex(s[i]))
			return 0;
	return 1;
}

/* ---- base58 ---- */

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int
chain_base58_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen)
{
	unsigned char buf[128];
	size_t zeros = 0, len = 0, i, j;

	if (n == 0 || n > 120)
		return -1;
	while (zeros < n && s[zeros] == '1')
		zeros++;
	for (i = zeros; i < n; i++) {
		const char *p = s[i] ? strchr(b58, s[i]) : NULL;
		unsigned carry;
		if (p == NULL)
			return -1;
		carry = (unsigned)(p - b58);
		for (j = 0; j < len; j++) {
			carry += (unsigned)buf[j] * 58;
			buf[j] = (unsigned char)carry;
			carry >>= 8;
		}
		while (carry > 0) {
			if (len >= sizeof buf)
				return -1;
			buf[len++] = (unsigned char)carry;
			carry >>= 8;
		}
	}
	if (zeros + len > outmax)
		return -1;
	memset(out, 0, zeros);
	for (j = 0; j < len; j++)
		out[zeros + j] = buf[len - 1 - j];
	*outlen = zeros + len;
	return 0;
}

/* base58check: payload followed by the first 4 bytes of SHA256d(payload). */
static enum problem
base58check(const char *s, size_t n, unsigned char *out, size_t *outlen)
{
	unsigned char raw[64], h[32];
	size_t len;

	if (chain_base58_decode(s, n, raw, sizeof raw, &len) != 0 || len < 5)
		return PROB_ADDR_FORMAT;
	hash_sha256(raw, len - 4, h);
	hash_sha256(h, 32, h);
	if (memcmp(h, raw + len - 4, 4) != 0)
		return PROB_ADDR_CHECKSUM;
	memcpy(out, raw, len - 4);
	*outlen = len - 4;
	return PROB_OK;
}

/* ---- bech32 / bech32m, BIP-173 and BIP-350 ---- */

static const char b32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t
polymod_step(uint32_t pre)
{
	uint32_t b = pre >> 25;
	return ((pre & 0x1ffffff) << 5) ^ (-((b >> 0) & 1) & 0x3b6a57b2UL) ^
	    (-((b >> 1) & 1) & 0x26508e6dUL) ^ (-((b >> 2) & 1) & 0x1ea119faUL) ^
	    (-((b >> 3) & 1) & 0x3d4233ddUL) ^ (-((b >> 4) & 1) & 0x2a1462b3UL);
}

int
chain_bech32_decode(const char *s, size_t n, char *hrp, unsigned char *data,
    size_t datamax, size_t *datalen)
{
	size_t sep, i, hl;
	int have_lower = 0, have_upper = 0;
	uint32_t chk = 1;

	if (n < 8 || n > 90) /* BIP-173: at most 90 characters */
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 33 || c > 126)
			return -1;
		if (c >= 'a' && c <= 'z') have_lower = 1;
		if (c >= 'A' && c <= 'Z') have_upper = 1;
	}
	if (have_lower && have_upper) /* BIP-173: no mixed case */
		return -1;
	for (sep = n; sep > 0 && s[sep - 1] != '1'; sep--)
		;
	if (sep == 0)
		return -1;
	hl = sep - 1;
	if (hl < 1 || hl > 83 || n - sep < 6 || n - sep - 6 > datamax)
		return -1;
	for (i = 0; i < hl; i++) {
		hrp[i] = lower(s[i]);
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
	}
	hrp[hl] = '\0';
	chk = polymod_step(chk);
	for (i = 0; i < hl; i++)
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
	for (i = sep; i < n; i++) {
		const char *p = strchr(b32, lower(s[i]));
		if (p == NULL || s[i] == '\0')
			return -1;
		chk = polymod_step(chk) ^ (uint32_t)(p - b32);
		if (i + 6 < n)
			data[i - sep] = (unsigned char)(p - b32);
	}
	*datalen = n - sep - 6;
	if (chk == 1)
		return 1;
	if (chk == 0x2bc830a3)
		return 2;
	return 0;
}

enum problem
chain_segwit_decode(const char *want_hrp, const char *s, size_t n, int *ver,
    unsigned char *prog, size_t *proglen)
{
	char hrp[84];
	unsigned char data[90];
	size_t dl, i, o = 0;
	uint32_t acc = 0;
	int bits = 0, enc;

	enc = chain_bech32_decode(s, n, hrp, data, sizeof data, &dl);
	if (enc < 0)
		return PROB_ADDR_FORMAT;
	if (enc == 0) /* well-formed, wrong checksum: a typo */
		return PROB_ADDR_CHECKSUM;
	if (strcmp(hrp, want_hrp) != 0)
		return PROB_ADDR_NETWORK;
	if (dl < 1 || data[0] > 16)
		return PROB_ADDR_FORMAT;
	*ver = data[0];
	/* BIP-350: v0 uses bech32, v1..16 use bech32m */
	if ((*ver == 0 && enc != 1) || (*ver != 0 && enc != 2))
		return PROB_ADDR_CHECKSUM;
	for (i = 1; i < dl; i++) {
		acc = (acc << 5) | data[i];
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o >= 40)
				return PROB_ADDR_FORMAT;
			prog[o++] = (unsigned char)(acc >> bits);
		}
	}
	/* BIP-173: padding of at most 4 bits, all zero */
	if (bits >= 5 || (acc & ((1u << bits) - 1)) != 0)
		return PROB_ADDR_FORMAT;
	if (o < 2 || o > 40)
		return PROB_ADDR_FORMAT;
	if (*ver == 0 && o != 20 && o != 32)
		return PROB_ADDR_FORMAT;
	*proglen = o;
	return PROB_OK;
}

/* ---- EIP-55 ---- */

int
chain_eip55_ok(const char *hex40)
{
	char low[40];
	unsigned char h[32];
	int has_lower = 0, has_upper = 0;

	for (int i = 0; i < 40; i++) {
		char c = hex40[i];
		if (c >= 'a' && c <= 'f') has_lower = 1;
		if (c >= 'A' && c <= 'F') has_upper = 1;
		low[i] = lower(c);
	}
	if (!(has_lower && has_upper))
		return 1; /* EIP-55: one-case addresses carry no checksum */
	hash_keccak256(low, 40, h);
	for (int i = 0; i < 40; i++) {
		unsigned nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		char c = hex40[i];
		if (c >= '0' && c <= '9')
			continue;
		if ((nib >= 8) != (c >= 'A' && c <= 'F'))
			return 0;
	}
	return 1;
}

static enum problem
utxo_address(const char *s, size_t n, const char *hrp, const unsigned char *versions,
    size_t nversions, const unsigned char *other_versions, size_t nother)
{
	unsigned char payload[64], prog[40];
	size_t len, pl;
	int ver;
	enum problem p;
	size_t hl = strlen(hrp);

	if (n > hl + 1 && lower(s[hl]) == '1') {
		size_t i;
		for (i = 0; i < hl && lower(s[i]) == hrp[i]; i++)
			;
		if (i == hl)
			return chain_segwit_decode(hrp, s, n, &ver, prog, &pl);
	}
	/* testnet bech32 prefixes: a real address of another network */
	if ((n > 3 && lower(s[0]) == 't' && lower(s[1]) == 'b' && s[2] == '1') ||
	    (n > 5 && lower(s[0]) == 't' && lower(s[1]) == 'l' && lower(s[2]) == 't' && lower(s[3]) == 'c' && s[4] == '1'))
		return PROB_ADDR_NETWORK;
	if (n < 25 || n > 35)
		return PROB_ADDR_FORMAT;
	p = base58check(s, n, payload, &len);
	if (p != PROB_OK)
		return p;
	if (len != 21)
		return PROB_ADDR_FORMAT;
	for (size_t i = 0; i < nversions; i++)
		if (payload[0] == versions[i])
			return PROB_OK;
	for (size_t i = 0; i < nother; i++)
		if (payload[0] == other_versions[i])
			return PROB_ADDR_NETWORK;
	return PROB_ADDR_FORMAT;
}

enum problem
chain_validate_address(enum chain c, const char *s, size_t n)
{
	static const unsigned char btc_v[] = { 0x00, 0x05 }, btc_other[] = { 0x6f, 0xc4, 0x30, 0x32 };
	static const unsigned char ltc_v[] = { 0x30, 0x32, 0x05 }, ltc_other[] = { 0x6f, 0xc4, 0x3a, 0x00 };
	unsigned char raw[64];
	size_t len;
	enum problem p;

	if (n == 0 || n > LIM_ADDR_MAX)
		return PROB_ADDR_FORMAT;
	switch (c) {
	case CHAIN_BTC:
		return utxo_address(s, n, "bc", btc_v, sizeof btc_v, btc_other, sizeof btc_other);
	case CHAIN_LTC:
		return utxo_address(s, n, "ltc", ltc_v, sizeof ltc_v, ltc_other, sizeof ltc_other);
	case CHAIN_ETH:
	case CHAIN_BSC:
	case CHAIN_POLYGON:
	case CHAIN_ARBITRUM:
		if (n != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !all_hex(s + 2, 40))
			return PROB_ADDR_FORMAT;
		return chain_eip55_ok(s + 2) ? PROB_OK : PROB_ADDR_CHECKSUM; /* EIP-55 */
	case CHAIN_TRX:
		if (n != 34 || s[0] != 'T')
			return PROB_ADDR_FORMAT;
		p = base58check(s, n, raw, &len);
		if (p != PROB_OK)
			return p;
		if (len != 21 || raw[0] != 0x41) /* TRON: 0x41 prefix */
			return PROB_ADDR_FORMAT;
		return PROB_OK;
	case CHAIN_SOL:
		if (n < 32 || n > 44)
			return PROB_ADDR_FORMAT;
		if (chain_base58_decode(s, n, raw, sizeof raw, &len) != 0 || len != 32)
			return PROB_ADDR_FORMAT; /* an ed25519 public key: 32 bytes */
		return PROB_OK;
	case CHAIN__MAX:
		break;
	}
	return PROB_CHAIN_UNKNOWN;
}

enum problem
chain_validate_txid(enum chain c, const char *s, size_t n)
{
	unsigned char raw[80];
	size_t len;

	switch (c) {
	case CHAIN_BTC:
	case CHAIN_LTC:
	case CHAIN_TRX:
		return n == 64 && all_hex(s, 64) ? PROB_OK : PROB_TXID_FORMAT;
	case CHAIN_ETH:
	case CHAIN_BSC:
	case CHAIN_POLYGON:
	case CHAIN_ARBITRUM:
		return n == 66 && s[0] == '0' && s[1] == 'x' && all_hex(s + 2, 64) ? PROB_OK : PROB_TXID_FORMAT;
	case CHAIN_SOL:
		/* a transaction signature: 64 bytes in base58 */
		if (n < 64 || n > 88 || chain_base58_decode(s, n, raw, sizeof raw, &len) != 0 || len != 64)
			return PROB_TXID_FORMAT;
		return PROB_OK;
	case CHAIN__MAX:
		break;
	}
	return PROB_CHAIN_UNKNOWN;
}
