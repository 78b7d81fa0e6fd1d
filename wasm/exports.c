/* exports.c -- the only file with wasm exports: the whole C<->JS boundary.
 * Every exported name ends in _js. Results that are more than a number are
 * returned as a malloc'd NUL-terminated JSON text that the caller frees
 * with rk_free_js; names and codes in it come from the C tables, so JS
 * never retypes a constant. The same file compiles natively for the
 * native/wasm parity test (tests/core_cli.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exports.h"
#include "b64url.h"
#include "chain.h"
#include "flow.h"
#include "hash.h"
#include "image.h"
#include "problem.h"
#include "validate.h"
#include "webauthn.h"

#define REKEY_CORE_VERSION "0.1.0"

struct jb {
	char *p;
	size_t n, cap;
	int oom;
};

static void
jb_raw(struct jb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *np;
		while (cap < b->n + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
jb_s(struct jb *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

/* A JSON string; bytes that are not printable ASCII are \u-escaped one
 * byte at a time only for controls, UTF-8 passes through (inputs were
 * validated) -- callers pass only validated or ASCII text. */
static void
jb_str(struct jb *b, const char *s, size_t n)
{
	jb_raw(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jb_raw(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			jb_raw(b, esc, 6);
		} else {
			jb_raw(b, (const char *)&s[i], 1);
		}
	}
	jb_raw(b, "\"", 1);
}

static void
jb_cstr(struct jb *b, const char *s)
{
	jb_str(b, s, strlen(s));
}

static void
jb_key(struct jb *b, const char *k)
{
	if (b->n > 0 && b->p[b->n - 1] != '{' && b->p[b->n - 1] != '[')
		jb_raw(b, ",", 1);
	jb_cstr(b, k);
	jb_raw(b, ":", 1);
}

static void
jb_num(struct jb *b, double v)
{
	char t[40];
	if (v == (double)(long long)v && v < 9e15 && v > -9e15)
		snprintf(t, sizeof t, "%lld", (long long)v);
	else
		snprintf(t, sizeof t, "%.4f", v);
	jb_s(b, t);
}

static void
jb_bool(struct jb *b, int v)
{
	jb_s(b, v ? "true" : "false");
}

static void
jb_hex(struct jb *b, const unsigned char *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	char t[2];
	jb_raw(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		t[0] = hx[p[i] >> 4];
		t[1] = hx[p[i] & 15];
		jb_raw(b, t, 2);
	}
	jb_raw(b, "\"", 1);
}

static void
jb_b64(struct jb *b, const unsigned char *p, size_t n)
{
	size_t cap = b64url_encoded_len(n) + 1, len;
	char *t = malloc(cap);
	if (t == NULL) {
		b->oom = 1;
		return;
	}
	if (b64url_encode(p, n, t, cap, &len) == PROB_OK)
		jb_str(b, t, len);
	free(t);
}

static void
jb_problems(struct jb *b, const struct problems *ps)
{
	jb_key(b, "ok");
	jb_bool(b, ps->n == 0);
	jb_key(b, "problems");
	jb_raw(b, "[", 1);
	for (unsigned i = 0; i < ps->n; i++) {
		if (i)
			jb_raw(b, ",", 1);
		jb_cstr(b, problem_name((enum problem)ps->code[i]));
	}
	jb_raw(b, "]", 1);
}

static char *
jb_done(struct jb *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

void *
rk_alloc_js(size_t n)
{
	return malloc(n ? n : 1);
}

void
rk_free_js(void *p)
{
	free(p);
}

const char *
rk_version_js(void)
{
	return REKEY_CORE_VERSION;
}

char *
rk_problems_js(void)
{
	struct jb b = { 0 };
	jb_s(&b, "{");
	for (unsigned i = 0; i < PROB__MAX; i++) {
		jb_key(&b, problem_name((enum problem)i));
		jb_cstr(&b, problem_message((enum problem)i));
	}
	jb_s(&b, "}");
	return jb_done(&b);
}

long
rk_b64url_encode_js(const unsigned char *in, size_t n, char *out, size_t outmax)
{
	size_t len;
	enum problem p = b64url_encode(in, n, out, outmax, &len);
	return p == PROB_OK ? (long)len : -(long)p;
}

long
rk_b64url_decode_js(const char *s, size_t n, unsigned char *out, size_t outmax)
{
	size_t len;
	enum problem p = b64url_decode(s, n, out, outmax, &len);
	return p == PROB_OK ? (long)len : -(long)p;
}

void
rk_sha256_js(const unsigned char *p, size_t n, unsigned char *out)
{
	hash_sha256(p, n, out);
}

void
rk_keccak256_js(const unsigned char *p, size_t n, unsigned char *out)
{
	hash_keccak256(p, n, out);
}

static void
jb_image(struct jb *b, const struct image_result *r, const struct problems *ps, int with_policy)
{
	const char *fmt = image_format_name(r->info.format);
	char fp[17];

	jb_s(b, "{");
	jb_problems(b, ps);
	jb_key(b, "format");
	if (fmt) jb_cstr(b, fmt); else jb_s(b, "null");
	jb_key(b, "width");
	jb_num(b, r->info.width);
	jb_key(b, "height");
	jb_num(b, r->info.height);
	if (with_policy) {
		jb_key(b, "bytes");
		jb_num(b, (double)r->info.bytes);
		jb_key(b, "metrics");
		if (r->decoded) {
			jb_s(b, "{");
			jb_key(b, "mean");
			jb_num(b, r->mean);
			jb_key(b, "contrast");
			jb_num(b, r->contrast);
			jb_key(b, "sharpness");
			jb_num(b, r->sharpness);
			jb_key(b, "highlight");
			jb_num(b, r->highlight);
			jb_s(b, "}");
			snprintf(fp, sizeof fp, "%016llx", (unsigned long long)r->fingerprint);
			jb_key(b, "fingerprint");
			jb_cstr(b, fp);
		} else {
			jb_s(b, "null");
			jb_key(b, "fingerprint");
			jb_s(b, "null");
		}
	}
	jb_s(b, "}");
}

char *
rk_image_inspect_js(const unsigned char *p, size_t n)
{
	struct jb b = { 0 };
	struct image_result r;
	struct problems ps = { 0, { 0 } };

	image_inspect(p, n, &r, &ps);
	jb_image(&b, &r, &ps, 0);
	return jb_done(&b);
}

/* Policy values arrive as doubles so that JS numbers above 2^32 survive;
 * a negative value keeps the default. */
char *
rk_image_check_js(const unsigned char *p, size_t n, double max_bytes, double min_side,
    double max_side, double max_pixels)
{
	struct jb b = { 0 };
	struct image_result r;
	struct image_policy pol;
	struct problems ps = { 0, { 0 } };

	image_policy_default(&pol);
	if (max_bytes >= 0 && max_bytes < 1e12) pol.max_bytes = (size_t)max_bytes;
	if (min_side >= 0 && min_side < 1e9) pol.min_side = (unsigned)min_side;
	if (max_side >= 0 && max_side < 1e9) pol.max_side = (unsigned)max_side;
	if (max_pixels >= 0 && max_pixels < 1e15) pol.max_pixels = (uint64_t)max_pixels;
	image_check(p, n, &pol, &r, &ps);
	jb_image(&b, &r, &ps, 1);
	return jb_done(&b);
}

/* One camera frame (RGBA, 4 bytes a pixel) and the previous one or NULL. */
char *
rk_frame_check_js(const unsigned char *rgba, size_t n, unsigned w, unsigned h, const unsigned char *prev, size_t prevn)
{
	struct jb b = { 0 };
	struct frame_metrics m;
	struct problems ps = { 0, { 0 } };
	const size_t need = (size_t)w * h * 4;

	if (w > FRAME_MAX_SIDE || h > FRAME_MAX_SIDE)
		image_frame_check(rgba, w, h, NULL, &m, &ps);
	else
		image_frame_check(n == need ? rgba : NULL, w, h, prev != NULL && prevn == need ? prev : NULL, &m, &ps);
	jb_s(&b, "{");
	jb_problems(&b, &ps);
	jb_key(&b, "metrics");
	jb_s(&b, "{");
	jb_key(&b, "mean");
	jb_num(&b, m.mean);
	jb_key(&b, "centreMean");
	jb_num(&b, m.centre_mean);
	jb_key(&b, "sideMean");
	jb_num(&b, m.side_mean);
	jb_key(&b, "centreEnergy");
	jb_num(&b, m.centre_energy);
	jb_key(&b, "sideEnergy");
	jb_num(&b, m.side_energy);
	jb_key(&b, "sharpness");
	jb_num(&b, m.sharpness);
	jb_key(&b, "motion");
	jb_num(&b, m.motion);
	jb_key(&b, "flat");
	jb_num(&b, m.flat);
	jb_s(&b, "}}");
	return jb_done(&b);
}

static void
jb_cose(struct jb *b, const struct cose_key *k)
{
	jb_s(b, "{");
	jb_key(b, "kty");
	jb_num(b, (double)k->kty);
	jb_key(b, "alg");
	jb_num(b, (double)k->alg);
	if (k->kty != COSE_KTY_RSA) {
		jb_key(b, "crv");
		jb_num(b, (double)k->crv);
		jb_key(b, "x");
		jb_b64(b, k->x, k->xlen);
		if (k->y) {
			jb_key(b, "y");
			jb_b64(b, k->y, k->ylen);
		}
	} else {
		jb_key(b, "n");
		jb_b64(b, k->n, k->nlen);
		jb_key(b, "e");
		jb_b64(b, k->e, k->elen);
	}
	jb_s(b, "}");
}

static void
jb_authdata(struct jb *b, const struct authdata *ad)
{
	jb_s(b, "{");
	jb_key(b, "rpIdHash");
	jb_b64(b, ad->rp_id_hash, 32);
	jb_key(b, "flags");
	jb_s(b, "{");
	jb_key(b, "up"); jb_bool(b, ad->flags & AD_FLAG_UP);
	jb_key(b, "uv"); jb_bool(b, ad->flags & AD_FLAG_UV);
	jb_key(b, "be"); jb_bool(b, ad->flags & AD_FLAG_BE);
	jb_key(b, "bs"); jb_bool(b, ad->flags & AD_FLAG_BS);
	jb_key(b, "at"); jb_bool(b, ad->flags & AD_FLAG_AT);
	jb_key(b, "ed"); jb_bool(b, ad->flags & AD_FLAG_ED);
	jb_s(b, "}");
	jb_key(b, "signCount");
	jb_num(b, ad->sign_count);
	if (ad->attested) {
		jb_key(b, "aaguid");
		jb_hex(b, ad->aaguid, 16);
		jb_key(b, "credentialId");
		jb_b64(b, ad->cred_id, ad->cred_id_len);
		jb_key(b, "publicKey");
		jb_cose(b, &ad->key);
		jb_key(b, "publicKeyCbor");
		jb_b64(b, ad->pubkey, ad->pubkey_len);
	}
	if (ad->ext) {
		jb_key(b, "extensions");
		jb_b64(b, ad->ext, ad->ext_len);
	}
	jb_s(b, "}");
}

static char *
jb_error(enum problem p)
{
	struct jb b = { 0 };
	jb_s(&b, "{\"error\":");
	jb_cstr(&b, problem_name(p));
	jb_s(&b, "}");
	return jb_done(&b);
}

char *
rk_authdata_parse_js(const unsigned char *p, size_t n)
{
	struct jb b = { 0 };
	struct authdata ad;
	enum problem pr = authdata_parse(p, n, &ad);

	if (pr != PROB_OK)
		return jb_error(pr);
	jb_s(&b, "{\"value\":");
	jb_authdata(&b, &ad);
	jb_s(&b, "}");
	return jb_done(&b);
}

char *
rk_attobj_parse_js(const unsigned char *p, size_t n)
{
	struct jb b = { 0 };
	struct attobj a;
	enum problem pr = attobj_parse(p, n, &a);

	if (pr != PROB_OK)
		return jb_error(pr);
	jb_s(&b, "{\"value\":{");
	jb_key(&b, "fmt");
	jb_str(&b, a.fmt, a.fmt_len);
	jb_key(&b, "attStmt");
	jb_s(&b, "{");
	if (a.has_alg) {
		jb_key(&b, "alg");
		jb_num(&b, (double)a.alg);
	}
	if (a.sig_len) {
		jb_key(&b, "sigLength");
		jb_num(&b, (double)a.sig_len);
	}
	if (a.x5c_count >= 0) {
		jb_key(&b, "x5cCount");
		jb_num(&b, a.x5c_count);
	}
	jb_s(&b, "}");
	jb_key(&b, "authData");
	jb_authdata(&b, &a.ad);
	jb_key(&b, "authDataBytes");
	jb_b64(&b, a.auth_data, a.auth_data_len);
	jb_s(&b, "}}");
	return jb_done(&b);
}

char *
rk_clientdata_check_js(const unsigned char *p, size_t n, const char *type, const char *challenge,
    const char *origin)
{
	struct jb b = { 0 };
	struct clientdata cd;
	struct problems ps = { 0, { 0 } };

	clientdata_check(p, n, type, challenge, origin, &cd, &ps);
	jb_s(&b, "{");
	jb_problems(&b, &ps);
	jb_key(&b, "clientData");
	if (ps.n == 1 && (ps.code[0] == PROB_CD_JSON || ps.code[0] == PROB_TOO_LARGE)) {
		jb_s(&b, "null");
	} else {
		jb_s(&b, "{");
		jb_key(&b, "type");
		jb_cstr(&b, cd.type);
		jb_key(&b, "challenge");
		jb_cstr(&b, cd.challenge);
		jb_key(&b, "origin");
		jb_cstr(&b, cd.origin);
		if (cd.cross_origin >= 0) {
			jb_key(&b, "crossOrigin");
			jb_bool(&b, cd.cross_origin);
		}
		if (cd.top_origin[0]) {
			jb_key(&b, "topOrigin");
			jb_cstr(&b, cd.top_origin);
		}
		jb_s(&b, "}");
	}
	jb_s(&b, "}");
	return jb_done(&b);
}

char *
rk_chain_list_js(void)
{
	struct jb b = { 0 };
	jb_s(&b, "[");
	for (unsigned i = 0; i < CHAIN__MAX; i++) {
		const struct chain_info *c = chain_info((enum chain)i);
		if (i)
			jb_s(&b, ",");
		jb_s(&b, "{");
		jb_key(&b, "id"); jb_cstr(&b, c->id);
		jb_key(&b, "name"); jb_cstr(&b, c->name);
		jb_key(&b, "coin"); jb_cstr(&b, c->coin);
		jb_key(&b, "decimals"); jb_num(&b, c->decimals);
		jb_s(&b, "}");
	}
	jb_s(&b, "]");
	return jb_done(&b);
}

/* kind: 0 address, 1 txid. Returns a problem code (0 = ok). */
int
rk_chain_check_js(const char *chain, size_t cn, const char *s, size_t n, int kind)
{
	enum chain c = chain_lookup(chain, cn);
	if (c == CHAIN__MAX)
		return PROB_CHAIN_UNKNOWN;
	return (int)(kind == 0 ? chain_validate_address(c, s, n) : chain_validate_txid(c, s, n));
}

/* kind: 0 email, 1 code, 2 password, 3 amount (arg = a network, a coin, or
 * COIN@NETWORK), 4 a coin listed on a network (arg = COIN@NETWORK).
 * Returns JSON {ok, problems}. */
char *
rk_validate_js(int kind, const char *s, size_t n, const char *arg, size_t argn)
{
	struct jb b = { 0 };
	struct problems ps = { 0, { 0 } };
	enum problem p = PROB_OK;

	switch (kind) {
	case 0:
		p = validate_utf8(s, n, 0) ? validate_email(s, n) : PROB_EMAIL_INVALID;
		break;
	case 1:
		p = validate_code(s, n);
		break;
	case 2:
		validate_password(s, n, &ps);
		break;
	case 3:
	case 4: {
		/* arg: a network (its native coin), a coin (its fewest decimals on
		 * any network), or COIN@NETWORK; kind 4 checks the listing only */
		const char *at = memchr(arg, '@', argn);
		size_t cn = at ? (size_t)(at - arg) : argn;
		enum chain c = chain_lookup(at ? at + 1 : arg, at ? argn - cn - 1 : argn);
		unsigned decimals = 0;
		if (at && c == CHAIN__MAX)
			p = PROB_CHAIN_UNKNOWN;
		else if (!at && c != CHAIN__MAX)
			decimals = chain_info(c)->decimals;
		else if ((p = chain_coin_decimals(arg, cn, c, &decimals)) != PROB_OK && !at)
			p = PROB_CHAIN_UNKNOWN; /* neither a network nor a coin we know */
		if (p == PROB_OK && kind == 3)
			p = validate_amount(s, n, decimals);
		break;
	}
	default:
		p = PROB_INTERNAL;
	}
	if (p != PROB_OK)
		problems_add(&ps, p);
	jb_s(&b, "{");
	jb_problems(&b, &ps);
	jb_s(&b, "}");
	return jb_done(&b);
}

/* The flow facts' field names in struct order: JS builds the byte array
 * for rk_flow_next_js from this list. */
static const char *const fact_names[] = {
	"agreed", "last_factor", "factor", "factor_is_target", "identity", "high_value",
	"password_confirmed", "tool_available", "attempts_left", "chose_documents", "recovery_codes",
	"questions_off", "sms_off", "phone_only",
};
static const char *const factor_names[FACTOR__MAX] = { "none", "email", "passkey", "sms", "totp" };
static const char *const identity_names[IDENTITY__MAX] = { "unverified", "verified", "invalid" };

char *
rk_flow_describe_js(const char *kind)
{
	struct jb b = { 0 };
	enum flow_kind k = flow_lookup(kind);
	const struct flow_def *d = flow_get(k);
	struct flow_facts f;
	unsigned char *fb = (unsigned char *)&f;

	if (d == NULL)
		return jb_error(PROB_FLOW_UNKNOWN);
	_Static_assert(sizeof(struct flow_facts) == sizeof fact_names / sizeof fact_names[0],
	    "facts are one byte each, in fact_names order");
	flow_facts_default(&f);
	jb_s(&b, "{\"value\":{");
	jb_key(&b, "kind"); jb_cstr(&b, d->name);
	jb_key(&b, "start"); jb_cstr(&b, d->states[d->start]);
	jb_key(&b, "states"); jb_s(&b, "[");
	for (unsigned i = 0; i < d->nstates; i++) {
		if (i) jb_s(&b, ",");
		jb_cstr(&b, d->states[i]);
	}
	jb_s(&b, "]");
	jb_key(&b, "terminal"); jb_s(&b, "[");
	for (unsigned i = 0, first = 1; i < d->nstates; i++)
		if (d->terminal[i]) {
			if (!first) jb_s(&b, ",");
			first = 0;
			jb_cstr(&b, d->states[i]);
		}
	jb_s(&b, "]");
	jb_key(&b, "events"); jb_s(&b, "[");
	for (unsigned i = 0; i < d->nevents; i++) {
		if (i) jb_s(&b, ",");
		jb_cstr(&b, d->events[i]);
	}
	jb_s(&b, "]");
	jb_key(&b, "transitions"); jb_s(&b, "[");
	for (unsigned i = 0; i < d->ntr; i++) {
		if (i) jb_s(&b, ",");
		jb_s(&b, "{");
		jb_key(&b, "from"); jb_cstr(&b, d->states[d->tr[i].from]);
		jb_key(&b, "event"); jb_cstr(&b, d->events[d->tr[i].event]);
		jb_key(&b, "to"); jb_cstr(&b, d->states[d->tr[i].to]);
		jb_key(&b, "guard"); jb_cstr(&b, flow_guard_name(d->tr[i].guard));
		jb_s(&b, "}");
	}
	jb_s(&b, "]");
	jb_key(&b, "facts"); jb_s(&b, "{");
	for (unsigned i = 0; i < sizeof fact_names / sizeof fact_names[0]; i++) {
		jb_key(&b, fact_names[i]);
		if (i == 2) jb_cstr(&b, factor_names[fb[i]]);
		else if (i == 4) jb_cstr(&b, identity_names[fb[i]]);
		else jb_num(&b, fb[i]);
	}
	jb_s(&b, "}");
	jb_key(&b, "factors"); jb_s(&b, "[");
	for (unsigned i = 0; i < FACTOR__MAX; i++) {
		if (i) jb_s(&b, ",");
		jb_cstr(&b, factor_names[i]);
	}
	jb_s(&b, "]");
	jb_key(&b, "identities"); jb_s(&b, "[");
	for (unsigned i = 0; i < IDENTITY__MAX; i++) {
		if (i) jb_s(&b, ",");
		jb_cstr(&b, identity_names[i]);
	}
	jb_s(&b, "]");
	if (k == FLOW_RESET_PASSKEYS) {
		unsigned nr;
		const struct route_rule *r = flow_route_rules(&nr);
		jb_key(&b, "routeRules"); jb_s(&b, "[");
		for (unsigned i = 0; i < nr; i++) {
			const signed char *cols[8] = { &r[i].identity_verified, &r[i].high_value,
				&r[i].password_confirmed, &r[i].tool_available, &r[i].attempts_exhausted,
				&r[i].chose_documents, &r[i].recovery_codes, &r[i].questions_off };
			static const char *const colnames[8] = { "identity_verified", "high_value",
				"password_confirmed", "tool_available", "attempts_exhausted", "chose_documents", "recovery_codes", "questions_off" };
			if (i) jb_s(&b, ",");
			jb_s(&b, "{");
			for (unsigned c = 0; c < 8; c++) {
				jb_key(&b, colnames[c]);
				if (*cols[c] < 0) jb_s(&b, "null"); else jb_bool(&b, *cols[c]);
			}
			jb_key(&b, "route"); jb_cstr(&b, flow_route_name((enum reset_route)r[i].route));
			jb_key(&b, "why"); jb_cstr(&b, r[i].why);
			jb_s(&b, "}");
		}
		jb_s(&b, "]");
	}
	jb_s(&b, "}}");
	return jb_done(&b);
}

/* facts: sizeof(struct flow_facts) bytes in fact_names order. */
char *
rk_flow_next_js(const char *kind, const char *state, const char *event, const unsigned char *facts,
    size_t nfacts)
{
	struct jb b = { 0 };
	enum flow_kind k = flow_lookup(kind);
	const struct flow_def *d = flow_get(k);
	struct flow_facts f;
	struct problems ps = { 0, { 0 } };
	unsigned to = 0;
	int s, e;
	enum problem p;

	if (d == NULL)
		return jb_error(PROB_FLOW_UNKNOWN);
	flow_facts_default(&f);
	if (nfacts == sizeof f)
		memcpy(&f, facts, sizeof f);
	if (f.factor >= FACTOR__MAX || f.identity >= IDENTITY__MAX)
		p = PROB_FLOW_GUARD;
	else if ((s = flow_state_lookup(d, state)) < 0)
		p = PROB_FLOW_STATE;
	else if ((e = flow_event_lookup(d, event)) < 0)
		p = PROB_FLOW_EVENT;
	else
		p = flow_next(k, (unsigned)s, (unsigned)e, &f, &to);
	if (p != PROB_OK)
		problems_add(&ps, p);
	jb_s(&b, "{");
	jb_problems(&b, &ps);
	jb_key(&b, "state");
	jb_cstr(&b, p == PROB_OK ? d->states[to] : state);
	if (p == PROB_OK) {
		jb_key(&b, "terminal");
		jb_bool(&b, d->terminal[to]);
	}
	if (k == FLOW_RESET_PASSKEYS) {
		unsigned row;
		enum reset_route r = flow_reset_route(&f, &row);
		jb_key(&b, "route");
		jb_cstr(&b, flow_route_name(r));
		jb_key(&b, "routeRule");
		jb_num(&b, row);
	}
	jb_s(&b, "}");
	return jb_done(&b);
}
