/* ecc.c -- public-key validation for P-256 and edwards25519 (see ecc.h).
 *
 * Numbers are 256 bits: eight 32-bit limbs, least significant first. Field
 * elements live in Montgomery form (a*R mod p, R = 2^256), so that one
 * word-by-word multiplication (CIOS) serves both primes; the Montgomery
 * constants are derived from p on every call rather than typed in. The
 * only typed constants are the curves' published parameters. Correctness
 * over speed: this runs once per registration. */
#include <stdint.h>
#include <string.h>
#include "ecc.h"

#define LIMBS 8

struct u256 {
	uint32_t w[LIMBS];
};

/* a prime field, p an odd prime below 2^256 */
struct field {
	struct u256 p;
	uint32_t pinv;    /* -p^-1 mod 2^32 */
	struct u256 one;  /* R mod p: 1 in Montgomery form */
	struct u256 rr;   /* R^2 mod p: converts into Montgomery form */
};

static const char *const result_names[ECC__MAX] = {
#define ECC_RESULT_NAME(id, name) name,
	ECC_RESULT_TABLE(ECC_RESULT_NAME)
#undef ECC_RESULT_NAME
};

const char *
ecc_result_name(enum ecc_result r)
{
	return (unsigned)r < ECC__MAX ? result_names[r] : "unknown";
}

/* ---- 256-bit numbers ---- */

static void
u256_from_be(struct u256 *r, const unsigned char b[32])
{
	for (int i = 0; i < LIMBS; i++) {
		const unsigned char *q = b + 28 - 4 * i;
		r->w[i] = (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	}
}

static void
u256_from_le(struct u256 *r, const unsigned char b[32])
{
	for (int i = 0; i < LIMBS; i++) {
		const unsigned char *q = b + 4 * i;
		r->w[i] = (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
	}
}

static void
u256_set(struct u256 *r, uint32_t v)
{
	memset(r, 0, sizeof *r);
	r->w[0] = v;
}

static int
u256_cmp(const struct u256 *a, const struct u256 *b)
{
	for (int i = LIMBS - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

static int
u256_is_zero(const struct u256 *a)
{
	uint32_t acc = 0;
	for (int i = 0; i < LIMBS; i++)
		acc |= a->w[i];
	return acc == 0;
}

/* r = a + b mod 2^256; returns the carry out */
static uint32_t
u256_add(struct u256 *r, const struct u256 *a, const struct u256 *b)
{
	uint64_t c = 0;
	for (int i = 0; i < LIMBS; i++) {
		c += (uint64_t)a->w[i] + b->w[i];
		r->w[i] = (uint32_t)c;
		c >>= 32;
	}
	return (uint32_t)c;
}

/* r = a - b mod 2^256; returns the borrow out */
static uint32_t
u256_sub(struct u256 *r, const struct u256 *a, const struct u256 *b)
{
	uint64_t borrow = 0;
	for (int i = 0; i < LIMBS; i++) {
		uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
		r->w[i] = (uint32_t)d;
		borrow = d >> 63;
	}
	return (uint32_t)borrow;
}

/* r = a >> n, 0 < n < 32 */
static void
u256_shr(struct u256 *r, const struct u256 *a, unsigned n)
{
	for (int i = 0; i < LIMBS; i++)
		r->w[i] = a->w[i] >> n | (i + 1 < LIMBS ? a->w[i + 1] << (32 - n) : 0);
}

static int
u256_bit(const struct u256 *a, unsigned i)
{
	return (int)(a->w[i / 32] >> (i % 32) & 1);
}

/* ---- the field: every element below p ---- */

static void
fe_add(const struct field *f, struct u256 *r, const struct u256 *a, const struct u256 *b)
{
	/* a + b < 2p: one subtraction at most; a carry out means the sum is
	 * at least 2^256, above p, and the subtraction wraps back below p */
	uint32_t carry = u256_add(r, a, b);
	if (carry || u256_cmp(r, &f->p) >= 0)
		u256_sub(r, r, &f->p);
}

static void
fe_sub(const struct field *f, struct u256 *r, const struct u256 *a, const struct u256 *b)
{
	if (u256_sub(r, a, b))
		u256_add(r, r, &f->p);
}

/* r = a*b/R mod p, Montgomery multiplication by coarsely integrated
 * operand scanning (Koç, Acar, Kaliski 1996). a*b < R*p, so the result
 * is below 2p before the last subtraction. r may be a or b. */
static void
fe_mul(const struct field *f, struct u256 *r, const struct u256 *a, const struct u256 *b)
{
	uint32_t t[LIMBS + 2] = { 0 };

	for (int i = 0; i < LIMBS; i++) {
		uint64_t s, c = 0;
		uint32_t m;
		for (int j = 0; j < LIMBS; j++) {
			s = (uint64_t)t[j] + (uint64_t)a->w[j] * b->w[i] + c; /* < 2^64 */
			t[j] = (uint32_t)s;
			c = s >> 32;
		}
		s = (uint64_t)t[LIMBS] + c;
		t[LIMBS] = (uint32_t)s;
		t[LIMBS + 1] = (uint32_t)(s >> 32);
		m = t[0] * f->pinv; /* makes the lowest limb 0: divide by 2^32 */
		s = (uint64_t)t[0] + (uint64_t)m * f->p.w[0];
		c = s >> 32;
		for (int j = 1; j < LIMBS; j++) {
			s = (uint64_t)t[j] + (uint64_t)m * f->p.w[j] + c;
			t[j - 1] = (uint32_t)s;
			c = s >> 32;
		}
		s = (uint64_t)t[LIMBS] + c;
		t[LIMBS - 1] = (uint32_t)s;
		t[LIMBS] = t[LIMBS + 1] + (uint32_t)(s >> 32);
	}
	memcpy(r->w, t, sizeof r->w);
	if (t[LIMBS] || u256_cmp(r, &f->p) >= 0)
		u256_sub(r, r, &f->p);
}

/* any 256-bit a (also a >= p) into Montgomery form: a*R^2/R = a*R mod p */
static void
fe_in(const struct field *f, struct u256 *r, const struct u256 *a)
{
	fe_mul(f, r, a, &f->rr);
}

/* out of Montgomery form: a*1/R */
static void
fe_out(const struct field *f, struct u256 *r, const struct u256 *a)
{
	struct u256 one;
	u256_set(&one, 1);
	fe_mul(f, r, a, &one);
}

/* r = a^e, e a plain number */
static void
fe_pow(const struct field *f, struct u256 *r, const struct u256 *a, const struct u256 *e)
{
	struct u256 acc = f->one;
	for (int i = 255; i >= 0; i--) {
		fe_mul(f, &acc, &acc, &acc);
		if (u256_bit(e, (unsigned)i))
			fe_mul(f, &acc, &acc, a);
	}
	*r = acc;
}

static int
fe_eq(const struct u256 *a, const struct u256 *b)
{
	return u256_cmp(a, b) == 0;
}

static void
field_init(struct field *f, const struct u256 *p)
{
	uint32_t inv = p->w[0];

	f->p = *p;
	/* Newton's iteration for p^-1 mod 2^32: an odd number is its own
	 * inverse mod 8, and each step doubles the correct low bits */
	for (int i = 0; i < 4; i++)
		inv *= 2 - p->w[0] * inv;
	f->pinv = 0 - inv;
	/* R mod p and R^2 mod p: 1 doubled 256 and 512 times */
	u256_set(&f->one, 1);
	for (int i = 0; i < 256; i++)
		fe_add(f, &f->one, &f->one, &f->one);
	f->rr = f->one;
	for (int i = 0; i < 256; i++)
		fe_add(f, &f->rr, &f->rr, &f->rr);
}

/* ---- P-256 ---- */

/* SEC 2 v2 §2.4.2 (secp256r1 = NIST P-256, FIPS 186-4 §D.1.2.3):
 * p = 2^256 - 2^224 + 2^192 + 2^96 - 1, a = -3, and b */
static const unsigned char p256_p[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};
static const unsigned char p256_b[32] = {
	0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
	0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};

enum ecc_result
ecc_p256_check(const unsigned char x[32], const unsigned char y[32])
{
	struct field f;
	struct u256 p, X, Y, b, lhs, rhs;

	u256_from_be(&p, p256_p);
	u256_from_be(&X, x);
	u256_from_be(&Y, y);
	/* SP 800-56A Rev. 3 §5.6.2.3.3 step 2: x and y in [0, p-1] */
	if (u256_cmp(&X, &p) >= 0 || u256_cmp(&Y, &p) >= 0)
		return ECC_RANGE;
	/* step 1: not the point at infinity. A pair of coordinates cannot
	 * encode it (SEC 1 v2 §2.3.3 uses one 00 octet); all zeros is what
	 * fixed-size encoders write for it. (0, 0) also fails step 3 (b != 0),
	 * but is named here for what it is. */
	if (u256_is_zero(&X) && u256_is_zero(&Y))
		return ECC_INFINITY;
	field_init(&f, &p);
	u256_from_be(&b, p256_b);
	fe_in(&f, &X, &X);
	fe_in(&f, &Y, &Y);
	fe_in(&f, &b, &b);
	/* step 3: y^2 = x^3 - 3x + b (mod p) */
	fe_mul(&f, &lhs, &Y, &Y);
	fe_mul(&f, &rhs, &X, &X);
	fe_mul(&f, &rhs, &rhs, &X);
	for (int i = 0; i < 3; i++)
		fe_sub(&f, &rhs, &rhs, &X);
	fe_add(&f, &rhs, &rhs, &b);
	if (!fe_eq(&lhs, &rhs))
		return ECC_OFF_CURVE;
	/* step 4, [n]Q = O, holds for every point of P-256: its cofactor is 1 */
	return ECC_OK;
}

/* ---- edwards25519 ---- */

/* RFC 8032 §5.1: p = 2^255 - 19; the group order
 * l = 2^252 + 27742317777372353535851937790883648493 (big-endian) */
static const unsigned char ed_l[32] = {
	0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x14, 0xde, 0xf9, 0xde, 0xa2, 0xf7, 0x9c, 0xd6, 0x58, 0x12, 0x63, 0x1a, 0x5c, 0xf5, 0xd3, 0xed,
};

/* extended coordinates (RFC 8032 §5.1.4): x = X/Z, y = Y/Z, x*y = T/Z */
struct edpoint {
	struct u256 X, Y, Z, T;
};

/* r = a + b by RFC 8032 §5.1.4's formulas for a = -1, which are complete:
 * they also double, and take the neutral point. d2 = 2*d. r may be a or b. */
static void
ed_add(const struct field *f, const struct u256 *d2, struct edpoint *r, const struct edpoint *a,
    const struct edpoint *b)
{
	struct u256 A, B, C, D, E, F, G, H, t;

	fe_sub(f, &A, &a->Y, &a->X);
	fe_sub(f, &t, &b->Y, &b->X);
	fe_mul(f, &A, &A, &t);
	fe_add(f, &B, &a->Y, &a->X);
	fe_add(f, &t, &b->Y, &b->X);
	fe_mul(f, &B, &B, &t);
	fe_mul(f, &C, &a->T, d2);
	fe_mul(f, &C, &C, &b->T);
	fe_mul(f, &D, &a->Z, &b->Z);
	fe_add(f, &D, &D, &D);
	fe_sub(f, &E, &B, &A);
	fe_sub(f, &F, &D, &C);
	fe_add(f, &G, &D, &C);
	fe_add(f, &H, &B, &A);
	fe_mul(f, &r->X, &E, &F);
	fe_mul(f, &r->Y, &G, &H);
	fe_mul(f, &r->T, &E, &H);
	fe_mul(f, &r->Z, &F, &G);
}

/* the neutral point (0, 1): X = 0 and Y = Z != 0 */
static int
ed_is_neutral(const struct edpoint *a)
{
	return u256_is_zero(&a->X) && !u256_is_zero(&a->Z) && fe_eq(&a->Y, &a->Z);
}

enum ecc_result
ecc_ed25519_check(const unsigned char pk[32])
{
	struct field f;
	struct u256 p, e, y, one, d, d2, t, u, v, w, x, l;
	struct edpoint P, Q;
	unsigned char enc[32];
	unsigned sign = pk[31] >> 7;

	/* p = 2^255 - 19 */
	memset(&p, 0xff, sizeof p);
	p.w[0] = 0xffffffed;
	p.w[LIMBS - 1] = 0x7fffffff;
	memcpy(enc, pk, sizeof enc);
	enc[31] &= 0x7f;
	u256_from_le(&y, enc);
	/* RFC 8032 §5.1.3 step 1: y below p, else decoding fails -- this
	 * refuses the 19 non-canonical values p .. 2^255 - 1, p and p + 1
	 * among them (0 and 1: small order, in libsodium's blocklist too) */
	if (u256_cmp(&y, &p) >= 0)
		return ECC_RANGE;
	field_init(&f, &p);
	one = f.one;
	/* d = -121665/121666 (§5.1); a/b = a * b^(p-2) (Fermat) */
	u256_set(&t, 2);
	u256_sub(&e, &p, &t);
	u256_set(&t, 121666);
	fe_in(&f, &t, &t);
	fe_pow(&f, &t, &t, &e);
	u256_set(&d, 121665);
	fe_in(&f, &d, &d);
	fe_mul(&f, &d, &d, &t);
	memset(&t, 0, sizeof t);
	fe_sub(&f, &d, &t, &d);
	fe_add(&f, &d2, &d, &d);
	/* step 2: x^2 = u/v with u = y^2 - 1 and v = d y^2 + 1; v is never 0,
	 * as -1/d is not a square */
	fe_in(&f, &y, &y);
	fe_mul(&f, &t, &y, &y);
	fe_sub(&f, &u, &t, &one);
	fe_mul(&f, &v, &d, &t);
	fe_add(&f, &v, &v, &one);
	fe_pow(&f, &v, &v, &e);
	fe_mul(&f, &w, &u, &v);
	/* step 3: the candidate x = w^((p+3)/8) has x^2 = w or -w when w is a
	 * square; for -w, x * 2^((p-1)/4) (a square root of -1) is the root.
	 * Otherwise w is not a square: no point has this y, decoding fails. */
	u256_set(&t, 3);
	u256_add(&e, &p, &t);
	u256_shr(&e, &e, 3);
	fe_pow(&f, &x, &w, &e);
	fe_mul(&f, &t, &x, &x);
	if (!fe_eq(&t, &w)) {
		struct u256 i;
		u256_set(&t, 1);
		u256_sub(&e, &p, &t);
		u256_shr(&e, &e, 2);
		u256_set(&i, 2);
		fe_in(&f, &i, &i);
		fe_pow(&f, &i, &i, &e);
		fe_mul(&f, &x, &x, &i);
		fe_mul(&f, &t, &x, &x);
		if (!fe_eq(&t, &w))
			return ECC_OFF_CURVE;
	}
	/* step 4: x = 0 with the sign bit set fails; else the sign bit
	 * chooses between x and p - x by their lowest bit */
	fe_out(&f, &t, &x);
	if (u256_is_zero(&t) && sign)
		return ECC_SIGN;
	if ((t.w[0] & 1) != sign) {
		memset(&t, 0, sizeof t);
		fe_sub(&f, &x, &t, &x);
	}
	P.X = x;
	P.Y = y;
	P.Z = one;
	fe_mul(&f, &P.T, &x, &y);
	/* small order: [8]P is neutral for exactly the eight points that
	 * libsodium's blocklist (ge25519_has_small_order) names by encoding */
	Q = P;
	for (int i = 0; i < 3; i++)
		ed_add(&f, &d2, &Q, &Q, &Q);
	if (ed_is_neutral(&Q))
		return ECC_SMALL_ORDER;
	/* [l]P neutral: P is in the prime-order subgroup that every key
	 * A = [s]B is in (libsodium's ge25519_is_on_main_subgroup); a key with
	 * a small-order component added would pass the checks above */
	u256_from_be(&l, ed_l);
	memset(&Q.X, 0, sizeof Q.X); /* the neutral point (0, 1, 1, 0) */
	Q.Y = one;
	Q.Z = one;
	memset(&Q.T, 0, sizeof Q.T);
	for (int i = 252; i >= 0; i--) {
		ed_add(&f, &d2, &Q, &Q, &Q);
		if (u256_bit(&l, (unsigned)i))
			ed_add(&f, &d2, &Q, &Q, &P);
	}
	if (!ed_is_neutral(&Q))
		return ECC_SUBGROUP;
	return ECC_OK;
}
