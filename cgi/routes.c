/* routes.c -- THE route table, the one validation step that runs before
 * any handler, and the transaction around each handler. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api/api.h"
#include "routes.h"
#include "../wasm/b64url.h"
#include "../wasm/validate.h"

enum ftype {
	F_TEXT, F_EMAIL, F_CODE, F_SECRET, F_PHONE, F_ENUM, F_BOOL,
	F_NAME,     /* a display name: UTF-8, 1..maxlen bytes, no control characters */
	F_B64URL,   /* canonical base64url text of at most maxlen characters */
	F_INT,      /* an integer of at most maxlen in absolute value */
	F_STRLIST,  /* an array of at most 16 short ASCII strings */
	F_OBJECT,   /* a nested object checked against sub */
	F_JSON,     /* any object, at most maxlen bytes serialized (extension outputs) */
	F_ANSWERS,  /* at most 8 arrays of at most 8 option numbers (0..15) */
	F_DIGITS,   /* 1..maxlen ASCII digits */
};

struct field {
	const char *name;
	enum ftype type;
	int required;
	size_t maxlen;              /* bytes, for strings */
	const char *const *allowed; /* F_ENUM: NULL-terminated */
	const struct field *sub;    /* F_OBJECT */
	/* required if: the field is required when the field if_field of the
	 * same object has one of the values if_in (NULL-terminated) */
	const char *if_field;
	const char *const *if_in;
};

#ifdef REKEY_BENCH
/* the plumbing limit: nginx -> FastCGI -> dispatch -> an empty answer, no database */
static int
h_bench_empty(struct req *r)
{
	r->status = 204;
	return RK_OK;
}
#endif

enum route_id {
	R_HEALTH, R_OPENAPI, R_SETTINGS, R_SESSION_CREATE, R_SESSION_TOTP, R_SESSION_DELETE, R_SESSIONS_LIST,
	R_SESSIONS_REVOKE, R_SESSIONS_REVOKE_OTHERS, R_PASSWORD_CHANGE, R_PWRESET_START, R_PWRESET_CODE, R_PWRESET_FACTOR_OPTIONS,
	R_PWRESET_FACTOR, R_PWRESET_PASSWORD, R_STEP_UP_GET, R_STEP_UP_OPTIONS, R_STEP_UP, R_ME, R_CODE_SEND, R_CODE_VERIFY, R_TOTP_SETUP, R_TOTP_CONFIRM,
	R_PHONE_SETUP, R_PHONE_CONFIRM, R_HOLDS_WITHDRAWAL, R_DEV_MAIL,
	R_PASSKEY_REG_OPTIONS, R_PASSKEY_REG, R_PASSKEY_AUTH_OPTIONS, R_PASSKEY_AUTH, R_PASSKEYS_LIST, R_PASSKEY_RENAME,
	R_DELETE_START, R_DELETE_GET, R_DELETE_NEXT, R_DELETE_EMAIL, R_DELETE_EMAIL_RESEND, R_DELETE_SMS,
	R_DELETE_PASSKEY_OPTIONS, R_DELETE_VERIFY, R_DELETE_UNAVAILABLE, R_DELETE_CANCEL, R_ACCOUNT_FREEZE,
	R_ACCOUNT_FREEZE_SELF, R_FREEZE_CODE_NEW, R_ACCOUNT_FREEZE_CODE,
	R_RESET_START, R_RESET_GET, R_RESET_AGREE, R_RESET_CREDENTIALS, R_RESET_FORGOT, R_RESET_EMAIL, R_RESET_EMAIL_RESEND, R_RESET_QUESTIONS,
	R_RESET_ANSWERS, R_RESET_DOCUMENTS, R_CASE_STATUS, R_EVIDENCE_UPLOAD, R_EVIDENCE_LIST, R_EVIDENCE_SUBMIT, R_FACE_HANDOFF, R_FACE_HANDOFF_CLAIM,
	R_FACE_WEBHOOK, R_RESET_MORE_INFO, R_CASE_UPLOAD_LINK,
	R_REVIEW_ENROL_OPTIONS, R_REVIEW_ENROL, R_REVIEW_SESSION_OPTIONS, R_REVIEW_SESSION, R_REVIEW_SESSION_DELETE,
	R_REVIEW_ME, R_REVIEW_REASONS, R_REVIEW_QUEUE, R_REVIEW_CASE, R_REVIEW_CLAIM, R_REVIEW_RELEASE, R_REVIEW_EVIDENCE,
	R_REVIEW_IDENTITY_PHOTO, R_REVIEW_DECISION, R_ACCOUNT_LANGUAGE, R_REVIEW_LANGUAGE, R_METRICS,
	R_ADMIN_REVIEWERS, R_ADMIN_REVIEWER_ADD, R_ADMIN_REVIEWER_ROLES, R_ADMIN_REVIEWER_DISABLE, R_ADMIN_REVIEWER_ENABLE,
	R_ADMIN_REVIEWER_LINK, R_ADMIN_POLICY, R_ADMIN_AUDIT, R_ADMIN_CHECKPOINT, R_ADMIN_HEALTH,
	R_RECOVERY_CODES_GET, R_RECOVERY_CODES_MAKE, R_RESET_RECOVERY_CODE, R_RESET_RECOVERY_SKIP,
	R_CONTACTS_LIST, R_CONTACT_ADD, R_CONTACT_CONFIRM, R_CONTACT_REMOVE, R_ANTI_PHISHING_GET, R_ANTI_PHISHING_SET,
#ifdef REKEY_BENCH
	R_BENCH_EMPTY,
#endif
	R__MAX
};

struct route {
	enum method method;
	const char *path;       /* "{id}" matches one segment of [0-9] */
	enum auth auth;
	const struct field *fields; /* NULL: no body accepted */
	handler_fn fn;
	const char *summary;
	enum { TX_WRITE, TX_NONE, TX_READ } tx;
	/* TX_WRITE: one transaction around the handler, retried on deadlock;
	 * TX_NONE: the handler alone (it must work with the database down);
	 * TX_READ: reads only, each statement on its own (db_set_readonly) */
	const struct field *query;  /* query-string fields, checked like body fields */
	int raw;                /* the body is an image file (image/png or image/jpeg), not JSON */
	/* 1: the handler checks the session in the statement that reads its
	 * data (session_read, reviewers_read; issue #21: one round trip); GET
	 * only, so no CSRF */
	int reads_session;
};

static const char *const code_purposes[] = { "step_up", NULL };

static const struct field f_session[] = {
	{ "email", F_EMAIL, 1, 1024, NULL, NULL, NULL, NULL }, /* the core validator decides; the bound only guards */
	{ "password", F_SECRET, 1, 1024, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_code_only[] = {
	{ "code", F_CODE, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_code_send[] = {
	{ "purpose", F_ENUM, 1, 32, code_purposes, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_code_verify[] = {
	{ "purpose", F_ENUM, 1, 32, code_purposes, NULL, NULL, NULL },
	{ "code", F_CODE, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_phone[] = {
	{ "phone", F_PHONE, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_empty[] = {
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};

/* WebAuthn L3 §5.1.9/§5.1.10: RegistrationResponseJSON, AuthenticationResponseJSON */
static const char *const public_key[] = { "public-key", NULL };
static const char *const attachments[] = { "platform", "cross-platform", NULL };
static const struct field f_attestation_response[] = {
	{ "clientDataJSON", F_B64URL, 1, 6000, NULL, NULL, NULL, NULL },
	{ "attestationObject", F_B64URL, 1, 22000, NULL, NULL, NULL, NULL },
	{ "authenticatorData", F_B64URL, 0, 22000, NULL, NULL, NULL, NULL },
	{ "transports", F_STRLIST, 0, 32, NULL, NULL, NULL, NULL },
	{ "publicKey", F_B64URL, 0, 2000, NULL, NULL, NULL, NULL },
	{ "publicKeyAlgorithm", F_INT, 0, 100000, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_assertion_response[] = {
	{ "clientDataJSON", F_B64URL, 1, 6000, NULL, NULL, NULL, NULL },
	{ "authenticatorData", F_B64URL, 1, 6000, NULL, NULL, NULL, NULL },
	{ "signature", F_B64URL, 1, 1400, NULL, NULL, NULL, NULL },
	{ "userHandle", F_B64URL, 0, 90, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
#define CREDENTIAL_FIELDS(resp) \
	{ "id", F_B64URL, 1, 1400, NULL, NULL, NULL, NULL }, \
	{ "rawId", F_B64URL, 1, 1400, NULL, NULL, NULL, NULL }, \
	{ "type", F_ENUM, 1, 16, public_key, NULL, NULL, NULL }, \
	{ "response", F_OBJECT, 1, 0, NULL, resp, NULL, NULL }, \
	{ "authenticatorAttachment", F_ENUM, 0, 16, attachments, NULL, NULL, NULL }, \
	{ "clientExtensionResults", F_JSON, 0, 2048, NULL, NULL, NULL, NULL }, \
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL }
static const struct field f_registration_credential[] = { CREDENTIAL_FIELDS(f_attestation_response) };
static const struct field f_authentication_credential[] = { CREDENTIAL_FIELDS(f_assertion_response) };
static const struct field f_passkey_registration[] = {
	{ "response", F_OBJECT, 1, 0, NULL, f_registration_credential, NULL, NULL },
	{ "name", F_NAME, 0, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_passkey_authentication[] = {
	{ "response", F_OBJECT, 1, 0, NULL, f_authentication_credential, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_link_token[] = {
	{ "token", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_review_enrol[] = {
	{ "token", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ "response", F_OBJECT, 1, 0, NULL, f_registration_credential, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const decisions[] = { "approve", "reject", "more_info", NULL };
static const struct field f_review_decision[] = {
	{ "decision", F_ENUM, 1, 16, decisions, NULL, NULL, NULL },
	{ "reason", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ "note_user", F_TEXT, 0, 1000, NULL, NULL, NULL, NULL },     /* what the user is told */
	{ "note_internal", F_TEXT, 0, 2000, NULL, NULL, NULL, NULL }, /* for reviewers only */
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const queue_kinds[] = { "questions_failed", "face", "documents", NULL };
/* the admin console: roles are checked against reviewer, senior, admin in api/admin.c */
static const struct field f_admin_reviewer_add[] = {
	{ "email", F_EMAIL, 1, 254, NULL, NULL, NULL, NULL },
	{ "roles", F_STRLIST, 1, 16, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_admin_roles[] = {
	{ "roles", F_STRLIST, 1, 16, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};

static const char *const queue_statuses[] = { "under_review", "second_approval", "needs_more_info", "disputed", NULL };
static const char *const queue_tiers[] = { "high", "standard", NULL };
static const struct field q_review_queue[] = {
	{ "route", F_ENUM, 0, 20, queue_kinds, NULL, NULL, NULL },
	{ "status", F_ENUM, 0, 20, queue_statuses, NULL, NULL, NULL },
	{ "tier", F_ENUM, 0, 10, queue_tiers, NULL, NULL, NULL },
	{ "min_age_hours", F_DIGITS, 0, 4, NULL, NULL, NULL, NULL },
	{ "limit", F_DIGITS, 0, 3, NULL, NULL, NULL, NULL },
	{ "after_due", F_DIGITS, 0, 17, NULL, NULL, NULL, NULL },
	{ "after_id", F_DIGITS, 0, 18, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field q_holds[] = {
	{ "account", F_DIGITS, 1, 19, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field q_case_status[] = {
	{ "token", F_NAME, 0, 80, NULL, NULL, NULL, NULL }, /* absent or unknown: the same 404 */
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const delete_methods[] = { "passkey", "totp", "sms", NULL };
static const char *const code_methods[] = { "totp", "sms", NULL };
static const char *const passkey_method[] = { "passkey", NULL };
static const struct field f_delete_verify[] = {
	{ "method", F_ENUM, 1, 16, delete_methods, NULL, NULL, NULL },
	{ "code", F_CODE, 0, 64, NULL, NULL, "method", code_methods },
	{ "response", F_OBJECT, 0, 0, NULL, f_authentication_credential, "method", passkey_method },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const step_up_methods[] = { "passkey", "totp", NULL };
static const char *const totp_method[] = { "totp", NULL };
static const struct field f_step_up[] = {
	{ "method", F_ENUM, 1, 16, step_up_methods, NULL, NULL, NULL },
	{ "code", F_CODE, 0, 64, NULL, NULL, "method", totp_method },
	{ "response", F_OBJECT, 0, 0, NULL, f_authentication_credential, "method", passkey_method },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_password_change[] = {
	{ "current_password", F_SECRET, 1, 1024, NULL, NULL, NULL, NULL },
	{ "new_password", F_SECRET, 1, 1024, NULL, NULL, NULL, NULL }, /* the core's policy decides; the bound only guards */
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_new_password[] = {
	{ "password", F_SECRET, 1, 1024, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_freeze[] = {
	{ "token", F_B64URL, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_freeze_self[] = {
	{ "confirm", F_BOOL, 1, 0, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
/* the freeze code: 24 base32 characters, with dashes or spaces as printed (store/dispute.c checks it) */
static const struct field f_freeze_code[] = {
	{ "email", F_EMAIL, 1, 1024, NULL, NULL, NULL, NULL },
	{ "code", F_NAME, 1, 40, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const reset_entries[] = { "settings", "delete_passkey", "signin", "direct", NULL };
static const struct field f_reset_start[] = {
	{ "entry", F_ENUM, 0, 32, reset_entries, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_reset_agree[] = {
	{ "agree", F_BOOL, 1, 0, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_reset_forgot[] = {
	{ "email", F_EMAIL, 1, 1024, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_reset_answers[] = {
	{ "answers", F_ANSWERS, 1, 0, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_handoff[] = {
	{ "token", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const face_results[] = { "match", "no_match", NULL };
/* the provider's answer (api/face.c): signed, checked before this */
static const struct field f_face_webhook[] = {
	{ "event_id", F_NAME, 1, 100, NULL, NULL, NULL, NULL },
	{ "reference", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ "check_id", F_NAME, 0, 100, NULL, NULL, NULL, NULL },
	{ "result", F_ENUM, 1, 16, face_results, NULL, NULL, NULL },
	{ "score", F_INT, 0, 100, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const char *const evidence_kinds[] = { "operator_email", "counterparty_tx", "face_frame", NULL };
static const char *const email_kinds[] = { "deposit", "withdrawal", "signup", "signin", NULL };
static const char *const directions[] = { "deposit", "withdrawal", NULL };
/* seed: Case 3 -- the email kind, or coin, amount, time, address/TXID, the other platform */
static const char *const kind_email[] = { "operator_email", NULL };
static const char *const kind_tx[] = { "counterparty_tx", NULL };
static const struct field q_evidence[] = {
	{ "kind", F_ENUM, 1, 32, evidence_kinds, NULL, NULL, NULL },
	{ "email_kind", F_ENUM, 0, 16, email_kinds, NULL, "kind", kind_email },
	{ "direction", F_ENUM, 0, 16, directions, NULL, "kind", kind_tx },
	{ "coin", F_NAME, 0, 16, NULL, NULL, "kind", kind_tx },
	{ "network", F_NAME, 0, 16, NULL, NULL, "kind", kind_tx },
	{ "amount", F_NAME, 0, 64, NULL, NULL, "kind", kind_tx },
	{ "time", F_NAME, 0, 32, NULL, NULL, "kind", kind_tx },
	{ "reference", F_NAME, 0, 128, NULL, NULL, "kind", kind_tx },
	{ "counterparty", F_NAME, 0, 100, NULL, NULL, "kind", kind_tx },
	{ "country", F_NAME, 0, 2, NULL, NULL, NULL, NULL }, /* face_frame: country of residence, ISO 3166 alpha-2 (its own 400: country_invalid) */
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
/* the catalogues' languages (cgi/base/i18n.h, web/js/messages.mjs) */
static const char *const languages[] = { "en", "de", "zh", "es", "ar", NULL };
static const struct field f_language[] = {
	{ "language", F_ENUM, 1, 8, languages, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_passkey_rename[] = {
	{ "name", F_NAME, 1, 64, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};

/* issue #17: a saved recovery code as typed (groups of 4, dashes or spaces, any case) */
static const struct field f_recovery_code[] = {
	{ "code", F_NAME, 1, 32, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_contact[] = {
	{ "email", F_EMAIL, 1, 254, NULL, NULL, NULL, NULL },
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};
static const struct field f_anti_phishing[] = {
	{ "code", F_TEXT, 1, 20, NULL, NULL, NULL, NULL }, /* 4-20 printable characters: api/recovery.c */
	{ NULL, F_TEXT, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct route routes[R__MAX] = {
	[R_HEALTH] = { M_GET, "/api/health", AUTH_NONE, NULL, h_health, "Service and database health", TX_NONE },
	[R_OPENAPI] = { M_GET, "/api/openapi.json", AUTH_NONE, NULL, h_openapi, "This API as OpenAPI 3.1", TX_NONE },
	[R_SETTINGS] = { M_GET, "/api/settings", AUTH_NONE, NULL, h_settings, "The durations and counts pages state, from the configuration", TX_NONE },
	[R_SESSION_CREATE] = { M_POST, "/api/session", AUTH_NONE, f_session, h_session_create, "Sign in with email and password" },
	[R_SESSION_TOTP] = { M_POST, "/api/session/totp", AUTH_PARTIAL, f_code_only, h_session_totp, "Complete sign-in with a TOTP code" },
	[R_SESSION_DELETE] = { M_DELETE, "/api/session", AUTH_PARTIAL, NULL, h_session_delete, "Sign out" },
	[R_SESSIONS_LIST] = { M_GET, "/api/sessions", AUTH_FULL, NULL, h_sessions_list, "List this account's sessions", TX_READ },
	[R_SESSIONS_REVOKE] = { M_DELETE, "/api/sessions/{id}", AUTH_FULL, NULL, h_sessions_revoke, "Revoke a session" },
	[R_SESSIONS_REVOKE_OTHERS] = { M_POST, "/api/sessions/revoke-others", AUTH_FULL, f_empty, h_sessions_revoke_others, "Sign out everywhere else: every other session of this account, in one statement" },
	[R_PASSWORD_CHANGE] = { M_POST, "/api/account/password", AUTH_FULL, f_password_change, h_password_change, "Change the password: the current one and a fresh second factor (step-up)" },
	[R_PWRESET_START] = { M_POST, "/api/password-reset", AUTH_NONE, f_reset_forgot, h_pwreset_start, "Forgotten password: the email (a code is mailed if it has an account; the same answer if not)" },
	[R_PWRESET_CODE] = { M_POST, "/api/password-reset/code", AUTH_NONE, f_code_only, h_pwreset_code, "Forgotten password: the code from the mail" },
	[R_PWRESET_FACTOR_OPTIONS] = { M_POST, "/api/password-reset/factor/options", AUTH_NONE, f_empty, h_pwreset_factor_options, "Forgotten password: options to confirm it is you with a passkey" },
	[R_PWRESET_FACTOR] = { M_POST, "/api/password-reset/factor", AUTH_NONE, f_step_up, h_pwreset_factor, "Forgotten password: the account's passkey or TOTP code" },
	[R_PWRESET_PASSWORD] = { M_POST, "/api/password-reset/password", AUTH_NONE, f_new_password, h_pwreset_password, "Forgotten password: the new password; every session ends, withdrawals are held" },
	[R_STEP_UP_GET] = { M_GET, "/api/step-up", AUTH_FULL, NULL, h_step_up_get, "Whether this session used a second factor recently, and the factors it can use", TX_READ },
	[R_STEP_UP_OPTIONS] = { M_POST, "/api/step-up/options", AUTH_FULL, f_empty, h_step_up_options, "Options to confirm it is you with a passkey (step-up)" },
	[R_STEP_UP] = { M_POST, "/api/step-up", AUTH_FULL, f_step_up, h_step_up, "Confirm it is you with a passkey or a TOTP code (step-up)" },
	[R_ME] = { M_GET, "/api/me", AUTH_FULL, NULL, h_me, "Account summary, bound tools, active holds", TX_READ, NULL, 0, 1 },
	[R_CODE_SEND] = { M_POST, "/api/codes/email", AUTH_FULL, f_code_send, h_code_send, "Send an email verification code" },
	[R_CODE_VERIFY] = { M_POST, "/api/codes/email/verify", AUTH_FULL, f_code_verify, h_code_verify, "Check an email verification code" },
	[R_TOTP_SETUP] = { M_POST, "/api/totp/setup", AUTH_FULL, f_empty, h_totp_setup, "Start binding an authenticator app" },
	[R_TOTP_CONFIRM] = { M_POST, "/api/totp/confirm", AUTH_FULL, f_code_only, h_totp_confirm, "Confirm the authenticator app with a code" },
	[R_PHONE_SETUP] = { M_POST, "/api/phone/setup", AUTH_FULL, f_phone, h_phone_setup, "Start binding a phone: sends an SMS code" },
	[R_PHONE_CONFIRM] = { M_POST, "/api/phone/confirm", AUTH_FULL, f_code_only, h_phone_confirm, "Confirm the phone with the SMS code" },
	[R_HOLDS_WITHDRAWAL] = { M_GET, "/api/holds/withdrawal", AUTH_SERVICE, NULL, h_holds_withdrawal, "Withdrawal hold of an account (service token)", TX_READ, q_holds },
	[R_DEV_MAIL] = { M_GET, "/api/dev/mail", AUTH_DEV, NULL, h_dev_mail, "Dev mode: the outbox" },
	[R_PASSKEY_REG_OPTIONS] = { M_POST, "/api/passkeys/registration/options", AUTH_FULL, f_empty, h_passkey_reg_options, "Options to create a passkey" },
	[R_PASSKEY_REG] = { M_POST, "/api/passkeys/registration", AUTH_FULL, f_passkey_registration, h_passkey_register, "Register a passkey" },
	[R_PASSKEY_AUTH_OPTIONS] = { M_POST, "/api/passkeys/authentication/options", AUTH_OPTIONAL, f_empty, h_passkey_auth_options, "Options to sign in with a passkey (first or second factor)" },
	[R_PASSKEY_AUTH] = { M_POST, "/api/passkeys/authentication", AUTH_OPTIONAL, f_passkey_authentication, h_passkey_authenticate, "Sign in with a passkey" },
	[R_PASSKEYS_LIST] = { M_GET, "/api/passkeys", AUTH_FULL, NULL, h_passkeys_list, "This account's passkeys", TX_READ },
	[R_PASSKEY_RENAME] = { M_PATCH, "/api/passkeys/{id}", AUTH_FULL, f_passkey_rename, h_passkey_rename, "Rename a passkey" },
	[R_DELETE_START] = { M_POST, "/api/passkeys/{id}/delete", AUTH_FULL, f_empty, h_delete_start, "Start deleting a passkey (seed: delete steps 3-4)" },
	[R_DELETE_GET] = { M_GET, "/api/delete-flows/{id}", AUTH_FULL, NULL, h_delete_get, "A deletion in progress" },
	[R_DELETE_NEXT] = { M_POST, "/api/delete-flows/{id}/next", AUTH_FULL, f_empty, h_delete_next, "Confirm: sends the email code (step 4)" },
	[R_DELETE_EMAIL] = { M_POST, "/api/delete-flows/{id}/email-code", AUTH_FULL, f_code_only, h_delete_email_code, "The email code (step 5)" },
	[R_DELETE_EMAIL_RESEND] = { M_POST, "/api/delete-flows/{id}/email-code/resend", AUTH_FULL, f_empty, h_delete_email_resend, "Send the email code again" },
	[R_DELETE_SMS] = { M_POST, "/api/delete-flows/{id}/sms", AUTH_FULL, f_empty, h_delete_sms, "Send an SMS code for step 6" },
	[R_DELETE_PASSKEY_OPTIONS] = { M_POST, "/api/delete-flows/{id}/passkey-options", AUTH_FULL, f_empty, h_delete_passkey_options, "Request options for another passkey (step 6)" },
	[R_DELETE_VERIFY] = { M_POST, "/api/delete-flows/{id}/verify", AUTH_FULL, f_delete_verify, h_delete_verify, "The second factor; deletes the passkey (step 6)" },
	[R_DELETE_UNAVAILABLE] = { M_POST, "/api/delete-flows/{id}/unavailable", AUTH_FULL, f_empty, h_delete_unavailable, "Security verification unavailable: to the reset" },
	[R_DELETE_CANCEL] = { M_POST, "/api/delete-flows/{id}/cancel", AUTH_FULL, f_empty, h_delete_cancel, "Cancel the deletion" },
	[R_RESET_START] = { M_POST, "/api/reset", AUTH_NONE, f_reset_start, h_reset_start, "Start a passkey reset: the instructions (seed: reset steps 1-2)" },
	[R_RESET_GET] = { M_GET, "/api/reset/{id}", AUTH_NONE, NULL, h_reset_get, "A reset in progress (this browser's)" },
	[R_RESET_AGREE] = { M_POST, "/api/reset/{id}/agree", AUTH_NONE, f_reset_agree, h_reset_agree, "I agree to the reset instructions" },
	[R_RESET_CREDENTIALS] = { M_POST, "/api/reset/{id}/credentials", AUTH_NONE, f_session, h_reset_credentials, "Email and password (step 3)" },
	[R_RESET_FORGOT] = { M_POST, "/api/reset/{id}/forgot-password", AUTH_NONE, f_reset_forgot, h_reset_forgot, "Forgot password: email only, documents review" },
	[R_RESET_EMAIL] = { M_POST, "/api/reset/{id}/email-code", AUTH_NONE, f_code_only, h_reset_email_code, "The email code (step 4); routes to a case (step 5)" },
	[R_RESET_EMAIL_RESEND] = { M_POST, "/api/reset/{id}/email-code/resend", AUTH_NONE, f_empty, h_reset_email_resend, "Send a new email code (step 4); the same answer for a flow that matched no account" },
	[R_RESET_QUESTIONS] = { M_POST, "/api/reset/{id}/questions", AUTH_NONE, f_empty, h_reset_start_questions, "Start now / Continue: a new set of security questions" },
	[R_RESET_ANSWERS] = { M_POST, "/api/reset/{id}/answers", AUTH_NONE, f_reset_answers, h_reset_answers, "Answers to the security questions (Case 1)" },
	[R_RESET_DOCUMENTS] = { M_POST, "/api/reset/{id}/documents", AUTH_NONE, f_empty, h_reset_documents, "Submit documents instead (Case 3, or Case 2)" },
	[R_CASE_STATUS] = { M_GET, "/api/cases/status", AUTH_OPTIONAL, NULL, h_case_status, "A reset case's status, by the private link (or, without one, the signed-in account's open case)", TX_WRITE, q_case_status },
	[R_EVIDENCE_UPLOAD] = { M_POST, "/api/reset/{id}/evidence", AUTH_NONE, NULL, h_evidence_upload, "Upload a screenshot (Case 3): the file as the body, its details in the query", TX_WRITE, q_evidence, 1 },
	[R_EVIDENCE_LIST] = { M_GET, "/api/reset/{id}/evidence", AUTH_NONE, NULL, h_evidence_list, "This reset's evidence (details only)" },
	[R_EVIDENCE_SUBMIT] = { M_POST, "/api/reset/{id}/evidence/submit", AUTH_NONE, f_empty, h_reset_submit_evidence, "Send the evidence for review" },
	[R_FACE_HANDOFF] = { M_POST, "/api/reset/{id}/face/handoff", AUTH_NONE, f_empty, h_reset_handoff_create, "Continue on phone: a single-use 10-minute link and its QR code" },
	[R_FACE_HANDOFF_CLAIM] = { M_POST, "/api/reset/handoff", AUTH_NONE, f_handoff, h_reset_handoff_claim, "The phone claims the link: the reset moves to this browser" },
	[R_FACE_WEBHOOK] = { M_POST, "/api/face/webhook", AUTH_WEBHOOK, f_face_webhook, h_face_webhook, "The face provider's result (HMAC-SHA256 signed, timestamped, once)" },
	[R_RESET_MORE_INFO] = { M_POST, "/api/reset/more-info", AUTH_NONE, f_link_token, h_reset_more_info_claim, "The link from \"more information needed\": the case's reset moves to this browser" },
	[R_CASE_UPLOAD_LINK] = { M_POST, "/api/cases/upload-link", AUTH_NONE, f_link_token, h_case_upload_link, "From the case page: a fresh upload link while more information is requested" },
	[R_REVIEW_ENROL_OPTIONS] = { M_POST, "/api/review/enrol/options", AUTH_NONE, f_link_token, h_review_enrol_options, "Reviewer enrolment: passkey creation options for the link's reviewer" },
	[R_REVIEW_ENROL] = { M_POST, "/api/review/enrol", AUTH_NONE, f_review_enrol, h_review_enrol, "Reviewer enrolment: register the passkey (the link is used once); signs in" },
	[R_REVIEW_SESSION_OPTIONS] = { M_POST, "/api/review/session/options", AUTH_NONE, f_empty, h_review_session_options, "Reviewer sign-in: passkey request options (user verification required)" },
	[R_REVIEW_SESSION] = { M_POST, "/api/review/session", AUTH_NONE, f_passkey_authentication, h_review_session_create, "Reviewer sign-in with a passkey" },
	[R_REVIEW_SESSION_DELETE] = { M_DELETE, "/api/review/session", AUTH_REVIEWER, NULL, h_review_session_delete, "Reviewer sign-out" },
	[R_REVIEW_ME] = { M_GET, "/api/review/me", AUTH_REVIEWER, NULL, h_review_me, "The signed-in reviewer, roles, CSRF token", TX_READ },
	[R_REVIEW_REASONS] = { M_GET, "/api/review/reasons", AUTH_REVIEWER, NULL, h_review_reasons, "Reason codes per decision (configured)", TX_READ },
	[R_REVIEW_QUEUE] = { M_GET, "/api/review/queue", AUTH_REVIEWER, NULL, h_review_queue, "Cases waiting, by due time, with counts per filter", TX_READ, q_review_queue, 0, 1 },
	[R_REVIEW_CASE] = { M_GET, "/api/review/cases/{id}", AUTH_REVIEWER, NULL, h_review_case, "One case: account context, timeline, evidence, decisions (audited)" },
	[R_REVIEW_CLAIM] = { M_POST, "/api/review/cases/{id}/claim", AUTH_REVIEWER, f_empty, h_review_claim, "Claim a case (one reviewer at a time; idle claims lapse)" },
	[R_REVIEW_RELEASE] = { M_POST, "/api/review/cases/{id}/release", AUTH_REVIEWER, f_empty, h_review_release, "Release a claimed case" },
	[R_REVIEW_EVIDENCE] = { M_GET, "/api/review/evidence/{id}", AUTH_REVIEWER, NULL, h_review_evidence, "An evidence image (canonical PNG) for the claim's holder (audited)" },
	[R_REVIEW_IDENTITY_PHOTO] = { M_GET, "/api/review/cases/{id}/identity-photo", AUTH_REVIEWER, NULL, h_review_identity_photo, "The identity photo on file, for the claim's holder (audited)" },
	[R_REVIEW_DECISION] = { M_POST, "/api/review/cases/{id}/decision", AUTH_REVIEWER, f_review_decision, h_review_decision, "Approve, reject or ask for more information, with a reason code" },
	/* issue #22: Prometheus, to loopback or metrics_allow only; the public nginx site does not pass it */
	[R_METRICS] = { M_GET, "/metrics", AUTH_NONE, NULL, h_metrics, "Prometheus metrics (text format 0.0.4), to the addresses in metrics_allow only", TX_NONE },
	[R_ADMIN_REVIEWERS] = { M_GET, "/api/review/admin/reviewers", AUTH_REVIEWER, NULL, h_admin_reviewers, "Admin: every reviewer, roles, state, passkeys, last sign-in", TX_READ },
	[R_ADMIN_REVIEWER_ADD] = { M_POST, "/api/review/admin/reviewers", AUTH_REVIEWER, f_admin_reviewer_add, h_admin_reviewer_add, "Admin: add a reviewer; answers the one-time enrolment link (audited)" },
	[R_ADMIN_REVIEWER_ROLES] = { M_POST, "/api/review/admin/reviewers/{id}/roles", AUTH_REVIEWER, f_admin_roles, h_admin_reviewer_roles, "Admin: set a reviewer's roles (audited, the reviewer told)" },
	[R_ADMIN_REVIEWER_DISABLE] = { M_POST, "/api/review/admin/reviewers/{id}/disable", AUTH_REVIEWER, f_empty, h_admin_reviewer_disable, "Admin: disable a reviewer, ending its sessions (audited, the reviewer told)" },
	[R_ADMIN_REVIEWER_ENABLE] = { M_POST, "/api/review/admin/reviewers/{id}/enable", AUTH_REVIEWER, f_empty, h_admin_reviewer_enable, "Admin: enable a reviewer again (audited, the reviewer told)" },
	[R_ADMIN_REVIEWER_LINK] = { M_POST, "/api/review/admin/reviewers/{id}/enrol-link", AUTH_REVIEWER, f_empty, h_admin_reviewer_link, "Admin: a new one-time enrolment link (audited)" },
	[R_ADMIN_POLICY] = { M_GET, "/api/review/admin/policy", AUTH_REVIEWER, NULL, h_admin_policy, "Admin: the reason codes, SLAs and review settings in force", TX_READ },
	[R_ADMIN_AUDIT] = { M_GET, "/api/review/admin/audit", AUTH_REVIEWER, NULL, h_admin_audit, "Admin: every audit chain verified now", TX_READ },
	[R_ADMIN_CHECKPOINT] = { M_POST, "/api/review/admin/audit/checkpoint", AUTH_REVIEWER, f_empty, h_admin_checkpoint, "Admin: a signed checkpoint of the audit chains' heads, to keep elsewhere (audited)" },
	[R_ADMIN_HEALTH] = { M_GET, "/api/review/admin/health", AUTH_REVIEWER, NULL, h_admin_health, "Admin: mail delivery and face-check backlogs", TX_READ },
	[R_RECOVERY_CODES_GET] = { M_GET, "/api/recovery-codes", AUTH_FULL, NULL, h_recovery_codes_get, "Saved recovery codes: how many are left, when the set was made (never the codes)", TX_READ },
	[R_RECOVERY_CODES_MAKE] = { M_POST, "/api/recovery-codes", AUTH_FULL, f_empty, h_recovery_codes_make, "A new set of saved recovery codes, shown once; the previous set stops working (step-up)" },
	[R_RESET_RECOVERY_CODE] = { M_POST, "/api/reset/{id}/recovery-code", AUTH_NONE, f_recovery_code, h_reset_recovery_code, "A saved recovery code: the reset completes, a new set is shown" },
	[R_RESET_RECOVERY_SKIP] = { M_POST, "/api/reset/{id}/recovery-code/skip", AUTH_NONE, f_empty, h_reset_recovery_skip, "No recovery code at hand: the decision table's cases instead" },
	[R_CONTACTS_LIST] = { M_GET, "/api/account/contacts", AUTH_FULL, NULL, h_contacts_list, "Second notification addresses", TX_READ },
	[R_CONTACT_ADD] = { M_POST, "/api/account/contacts", AUTH_FULL, f_contact, h_contact_add, "Add a notification address: a code is sent to it (step-up)" },
	[R_CONTACT_CONFIRM] = { M_POST, "/api/account/contacts/{id}/confirm", AUTH_FULL, f_code_only, h_contact_confirm, "Confirm a notification address with the code sent to it" },
	[R_CONTACT_REMOVE] = { M_DELETE, "/api/account/contacts/{id}", AUTH_FULL, NULL, h_contact_remove, "Remove a notification address (step-up; every address is told)" },
	[R_ANTI_PHISHING_GET] = { M_GET, "/api/account/anti-phishing", AUTH_FULL, NULL, h_anti_phishing_get, "The anti-phishing code shown in every mail", TX_READ },
	[R_ANTI_PHISHING_SET] = { M_PUT, "/api/account/anti-phishing", AUTH_FULL, f_anti_phishing, h_anti_phishing_set, "Set the anti-phishing code (4-20 characters, step-up)" },
#ifdef REKEY_BENCH
	[R_BENCH_EMPTY] = { M_GET, "/api/bench/empty", AUTH_NONE, NULL, h_bench_empty, "Bench builds only: an empty answer", TX_NONE },
#endif
	[R_ACCOUNT_FREEZE] = { M_POST, "/api/account/freeze", AUTH_NONE, f_freeze, h_account_freeze, "This was not me: freeze the account (link from the mail, once); a reset's or a deletion's link undoes it within the dispute window" },
	[R_ACCOUNT_FREEZE_SELF] = { M_POST, "/api/account/freeze-now", AUTH_FULL, f_freeze_self, h_account_freeze_self, "Freeze my account (settings; a confirmation, no second factor)" },
	[R_FREEZE_CODE_NEW] = { M_POST, "/api/account/freeze-code", AUTH_FULL, f_empty, h_freeze_code_new, "A new freeze code, shown once (the old one stops working)" },
	[R_ACCOUNT_FREEZE_CODE] = { M_POST, "/api/account/freeze-by-code", AUTH_NONE, f_freeze_code, h_account_freeze_code, "Freeze an account with its email address and freeze code (signed out, /freeze.html)" },
	[R_ACCOUNT_LANGUAGE] = { M_PUT, "/api/account/language", AUTH_FULL, f_language, h_account_language, "Save the account's language (pages, mails, SMS)" },
	[R_REVIEW_LANGUAGE] = { M_PUT, "/api/review/language", AUTH_REVIEWER, f_language, h_review_language, "Save the reviewer's language (the console)" },
};

_Static_assert(R__MAX <= METRICS_ROUTES, "base/metrics.h: METRICS_ROUTES must hold every route");

size_t
routes_count(void)
{
	return R__MAX;
}

void
routes_describe(size_t i, const char **method, const char **path, int *auth)
{
	if (i >= R__MAX)
		abort();
	*method = http_method_name(routes[i].method);
	*path = routes[i].path;
	*auth = (int)routes[i].auth;
}

/* Matches a pattern; copies a {id} segment into param. */
static int
path_match(const char *pat, const char *path, char *param, size_t plen)
{
	while (*pat && *path) {
		if (strncmp(pat, "{id}", 4) == 0) {
			size_t n = 0;
			while (path[n] >= '0' && path[n] <= '9')
				n++;
			if (n == 0 || n >= plen || n > 19)
				return 0;
			memcpy(param, path, n);
			param[n] = '\0';
			path += n;
			pat += 4;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

static int
is_state_change(enum method m)
{
	return m == M_POST || m == M_PATCH || m == M_DELETE || m == M_PUT;
}

/* Checks one object against its field list, recursively. */
static int
validate_fields(struct req *r, json_t *obj, const struct field *fields)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const struct field *f;
		for (f = fields; f->name; f++)
			if (strcmp(f->name, key) == 0)
				break;
		if (f->name == NULL)
			return http_fail(r, SP_UNKNOWN_FIELD);
	}
	for (const struct field *f = fields; f->name; f++) {
		const char *s;
		size_t n;
		int required = f->required;
		if (f->if_field) {
			const char *on = json_string_value(json_object_get(obj, f->if_field));
			for (const char *const *w = f->if_in; on && *w && !required; w++)
				required = strcmp(on, *w) == 0;
		}
		v = json_object_get(obj, f->name);
		if (v == NULL || (json_is_null(v) && !required)) {
			if (required)
				return http_fail_field(r, SP_MISSING_FIELD, f->name);
			/* an optional field sent as null is absent: handlers never see a null */
			json_object_del(obj, f->name);
			continue;
		}
		switch (f->type) {
		case F_BOOL:
			if (!json_is_boolean(v))
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			continue;
		case F_INT:
			if (!json_is_integer(v) || json_integer_value(v) > (json_int_t)f->maxlen ||
			    json_integer_value(v) < -(json_int_t)f->maxlen)
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			continue;
		case F_OBJECT:
			if (!json_is_object(v))
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			if (validate_fields(r, v, f->sub) != 0)
				return -1;
			continue;
		case F_JSON: {
			char *dump;
			size_t dl;
			if (!json_is_object(v))
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			dump = json_dumps(v, JSON_COMPACT);
			dl = dump ? strlen(dump) : SIZE_MAX;
			free(dump);
			if (dl > f->maxlen)
				return http_fail_field(r, SP_FIELD_TOO_LONG, f->name);
			continue;
		}
		case F_ANSWERS: {
			size_t i, k;
			json_t *e, *x;
			if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 8)
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			json_array_foreach(v, i, e) {
				if (!json_is_array(e) || json_array_size(e) > 8)
					return http_fail_field(r, SP_INVALID_FIELD, f->name);
				json_array_foreach(e, k, x)
					if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > 15)
						return http_fail_field(r, SP_INVALID_FIELD, f->name);
			}
			continue;
		}
		case F_STRLIST: {
			size_t i;
			json_t *e;
			if (!json_is_array(v) || json_array_size(v) > 16)
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			json_array_foreach(v, i, e) {
				const char *t = json_string_value(e);
				if (t == NULL || json_string_length(e) == 0 || json_string_length(e) > f->maxlen ||
				    strspn(t, "abcdefghijklmnopqrstuvwxyz-") != json_string_length(e))
					return http_fail_field(r, SP_INVALID_FIELD, f->name);
			}
			continue;
		}
		default:
			break;
		}
		if (!json_is_string(v))
			return http_fail_field(r, SP_INVALID_FIELD, f->name);
		s = json_string_value(v);
		n = json_string_length(v);
		if (n > f->maxlen)
			return http_fail_field(r, SP_FIELD_TOO_LONG, f->name);
		if (!validate_utf8(s, n, 0))
			return http_fail_field(r, SP_INVALID_FIELD, f->name);
		switch (f->type) {
		case F_EMAIL:
			if (validate_email(s, n) != PROB_OK)
				return http_fail_core(r, 400, PROB_EMAIL_INVALID, NULL);
			break;
		case F_CODE:
			if (validate_code(s, n) != PROB_OK)
				return http_fail_core(r, 400, PROB_CODE_INVALID, NULL);
			break;
		case F_PHONE: {
			/* E.164: +, then 8 to 15 digits */
			size_t i;
			if (n < 9 || s[0] != '+')
				return http_fail(r, SP_PHONE_INVALID);
			for (i = 1; i < n && s[i] >= '0' && s[i] <= '9'; i++)
				;
			if (i != n || n > 16)
				return http_fail(r, SP_PHONE_INVALID);
			break;
		}
		case F_ENUM: {
			const char *const *a;
			for (a = f->allowed; *a && strcmp(*a, s) != 0; a++)
				;
			if (*a == NULL)
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			break;
		}
		case F_DIGITS:
			if (n == 0 || strspn(s, "0123456789") != n)
				return http_fail_field(r, SP_INVALID_FIELD, f->name);
			break;
		case F_NAME: {
			size_t i = 0;
			while (i < n && s[i] == ' ')
				i++;
			if (i == n)
				return http_fail(r, SP_NAME_EMPTY);
			break;
		}
		case F_B64URL: {
			unsigned char *tmp = malloc(b64url_decoded_max(n) + 1);
			size_t dn;
			enum problem p = tmp ? b64url_decode(s, n, tmp, b64url_decoded_max(n) + 1, &dn) : PROB_INTERNAL;
			free(tmp);
			if (p != PROB_OK) /* RFC 4648 §5, canonical, the same check the browser ran */
				return http_fail_core(r, 400, p, f->name);
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* The one validation step: JSON object, known fields, types, lengths,
 * formats (with the same core validators the browser runs). */
static int
validate_body(struct req *r, const struct field *fields)
{
	json_error_t jerr;

	if (fields == NULL) {
		if (r->body_len != 0)
			return http_fail(r, SP_UNEXPECTED_BODY);
		return 0;
	}
	if (r->content_type == NULL || strncmp(r->content_type, "application/json", 16) != 0 ||
	    (r->content_type[16] != '\0' && r->content_type[16] != ';'))
		return http_fail(r, SP_UNSUPPORTED_MEDIA_TYPE);
	r->in = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->in == NULL)
		return http_fail(r, SP_MALFORMED_JSON);
	if (!json_is_object(r->in))
		return http_fail(r, SP_MALFORMED_JSON_OBJECT);
	return validate_fields(r, r->in, fields);
}

/* Query-string fields, decoded, then checked as a JSON object would be. */
static int
validate_query(struct req *r, const struct field *fields)
{
	json_t *q = json_object();
	const char *p = r->query;
	int rc;

	/* every name must be a known field, and appear once */
	while (p && *p) {
		size_t n = strcspn(p, "=&");
		const struct field *f;
		char name[40], value[260];
		for (f = fields; f->name; f++)
			if (strlen(f->name) == n && strncmp(f->name, p, n) == 0)
				break;
		if (f->name == NULL || n >= sizeof name) {
			json_decref(q);
			return http_fail(r, SP_UNKNOWN_PARAMETER);
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (json_object_get(q, name) || http_query_param(r->query, name, value, sizeof value) != 1) {
			json_decref(q);
			return http_fail_field(r, SP_INVALID_FIELD, f->name);
		}
		if (json_object_set_new(q, name, json_string(value)) != 0) { /* NULL for invalid UTF-8 */
			json_decref(q);
			return http_fail_field(r, SP_INVALID_FIELD, f->name);
		}
		p = strchr(p, '&');
		p = p ? p + 1 : NULL;
	}
	rc = validate_fields(r, q, fields);
	if (rc == 0)
		json_object_set_new(r->in ? r->in : (r->in = json_object()), "query", q);
	else
		json_decref(q);
	return rc;
}

static int
check_origin(struct req *r)
{
	/* CSRF, first half: every state change must come from our origin */
	if (r->origin == NULL || strcmp(r->origin, r->app->cfg.origin) != 0)
		return http_fail(r, SP_CSRF_ORIGIN);
	return 0;
}

#ifdef REKEY_BENCH
/* Bench and test builds only: REKEY_TEST_COMMIT_DELAY_MS holds every write
 * transaction whose path contains REKEY_TEST_COMMIT_DELAY_PATH open that long
 * before its COMMIT, so that a test can make two nodes' transactions overlap
 * at certification every time (a targeted run by hand: README, A Galera cluster). */
static void
bench_commit_delay(const struct req *r)
{
	const char *ms = getenv("REKEY_TEST_COMMIT_DELAY_MS"), *path = getenv("REKEY_TEST_COMMIT_DELAY_PATH");
	struct timespec ts;
	long v;

	if (ms == NULL || path == NULL || path[0] == '\0' || strstr(r->path, path) == NULL || (v = strtol(ms, NULL, 10)) <= 0 || v > 5000)
		return;
	ts.tv_sec = v / 1000;
	ts.tv_nsec = (v % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* ... and REKEY_TEST_SILENT_ROLLBACK="PATH=AT;PATH=AT" rolls the first try's
 * transaction of a request for exactly PATH (the request's path, or the
 * route's pattern: /api/reset/{id}/email-code) back under its handler with
 * no error (db_test_silent_rollback: AT 1 = after its first statement, 2
 * the second, ...; -1 just before COMMIT): what Galera was seen doing, made
 * deterministic for tests/node/db_witness.test.mjs. */
static int
silent_rollback_at(const char *spec, const char *path)
{
	size_t n = strlen(path);

	for (const char *p = spec; (p = strstr(p, path)) != NULL; p += n) {
		long v;
		if ((p != spec && p[-1] != ';') || p[n] != '=')
			continue;
		v = strtol(p + n + 1, NULL, 10);
		return v >= -1 && v <= 100 ? (int)v : 0;
	}
	return 0;
}

static void
bench_silent_rollback(const struct req *r, const struct route *rt, int attempt)
{
	const char *spec = getenv("REKEY_TEST_SILENT_ROLLBACK");
	int at;

	if (attempt != 0 || spec == NULL)
		return;
	if ((at = silent_rollback_at(spec, r->path)) != 0 || (at = silent_rollback_at(spec, rt->path)) != 0)
		db_test_silent_rollback(r->app->db, at);
}
#endif

static int
run_handler(struct req *r, const struct route *rt)
{
	int lost = 0;

	/* conflicts (deadlocks; on Galera, certification failures on hot rows
	 * such as a per-IP rate-limit window) are retried up to 7 times, each
	 * after db.c's growing random back-off */
	for (int attempt = 0; attempt < 8; attempt++) {
		int rc;
		if (rt->tx == TX_WRITE)
			db_witness_next(r->app->db);
		rc = db_begin(r->app->db);
		r->confirm.fn = NULL;
#ifdef REKEY_BENCH
		if (rt->tx == TX_WRITE)
			bench_silent_rollback(r, rt, attempt);
#endif
		if (rc == RK_OK && rt->auth == AUTH_REVIEWER && !rt->reads_session) {
			rc = reviewers_auth(r);
		} else if (rc == RK_OK && !rt->reads_session && rt->auth != AUTH_NONE && rt->auth != AUTH_SERVICE && rt->auth != AUTH_DEV && rt->auth != AUTH_WEBHOOK) {
			rc = session_lookup(r, rt->auth);
			if (rc == RK_REFUSED && rt->auth == AUTH_OPTIONAL && r->status == 401 && !r->has_session) {
				http_clear(r); /* signed out is fine here: forget the refusal */
				rc = RK_OK;
			}
			if (rc == RK_OK && is_state_change(r->method) && r->has_session)
				rc = session_csrf_check(r, r->sess.token_hash);
		}
		if (rc == RK_OK)
			rc = rt->fn(r);
		/* a refusal keeps what the handler wrote (a try counted, a challenge burnt) */
		if ((rc == RK_OK || rc == RK_REFUSED) && rt->tx == TX_WRITE) {
#ifdef REKEY_BENCH
			bench_commit_delay(r);
#endif
			int c = db_commit(r->app->db);
			if (c != RK_OK)
				rc = c;
			/* the handler's own proof that what it answers was committed */
			else if (rc == RK_OK && r->confirm.fn) {
				rc = r->confirm.fn(r);
				db_rollback(r->app->db); /* the check's reads began a transaction */
			}
		}
		if (rc == RK_OK || rc == RK_REFUSED) {
			/* committed: a flow begun or ended here now exists (metrics) */
			if (r->flow_started)
				metrics_flow_started((enum metrics_flow_kind)(r->flow_started - 1));
			if (r->flow_ended)
				metrics_flow_finished((enum metrics_flow_kind)(r->flow_ended - 1), r->flow_outcome);
			return rc;
		}
		/* a conflict rolled the transaction back, whatever the handler
		 * made of its error (on Galera any statement can meet one) */
		if (rc != RK_DOWN && db_conflicted(r->app->db))
			rc = RK_RETRY;
		/* an error with no conflict reported: on Galera perhaps the
		 * consequence of an abort nobody was told of (the witness) */
		else if (rc != RK_DOWN && rc != RK_RETRY && rt->tx == TX_WRITE)
			rc = db_witness_error(r->app->db, rc);
		db_rollback(r->app->db);
		http_clear(r);
		r->flow_started = r->flow_ended = 0;
		r->set_cookie[0] = '\0';
		free(r->raw);
		r->raw = NULL;
		/* a connection that died (say, the database restarted) took its
		 * transaction with it: one more try on a fresh connection */
		if (rc == RK_DOWN && !lost++)
			continue;
		if (rc != RK_RETRY)
			return rc;
	}
	log_msg("error", "rekeyd: %s %s: a conflict at every try, given up (503)", http_method_name(rt->method), rt->path);
	return RK_RETRY;
}

void
routes_dispatch(struct req *r)
{
	const struct route *rt = NULL;
	int path_known = 0, rc;
	struct db *main_db, *db;
	static char allow[64];

	for (size_t i = 0; i < R__MAX; i++) {
		char param[sizeof r->param];
		if (!path_match(routes[i].path, r->path, param, sizeof param))
			continue;
		path_known = 1;
		if (routes[i].method == r->method || (r->method == M_HEAD && routes[i].method == M_GET)) {
			rt = &routes[i];
			r->route = (int)i;
			memcpy(r->param, param, sizeof param);
			break;
		}
	}
	if (rt == NULL) {
		if (path_known) {
			size_t o = 0;
			allow[0] = '\0';
			for (size_t i = 0; i < R__MAX; i++) {
				char param[sizeof r->param];
				const char *m = http_method_name(routes[i].method);
				if (path_match(routes[i].path, r->path, param, sizeof param) && o + strlen(m) + 3 < sizeof allow)
					o += (size_t)snprintf(allow + o, sizeof allow - o, "%s%s", o ? ", " : "", m);
			}
			r->allow = allow;
			http_fail(r, SP_METHOD_NOT_ALLOWED);
		} else {
			http_fail(r, SP_NOT_FOUND);
		}
		return;
	}
	if (rt->auth == AUTH_WEBHOOK) {
		/* server to server: no Origin, no session; the signature covers the raw body */
		if (r->body_len > r->app->cfg.max_body) {
			http_fail(r, SP_BODY_TOO_LARGE);
			return;
		}
		if (face_webhook_verify(r) != 0)
			return;
	} else if (is_state_change(r->method) && check_origin(r) != 0)
		return;
	if (rt->auth == AUTH_DEV && !r->app->cfg.dev_mode) {
		http_fail(r, SP_NOT_FOUND);
		return;
	}
	if (rt->auth == AUTH_SERVICE) {
		const char *tok = r->app->cfg.service_token;
		size_t n = strlen(tok);
		if (n == 0) {
			http_fail(r, SP_NOT_FOUND);
			return;
		}
		if (r->authorization == NULL || strncmp(r->authorization, "Bearer ", 7) != 0 ||
		    strlen(r->authorization + 7) != n || !keys_equal(r->authorization + 7, tok, n)) {
			http_fail(r, SP_UNAUTHENTICATED_SERVICE);
			return;
		}
	}
	if (rt->raw) {
		/* an image body: its own content types and the upload limit (the core checks the bytes) */
		if (r->content_type == NULL || (strcmp(r->content_type, "image/png") != 0 && strcmp(r->content_type, "image/jpeg") != 0)) {
			http_fail(r, SP_UNSUPPORTED_IMAGE_TYPE);
			return;
		}
	} else if (r->body_len > r->app->cfg.max_body) {
		http_fail(r, SP_BODY_TOO_LARGE);
		return;
	} else if (validate_body(r, rt->fields) != 0) {
		return;
	}
	/* a route without query fields takes no query string; one with them
	 * takes each declared name once (issue #14 finding 9: a repeated
	 * parameter, the first one winning, is refused) */
	if (rt->query == NULL && r->query && r->query[0]) {
		http_fail(r, SP_UNKNOWN_PARAMETER);
		return;
	}
	if (rt->query && validate_query(r, rt->query) != 0)
		return;
	if (rt->reads_session && rt->method != M_GET)
		abort(); /* reads_session skips the CSRF check: GET routes only */
	/* the review console's requests run on the review API's own database user */
	main_db = r->app->db;
	if (r->app->db_review && strncmp(rt->path, "/api/review/", 12) == 0)
		r->app->db = r->app->db_review;
	db = r->app->db;
	db_set_readonly(db, rt->tx != TX_WRITE);
	db_tx_name(db, http_method_name(rt->method), rt->path);
	rc = rt->tx == TX_NONE ? rt->fn(r) : run_handler(r, rt);
	db_tx_name(db, NULL, NULL);
	r->app->db = main_db;
	if (rc == RK_DOWN || rc == RK_RETRY)
		http_fail(r, SP_DATABASE_UNAVAILABLE);
	else if ((rc != RK_OK && rc != RK_REFUSED) || r->status == 0) {
		/* logged with the route and the database's word; the client sees only "internal" */
		log_msg("error", "rekeyd: %s %s: internal error (rc %d): %s", http_method_name(rt->method), rt->path, rc, db_error(db));
		http_fail(r, SP_INTERNAL);
	}
}
