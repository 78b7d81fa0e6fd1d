/* webauthn.c -- authenticator data, attestation object, COSE keys, clientDataJSON. */
#include <string.h>
#include "webauthn.h"
#include "cbor.h"
#include "ecc.h"
#include "limits.h"
#include "validate.h"

/* A point that is not a usable public key can never sign: registered, it
 * would still count as a passkey (and as a tool for the flows' rules). */
static enum problem
cose_ecc_problem(enum ecc_result r)
{
	switch (r) {
	case ECC_OK:
		return PROB_OK;
	case ECC_RANGE:
	case ECC_INFINITY:
	case ECC_OFF_CURVE:
	case ECC_SIGN:
		return PROB_COSE_NOT_ON_CURVE;
	case ECC_SMALL_ORDER:
		return PROB_COSE_SMALL_ORDER;
	case ECC_SUBGROUP:
		return PROB_COSE_SUBGROUP;
	default:
		return PROB_INTERNAL;
	}
}

/* The bit length of an unsigned big-endian integer. */
static size_t
uint_bits(const unsigned char *p, size_t n)
{
	size_t bits = 8;

	while (n > 0 && p[0] == 0) {
		p++;
		n--;
	}
	if (n == 0)
		return 0;
	while (!(p[0] >> (bits - 1)))
		bits--;
	return (n - 1) * 8 + bits;
}

/* n and e are not empty (the key's shape) */
static enum problem
cose_rsa_check(const struct cose_key *k)
{
	size_t nbits = uint_bits(k->n, k->nlen), ebits = uint_bits(k->e, k->elen);

	/* RFC 8230 §4: n and e in the minimum number of octets, so a leading
	 * zero byte cannot make a modulus look longer */
	if (k->n[0] == 0 || k->e[0] == 0)
		return PROB_COSE_RSA_WEAK;
	/* RFC 8230 §6.1: 2048 bits or more; limits.h: at most 4096 */
	if (nbits < LIM_RSA_MIN_BITS || nbits > LIM_RSA_MAX_BITS)
		return PROB_COSE_RSA_WEAK;
	/* RFC 8017 §3.1: n is a product of odd primes */
	if (!(k->n[k->nlen - 1] & 1))
		return PROB_COSE_RSA_WEAK;
	/* RFC 8017 §3.1: 3 <= e and gcd(e, lambda(n)) = 1, lambda(n) even:
	 * e odd and not 1 */
	if (!(k->e[k->elen - 1] & 1))
		return PROB_COSE_RSA_WEAK;
	if (ebits < 2)
		return PROB_COSE_RSA_WEAK;
	/* limits.h: e below 2^32 */
	if (k->elen > LIM_RSA_E_MAX_BYTES)
		return PROB_COSE_RSA_WEAK;
	return PROB_OK;
}

enum problem
cose_key_parse(const unsigned char *p, size_t n, struct cose_key *k)
{
	struct cbor c;
	struct cbor_item it;
	int64_t key, seen = 0;
	enum problem pr;
	const unsigned char *prev = NULL;
	size_t prevlen = 0;

	memset(k, 0, sizeof *k);
	cbor_init(&c, p, n);
	if (cbor_read(&c, &it) != PROB_OK || it.major != CBOR_MAP || it.val > 16)
		return PROB_COSE_KEY;
	for (uint64_t i = 0; i < it.val; i++) {
		struct cbor_item v;
		const unsigned char *kstart = c.p;
		size_t klen;
		if (cbor_read_int(&c, &key) != PROB_OK)
			return PROB_COSE_KEY;
		klen = (size_t)(c.p - kstart);
		if (key >= -3 && key <= 3 && (seen & (1 << (key + 3))))
			return PROB_CBOR_DUPLICATE_KEY;
		/* CTAP2 canonical CBOR (CTAP 2.1 §8): map keys in length-first,
		 * then bytewise order, each key once */
		if (prev && (klen < prevlen || (klen == prevlen && memcmp(kstart, prev, klen) <= 0)))
			return PROB_CBOR_NONCANONICAL;
		prev = kstart;
		prevlen = klen;
		if (key >= -3 && key <= 3) {
			int64_t bit = 1 << (key + 3);
			if (seen & bit)
				return PROB_CBOR_DUPLICATE_KEY;
			seen |= bit;
		}
		if (key == 1 || key == 3) {
			if (cbor_read_int(&c, key == 1 ? &k->kty : &k->alg) != PROB_OK)
				return PROB_COSE_KEY;
			continue;
		}
		if (key == -1 || key == -2 || key == -3) {
			if (cbor_read(&c, &v) != PROB_OK)
				return PROB_COSE_KEY;
			if (v.major == CBOR_UINT || v.major == CBOR_NEGINT) {
				if (key != -1)
					return PROB_COSE_KEY;
				k->crv = v.major == CBOR_UINT ? (int64_t)v.val : -1 - (int64_t)v.val;
				continue;
			}
			if (v.major != CBOR_BYTES)
				return PROB_COSE_KEY;
			if (key == -1) { k->n = v.str; k->nlen = (size_t)v.val; }
			else if (key == -2) { k->x = v.str; k->xlen = (size_t)v.val; }
			else { k->y = v.str; k->ylen = (size_t)v.val; }
			continue;
		}
		if ((pr = cbor_skip(&c, 1)) != PROB_OK)
			return pr;
	}
	if (c.p != c.end)
		return PROB_CBOR_TRAILING;
	/* RSA: -1 is n and -2 is e (RFC 8230 §4) */
	if (k->kty == COSE_KTY_RSA) {
		k->e = k->x;
		k->elen = k->xlen;
		k->x = NULL;
		k->xlen = 0;
	}
	/* the key's shape, then its value: a COSE key is well formed and its
	 * numbers make a public key of its algorithm */
	switch (k->alg) {
	case COSE_ALG_ES256: /* RFC 9053 §7.1.1: P-256, 32-byte coordinates */
		if (k->kty != COSE_KTY_EC2 || k->crv != 1 || k->xlen != 32 || k->ylen != 32)
			return PROB_COSE_KEY;
		/* a point of the curve: SP 800-56A Rev. 3 §5.6.2.3.3 */
		return cose_ecc_problem(ecc_p256_check(k->x, k->y));
	case COSE_ALG_EDDSA: /* RFC 9053 §7.2: OKP, Ed25519 = 6 */
		if (k->kty != COSE_KTY_OKP || k->crv != 6 || k->xlen != 32)
			return PROB_COSE_KEY;
		/* decodes (RFC 8032 §5.1.3), not of small order, in the subgroup */
		return cose_ecc_problem(ecc_ed25519_check(k->x));
	case COSE_ALG_RS256: /* RFC 8230 §4 */
		if (k->kty != COSE_KTY_RSA || k->nlen == 0 || k->elen == 0)
			return PROB_COSE_KEY;
		return cose_rsa_check(k);
	default:
		return k->kty == 0 ? PROB_COSE_KEY : PROB_COSE_ALG;
	}
}

enum problem
authdata_parse(const unsigned char *p, size_t n, struct authdata *ad)
{
	size_t off = 37;
	enum problem pr;

	memset(ad, 0, sizeof *ad);
	if (n < 37)
		return PROB_AD_SHORT; /* WebAuthn L3 §6.1: 32 + 1 + 4 bytes at least */
	ad->rp_id_hash = p;
	ad->flags = p[32];
	ad->sign_count = (uint32_t)p[33] << 24 | (uint32_t)p[34] << 16 | (uint32_t)p[35] << 8 | p[36];
	if ((ad->flags & AD_FLAG_BS) && !(ad->flags & AD_FLAG_BE))
		return PROB_AD_BS_WITHOUT_BE; /* §6.1.3: BS=1 requires BE=1 */
	if (ad->flags & AD_FLAG_AT) {
		struct cbor c;
		if (n - off < 18)
			return PROB_AD_SHORT;
		ad->attested = 1;
		ad->aaguid = p + off;
		ad->cred_id_len = (size_t)p[off + 16] << 8 | p[off + 17];
		off += 18;
		/* §7.1 step 25: credential ID at most 1023 bytes */
		if (ad->cred_id_len == 0 || ad->cred_id_len > LIM_CREDID_MAX)
			return PROB_AD_CREDID_LENGTH;
		if (n - off < ad->cred_id_len)
			return PROB_AD_SHORT;
		ad->cred_id = p + off;
		off += ad->cred_id_len;
		cbor_init(&c, p + off, n - off);
		if ((pr = cbor_skip(&c, 0)) != PROB_OK)
			return pr;
		ad->pubkey = p + off;
		ad->pubkey_len = (size_t)(c.p - (p + off));
		off += ad->pubkey_len;
		if ((pr = cose_key_parse(ad->pubkey, ad->pubkey_len, &ad->key)) != PROB_OK)
			return pr;
	}
	if (ad->flags & AD_FLAG_ED) {
		struct cbor c;
		struct cbor_item it;
		cbor_init(&c, p + off, n - off);
		if ((pr = cbor_read(&c, &it)) != PROB_OK)
			return pr;
		if (it.major != CBOR_MAP)
			return PROB_CBOR_TYPE;
		cbor_init(&c, p + off, n - off);
		if ((pr = cbor_skip(&c, 0)) != PROB_OK)
			return pr;
		ad->ext = p + off;
		ad->ext_len = (size_t)(c.p - (p + off));
		off += ad->ext_len;
	}
	if (off != n)
		return PROB_AD_TRAILING;
	return PROB_OK;
}

static int
text_is(const struct cbor_item *it, const char *s)
{
	size_t l = strlen(s);
	return it->major == CBOR_TEXT && it->val == l && memcmp(it->str, s, l) == 0;
}

static enum problem
attstmt_summary(struct attobj *a)
{
	struct cbor c;
	struct cbor_item it, k, v;
	enum problem pr;

	cbor_init(&c, a->att_stmt, a->att_stmt_len);
	if ((pr = cbor_read(&c, &it)) != PROB_OK || it.major != CBOR_MAP)
		return PROB_ATT_FMT;
	for (uint64_t i = 0; i < it.val; i++) {
		if (cbor_read(&c, &k) != PROB_OK || k.major != CBOR_TEXT)
			return PROB_ATT_FMT;
		if (text_is(&k, "alg")) {
			a->has_alg = 1;
			if (cbor_read_int(&c, &a->alg) != PROB_OK)
				return PROB_ATT_FMT;
		} else if (text_is(&k, "sig")) {
			if (cbor_read(&c, &v) != PROB_OK || v.major != CBOR_BYTES)
				return PROB_ATT_FMT;
			a->sig_len = (size_t)v.val;
		} else if (text_is(&k, "x5c")) {
			if (cbor_read(&c, &v) != PROB_OK || v.major != CBOR_ARRAY || v.val == 0 || v.val > 8)
				return PROB_ATT_FMT;
			a->x5c_count = (int)v.val;
			for (uint64_t j = 0; j < v.val; j++) {
				struct cbor_item cert;
				if (cbor_read(&c, &cert) != PROB_OK || cert.major != CBOR_BYTES)
					return PROB_ATT_FMT;
			}
		} else if ((pr = cbor_skip(&c, 1)) != PROB_OK) {
			return pr;
		}
	}
	return PROB_OK;
}

enum problem
attobj_parse(const unsigned char *p, size_t n, struct attobj *a)
{
	struct cbor c;
	struct cbor_item it, k, v;
	enum problem pr;
	unsigned seen = 0;

	memset(a, 0, sizeof *a);
	a->x5c_count = -1;
	if ((pr = cbor_check_one(p, n)) != PROB_OK)
		return pr; /* whole document well-formed, no trailing bytes */
	cbor_init(&c, p, n);
	if (cbor_read(&c, &it) != PROB_OK || it.major != CBOR_MAP)
		return PROB_ATT_FMT;
	for (uint64_t i = 0; i < it.val; i++) {
		if (cbor_read(&c, &k) != PROB_OK || k.major != CBOR_TEXT)
			return PROB_ATT_FMT;
		if (text_is(&k, "fmt")) {
			if (seen & 1) return PROB_CBOR_DUPLICATE_KEY;
			seen |= 1;
			if (cbor_read(&c, &v) != PROB_OK || v.major != CBOR_TEXT || v.val == 0 || v.val > 32)
				return PROB_ATT_FMT;
			a->fmt = (const char *)v.str;
			a->fmt_len = (size_t)v.val;
		} else if (text_is(&k, "attStmt")) {
			const unsigned char *start = c.p;
			if (seen & 2) return PROB_CBOR_DUPLICATE_KEY;
			seen |= 2;
			if ((pr = cbor_skip(&c, 1)) != PROB_OK)
				return pr;
			a->att_stmt = start;
			a->att_stmt_len = (size_t)(c.p - start);
		} else if (text_is(&k, "authData")) {
			if (seen & 4) return PROB_CBOR_DUPLICATE_KEY;
			seen |= 4;
			if (cbor_read(&c, &v) != PROB_OK || v.major != CBOR_BYTES)
				return PROB_ATT_FMT;
			a->auth_data = v.str;
			a->auth_data_len = (size_t)v.val;
		} else if ((pr = cbor_skip(&c, 1)) != PROB_OK) {
			return pr;
		}
	}
	if (seen != 7)
		return PROB_ATT_FMT; /* §6.5.4: all three members are required */
	if ((pr = attstmt_summary(a)) != PROB_OK)
		return pr;
	if (a->fmt_len == 4 && memcmp(a->fmt, "none", 4) == 0) {
		if (a->att_stmt_len != 1 || a->att_stmt[0] != 0xa0)
			return PROB_ATT_FMT; /* §8.7: attStmt is an empty map */
	}
	if ((pr = authdata_parse(a->auth_data, a->auth_data_len, &a->ad)) != PROB_OK)
		return pr;
	if (!a->ad.attested)
		return PROB_AD_NO_ATTESTED; /* §7.1: registration carries attested data */
	return PROB_OK;
}

/* ---- clientDataJSON: a strict reader for one flat JSON object ---- */

struct jcur {
	const unsigned char *p, *end;
};

static void
jws(struct jcur *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Reads a JSON string into out (capacity cap, NUL-terminated); out may be
 * NULL to skip. Returns 0, or -1 when malformed or too long. */
static int
jstring(struct jcur *j, char *out, size_t cap)
{
	size_t o = 0;

	if (j->p >= j->end || *j->p != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		unsigned cp = *j->p++;
		if (cp < 0x20)
			return -1;
		if (cp == '\\') {
			if (j->p >= j->end)
				return -1;
			cp = *j->p++;
			switch (cp) {
			case '"': case '\\': case '/': break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u': {
				int h[4];
				if (j->end - j->p < 4)
					return -1;
				for (int i = 0; i < 4; i++)
					if ((h[i] = hexval(j->p[i])) < 0)
						return -1;
				cp = (unsigned)(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
				j->p += 4;
				if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
					return -1; /* no NUL, no lone surrogates in the fields we read */
				if (out) {
					unsigned char enc[3];
					size_t el;
					if (cp < 0x80) { enc[0] = (unsigned char)cp; el = 1; }
					else if (cp < 0x800) { enc[0] = (unsigned char)(0xc0 | cp >> 6); enc[1] = (unsigned char)(0x80 | (cp & 0x3f)); el = 2; }
					else { enc[0] = (unsigned char)(0xe0 | cp >> 12); enc[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)); enc[2] = (unsigned char)(0x80 | (cp & 0x3f)); el = 3; }
					if (o + el >= cap)
						return -1;
					memcpy(out + o, enc, el);
					o += el;
				}
				continue;
			}
			default:
				return -1;
			}
		}
		if (out) {
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)cp;
		}
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	if (out)
		out[o] = '\0';
	return 0;
}

static int
jskip(struct jcur *j, unsigned depth)
{
	if (depth > LIM_CBOR_MAX_DEPTH)
		return -1;
	jws(j);
	if (j->p >= j->end)
		return -1;
	switch (*j->p) {
	case '"':
		return jstring(j, NULL, 0);
	case '{': case '[': {
		unsigned char close = *j->p == '{' ? '}' : ']';
		int obj = close == '}';
		j->p++;
		jws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (obj) {
				jws(j);
				if (jstring(j, NULL, 0) != 0)
					return -1;
				jws(j);
				if (j->p >= j->end || *j->p++ != ':')
					return -1;
			}
			if (jskip(j, depth + 1) != 0)
				return -1;
			jws(j);
			if (j->p >= j->end)
				return -1;
			if (*j->p == ',') { j->p++; continue; }
			if (*j->p == close) { j->p++; return 0; }
			return -1;
		}
	}
	case 't':
		if (j->end - j->p >= 4 && memcmp(j->p, "true", 4) == 0) { j->p += 4; return 0; }
		return -1;
	case 'f':
		if (j->end - j->p >= 5 && memcmp(j->p, "false", 5) == 0) { j->p += 5; return 0; }
		return -1;
	case 'n':
		if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) { j->p += 4; return 0; }
		return -1;
	default: {
		const unsigned char *s = j->p;
		if (j->p < j->end && *j->p == '-')
			j->p++;
		while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' ||
		    *j->p == 'E' || *j->p == '+' || *j->p == '-'))
			j->p++;
		return j->p > s ? 0 : -1;
	}
	}
}

enum problem
clientdata_parse(const unsigned char *p, size_t n, struct clientdata *cd)
{
	struct jcur j = { p, p + n };
	char key[64];
	unsigned seen = 0;

	memset(cd, 0, sizeof *cd);
	cd->cross_origin = -1;
	if (n > LIM_CLIENTDATA_MAX)
		return PROB_TOO_LARGE;
	if (!validate_utf8((const char *)p, n, 1))
		return PROB_CD_JSON; /* §5.8.1.2: UTF-8 */
	jws(&j);
	if (j.p >= j.end || *j.p++ != '{')
		return PROB_CD_JSON;
	jws(&j);
	if (j.p < j.end && *j.p == '}')
		return PROB_CD_JSON;
	for (;;) {
		unsigned bit = 0;
		char *dst = NULL;
		size_t cap = 0;
		jws(&j);
		if (jstring(&j, key, sizeof key) != 0)
			return PROB_CD_JSON; /* malformed, or a key longer than any we know */
		jws(&j);
		if (j.p >= j.end || *j.p++ != ':')
			return PROB_CD_JSON;
		jws(&j);
		if (strcmp(key, "type") == 0) { bit = 1; dst = cd->type; cap = sizeof cd->type; }
		else if (strcmp(key, "challenge") == 0) { bit = 2; dst = cd->challenge; cap = sizeof cd->challenge; }
		else if (strcmp(key, "origin") == 0) { bit = 4; dst = cd->origin; cap = sizeof cd->origin; }
		else if (strcmp(key, "topOrigin") == 0) { bit = 8; dst = cd->top_origin; cap = sizeof cd->top_origin; }
		else if (strcmp(key, "crossOrigin") == 0) bit = 16;
		if (bit & seen)
			return PROB_CD_JSON; /* duplicate member */
		seen |= bit;
		if (dst) {
			if (jstring(&j, dst, cap) != 0)
				return PROB_CD_JSON;
		} else if (bit == 16) {
			if (j.end - j.p >= 4 && memcmp(j.p, "true", 4) == 0) { cd->cross_origin = 1; j.p += 4; }
			else if (j.end - j.p >= 5 && memcmp(j.p, "false", 5) == 0) { cd->cross_origin = 0; j.p += 5; }
			else return PROB_CD_JSON;
		} else if (jskip(&j, 1) != 0) {
			return PROB_CD_JSON;
		}
		jws(&j);
		if (j.p >= j.end)
			return PROB_CD_JSON;
		if (*j.p == ',') { j.p++; continue; }
		if (*j.p == '}') { j.p++; break; }
		return PROB_CD_JSON;
	}
	jws(&j);
	if (j.p != j.end)
		return PROB_CD_JSON;
	if ((seen & 7) != 7)
		return PROB_CD_JSON; /* type, challenge and origin are required */
	return PROB_OK;
}

void
clientdata_check(const unsigned char *p, size_t n, const char *type,
    const char *challenge, const char *origin, struct clientdata *cd, struct problems *ps)
{
	enum problem pr = clientdata_parse(p, n, cd);

	if (pr != PROB_OK) {
		problems_add(ps, pr);
		return;
	}
	/* §7.1 step 7 / §7.2 step 11: type */
	if (strcmp(cd->type, type) != 0)
		problems_add(ps, PROB_CD_TYPE);
	/* §7.1 step 8 / §7.2 step 12: challenge equals base64url of the one sent */
	if (strcmp(cd->challenge, challenge) != 0)
		problems_add(ps, PROB_CD_CHALLENGE);
	/* §7.1 step 9 / §7.2 step 13: origin */
	if (strcmp(cd->origin, origin) != 0)
		problems_add(ps, PROB_CD_ORIGIN);
	/* §7.1 step 10 / §7.2 step 14: topOrigin only when cross-origin use is
	 * allowed, and Rekey allows no cross-origin use */
	if (cd->cross_origin == 1 || cd->top_origin[0] != '\0')
		problems_add(ps, PROB_CD_CROSS_ORIGIN);
}
