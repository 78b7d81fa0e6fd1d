/* webauthn.h -- WebAuthn Level 3 structures: authenticator data (§6.1),
 * attestation object (§6.5), COSE keys (RFC 9053), clientDataJSON (§5.8.1).
 * Everything borrows from the input; nothing allocates. */
#ifndef REKEY_WEBAUTHN_H
#define REKEY_WEBAUTHN_H
#include <stddef.h>
#include <stdint.h>
#include "problem.h"

#define AD_FLAG_UP 0x01
#define AD_FLAG_UV 0x04
#define AD_FLAG_BE 0x08
#define AD_FLAG_BS 0x10
#define AD_FLAG_AT 0x40
#define AD_FLAG_ED 0x80
#define AD_FLAG_RFU 0x22

#define COSE_ALG_ES256 (-7)
#define COSE_ALG_EDDSA (-8)
#define COSE_ALG_RS256 (-257)
#define COSE_KTY_OKP 1
#define COSE_KTY_EC2 2
#define COSE_KTY_RSA 3

struct cose_key {
	int64_t kty, alg, crv;
	const unsigned char *x, *y, *n, *e; /* borrowed */
	size_t xlen, ylen, nlen, elen;
};

struct authdata {
	const unsigned char *rp_id_hash;  /* 32 bytes */
	unsigned flags;
	uint32_t sign_count;
	int attested;
	const unsigned char *aaguid;      /* 16 bytes when attested */
	const unsigned char *cred_id;
	size_t cred_id_len;
	const unsigned char *pubkey;      /* the COSE key's CBOR bytes */
	size_t pubkey_len;
	struct cose_key key;
	const unsigned char *ext;         /* extensions map CBOR bytes, when ED */
	size_t ext_len;
};

struct attobj {
	const char *fmt;
	size_t fmt_len;
	const unsigned char *att_stmt;    /* CBOR map bytes */
	size_t att_stmt_len;
	const unsigned char *auth_data;
	size_t auth_data_len;
	int has_alg;
	int64_t alg;
	size_t sig_len;
	int x5c_count;                    /* -1 when absent */
	struct authdata ad;
};

#define CD_FIELD_MAX 512
struct clientdata {
	char type[32];
	char challenge[CD_FIELD_MAX];
	char origin[CD_FIELD_MAX];
	char top_origin[CD_FIELD_MAX];
	int cross_origin;                 /* -1 absent, 0, 1 */
};

/* Parses authenticator data; problems describe every failure found. */
enum problem authdata_parse(const unsigned char *p, size_t n, struct authdata *ad);
/* Parses a COSE_Key and checks its value: a P-256 point on the curve, an
 * Ed25519 point of the prime-order subgroup, an RSA key within limits.h. */
enum problem cose_key_parse(const unsigned char *p, size_t n, struct cose_key *k);
enum problem attobj_parse(const unsigned char *p, size_t n, struct attobj *a);
/* Parses clientDataJSON and checks type, challenge (base64url text),
 * origin; cross-origin use refused. Fills ps with every mismatch. */
enum problem clientdata_parse(const unsigned char *p, size_t n, struct clientdata *cd);
void clientdata_check(const unsigned char *p, size_t n, const char *type,
    const char *challenge, const char *origin, struct clientdata *cd, struct problems *ps);

PROBLEM_STRERROR(authdata)

#endif
