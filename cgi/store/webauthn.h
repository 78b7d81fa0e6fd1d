/* store/webauthn.h -- WebAuthn L3 ceremonies (registration §7.1, authentication
 * §7.2) for a realm of owners: account holders or reviewers. */
#ifndef REKEY_STORE_WEBAUTHN_H
#define REKEY_STORE_WEBAUTHN_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "../base/base.h"

struct pk_realm {
	const char *reg_ceremony, *auth_ceremony;
	enum stmt by_credential;  /* (credential) -> id, owner, alg, public_key, sign_count, be, bs, name, owner's handle, owner locked */
	enum stmt owner;          /* (owner) -> user_handle, name, display name, locked */
	enum stmt use;            /* (sign_count, bs, id, stored sign_count) */
	enum stmt creds;          /* (owner) -> credential_id, transports */
	int reviewer;             /* UV always required; audit on chain 0; no account mail */
};
extern const struct pk_realm pk_accounts, pk_reviewers;
struct pk_new {
	unsigned char cred_id[1023], pk[600], cose_key[700], aaguid[16];
	size_t cred_id_len, pk_len, cose_key_len;
	long long alg;
	unsigned sign_count;
	int uv, be, bs;
	char aaguid_text[37], fmt[33], transports[200], default_name[80];
};
int webauthn_creation_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out);
int webauthn_register_verify(struct req *r, const struct pk_realm *realm, json_t *cred, struct pk_new *n, int *ok);
int webauthn_request_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out);
int webauthn_assert_in(struct req *r, const struct pk_realm *realm, json_t *cred, uint64_t *pkid, uint64_t *owner, int *ok);
/* An account holder's assertion (sign-in and every later passkey step). */
int webauthn_assert(struct req *r, json_t *cred, uint64_t *pkid, uint64_t *account, int *ok);
/* Request options for a flow's passkey step: the account's passkeys but one. */
int webauthn_options_except(struct req *r, uint64_t except_passkey, json_t **out);
int webauthn_count(struct app *a, uint64_t account, int *n);
/* The authenticator's name from the AAGUID table shipped in the repo. */
void webauthn_aaguid_name(const struct app *a, const char *aaguid, char *out, size_t outlen);

#endif
