/* store/dispute.c -- a fraudulent reset can be undone (#18). A reset or a
 * deletion suspends passkeys instead of deleting them, for the dispute
 * window (dispute_hours); the mail's "this was not me" link undoes it in
 * one transaction; the account can be frozen from the link, from settings
 * and with a freeze code; a disputed case is decided by two reviewers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"

#define FREEZE_CODE_CHARS 24 /* base32, 5 bits each: 120 bits */

/* a line of the case's timeline (cases.c calls this module: not the other way) */
static int
case_event(struct app *a, uint64_t case_id, const char *event, const char *detail)
{
	return db_exec(a->db, STMT_CASE_EVENT, DBARGS(DB_I(case_id), DB_S(event), DB_S(detail)), NULL, NULL);
}

int
dispute_suspend(struct app *a, uint64_t account, uint64_t passkey, uint64_t case_id, const char *source,
    char *token, size_t tokenlen, uint64_t *n)
{
	struct dbrows rows;
	unsigned char th[32];
	char at[40];
	int rc;

	*n = 0;
	/* one instant for the suspension, the link and "bound since" */
	if ((rc = db_query(a->db, STMT_NOW, DBNOARGS, &rows)) != RK_OK)
		return rc;
	snprintf(at, sizeof at, "%s", db_cell(&rows, 0, 0, NULL));
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_PASSKEYS_SUSPEND, DBARGS(DB_S(at), DB_S(at), DB_I(a->cfg.dispute_hours), DB_S(source),
	    DB_I(account), DB_I(passkey), DB_I(passkey)), n, NULL)) != RK_OK)
		return rc;
	keys_token_new(a->keys.link, "freeze", token, tokenlen, th);
	if ((rc = db_exec(a->db, STMT_UNDO_LINK_INSERT, DBARGS(DB_I(account), DB_B(th, 32), DB_S(source), DB_S(at),
	    case_id ? DB_I(case_id) : DB_NULL, DB_S(at), DB_I(a->cfg.dispute_hours)), NULL, NULL)) != RK_OK)
		return rc;
	return audit_append(a, account, "passkeys_suspended", "system", "", json_pack("{s:s,s:I,s:i}", "source", source,
	    "passkeys", (json_int_t)*n, "hours", a->cfg.dispute_hours));
}

int
dispute_freeze(struct app *a, uint64_t account, const char *event, json_t *detail, const char *actor, const char *ip,
    const char *body_key)
{
	char hold[80];
	int rc;

	if ((rc = db_exec(a->db, STMT_ACCOUNT_FREEZE, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    /* everyone out */ (rc = db_exec(a->db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = holds_add(a, account, "account_frozen", event, a->cfg.freeze_hold_hours * 3600)) != RK_OK) {
		json_decref(detail);
		return rc;
	}
	if ((rc = audit_append(a, account, event, actor, ip, detail)) != RK_OK)
		return rc;
	i18n_duration(mail_lang(a, account), 3600LL * a->cfg.freeze_hold_hours, hold, sizeof hold);
	return mail_notice_as(a, NULL, account, NOTICE_ACCOUNT_FROZEN, body_key, (const char *const[]){ "freeze_hold", hold, NULL }, NULL);
}

int
dispute_open_case(struct app *a, uint64_t account, uint64_t *case_id)
{
	struct dbrows rows;
	int rc = db_query(a->db, STMT_CASE_DISPUTED_GET, DBARGS(DB_I(account)), &rows);

	*case_id = 0;
	if (rc != RK_OK)
		return rc;
	if (rows.nrows == 1)
		*case_id = (uint64_t)db_cell_ll(&rows, 0, 0);
	db_rows_free(&rows);
	return RK_OK;
}

/* Everything since the event is undone: what was bound since is revoked,
 * what was suspended since is restored, the open (or since completed) case
 * goes to the reviewers as disputed, and the account is frozen. The
 * account row is locked first, so an undo and a reviewer's decision on the
 * same account are taken one after the other (the decision reads the case
 * as the undo left it: no longer under review). */
int
dispute_undo(struct req *r, uint64_t link, uint64_t account, const char *event_at, const char *source, json_t **out)
{
	struct app *a = r->app;
	struct dbrows rows;
	uint64_t pk = 0, totp = 0, phone = 0, restored = 0, disputed = 0, case_id = 0;
	char detail[200];
	int rc;

	*out = NULL;
	if ((rc = db_query(a->db, STMT_ACCOUNT_LOCK, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	db_rows_free(&rows);
	if ((rc = db_exec(a->db, STMT_UNDO_REVOKE_PASSKEYS, DBARGS(DB_I(account), DB_S(event_at)), &pk, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_UNDO_REVOKE_TOTP, DBARGS(DB_I(account), DB_S(event_at), DB_S(event_at)), &totp, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_UNDO_REVOKE_PHONE, DBARGS(DB_I(account), DB_S(event_at), DB_S(event_at)), &phone, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_UNDO_RESTORE, DBARGS(DB_I(account), DB_S(event_at)), &restored, NULL)) != RK_OK)
		return rc;
	if (restored > 0 && (rc = db_exec(a->db, STMT_ACCOUNT_PROTECTED, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK)
		return rc;
	/* the case: the open one (a reset in progress, a review) or the latest completed since the
	 * event -- the link's own case (freeze_links.case_id), or one a later reset completed */
	if ((rc = db_exec(a->db, STMT_CASE_DISPUTE_OPEN, DBARGS(DB_I(account)), &disputed, NULL)) != RK_OK)
		return rc;
	if (disputed == 0 && (rc = db_exec(a->db, STMT_CASE_DISPUTE_REOPEN, DBARGS(DB_I(account), DB_S(event_at)), &disputed, NULL)) != RK_OK)
		return rc;
	if ((rc = dispute_open_case(a, account, &case_id)) != RK_OK)
		return rc;
	if (case_id) {
		snprintf(detail, sizeof detail, "\"this was not me\" from the link of %s (IP %s): %llu passkeys restored, "
		    "%llu passkeys, %llu authenticator apps, %llu phones bound since revoked", source, r->ip,
		    (unsigned long long)restored, (unsigned long long)pk, (unsigned long long)totp, (unsigned long long)phone);
		if ((rc = case_event(a, case_id, "disputed", detail)) != RK_OK ||
		    (rc = db_exec(a->db, STMT_RFLOWS_END_FOR_CASE, DBARGS(DB_I(case_id)), NULL, NULL)) != RK_OK)
			return rc;
	}
	if ((rc = dispute_freeze(a, account, "reset_undone", json_pack("{s:I,s:s,s:I,s:I,s:I,s:I,s:I}", "link", (json_int_t)link,
	    "source", source, "restored", (json_int_t)restored, "revoked_passkeys", (json_int_t)pk, "revoked_totp", (json_int_t)totp,
	    "revoked_phones", (json_int_t)phone, "case", (json_int_t)case_id), "account", r->ip, "mail.frozen.undone.body")) != RK_OK)
		return rc;
	*out = json_pack("{s:b,s:b,s:I,s:{s:I,s:I,s:I},s:o}", "frozen", 1, "undone", 1, "restored", (json_int_t)restored,
	    "revoked", "passkeys", (json_int_t)pk, "totp", (json_int_t)totp, "phones", (json_int_t)phone,
	    "case", case_id ? json_integer((json_int_t)case_id) : json_null());
	return *out ? RK_OK : RK_FAIL;
}

/* The code as typed, to its canonical form: base32 letters and digits,
 * upper case, without dashes and spaces. 0, or -1 when it cannot be one. */
static int
code_canonical(const char *in, char out[FREEZE_CODE_CHARS + 1])
{
	size_t n = 0;

	for (; in && *in; in++) {
		if (*in == '-' || *in == ' ')
			continue;
		if (n == FREEZE_CODE_CHARS)
			return -1;
		out[n++] = (char)toupper((unsigned char)*in);
	}
	out[n] = '\0';
	return n == FREEZE_CODE_CHARS && strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == n ? 0 : -1;
}

static void
code_hash(const struct app *a, uint64_t account, const char *canonical, unsigned char out[32])
{
	char ctx[48];
	int n = snprintf(ctx, sizeof ctx, "freeze-code|%llu", (unsigned long long)account);

	keys_hash(a->keys.code, ctx, (size_t)n, canonical, strlen(canonical), out);
}

int
dispute_freeze_code_new(struct app *a, uint64_t account, char code[FREEZE_CODE_LEN + 1])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"; /* RFC 4648 §6 */
	char canonical[FREEZE_CODE_CHARS + 1];
	unsigned char raw[FREEZE_CODE_CHARS], h[32];
	size_t o = 0;

	randombytes_buf(raw, sizeof raw);
	for (size_t i = 0; i < FREEZE_CODE_CHARS; i++) {
		canonical[i] = alphabet[raw[i] & 31];
		if (i && i % 4 == 0)
			code[o++] = '-';
		code[o++] = canonical[i];
	}
	canonical[FREEZE_CODE_CHARS] = '\0';
	code[o] = '\0';
	sodium_memzero(raw, sizeof raw);
	code_hash(a, account, canonical, h);
	sodium_memzero(canonical, sizeof canonical);
	return db_exec(a->db, STMT_FREEZE_CODE_SET, DBARGS(DB_I(account), DB_B(h, 32)), NULL, NULL);
}

int
dispute_freeze_code_check(struct app *a, uint64_t account, const char *code, int *ok)
{
	struct dbrows rows;
	char canonical[FREEZE_CODE_CHARS + 1];
	unsigned char h[32];
	size_t hl = 0;
	int rc, well_formed = code_canonical(code, canonical) == 0;

	*ok = 0;
	/* the same keyed hash whatever was typed: the time says nothing */
	code_hash(a, account, well_formed ? canonical : "", h);
	if ((rc = db_query(a->db, STMT_FREEZE_CODE_GET, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows == 1) {
		const char *stored = db_cell(&rows, 0, 0, &hl);
		*ok = well_formed && hl == 32 && keys_equal(stored, h, 32) && db_cell_ll(&rows, 0, 1) == 0;
	}
	db_rows_free(&rows);
	return RK_OK;
}

int
dispute_decide(struct req *r, uint64_t case_id, uint64_t account, int owner_keeps, const char *actor)
{
	struct app *a = r->app;
	char source[48], hold[80];
	uint64_t aff = 0;
	int rc;

	if ((rc = db_exec(a->db, STMT_CASE_DISPUTE_CLOSE, DBARGS(DB_S(owner_keeps ? "rejected" : "completed"), DB_I(case_id)), &aff, NULL)) != RK_OK)
		return rc;
	if (aff != 1)
		return http_fail(r, SP_NOT_IN_REVIEW);
	if (owner_keeps) {
		/* the reset was not the owner's: it stays undone, the account opens again */
		if ((rc = db_exec(a->db, STMT_ACCOUNT_UNFREEZE, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
		    (rc = case_event(a, case_id, "dispute_decided", "the owner keeps the account")) != RK_OK ||
		    (rc = audit_append(a, account, "dispute_decided", actor, r->ip,
		    json_pack("{s:I,s:s}", "case", (json_int_t)case_id, "keeps", "owner"))) != RK_OK)
			return rc;
		return mail_notice(a, NULL, account, NOTICE_DISPUTE_OWNER_KEEPS, NULL);
	}
	/* the reset stands: the passkeys go for good (no second undo), the account opens for the claimant */
	snprintf(source, sizeof source, "dispute_case:%llu", (unsigned long long)case_id);
	i18n_duration(mail_lang(a, account), 3600LL * a->cfg.hold_hours, hold, sizeof hold);
	if ((rc = db_exec(a->db, STMT_PASSKEYS_DELETE_ALL, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_SESSION_REVOKE_ALL, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_ACCOUNT_UNPROTECTED, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = db_exec(a->db, STMT_ACCOUNT_UNFREEZE, DBARGS(DB_I(account)), NULL, NULL)) != RK_OK ||
	    (rc = holds_add(a, account, "passkey_reset", source, a->cfg.hold_hours * 3600)) != RK_OK ||
	    (rc = case_event(a, case_id, "dispute_decided", "the reset stands")) != RK_OK ||
	    (rc = audit_append(a, account, "dispute_decided", actor, r->ip,
	    json_pack("{s:I,s:s}", "case", (json_int_t)case_id, "keeps", "claimant"))) != RK_OK)
		return rc;
	return mail_notice(a, NULL, account, NOTICE_DISPUTE_RESET_STANDS, (const char *const[]){ "hold", hold, NULL });
}

int
dispute_signal(struct app *a, uint64_t account, json_t **out)
{
	struct dbrows rows, ids;
	json_t *list;
	size_t hl;
	const char *handle;
	int rc;

	*out = NULL;
	if ((rc = db_query(a->db, STMT_ACCOUNT_WEBAUTHN, DBARGS(DB_I(account)), &rows)) != RK_OK)
		return rc;
	if (rows.nrows != 1) {
		db_rows_free(&rows);
		return RK_FAIL;
	}
	if ((rc = db_query(a->db, STMT_PASSKEY_LIST_IDS, DBARGS(DB_I(account)), &ids)) != RK_OK) {
		db_rows_free(&rows);
		return rc;
	}
	list = json_array();
	for (unsigned i = 0; i < ids.nrows; i++) {
		size_t n;
		const char *cid = db_cell(&ids, i, 1, &n);
		json_array_append_new(list, json_b64((const unsigned char *)cid, n));
	}
	db_rows_free(&ids);
	handle = db_cell(&rows, 0, 0, &hl);
	*out = json_pack("{s:s,s:o,s:o}", "rpId", a->cfg.rp_id, "userId", json_b64((const unsigned char *)handle, hl),
	    "allAcceptedCredentialIds", list);
	db_rows_free(&rows);
	return *out ? RK_OK : RK_FAIL;
}
