/* api/passkeys.c -- My passkeys: register, sign in, list, rename (the ceremonies are store/webauthn.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

int
h_passkey_reg_options(struct req *r)
{
	json_t *out;
	/* a new passkey can confirm later changes (step-up): adding one needs a recent factor itself */
	int rc = session_require_step_up(r, 1);

	if (rc == RK_OK && (rc = webauthn_creation_options(r, &pk_accounts, r->sess.account_id, &out)) == RK_OK)
		http_json(r, 200, out);
	return rc;
}

int
h_passkey_register(struct req *r)
{
	struct app *a = r->app;
	json_t *jname = json_object_get(r->in, "name");
	struct pk_new n;
	char name[80];
	uint64_t pkid = 0;
	int rc, ok = 0;

	if ((rc = session_require_step_up(r, 1)) != RK_OK ||
	    (rc = webauthn_register_verify(r, &pk_accounts, json_object_get(r->in, "response"), &n, &ok)) != RK_OK || !ok)
		return rc;
	if (jname && json_is_string(jname))
		snprintf(name, sizeof name, "%s", json_string_value(jname));
	else
		snprintf(name, sizeof name, "%s", n.default_name);
	/* §7.1 step 26: not registered before -- the unique index decides,
	 * racing registrations included; step 27: store */
	rc = db_exec(a->db, STMT_PASSKEY_INSERT, DBARGS(DB_I(r->sess.account_id), DB_B(n.cred_id, n.cred_id_len),
	    DB_I(n.alg), DB_B(n.pk, n.pk_len), DB_B(n.cose_key, n.cose_key_len), DB_I(n.sign_count),
	    DB_I(n.uv), DB_I(n.be), DB_I(n.bs), DB_B(n.aaguid, 16), DB_S(n.fmt), DB_S(n.transports), DB_S(name)), NULL, &pkid);
	if (rc == RK_DUP)
		return http_fail(r, SP_CREDENTIAL_EXISTS);
	if (rc != RK_OK ||
	    (rc = db_exec(a->db, STMT_ACCOUNT_PROTECTED, DBARGS(DB_I(r->sess.account_id)), NULL, NULL)) != RK_OK ||
	    (rc = audit_append(a, r->sess.account_id, "passkey_added", "account", r->ip,
	    json_pack("{s:I,s:s,s:s}", "passkey", (json_int_t)pkid, "aaguid", n.aaguid_text, "fmt", strcmp(n.fmt, "none") == 0 ? "none" : "attested"))) != RK_OK ||
	    (rc = session_step_up_mark(r, NULL)) != RK_OK)
		return rc;
	if ((rc = mail_notice(a, r, r->sess.account_id, NOTICE_PASSKEY_ADDED, (const char *const[]){ "name", name, NULL })) != RK_OK)
		return rc;
	http_json(r, 201, json_pack("{s:I,s:s,s:I,s:b,s:b}", "id", (json_int_t)pkid, "name", name,
	    "alg", (json_int_t)n.alg, "synced", n.bs, "device_bound", !n.be));
	return RK_OK;
}

int
h_passkey_auth_options(struct req *r)
{
	json_t *out;
	int rc;

	/* signed out, each call stores a challenge: the per-IP budget */
	if (!r->has_session && (rc = rate_anon(r)) != RK_OK)
		return rc;
	/* second factor after a password: only this account's passkeys */
	rc = webauthn_request_options(r, &pk_accounts, r->has_session ? r->sess.account_id : 0, &out);
	if (rc == RK_OK)
		http_json(r, 200, out);
	return rc;
}

int
h_passkey_authenticate(struct req *r)
{
	struct app *a = r->app;
	uint64_t pkid = 0, account = 0;
	char csrf[40];
	int rc, ok = 0, promoted;

	if ((rc = webauthn_assert(r, json_object_get(r->in, "response"), &pkid, &account, &ok)) != RK_OK || !ok)
		return rc;
	if (r->has_session) {
		/* second factor after a password: a new token (the old one ends) */
		if ((rc = session_promote(r, "password+passkey", &promoted)) != RK_OK)
			return rc;
	} else if ((rc = session_start(r, account, 1, "passkey")) != RK_OK) {
		return rc;
	}
	session_csrf(a, r->sess.token_hash, csrf);
	http_json(r, 200, json_pack("{s:s,s:I,s:s}", "status", "signed_in", "passkey", (json_int_t)pkid, "csrf", csrf));
	return RK_OK;
}

int
h_passkeys_list(struct req *r)
{
	struct dbrows rows;
	json_t *list = json_array(), *signal = NULL;
	int rc = db_query(r->app->db, STMT_PASSKEY_LIST, DBARGS(DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK) {
		json_decref(list);
		return rc;
	}
	for (unsigned i = 0; i < rows.nrows; i++) {
		char aaguid[37], hex[33], authn[80];
		json_t *e;
		snprintf(hex, sizeof hex, "%s", db_cell(&rows, i, 6, NULL));
		snprintf(aaguid, sizeof aaguid, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
		webauthn_aaguid_name(r->app, aaguid, authn, sizeof authn);
		e = json_pack("{s:I,s:s,s:I,s:b,s:b,s:s,s:s,s:s,s:s,s:o}",
		    "id", (json_int_t)db_cell_ll(&rows, i, 0), "name", db_cell(&rows, i, 1, NULL),
		    "alg", (json_int_t)db_cell_ll(&rows, i, 2), "synced", db_cell_ll(&rows, i, 5) == 1,
		    "device_bound", db_cell_ll(&rows, i, 4) == 0, "aaguid", aaguid, "authenticator", authn,
		    "transports", db_cell(&rows, i, 8, NULL), "created_at", db_cell(&rows, i, 9, NULL),
		    "last_used_at", db_cell_null(&rows, i, 10) ? json_null() : json_string(db_cell(&rows, i, 10, NULL)));
		/* #18: a removed passkey is suspended until the dispute window ends; the list says so */
		json_object_set_new(e, "removed", json_boolean(!db_cell_null(&rows, i, 11)));
		json_object_set_new(e, "removed_until", db_cell_null(&rows, i, 11) ? json_null() : json_string(db_cell(&rows, i, 11, NULL)));
		json_array_append_new(list, e);
	}
	db_rows_free(&rows);
	/* what the page tells the passkey provider (WebAuthn L3 §5.1.10) */
	if ((rc = dispute_signal(r->app, r->sess.account_id, &signal)) != RK_OK) {
		json_decref(list);
		return rc;
	}
	http_json(r, 200, json_pack("{s:o,s:o}", "passkeys", list, "signal", signal));
	return RK_OK;
}

int
h_passkey_rename(struct req *r)
{
	struct dbrows rows;
	uint64_t id = strtoull(r->param, NULL, 10);
	const char *name = json_string_value(json_object_get(r->in, "name"));
	int rc = db_query(r->app->db, STMT_PASSKEY_LOCK, DBARGS(DB_I(id), DB_I(r->sess.account_id)), &rows);

	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_fail(r, SP_NOT_FOUND_PASSKEY);
	}
	db_rows_free(&rows);
	if ((rc = db_exec(r->app->db, STMT_PASSKEY_RENAME, DBARGS(DB_S(name), DB_I(id), DB_I(r->sess.account_id)), NULL, NULL)) != RK_OK)
		return rc;
	/* issue #17 item 5: every change of a credential is notified */
	{
		if ((rc = audit_append(r->app, r->sess.account_id, "passkey_renamed", "account", r->ip,
		    json_pack("{s:I}", "passkey", (json_int_t)id))) != RK_OK ||
		    (rc = mail_notice(r->app, r, r->sess.account_id, NOTICE_PASSKEY_RENAMED, (const char *const[]){ "name", name, NULL })) != RK_OK)
			return rc;
	}
	http_json(r, 200, json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", name));
	return RK_OK;
}
