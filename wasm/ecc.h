/* ecc.h -- is a credential's public key a point that can be used? P-256
 * (ES256, RFC 9053 §7.1.1) and edwards25519 (EdDSA with Ed25519, RFC 8032).
 * Plain 256-bit modular arithmetic in 32-bit limbs: no I/O, no allocation,
 * no global state. Not constant time: it only ever sees public keys. */
#ifndef REKEY_ECC_H
#define REKEY_ECC_H

/* Why a point was refused, most basic reason first; webauthn.c turns
 * these into problem codes. */
#define ECC_RESULT_TABLE(X) \
	X(ECC_OK, "ok") \
	X(ECC_RANGE, "range")             /* a coordinate is not below p */ \
	X(ECC_INFINITY, "infinity")       /* P-256: (0, 0) stands for the point at infinity */ \
	X(ECC_OFF_CURVE, "off_curve")     /* P-256: the equation fails; Ed25519: x^2 is not a square */ \
	X(ECC_SIGN, "sign")               /* Ed25519: x = 0 with the sign bit set */ \
	X(ECC_SMALL_ORDER, "small_order") /* Ed25519: [8]P is the neutral point */ \
	X(ECC_SUBGROUP, "subgroup")       /* Ed25519: [l]P is not the neutral point */

enum ecc_result {
#define ECC_RESULT_ENUM(id, name) id,
	ECC_RESULT_TABLE(ECC_RESULT_ENUM)
#undef ECC_RESULT_ENUM
	ECC__MAX
};

const char *ecc_result_name(enum ecc_result r);

/* x, y: 32-byte big-endian coordinates (SEC 1 v2 §2.3.7), as COSE carries
 * them. Public-key validation of NIST SP 800-56A Rev. 3 §5.6.2.3.3. */
enum ecc_result ecc_p256_check(const unsigned char x[32], const unsigned char y[32]);

/* pk: the 32-byte encoding of RFC 8032 §5.1.2 (y little-endian, x's sign
 * in the top bit). Decodes per §5.1.3 and refuses points of small order
 * and points outside the prime-order subgroup. */
enum ecc_result ecc_ed25519_check(const unsigned char pk[32]);

#endif
