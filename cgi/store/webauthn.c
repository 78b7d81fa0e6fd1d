/* store/webauthn.c -- WebAuthn Level 3 registration (§7.1) and authentication
 * (§7.2). The core parses (the same code the browser ran); libfido2 checks
 * signatures and attestation statements; the steps libfido2 leaves to its
 * caller (type, challenge, origin, flags policy, counter) are here, each
 * marked with its step. */
#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <fido/rs256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"
#include "../../wasm/b64url.h"
#include "../../wasm/hash.h"
#include "../../wasm/webauthn.h"

#define CHALLENGE_BYTES 32
#define BROWSER_COOKIE "rk_wa"

/* Whose passkeys: account holders', or reviewers' (api/review.c), each in
 * its own table; the ceremonies are the same code. Reviewers always need
 * user verification, whatever webauthn_uv says for account holders. */
const struct pk_realm pk_accounts = { "register", "authenticate", STMT_PASSKEY_BY_CREDENTIAL, STMT_ACCOUNT_WEBAUTHN,
	STMT_PASSKEY_USE, STMT_PASSKEY_CREDENTIALS, 0 };
const struct pk_realm pk_reviewers = { "review_register", "review_authenticate", STMT_RPASSKEY_BY_CREDENTIAL, STMT_REVIEWER_WEBAUTHN,
	STMT_RPASSKEY_USE, STMT_RPASSKEY_CREDENTIALS, 1 };

/* ---- small helpers ---- */

/* Decodes a base64url field that the validation step already checked. */
static unsigned char *
field_bytes(json_t *obj, const char *key, size_t *n)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t len = s ? strlen(s) : 0;
	unsigned char *out;

	*n = 0;
	if (s == NULL || (out = malloc(b64url_decoded_max(len) + 1)) == NULL)
		return NULL;
	if (b64url_decode(s, len, out, b64url_decoded_max(len) + 1, n) != PROB_OK) {
		free(out);
		return NULL;
	}
	return out;
}

static int
alg_allowed(const struct app *a, long long alg)
{
	char t[24];
	snprintf(t, sizeof t, "%lld", alg);
	return config_list_has(a->cfg.webauthn_algs, t);
}

static int
uv_required(const struct app *a, const struct pk_realm *realm)
{
	return realm->reviewer || strcmp(a->cfg.webauthn_uv, "required") == 0;
}

static void
aaguid_text(const unsigned char *g, char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* The authenticator's name from the AAGUID table shipped in the repo. */
void
webauthn_aaguid_name(const struct app *a, const char *aaguid, char *out, size_t outlen)
{
	FILE *f = fopen(a->cfg.aaguid_file, "r");
	char line[256];

	snprintf(out, outlen, "Passkey");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || tab == NULL)
			continue;
		*tab = '\0';
		if (strcmp(line, aaguid) == 0) {
			tab[1 + strcspn(tab + 1, "\r\n")] = '\0';
			snprintf(out, outlen, "%s", tab + 1);
			break;
		}
	}
	fclose(f);
}

int
webauthn_count(struct app *a, uint64_t account, int *n)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_PASSKEY_CREDENTIALS, DBARGS(DB_I(account)), &rows);
	if (rc != RK_OK)
		return rc;
	*n = (int)rows.nrows;
	db_rows_free(&rows);
	return RK_OK;
}

/* A list of {type, id, transports} for exclude/allowCredentials. */
static int
credential_descriptors(struct app *a, const struct pk_realm *realm, uint64_t owner, json_t **out)
{
	struct dbrows rows;
	int rc = db_query(a->db, realm->creds, DBARGS(DB_I(owner)), &rows);

	if (rc != RK_OK)
		return rc;
	*out = json_array();
	for (unsigned i = 0; i < rows.nrows; i++) {
		size_t n;
		const char *id = db_cell(&rows, i, 0, &n);
		json_t *tr = json_array();
		char buf[200];
		snprintf(buf, sizeof buf, "%s", db_cell(&rows, i, 1, NULL));
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(tr, json_string(t));
		json_array_append_new(*out, json_pack("{s:s,s:o,s:o}", "type", "public-key", "id",
		    json_b64((const unsigned char *)id, n), "transports", tr));
	}
	db_rows_free(&rows);
	return RK_OK;
}

/* Issues a challenge bound to the session, or (signed out) to this browser
 * through a random cookie of which only a keyed hash is stored. */
static int
challenge_new(struct req *r, const char *ceremony, uint64_t account, unsigned char out[CHALLENGE_BYTES])
{
	struct app *a = r->app;
	unsigned char browser[32], bh[32];
	char token[64];

	randombytes_buf(out, CHALLENGE_BYTES); /* §13.4.3: at least 16 random bytes */
	if (r->has_session)
		return db_exec(a->db, STMT_CHALLENGE_INSERT, DBARGS(DB_B(out, CHALLENGE_BYTES), DB_S(ceremony),
		    DB_I(r->sess.id), DB_NULL, account ? DB_I(account) : DB_NULL), NULL, NULL);
	keys_random_token(token, sizeof token, browser);
	keys_hash(a->keys.link, "webauthn-browser", 16, browser, 32, bh);
	http_set_cookie(r, BROWSER_COOKIE, token, "/api", 300);
	return db_exec(a->db, STMT_CHALLENGE_INSERT, DBARGS(DB_B(out, CHALLENGE_BYTES), DB_S(ceremony), DB_NULL,
	    DB_B(bh, 32), DB_NULL), NULL, NULL);
}

/* Finds the challenge the client data answers and consumes it: single use,
 * 5-minute life, bound to whoever asked. A failed ceremony burns it too. */
static int
challenge_take(struct req *r, const char *ceremony, const char *challenge_b64, int *ok)
{
	struct app *a = r->app;
	unsigned char ch[64], bh[32];
	struct dbrows rows;
	size_t n;
	uint64_t aff = 0, id;
	int rc, used, expired, bound;
	char cookie[64];

	*ok = 0;
	if (b64url_decode(challenge_b64, strlen(challenge_b64), ch, sizeof ch, &n) != PROB_OK || n != CHALLENGE_BYTES)
		return http_fail(r, SP_CLIENT_DATA_WRONG_CHALLENGE);
	/* the common case: one conditional UPDATE consumes it; anything else is
	 * looked at below, only to say what is wrong */
	{
		unsigned char browser[48];
		int have_browser = !r->has_session && http_cookie(r->cookie, BROWSER_COOKIE, cookie, sizeof cookie) != NULL &&
		    b64url_decode(cookie, strlen(cookie), browser, sizeof browser, &n) == PROB_OK && n == 32;
		if (have_browser)
			keys_hash(a->keys.link, "webauthn-browser", 16, browser, 32, bh);
		if ((rc = db_exec(a->db, STMT_CHALLENGE_TAKE, DBARGS(DB_B(ch, CHALLENGE_BYTES), DB_S(ceremony),
		    r->has_session ? DB_I(r->sess.id) : DB_NULL, have_browser ? DB_B(bh, 32) : DB_NULL), &aff, NULL)) != RK_OK)
			return rc;
		if (aff == 1) {
			*ok = 1;
			return RK_OK;
		}
	}
	if ((rc = db_query(a->db, STMT_CHALLENGE_GET, DBARGS(DB_B(ch, CHALLENGE_BYTES)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 0 || strcmp(db_cell(&rows, 0, 1, NULL), ceremony) != 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_CLIENT_DATA_WRONG_CHALLENGE);
	}
	id = (uint64_t)db_cell_ll(&rows, 0, 0);
	used = db_cell_ll(&rows, 0, 5) == 1;
	expired = db_cell_ll(&rows, 0, 6) == 1;
	if (!db_cell_null(&rows, 0, 2)) {
		bound = r->has_session && (uint64_t)db_cell_ll(&rows, 0, 2) == r->sess.id;
	} else {
		size_t bl;
		unsigned char browser[48];
		const char *stored = db_cell(&rows, 0, 3, &bl);
		bound = http_cookie(r->cookie, BROWSER_COOKIE, cookie, sizeof cookie) != NULL &&
		    b64url_decode(cookie, strlen(cookie), browser, sizeof browser, &n) == PROB_OK && n == 32;
		if (bound) {
			keys_hash(a->keys.link, "webauthn-browser", 16, browser, 32, bh);
			bound = bl == 32 && keys_equal(stored, bh, 32);
		}
	}
	db_rows_free(&rows);
	if (!bound) /* another session's or browser's challenge */
		return http_fail(r, SP_CLIENT_DATA_WRONG_CHALLENGE);
	if (used)
		return http_fail(r, SP_CHALLENGE_USED);
	if (expired)
		return http_fail(r, SP_CHALLENGE_EXPIRED);
	if ((rc = db_exec(a->db, STMT_CHALLENGE_USE, DBARGS(DB_I(id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_CHALLENGE_USED);
	*ok = 1;
	return RK_OK;
}

/* The checks on clientDataJSON shared by both ceremonies (§7.1 steps 5-10,
 * §7.2 steps 9-14), challenge included. */
static int
client_data_ok(struct req *r, const unsigned char *cdj, size_t cdl, const char *type, const char *ceremony, int *ok)
{
	struct clientdata cd;
	struct problems ps = { 0, { 0 } };
	enum problem p;

	*ok = 0;
	/* §7.1 steps 5-6 / §7.2 steps 9-10: UTF-8, JSON */
	if ((p = clientdata_parse(cdj, cdl, &cd)) != PROB_OK)
		return http_fail_core(r, 400, p, NULL);
	/* §7.1 step 7 / §7.2 step 11: type */
	if (strcmp(cd.type, type) != 0)
		return http_fail_core(r, 400, PROB_CD_TYPE, NULL);
	/* §7.1 step 8 / §7.2 step 12: the challenge we issued, bound to the asker */
	{
		int rc = challenge_take(r, ceremony, cd.challenge, ok);
		if (rc != RK_OK || !*ok)
			return rc;
		*ok = 0;
	}
	/* §7.1 step 9 / §7.2 step 13: origin; steps 10/14: no cross-origin use */
	clientdata_check(cdj, cdl, type, cd.challenge, r->app->cfg.origin, &cd, &ps);
	if (problems_has(&ps, PROB_CD_ORIGIN))
		return http_fail_core(r, 400, PROB_CD_ORIGIN, NULL);
	if (problems_has(&ps, PROB_CD_CROSS_ORIGIN))
		return http_fail_core(r, 400, PROB_CD_CROSS_ORIGIN, NULL);
	*ok = 1;
	return RK_OK;
}

/* Flags policy (§7.1 steps 14-17, §7.2 steps 16-18). */
static int
flags_ok(struct req *r, const struct pk_realm *realm, const struct authdata *ad, int *ok)
{
	unsigned char want[32];

	*ok = 0;
	/* §7.1 step 13 / §7.2 step 15: rpIdHash */
	hash_sha256(r->app->cfg.rp_id, strlen(r->app->cfg.rp_id), want);
	if (!keys_equal(ad->rp_id_hash, want, 32))
		return http_fail(r, SP_RP_ID_MISMATCH);
	/* §7.1 step 14 / §7.2 step 16: user present */
	if (!(ad->flags & AD_FLAG_UP))
		return http_fail(r, SP_USER_PRESENCE_MISSING);
	/* §7.1 step 15 / §7.2 step 17: user verified, when policy requires it */
	if (uv_required(r->app, realm) && !(ad->flags & AD_FLAG_UV))
		return http_fail(r, SP_USER_VERIFICATION_MISSING);
	/* §7.1 step 16 / §7.2 step 18: BS=1 requires BE=1 (the core refuses it while parsing too) */
	if ((ad->flags & AD_FLAG_BS) && !(ad->flags & AD_FLAG_BE))
		return http_fail_core(r, 400, PROB_AD_BS_WITHOUT_BE, NULL);
	*ok = 1;
	return RK_OK;
}

static enum sproblem
fido_error(int rc)
{
	return rc == FIDO_ERR_INVALID_SIG ? SP_ATTESTATION_SIGNATURE_WRONG : SP_ATTESTATION_NOT_VERIFIED;
}

/* §7.1 steps 19-21: the attestation statement, verified by libfido2. */
static int
attestation_verify(struct req *r, const struct pk_realm *realm, const struct attobj *ao, const unsigned char cdh[32], unsigned char *pk,
    size_t pkmax, size_t *pklen, int *ok)
{
	fido_cred_t *cred = fido_cred_new();
	char fmt[33];
	int frc = FIDO_OK;

	*ok = 0;
	if (cred == NULL)
		return RK_FAIL;
	snprintf(fmt, sizeof fmt, "%.*s", (int)ao->fmt_len, ao->fmt);
	if (strcmp(fmt, "none") != 0 && strcmp(fmt, "packed") != 0 && strcmp(fmt, "fido-u2f") != 0) {
		fido_cred_free(&cred);
		return http_fail(r, SP_UNSUPPORTED_ATTESTATION);
	}
	/* the credential's type must be set first: libfido2 checks the COSE key against it */
	if ((frc = fido_cred_set_type(cred, (int)ao->ad.key.alg)) != FIDO_OK ||
	    (frc = fido_cred_set_authdata_raw(cred, ao->auth_data, ao->auth_data_len)) != FIDO_OK ||
	    (frc = fido_cred_set_clientdata_hash(cred, cdh, 32)) != FIDO_OK ||
	    (frc = fido_cred_set_rp(cred, r->app->cfg.rp_id, r->app->cfg.rp_name)) != FIDO_OK ||
	    (frc = fido_cred_set_fmt(cred, fmt)) != FIDO_OK ||
	    (frc = fido_cred_set_uv(cred, uv_required(r->app, realm) ? FIDO_OPT_TRUE : FIDO_OPT_OMIT)) != FIDO_OK) {
		fido_cred_free(&cred);
		return http_fail(r, SP_COSE_KEY_INVALID);
	}
	if (strcmp(fmt, "none") != 0) {
		if ((frc = fido_cred_set_attstmt(cred, ao->att_stmt, ao->att_stmt_len)) != FIDO_OK) {
			fido_cred_free(&cred);
			return http_fail(r, SP_ATTESTATION_INVALID);
		}
		/* packed with x5c and fido-u2f: the certificate's key signed; packed without: self */
		if (ao->x5c_count > 0)
			frc = fido_cred_verify(cred);
		else if (strcmp(fmt, "packed") == 0 && ao->has_alg && ao->alg == ao->ad.key.alg)
			frc = fido_cred_verify_self(cred); /* §8.2 step 4: self attestation uses the credential key */
		else
			frc = FIDO_ERR_INVALID_ARGUMENT;
		if (frc != FIDO_OK) {
			fido_cred_free(&cred);
			return http_fail(r, fido_error(frc));
		}
	}
	if (fido_cred_pubkey_len(cred) > pkmax || fido_cred_pubkey_ptr(cred) == NULL) {
		fido_cred_free(&cred);
		return RK_FAIL;
	}
	*pklen = fido_cred_pubkey_len(cred);
	memcpy(pk, fido_cred_pubkey_ptr(cred), *pklen);
	fido_cred_free(&cred);
	*ok = 1;
	return RK_OK;
}

/* ---- routes ---- */

/* PublicKeyCredentialCreationOptionsJSON (WebAuthn L3 §5.4) for an owner
 * of the realm: its row from realm->owner gives the user handle (32 random
 * bytes, never the email, §14.6.1) and names; its passkeys are excluded. */
int
webauthn_creation_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out)
{
	struct app *a = r->app;
	struct dbrows rows;
	unsigned char ch[CHALLENGE_BYTES];
	json_t *exclude = NULL, *params = json_array();
	char buf[64];
	int rc;

	*out = NULL;
	if ((rc = db_query(a->db, realm->owner, DBARGS(DB_I(owner)), &rows)) != RK_OK)
		goto fail;
	if (rows.nrows != 1) {
		db_rows_free(&rows);
		rc = RK_FAIL;
		goto fail;
	}
	if ((rc = credential_descriptors(a, realm, owner, &exclude)) != RK_OK ||
	    (rc = challenge_new(r, realm->reg_ceremony, realm->reviewer ? 0 : owner, ch)) != RK_OK) {
		db_rows_free(&rows);
		goto fail;
	}
	snprintf(buf, sizeof buf, "%s", a->cfg.webauthn_algs);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(params, json_pack("{s:s,s:I}", "type", "public-key", "alg", (json_int_t)atoll(t)));
	{
		size_t hl;
		const char *handle = db_cell(&rows, 0, 0, &hl);
		const char *name = db_cell(&rows, 0, 1, NULL), *display = db_cell(&rows, 0, 2, NULL);
		*out = json_pack("{s:{s:s,s:s},s:{s:o,s:s,s:s},s:o,s:o,s:i,s:o,s:{s:s,s:b,s:s},s:s,s:{s:b}}",
		    "rp", "id", a->cfg.rp_id, "name", a->cfg.rp_name,
		    "user", "id", json_b64((const unsigned char *)handle, hl), "name", name, "displayName", *display ? display : name,
		    "challenge", json_b64(ch, sizeof ch),
		    "pubKeyCredParams", params,
		    "timeout", 300000,
		    "excludeCredentials", exclude,
		    "authenticatorSelection", "residentKey", "required", "requireResidentKey", 1,
		    "userVerification", uv_required(a, realm) ? "required" : a->cfg.webauthn_uv,
		    "attestation", "direct",
		    "extensions", "credProps", 1);
	}
	db_rows_free(&rows);
	return *out ? RK_OK : RK_FAIL;
fail:
	json_decref(params);
	json_decref(exclude);
	return rc;
}

/* §7.1 for one RegistrationResponseJSON, up to the store: on success *ok
 * is set and n holds what to store; otherwise a 4xx is in r. */
int
webauthn_register_verify(struct req *r, const struct pk_realm *realm, json_t *cred, struct pk_new *n, int *ok)
{
	struct app *a = r->app;
	json_t *resp = json_object_get(cred, "response");
	json_t *transports = json_object_get(resp, "transports");
	unsigned char *cdj = NULL, *att = NULL, *rawid = NULL, *id = NULL, cdh[32];
	size_t cdl, attl, rawl, idl;
	struct attobj ao;
	enum problem p;
	int rc = RK_OK;

	*ok = 0;
	memset(n, 0, sizeof *n);
	cdj = field_bytes(resp, "clientDataJSON", &cdl);
	att = field_bytes(resp, "attestationObject", &attl);
	rawid = field_bytes(cred, "rawId", &rawl);
	id = field_bytes(cred, "id", &idl);
	if (!cdj || !att || !rawid || !id) {
		rc = RK_FAIL;
		goto out;
	}
	/* §5.1: id is rawId in base64url */
	if (idl != rawl || memcmp(id, rawid, idl) != 0) {
		rc = http_fail(r, SP_CREDENTIAL_ID_MISMATCH);
		goto out;
	}
	/* §7.1 steps 5-10 */
	if ((rc = client_data_ok(r, cdj, cdl, "webauthn.create", realm->reg_ceremony, ok)) != RK_OK || !*ok)
		goto out;
	*ok = 0;
	/* §7.1 step 11: hash of clientDataJSON */
	hash_sha256(cdj, cdl, cdh);
	/* §7.1 step 12: CBOR-decode the attestation object (the core: definite
	 * lengths, no trailing bytes, attested data present, COSE key shape) */
	if ((p = attobj_parse(att, attl, &ao)) != PROB_OK) {
		rc = http_fail_core(r, 400, p, NULL);
		goto out;
	}
	/* a second line behind the core's Ed25519 checks (wasm/ecc.c): libsodium's
	 * own (canonical, on the curve, not of small order, in the subgroup) */
	if (ao.ad.key.alg == COSE_ALG_EDDSA && crypto_core_ed25519_is_valid_point(ao.ad.key.x) != 1) {
		rc = http_fail_core(r, 400, PROB_COSE_KEY, NULL);
		goto out;
	}
	/* §7.1 steps 13-16 */
	if ((rc = flags_ok(r, realm, &ao.ad, ok)) != RK_OK || !*ok)
		goto out;
	*ok = 0;
	/* §7.1 step 17: an algorithm we offered */
	if (!alg_allowed(a, ao.ad.key.alg)) {
		rc = http_fail_core(r, 400, PROB_COSE_ALG, NULL);
		goto out;
	}
	/* §7.1 step 18: extensions -- none requested; outputs are ignored */
	/* §7.1 step 25: the credential ID in authData is the one the client sent */
	if (ao.ad.cred_id_len != rawl || memcmp(ao.ad.cred_id, rawid, rawl) != 0 || rawl > sizeof n->cred_id ||
	    ao.ad.pubkey_len > sizeof n->cose_key) {
		rc = http_fail(r, SP_CREDENTIAL_ID_NOT_IN_AUTHDATA);
		goto out;
	}
	/* §7.1 steps 19-21: the attestation statement */
	if ((rc = attestation_verify(r, realm, &ao, cdh, n->pk, sizeof n->pk, &n->pk_len, ok)) != RK_OK || !*ok)
		goto out;
	*ok = 0;
	/* §7.1 steps 22-24: trust. No attestation roots are configured; an
	 * operator may restrict authenticators by AAGUID instead. */
	aaguid_text(ao.ad.aaguid, n->aaguid_text);
	if (a->cfg.aaguid_allow[0] && !config_list_has(a->cfg.aaguid_allow, n->aaguid_text)) {
		rc = http_fail(r, SP_AUTHENTICATOR_NOT_ALLOWED);
		goto out;
	}
	if (transports) {
		size_t i;
		json_t *e;
		json_array_foreach(transports, i, e) {
			if (strlen(n->transports) + json_string_length(e) + 2 >= sizeof n->transports)
				break;
			if (n->transports[0])
				strcat(n->transports, ",");
			strcat(n->transports, json_string_value(e));
		}
	}
	memcpy(n->cred_id, rawid, rawl);
	n->cred_id_len = rawl;
	memcpy(n->cose_key, ao.ad.pubkey, ao.ad.pubkey_len);
	n->cose_key_len = ao.ad.pubkey_len;
	n->alg = ao.ad.key.alg;
	n->sign_count = ao.ad.sign_count;
	n->uv = (ao.ad.flags & AD_FLAG_UV) != 0;
	n->be = (ao.ad.flags & AD_FLAG_BE) != 0;
	n->bs = (ao.ad.flags & AD_FLAG_BS) != 0;
	memcpy(n->aaguid, ao.ad.aaguid, 16);
	snprintf(n->fmt, sizeof n->fmt, "%.*s", (int)ao.fmt_len, ao.fmt);
	webauthn_aaguid_name(a, n->aaguid_text, n->default_name, sizeof n->default_name);
	*ok = 1;
out:
	free(cdj);
	free(att);
	free(rawid);
	free(id);
	return rc;
}

/* PublicKeyCredentialRequestOptionsJSON, WebAuthn L3 §5.5: for a known
 * owner, its passkeys; signed out (owner 0), an empty list and the
 * authenticator offers its discoverable credentials. */
int
webauthn_request_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out)
{
	unsigned char ch[CHALLENGE_BYTES];
	json_t *allow = NULL;
	int rc;

	*out = NULL;
	if (owner && (rc = credential_descriptors(r->app, realm, owner, &allow)) != RK_OK)
		return rc;
	if ((rc = challenge_new(r, realm->auth_ceremony, realm->reviewer ? 0 : owner, ch)) != RK_OK) {
		json_decref(allow);
		return rc;
	}
	*out = json_pack("{s:o,s:s,s:i,s:o,s:s}", "challenge", json_b64(ch, sizeof ch), "rpId", r->app->cfg.rp_id,
	    "timeout", 300000, "allowCredentials", allow ? allow : json_array(),
	    "userVerification", uv_required(r->app, realm) ? "required" : r->app->cfg.webauthn_uv);
	return *out ? RK_OK : RK_FAIL;
}

/* §7.2 step 21: the signature over authData || SHA-256(clientDataJSON), by libfido2. */
static int
assertion_signature_ok(const struct app *a, const struct pk_realm *realm, long long alg, const unsigned char *pk, size_t pkl, const unsigned char *ad,
    size_t adl, const unsigned char cdh[32], const unsigned char *sig, size_t sigl)
{
	fido_assert_t *as = fido_assert_new();
	es256_pk_t *es = NULL;
	rs256_pk_t *rs = NULL;
	eddsa_pk_t *ed = NULL;
	const void *key = NULL;
	int ok = 0;

	if (as == NULL)
		return 0;
	if (alg == COSE_ALG_ES256 && (es = es256_pk_new()) && es256_pk_from_ptr(es, pk, pkl) == FIDO_OK)
		key = es;
	else if (alg == COSE_ALG_RS256 && (rs = rs256_pk_new()) && rs256_pk_from_ptr(rs, pk, pkl) == FIDO_OK)
		key = rs;
	else if (alg == COSE_ALG_EDDSA && (ed = eddsa_pk_new()) && eddsa_pk_from_ptr(ed, pk, pkl) == FIDO_OK)
		key = ed;
	/* UP and UV were checked by flags_ok; libfido2 checks them again with the RP ID hash */
	if (key && fido_assert_set_rp(as, a->cfg.rp_id) == FIDO_OK && fido_assert_set_clientdata_hash(as, cdh, 32) == FIDO_OK &&
	    fido_assert_set_count(as, 1) == FIDO_OK && fido_assert_set_authdata_raw(as, 0, ad, adl) == FIDO_OK &&
	    fido_assert_set_sig(as, 0, sig, sigl) == FIDO_OK && fido_assert_set_up(as, FIDO_OPT_TRUE) == FIDO_OK &&
	    fido_assert_set_uv(as, uv_required(a, realm) ? FIDO_OPT_TRUE : FIDO_OPT_OMIT) == FIDO_OK)
		ok = fido_assert_verify(as, 0, (int)alg, key) == FIDO_OK;
	es256_pk_free(&es);
	rs256_pk_free(&rs);
	eddsa_pk_free(&ed);
	fido_assert_free(&as);
	return ok;
}

/* §7.2 for one AuthenticationResponseJSON. On success *ok is set and the
 * passkey and its account are returned; otherwise a 4xx is in r. Used by
 * sign-in and by every later step that asks for a passkey. */
int
webauthn_assert(struct req *r, json_t *cred, uint64_t *pkid_out, uint64_t *account_out, int *ok_out)
{
	return webauthn_assert_in(r, &pk_accounts, cred, pkid_out, account_out, ok_out);
}

int
webauthn_assert_in(struct req *r, const struct pk_realm *realm, json_t *cred, uint64_t *pkid_out, uint64_t *account_out, int *ok_out)
{
	struct app *a = r->app;
	json_t *resp = json_object_get(cred, "response");
	unsigned char *cdj = NULL, *adb = NULL, *sig = NULL, *rawid = NULL, *id = NULL, *uh = NULL, cdh[32];
	size_t cdl, adl, sigl, rawl, idl, uhl = 0;
	struct authdata ad;
	struct dbrows rows = { 0 };
	enum problem p;
	uint64_t pkid = 0, account = 0, aff = 0;
	long long alg, stored_count;
	int rc = RK_OK, ok = 0, be, bs;
	char pkname[80], received[24], stored[24];

	*ok_out = 0;
	cdj = field_bytes(resp, "clientDataJSON", &cdl);
	adb = field_bytes(resp, "authenticatorData", &adl);
	sig = field_bytes(resp, "signature", &sigl);
	rawid = field_bytes(cred, "rawId", &rawl);
	id = field_bytes(cred, "id", &idl);
	if (json_is_string(json_object_get(resp, "userHandle")))
		uh = field_bytes(resp, "userHandle", &uhl);
	if (!cdj || !adb || !sig || !rawid || !id) {
		rc = RK_FAIL;
		goto out;
	}
	if (idl != rawl || memcmp(id, rawid, idl) != 0) {
		rc = http_fail(r, SP_CREDENTIAL_ID_MISMATCH);
		goto out;
	}
	/* §7.2 steps 5-6: the credential, and whose it is */
	if ((rc = db_query(a->db, realm->by_credential, DBARGS(DB_B(rawid, rawl)), &rows)) != RK_OK)
		goto out;
	if (rows.nrows == 0) {
		rc = http_fail(r, SP_UNKNOWN_CREDENTIAL);
		goto out;
	}
	pkid = (uint64_t)db_cell_ll(&rows, 0, 0);
	account = (uint64_t)db_cell_ll(&rows, 0, 1);
	alg = db_cell_ll(&rows, 0, 2);
	stored_count = db_cell_ll(&rows, 0, 4);
	be = db_cell_ll(&rows, 0, 5) == 1;
	bs = db_cell_ll(&rows, 0, 6) == 1;
	snprintf(pkname, sizeof pkname, "%s", db_cell(&rows, 0, 7, NULL));
	/* §7.2 step 5: with a session, only the account's own credentials (allowCredentials) */
	if (!realm->reviewer && r->has_session && account != r->sess.account_id) {
		rc = http_fail(r, SP_WRONG_CREDENTIAL);
		goto out;
	}
	/* §7.2 step 6: the user handle, when given, names the credential's owner;
	 * a first-factor sign-in needs it (discoverable credentials) */
	{
		size_t hl;
		const char *handle = db_cell(&rows, 0, 8, &hl);
		if ((uh == NULL && (realm->reviewer || !r->has_session)) || (uh && (uhl != hl || !keys_equal(uh, handle, hl)))) {
			rc = http_fail(r, SP_USER_HANDLE_MISMATCH);
			goto out;
		}
	}
	/* §7.2 steps 9-14 */
	if ((rc = client_data_ok(r, cdj, cdl, "webauthn.get", realm->auth_ceremony, &ok)) != RK_OK || !ok)
		goto out;
	/* the authenticator data: no attested data in an assertion */
	if ((p = authdata_parse(adb, adl, &ad)) != PROB_OK) {
		rc = http_fail_core(r, 400, p, NULL);
		goto out;
	}
	if (ad.attested) {
		rc = http_fail_core(r, 400, PROB_AD_UNEXPECTED_ATTESTED, NULL);
		goto out;
	}
	/* §7.2 steps 15-18 */
	if ((rc = flags_ok(r, realm, &ad, &ok)) != RK_OK || !ok)
		goto out;
	/* §7.2 step 19: backup eligibility never changes for a credential */
	if (((ad.flags & AD_FLAG_BE) != 0) != be) {
		rc = http_fail(r, SP_BACKUP_ELIGIBILITY_CHANGED);
		goto out;
	}
	/* §7.2 step 20: extensions -- none requested, outputs ignored */
	/* §7.2 step 21: hash of clientDataJSON, then the signature */
	hash_sha256(cdj, cdl, cdh);
	{
		size_t pkl;
		const char *pk = db_cell(&rows, 0, 3, &pkl);
		if (!assertion_signature_ok(a, realm, alg, (const unsigned char *)pk, pkl, adb, adl, cdh, sig, sigl)) {
			rc = http_fail(r, SP_SIGNATURE_INVALID);
			goto out;
		}
	}
	/* a suspended passkey (a reset or a deletion, within the dispute window,
	 * #18) signs nothing: refused after its signature, so only its holder
	 * learns it, and never as unknown (the page would tell the provider to
	 * forget a passkey its owner may need back) */
	if (!realm->reviewer && db_cell_ll(&rows, 0, 10) == 1) {
		rc = http_fail(r, SP_PASSKEY_SUSPENDED);
		goto out;
	}
	/* §7.2 step 22: the signature counter must grow, unless both are 0 */
	if ((ad.sign_count != 0 || stored_count != 0) && (long long)ad.sign_count <= stored_count) {
		snprintf(received, sizeof received, "%u", ad.sign_count);
		snprintf(stored, sizeof stored, "%lld", stored_count);
		if ((rc = audit_append(a, realm->reviewer ? 0 : account, "passkey_counter_regression", "system", r->ip,
		    json_pack("{s:I,s:I,s:I,s:b}", "passkey", (json_int_t)pkid, "stored", (json_int_t)stored_count,
		    "received", (json_int_t)ad.sign_count, "reviewer", realm->reviewer))) != RK_OK ||
		    (!realm->reviewer && (rc = mail_notice(a, r, account, NOTICE_PASSKEY_CLONED,
		    (const char *const[]){ "name", pkname, "received", received, "stored", stored, NULL })) != RK_OK))
			goto out;
		rc = http_fail(r, SP_COUNTER_REGRESSION);
		goto out;
	}
	/* store the counter and the backup state (a change of BS is recorded) */
	if ((rc = db_exec(a->db, realm->use, DBARGS(DB_I(ad.sign_count), DB_I((ad.flags & AD_FLAG_BS) != 0),
	    DB_I(pkid), DB_I(stored_count)), &aff, NULL)) != RK_OK)
		goto out;
	if (aff != 1) {
		rc = http_fail(r, SP_COUNTER_RACE);
		goto out;
	}
	if (((ad.flags & AD_FLAG_BS) != 0) != bs &&
	    (rc = audit_append(a, realm->reviewer ? 0 : account, "passkey_backup_state_changed", "system", r->ip,
	    json_pack("{s:I,s:b}", "passkey", (json_int_t)pkid, "backed_up", (ad.flags & AD_FLAG_BS) != 0))) != RK_OK)
		goto out;
	if (db_cell_ll(&rows, 0, 9) == 1) { /* a frozen account regains access through the reset flow only */
		uint64_t disputed = 0;
		if (realm->reviewer)
			rc = http_fail(r, SP_REVIEWER_DISABLED);
		else if ((rc = dispute_open_case(a, account, &disputed)) == RK_OK)
			/* #18: the owner's passkey, back after "this was not me": the account's state */
			rc = http_fail(r, disputed ? SP_ACCOUNT_FROZEN_DISPUTE : SP_ACCOUNT_FROZEN);
		goto out;
	}
	*pkid_out = pkid;
	*account_out = account;
	*ok_out = 1;
out:
	db_rows_free(&rows);
	free(cdj);
	free(adb);
	free(sig);
	free(rawid);
	free(id);
	free(uh);
	return rc;
}

/* Request options for a passkey step of a flow: the account's passkeys
 * except one (the passkey being deleted cannot verify its own deletion). */
int
webauthn_options_except(struct req *r, uint64_t except_passkey, json_t **out)
{
	unsigned char ch[CHALLENGE_BYTES];
	struct dbrows rows;
	json_t *allow = json_array();
	int rc = db_query(r->app->db, STMT_PASSKEY_LIST_IDS, DBARGS(DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK) {
		json_decref(allow);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows; i++) {
		size_t n;
		const char *cid = db_cell(&rows, i, 1, &n);
		if ((uint64_t)db_cell_ll(&rows, i, 0) == except_passkey)
			continue;
		json_array_append_new(allow, json_pack("{s:s,s:o}", "type", "public-key", "id", json_b64((const unsigned char *)cid, n)));
	}
	db_rows_free(&rows);
	if ((rc = challenge_new(r, "authenticate", r->sess.account_id, ch)) != RK_OK) {
		json_decref(allow);
		return rc;
	}
	*out = json_pack("{s:o,s:s,s:i,s:o,s:s}", "challenge", json_b64(ch, sizeof ch), "rpId", r->app->cfg.rp_id,
	    "timeout", 300000, "allowCredentials", allow, "userVerification", r->app->cfg.webauthn_uv);
	return RK_OK;
}
