/* extern.h -- what the files of cgi/ share with each other. */
#ifndef REKEY_CGI_EXTERN_H
#define REKEY_CGI_EXTERN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include <sodium.h>
#include "config.h"
#include "db.h"
#include "../wasm/flow.h"

struct keys {
	unsigned char master[32];
	unsigned char session[32];  /* session token hashes */
	unsigned char csrf[32];     /* CSRF token derivation */
	unsigned char code[32];     /* one-time code hashes */
	unsigned char audit[32];    /* audit chain hashes */
	unsigned char seal[32];     /* secretbox for TOTP secrets */
	unsigned char bucket[32];   /* rate-limit bucket names */
	unsigned char link[32];     /* signed links */
	unsigned char evidence[32]; /* evidence at rest (key id 1) */
	unsigned char checkpoint[32]; /* Ed25519 seed: signed audit checkpoints */
};

struct app {
	struct config cfg;
	struct db *db;              /* the connection in use: the main one, or db_review during a review request */
	struct db *db_review;       /* rekey_review's connection (NULL: review requests use db) */
	struct keys keys;
	char dummy_hash[crypto_pwhash_STRBYTES];
	char *openapi;              /* the OpenAPI document, read at start */
	size_t openapi_len;
	FILE *log;
};

enum method { M_GET, M_POST, M_PATCH, M_DELETE, M_PUT, M_HEAD, M_OPTIONS, M__MAX };

enum auth { AUTH_NONE, AUTH_PARTIAL, AUTH_FULL, AUTH_SERVICE, AUTH_DEV,
	AUTH_WEBHOOK /* no session, no Origin: an HMAC-SHA256 signature over timestamp and body */,
	AUTH_REVIEWER /* a reviewer session (review.c), never an account session */,
	AUTH_OPTIONAL /* a session (partial or full) is used when present */ };

struct session {
	uint64_t id, account_id;
	int full;
	unsigned char token_hash[32];
};

struct req {
	struct app *app;
	enum method method;
	const char *path, *query, *content_type, *cookie, *origin, *csrf, *ip, *user_agent, *authorization;
	const char *sig_timestamp, *signature;  /* X-Rekey-Timestamp, X-Rekey-Signature (webhooks) */
	size_t content_length;
	char *body;
	size_t body_len;
	json_t *in;                 /* the validated JSON body (object), or NULL */
	char param[64];             /* the {id} of the path, if any */
	struct session sess;
	int has_session;
	struct {
		uint64_t id, session_id;
		unsigned roles;
		char email[256];
		unsigned char token_hash[32];
	} rev;                      /* the reviewer, on review routes */
	int has_reviewer;
	/* response */
	int status;
	json_t *out;
	char set_cookie[1024];         /* Set-Cookie values, joined by http_set_cookie() */
	char location[512];
	const char *allow;
	char *raw;                  /* non-JSON body (owned) */
	size_t raw_len;
	const char *raw_type;
	int sandbox;                /* an evidence image: a sandboxing CSP of its own */
};

/* A handler fills r->status and r->out (or calls http_error) and returns
 * 0, or a DB_* code to let the dispatcher retry or answer 503/500. */
typedef int (*handler_fn)(struct req *r);

/* http.c */
int http_error(struct req *r, int status, const char *code, const char *message);
void http_json(struct req *r, int status, json_t *out);
void http_clear(struct req *r);
const char *http_status_text(int status);
int http_query_param(const char *query, const char *name, char *out, size_t outlen);
const char *http_query(const struct req *r, const char *name);
const char *http_cookie(const char *cookies, const char *name, char *out, size_t outlen);
void http_set_cookie(struct req *r, const char *name, const char *value, const char *path, int max_age);
const char *http_method_name(enum method m);

/* flowrow.c */
int flowrow_plan(struct req *r, enum flow_kind kind, char *state, size_t statelen, const char *event,
    const struct flow_facts *facts, int *moved);
int flowrow_move(struct req *r, enum flow_kind kind, enum stmt move, uint64_t id, char *state, size_t statelen,
    const char *event, const struct flow_facts *facts, int *moved);

/* routes.c */
void routes_dispatch(struct req *r);
size_t routes_count(void);
void routes_describe(size_t i, const char **method, const char **path, int *auth);

/* keys.c */
int keys_load(struct keys *k, const char *path, int create);
void keys_hash(const unsigned char key[32], const void *a, size_t an, const void *b, size_t bn, unsigned char out[32]);
void keys_token_new(const unsigned char key[32], const char *domain, char *token, size_t tokenlen, unsigned char out[32]);
int keys_token_hash(const unsigned char key[32], const char *domain, const char *token, unsigned char out[32]);
void keys_random_token(char *out, size_t outlen, unsigned char raw[32]);
int keys_equal(const void *a, const void *b, size_t n);
int keys_seal(const unsigned char key[32], const unsigned char *msg, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
int keys_open(const unsigned char key[32], const unsigned char *box, size_t n, unsigned char *out, size_t outmax, size_t *outlen);
int keys_password_hash(const struct config *c, const char *pw, char out[crypto_pwhash_STRBYTES]);

/* auth.c */
int auth_lookup(struct req *r, enum auth need);
void auth_csrf(const struct app *a, const unsigned char token_hash[32], char out[40]);
int h_session_create(struct req *r);
int h_session_totp(struct req *r);
int h_session_delete(struct req *r);
int h_sessions_list(struct req *r);
int h_sessions_revoke(struct req *r);

/* ratelimit.c: 1 allowed, 0 limited, or a DB_* code */
int rate_hit(struct app *a, const char *scope, const void *key, size_t keylen, int limit, int window_seconds);
int rate_clear(struct app *a, const char *scope, const void *key, size_t keylen);
int rate_anon(struct req *r);
/* sweep.c */
struct sweep_counts {
	uint64_t challenges, codes, rate_windows, reset_flows, mail_bodies;
};
int sweep_once(struct app *a, struct sweep_counts *c);
void sweep_describe(const struct sweep_counts *c, char *out, size_t n);

/* codes.c */
int codes_issue(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *channel, const char *recipient, int *throttled);
/* 1 verified, 0 wrong (tries left in *left), -10 none/expired/used/exhausted, or DB_* */
int codes_verify(struct app *a, uint64_t account, const char *purpose, const char *bound_to,
    const char *code, int *left);
int h_code_send(struct req *r);
int h_code_verify(struct req *r);
int codes_refuse(struct req *r, int verdict, int left);

/* tools.c */
int tools_summary(struct app *a, uint64_t account, json_t *out);
void tools_from_row(const struct dbrows *rows, unsigned row, unsigned col, json_t *out);
int tools_totp_check(struct app *a, uint64_t account, const char *code);
int h_totp_setup(struct req *r);
int h_totp_confirm(struct req *r);
int h_phone_setup(struct req *r);
int h_phone_confirm(struct req *r);

/* passkeys.c: the ceremonies, for a realm of owners (accounts or reviewers) */
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
int passkeys_creation_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out);
int passkeys_register_verify(struct req *r, const struct pk_realm *realm, json_t *cred, struct pk_new *n, int *ok);
int passkeys_request_options(struct req *r, const struct pk_realm *realm, uint64_t owner, json_t **out);
int passkeys_assert_in(struct req *r, const struct pk_realm *realm, json_t *cred, uint64_t *pkid, uint64_t *owner, int *ok);
json_t *b64_json(const unsigned char *p, size_t n);
int h_passkey_reg_options(struct req *r);
int h_passkey_register(struct req *r);
int h_passkey_auth_options(struct req *r);
int h_passkey_authenticate(struct req *r);
int h_passkeys_list(struct req *r);
int h_passkey_rename(struct req *r);
int passkeys_count(struct app *a, uint64_t account, int *n);
int passkeys_assert(struct req *r, json_t *cred, uint64_t *pkid, uint64_t *account, int *ok);
int passkeys_options_except(struct req *r, uint64_t except_passkey, json_t **out);
/* auth.c, shared with passkeys.c */
int auth_start_session(struct req *r, uint64_t account, int full, const char *method);
int auth_session_promote(struct req *r, const char *method, int *promoted);
int auth_device_known(struct req *r, uint64_t account, char *out, size_t outlen);

/* deleteflow.c */
int h_delete_start(struct req *r);
int h_delete_get(struct req *r);
int h_delete_next(struct req *r);
int h_delete_email_code(struct req *r);
int h_delete_email_resend(struct req *r);
int h_delete_sms(struct req *r);
int h_delete_passkey_options(struct req *r);
int h_delete_verify(struct req *r);
int h_delete_unavailable(struct req *r);
int h_delete_cancel(struct req *r);
int h_account_freeze(struct req *r);

/* resetflow.c */
int h_reset_start(struct req *r);
int h_reset_get(struct req *r);
int h_reset_agree(struct req *r);
int h_reset_credentials(struct req *r);
int h_reset_forgot(struct req *r);
int h_reset_email_code(struct req *r);
int h_reset_start_questions(struct req *r);
int h_reset_answers(struct req *r);
int h_reset_documents(struct req *r);
int h_case_status(struct req *r);

/* evidence.c */
int h_evidence_upload(struct req *r);
int h_evidence_list(struct req *r);
unsigned char *evidence_seal(const struct app *a, const unsigned char *p, size_t n, const char *ad, size_t *outlen);
unsigned char *evidence_unseal(const struct app *a, const unsigned char *box, size_t n, const char *ad, size_t *outlen);
void evidence_ad(char *out, size_t outlen, uint64_t case_id, const char *kind, const char *shahex);
void identity_photo_ad(char *out, size_t outlen, uint64_t account);
int evidence_png(const unsigned char *rgb, int w, int h, unsigned char **out, size_t *outlen);

/* cases.c */
int case_event(struct app *a, uint64_t case_id, const char *event, const char *detail);
int cases_reset_account(struct app *a, uint64_t account, uint64_t case_id, const char *how, const char *actor, const char *ip);
int cases_flow_move(struct req *r, uint64_t case_id, const char *event, int finish);
int cases_reject(struct req *r, uint64_t case_id, uint64_t account, const char *code, const char *user_reason, const char *actor);

/* provider.c: Case 2 with an external verification provider */
int provider_face_queue(struct app *a, uint64_t case_id, int *queued);
int provider_dispatch_once(struct app *a, int *sent);
int provider_webhook_verify(struct req *r);
int h_face_webhook(struct req *r);
int identity_photo_seed(struct app *a, uint64_t account, unsigned seed);

/* review.c: the review console */
int review_auth(struct req *r);
int review_ctl(struct app *a, int argc, char **argv);
int h_review_enrol_options(struct req *r);
int h_review_enrol(struct req *r);
int h_review_session_options(struct req *r);
int h_review_session_create(struct req *r);
int h_review_session_delete(struct req *r);
int h_review_me(struct req *r);
int h_review_reasons(struct req *r);
int h_review_queue(struct req *r);
int h_review_case(struct req *r);
int h_review_claim(struct req *r);
int h_review_release(struct req *r);
int h_review_evidence(struct req *r);
int h_review_identity_photo(struct req *r);
int h_review_decision(struct req *r);
int h_reset_more_info_claim(struct req *r);
int h_case_upload_link(struct req *r);
/* resetflow.c, for evidence.c: the browser's reset flow and its case */
struct reset_ref {
	uint64_t flow, case_id, account;
	char state[32];
	int face;                   /* face frames expected (Case 2, or more information for it) */
};
int resetflow_ref(struct req *r, struct reset_ref *ref, int *ok);
int h_reset_submit_evidence(struct req *r);
int h_reset_handoff_create(struct req *r);
int h_reset_handoff_claim(struct req *r);
char *tools_qr_svg(const char *text, const char *label);

/* holds.c */
int holds_add(struct app *a, uint64_t account, const char *reason, const char *source_event, int seconds);
int holds_json(struct app *a, uint64_t account, json_t **out);
json_t *holds_from_rows(const struct dbrows *rows, unsigned first, unsigned end, unsigned col);
int h_holds_withdrawal(struct req *r);

/* audit.c */
int audit_append(struct app *a, uint64_t chain, const char *event, const char *actor, const char *ip, json_t *detail);
/* Returns 0 when intact; else the first broken (chain, seq) and a reason. */
int audit_verify(struct app *a, uint64_t *bad_chain, uint64_t *bad_seq, char *why, size_t whylen, uint64_t *entries);
int audit_checkpoint(struct app *a, FILE *out);
int audit_checkpoint_holds(struct app *a, const char *text, char *why, size_t whylen);

/* mail.c */
int mail_queue(struct app *a, uint64_t account, const char *channel, const char *recipient,
    const char *subject, const char *body);
int mail_notify(struct app *a, uint64_t account, const char *subject, const char *body);
int mail_deliver_once(struct app *a, int *delivered);
int deliver_claimed(struct app *a, enum stmt claim, int (*fn)(struct app *a, struct dbrows *rows, unsigned i, int *done), int *done);
int h_dev_mail(struct req *r);

/* account.c */
int h_me(struct req *r);
int account_email(struct app *a, uint64_t account, char *out, size_t outlen);
json_t *rows_objects(const struct dbrows *rows, unsigned first, unsigned end, unsigned col, const char *const keys[], unsigned nkeys);
json_t *signins_from_rows(const struct dbrows *rows, unsigned first, unsigned end, unsigned col);
int seed_demo(struct app *a, FILE *log);

/* health.c */
int h_health(struct req *r);
int h_openapi(struct req *r);

/* server.c */
int server_main(int argc, char **argv);
/* ctl.c */
int ctl_main(int argc, char **argv);
int app_open(struct app *a, const char *config_path, int create_key, char *err, size_t errlen);
struct db *app_db_new(const struct app *a, int scripts);
struct db *app_db_api_new(const struct app *a);
struct db *app_db_review_new(const struct app *a);
int app_db_password_ok(const char *pw);
void app_close(struct app *a);

#endif
