/* check_webauthn.c -- CBOR reader (RFC 8949), authenticator data,
 * attestation object, COSE keys, clientDataJSON. */
#include "vectors.h"
#include "../wasm/b64url.h"
#include "../wasm/cbor.h"
#include "../wasm/webauthn.h"

static void
cbor_valid_one(const struct vec *v, void *arg)
{
	unsigned char b[256];
	size_t n = vec_hex(v->f[0], b, sizeof b);
	(void)arg;
	ck_assert_msg(cbor_check_one(b, n) == PROB_OK, "line %d: %s refused: %s", v->lineno, v->f[0],
	    problem_name(cbor_check_one(b, n)));
}

START_TEST(valid_rfc8949_appendix_a)
{
	vec_each("tests/vectors/cbor/valid.tsv", cbor_valid_one, NULL);
}
END_TEST

static void
cbor_invalid_one(const struct vec *v, void *arg)
{
	unsigned char b[256];
	size_t n = vec_hex(v->f[0], b, sizeof b);
	(void)arg;
	ck_assert_msg(strcmp(problem_name(cbor_check_one(b, n)), v->f[1]) == 0, "line %d: %s gave %s", v->lineno, v->f[0],
	    problem_name(cbor_check_one(b, n)));
}

START_TEST(junk_rfc8949_appendix_f)
{
	vec_each("tests/vectors/cbor/invalid.tsv", cbor_invalid_one, NULL);
}
END_TEST

START_TEST(junk_huge_declared_lengths)
{
	/* an array that claims 2^32 items must not loop or allocate */
	static const unsigned char big_array[] = { 0x9a, 0xff, 0xff, 0xff, 0xff, 0x00 };
	static const unsigned char big_map[] = { 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0 };
	ck_assert_int_eq(cbor_check_one(big_array, sizeof big_array), PROB_CBOR_TRUNCATED);
	ck_assert_int_eq(cbor_check_one(big_map, sizeof big_map), PROB_CBOR_TRUNCATED);
}
END_TEST

static void
authdata_one(const struct vec *v, void *arg)
{
	unsigned char b[2048];
	size_t n;
	struct authdata ad;
	enum problem p;
	(void)arg;
	ck_assert_int_eq(b64url_decode(v->f[0], strlen(v->f[0]), b, sizeof b, &n), PROB_OK);
	p = authdata_parse(b, n, &ad);
	if (strncmp(v->f[1], "ok:", 3) == 0) {
		char got[200], aaguid[40] = "";
		ck_assert_msg(p == PROB_OK, "line %d: %s", v->lineno, problem_name(p));
		if (ad.attested) {
			const unsigned char *g = ad.aaguid;
			snprintf(aaguid, sizeof aaguid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			    g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
			snprintf(got, sizeof got, "ok:%x:%u:%s:%zu:%lld", ad.flags, ad.sign_count, aaguid, ad.cred_id_len, (long long)ad.key.alg);
		} else {
			snprintf(got, sizeof got, "ok:%x:%u:::", ad.flags, ad.sign_count);
		}
		ck_assert_str_eq(got, v->f[1]);
	} else {
		ck_assert_msg(strcmp(problem_name(p), v->f[1]) == 0, "line %d: got %s, want %s", v->lineno, problem_name(p), v->f[1]);
	}
}

START_TEST(valid_and_junk_authenticator_data)
{
	vec_each("tests/vectors/webauthn/authdata.tsv", authdata_one, NULL);
}
END_TEST

/* Builds an attestation object around the real authenticator data. */
static size_t
make_attobj(unsigned char *out, const char *fmt, const unsigned char *stmt, size_t sl, const unsigned char *ad, size_t al)
{
	size_t o = 0, fl = strlen(fmt);
	out[o++] = 0xa3;
	out[o++] = 0x63; memcpy(out + o, "fmt", 3); o += 3;
	out[o++] = (unsigned char)(0x60 + fl); memcpy(out + o, fmt, fl); o += fl;
	out[o++] = 0x67; memcpy(out + o, "attStmt", 7); o += 7;
	memcpy(out + o, stmt, sl); o += sl;
	out[o++] = 0x68; memcpy(out + o, "authData", 8); o += 8;
	out[o++] = 0x58; out[o++] = (unsigned char)al; memcpy(out + o, ad, al); o += al;
	return o;
}

static size_t
real_authdata(unsigned char *b)
{
	static const char real[] = "PpZrl-Wqt-OFfBpyy2SraN1m7LT0GZORwGA7-6ujYkNdAAAAAPv8MAcVTk7MjAtuAgVX170AFCSmW4sVHyjf2mbYpnn2E_jox-XcpQECAyYgASFYIPWLalDzyxIDmAADvfK8iNM5To50kh7TyPH-teEz8RMdIlgg3D7bPIWQJ8z-WFn3zdYZzJw9c7mhPdmflQqD9vV7efA";
	size_t n;
	ck_assert_int_eq(b64url_decode(real, strlen(real), b, 512, &n), PROB_OK);
	return n;
}

START_TEST(valid_attestation_none_and_packed)
{
	unsigned char ad[512], obj[1024];
	static const unsigned char empty[] = { 0xa0 };
	/* packed self attestation: {"alg": -7, "sig": h'0102'} */
	static const unsigned char packed[] = { 0xa2, 0x63, 'a', 'l', 'g', 0x26, 0x63, 's', 'i', 'g', 0x42, 1, 2 };
	struct attobj a;
	size_t al = real_authdata(ad), n;

	n = make_attobj(obj, "none", empty, sizeof empty, ad, al);
	ck_assert_int_eq(attobj_parse(obj, n, &a), PROB_OK);
	ck_assert_uint_eq(a.fmt_len, 4);
	ck_assert_int_eq(a.x5c_count, -1);
	n = make_attobj(obj, "packed", packed, sizeof packed, ad, al);
	ck_assert_int_eq(attobj_parse(obj, n, &a), PROB_OK);
	ck_assert_int_eq(a.has_alg, 1);
	ck_assert_int_eq(a.alg, -7);
	ck_assert_uint_eq(a.sig_len, 2);
}
END_TEST

START_TEST(wrong_attestation_shapes)
{
	unsigned char ad[512], obj[1024];
	static const unsigned char nonempty[] = { 0xa1, 0x61, 'x', 0x01 };
	static const unsigned char empty[] = { 0xa0 };
	struct attobj a;
	size_t al = real_authdata(ad), n;

	n = make_attobj(obj, "none", nonempty, sizeof nonempty, ad, al);
	ck_assert_int_eq(attobj_parse(obj, n, &a), PROB_ATT_FMT);        /* §8.7: none has an empty attStmt */
	n = make_attobj(obj, "none", empty, sizeof empty, ad, al);
	obj[n++] = 0x00;
	ck_assert_int_eq(attobj_parse(obj, n, &a), PROB_CBOR_TRAILING);  /* trailing bytes */
	ad[32] = 0x1d; /* UP UV BE BS, no AT */
	n = make_attobj(obj, "none", empty, sizeof empty, ad, 37);
	ck_assert_int_eq(attobj_parse(obj, n, &a), PROB_AD_NO_ATTESTED); /* registration without AT */
	obj[0] = 0xa2;
	ck_assert_int_ne(attobj_parse(obj, n, &a), PROB_OK);             /* member missing */
}
END_TEST

#define CD(type, chal, origin, extra) "{\"type\":\"" type "\",\"challenge\":\"" chal "\",\"origin\":\"" origin "\"" extra "}"

static void
cd_expect(const char *json, enum problem want)
{
	struct clientdata cd;
	struct problems ps = { 0, { 0 } };
	clientdata_check((const unsigned char *)json, strlen(json), "webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", &cd, &ps);
	if (want == PROB_OK)
		ck_assert_msg(ps.n == 0, "%s: %s", json, problem_name((enum problem)ps.code[0]));
	else
		ck_assert_msg(problems_has(&ps, want), "%s: missing %s", json, problem_name(want));
}

START_TEST(valid_and_wrong_client_data)
{
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", ""), PROB_OK);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", ",\"crossOrigin\":false,\"other_keys_can_be_added_here\":\"x\""), PROB_OK);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https:\\/\\/rekey.test", ""), PROB_OK); /* escaped slash */
	cd_expect(CD("webauthn.create", "Y2hhbGxlbmdl", "https://rekey.test", ""), PROB_CD_TYPE);
	cd_expect(CD("webauthn.get", "b3RoZXI", "https://rekey.test", ""), PROB_CD_CHALLENGE);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://evil.test", ""), PROB_CD_ORIGIN);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", ",\"crossOrigin\":true"), PROB_CD_CROSS_ORIGIN);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", ",\"topOrigin\":\"https://a.test\""), PROB_CD_CROSS_ORIGIN);
	cd_expect("{\"type\":\"webauthn.get\"}", PROB_CD_JSON);
	cd_expect("{\"type\":\"webauthn.get\",\"type\":\"webauthn.get\",\"challenge\":\"x\",\"origin\":\"y\"}", PROB_CD_JSON);
	cd_expect(CD("webauthn.get", "Y2hhbGxlbmdl", "https://rekey.test", "") "x", PROB_CD_JSON);
	cd_expect("[1,2]", PROB_CD_JSON);
	cd_expect("{\"type\":\"webauthn.get\",\"challenge\":\"Y2hh\\u0000\",\"origin\":\"o\"}", PROB_CD_JSON);
	cd_expect("{\"type\":\"webauthn.get\xff\",\"challenge\":\"x\",\"origin\":\"o\"}", PROB_CD_JSON);
}
END_TEST

START_TEST(junk_cose_keys)
{
	/* EC2 with a 31-byte x; OKP with a wrong curve; RSA with an 8-bit modulus (well formed,
	 * refused for its value: tests/vectors/webauthn/cose_keys.tsv has the rest); unknown alg */
	static const unsigned char short_x[] = { 0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x1f };
	static const unsigned char okp_wrong_crv[] = { 0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x07, 0x21, 0x41, 0x00 };
	static const unsigned char rsa_short[] = { 0xa4, 0x01, 0x03, 0x03, 0x39, 0x01, 0x00, 0x20, 0x41, 0x01, 0x21, 0x43, 0x01, 0x00, 0x01 };
	static const unsigned char alg_unknown[] = { 0xa2, 0x01, 0x02, 0x03, 0x38, 0x22 };
	struct cose_key k;
	ck_assert_int_ne(cose_key_parse(short_x, sizeof short_x, &k), PROB_OK);
	ck_assert_int_eq(cose_key_parse(okp_wrong_crv, sizeof okp_wrong_crv, &k), PROB_COSE_KEY);
	ck_assert_int_eq(cose_key_parse(rsa_short, sizeof rsa_short, &k), PROB_COSE_RSA_WEAK);
	ck_assert_int_eq(cose_key_parse(alg_unknown, sizeof alg_unknown, &k), PROB_COSE_ALG);
}
END_TEST

/* Each COSE key of cose_keys.tsv by itself, then as the attested credential
 * data of authenticator data (the path registration takes): the verdict of
 * its line. The vectors' reasons are check_ecc.c's. */
static void
cose_value_one(const struct vec *v, void *arg)
{
	unsigned char key[1024], ad[1200];
	size_t n = vec_hex(v->f[0], key, sizeof key);
	struct cose_key k;
	struct authdata a;
	enum problem p = cose_key_parse(key, n, &k);
	(void)arg;
	ck_assert_msg(strcmp(problem_name(p), v->f[1]) == 0, "line %d (%s): %s", v->lineno, v->f[3], problem_name(p));
	/* rpIdHash, UP UV AT, counter 0, AAGUID, a 16-byte credential ID */
	memset(ad, 0, 55 + 16);
	ad[32] = AD_FLAG_UP | AD_FLAG_UV | AD_FLAG_AT;
	ad[54] = 16;
	memcpy(ad + 55 + 16, key, n);
	p = authdata_parse(ad, 55 + 16 + n, &a);
	ck_assert_msg(strcmp(problem_name(p), v->f[1]) == 0, "line %d (%s) in authData: %s", v->lineno, v->f[3], problem_name(p));
}

START_TEST(valid_and_junk_cose_key_values)
{
	vec_each("tests/vectors/webauthn/cose_keys.tsv", cose_value_one, NULL);
}
END_TEST

static void
spec_one(const struct vec *v, void *arg)
{
	unsigned char b[1024];
	size_t n = vec_hex(v->f[1], b, sizeof b);
	(void)arg;
	if (strcmp(v->f[0], "clientDataJSON") == 0) {
		char type[64], chal[128], origin[128];
		struct clientdata cd;
		struct problems ps = { 0, { 0 } };
		ck_assert_int_eq(sscanf(v->f[2], "%63[^|]|%127[^|]|%127s", type, chal, origin), 3);
		clientdata_check(b, n, type, chal, origin, &cd, &ps);
		ck_assert_uint_eq(ps.n, 0);
		clientdata_check(b, n, type, chal, "https://example.com", &cd, &ps);
		ck_assert(problems_has(&ps, PROB_CD_ORIGIN));
	} else {
		struct attobj a;
		char got[300], id[100] = "";
		const unsigned char *g;
		ck_assert_int_eq(attobj_parse(b, n, &a), PROB_OK);
		g = a.ad.aaguid;
		for (size_t i = 0; i < a.ad.cred_id_len && i < 40; i++)
			sprintf(id + 2 * i, "%02x", a.ad.cred_id[i]);
		snprintf(got, sizeof got, "%.*s|%x|%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x|%s|%lld",
		    (int)a.fmt_len, a.fmt, a.ad.flags, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11],
		    g[12], g[13], g[14], g[15], id, (long long)a.ad.key.alg);
		ck_assert_str_eq(got, v->f[2]);
	}
}

START_TEST(valid_webauthn_l3_spec_vectors)
{
	vec_each("tests/vectors/webauthn/spec-l3.tsv", spec_one, NULL);
}
END_TEST

RUN_SUITE("webauthn", valid_webauthn_l3_spec_vectors, valid_rfc8949_appendix_a, junk_rfc8949_appendix_f, junk_huge_declared_lengths,
    valid_and_junk_authenticator_data, valid_attestation_none_and_packed, wrong_attestation_shapes,
    valid_and_wrong_client_data, junk_cose_keys, valid_and_junk_cose_key_values)
