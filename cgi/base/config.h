/* base/config.h -- rekeyd/rekeyctl configuration: a key = value file, then
 * REKEY_<KEY> environment overrides. */
#ifndef REKEY_CONFIG_H
#define REKEY_CONFIG_H
#include <stddef.h>

struct config {
	char listen[256];          /* unix:/path or host:port */
	int workers;
	char db_socket[256];
	char db_host[128];
	char db_sockets[1024];     /* a Galera cluster: nodes' sockets, comma-separated, first preferred */
	char db_hosts[512];        /* and/or HOST[:PORT]s, tried after db_sockets */
	char db_tx_witness[8];     /* auto | on | off: the write transactions' token read-back (db.c) */
	int db_port;
	char db_user[64];
	char db_password[128];
	char db_name[64];
	char db_app_password[128];    /* rekey_app@localhost, rekeyd's own user (empty: db_user) */
	char db_review_password[128]; /* rekey_review@localhost, the review API's user (empty: the main user) */
	char key_file[256];
	char schema_dir[256];
	char openapi_file[256];
	char origin[256];          /* https://rekey.example or http://127.0.0.1:8080 */
	char rp_id[128];
	char rp_name[100];
	char webauthn_uv[16];     /* required | preferred */
	char reset_questions[4];  /* on | off: Case 1's security questions (NIST SP 800-63A-4, ASVS 6.4.2) */
	char sms_as_second_factor[4]; /* on | off: an SMS code counts as a second factor (ASVS 6.6.1) */
	int questions_off, sms_off; /* the two above as flags (config_load sets them) */
	char webauthn_algs[64];   /* COSE algorithms allowed, comma-separated */
	char aaguid_allow[1024];  /* empty: any authenticator; else comma-separated AAGUIDs */
	char aaguid_file[256];
	char operator_name[100];
	char support_contact[200];
	char operator_launch[8];
	char mail_from[254];
	char mail_dir[256];        /* Maildir root when no SMTP */
	char smtp_url[256];        /* smtp://127.0.0.1:2525 */
	char sms_dir[256];
	char service_token[128];   /* bearer token for /api/holds/withdrawal */
	char access_log[256];
	char metrics_allow[512];   /* GET /metrics: the client addresses answered (comma-separated) */
	int dev_mode;
	int cookie_secure;
	int session_idle_seconds;
	int session_absolute_seconds;
	int pwhash_opslimit;
	int pwhash_memlimit_mib;
	int signin_limit_account;  /* attempts per window per email */
	int signin_limit_ip;
	int signin_window_seconds;
	int anon_limit_ip;         /* signed-out requests that store a row, per IP per window */
	int sweep_seconds;         /* the delivery process's sweep (jobs/sweep.c); 0: never */
	int sweep_batches_per_pass; /* batches one pass of the sweep takes (jobs/sweep.c); 0: no limit */
	int hold_hours;            /* seed: 24 h withdrawal hold */
	int freeze_hold_hours;     /* the hold after "this was not me" froze the account */
	int code_seconds;          /* life of a one-time code */
	int code_resend_seconds;   /* the least time between two codes for one purpose */
	int freeze_link_hours;     /* a notice's plain "this was not me" freeze link */
	int dispute_hours;         /* the dispute window: suspended passkeys, the "this was not me" link (0: hold_hours) */
	int delete_flow_seconds;   /* life of a passkey deletion */
	int reset_flow_seconds;    /* life of a reset flow before its case */
	int handoff_seconds;       /* life of the "continue on phone" link */
	int face_frames;           /* camera frames a face case needs (Case 2, manual provider) */
	long long high_value_cents;
	size_t max_body;
	size_t max_upload;         /* largest evidence file (seed: screenshots) */
	int evidence_per_case;
	char face_provider[32];    /* manual | http */
	char face_provider_url[256];
	char face_provider_token[128];
	char face_webhook_secret[128];
	int face_webhook_tolerance; /* seconds either way */
	int review_session_idle_seconds;
	int review_session_absolute_seconds;
	int review_enrol_hours;
	int review_claim_minutes;  /* an idle claim lapses */
	int step_up_seconds;       /* a second factor this recent allows changing recovery information */
	int review_sla_face_hours;
	int review_sla_documents_hours;
	int review_sla_questions_failed_hours;
	int more_info_hours;       /* life of the user's upload link */
	char review_reasons_approve[512];
	char review_reasons_reject[512];
	char review_reasons_more_info[512];
};

/* Loads defaults, then the file (when path is not NULL and exists), then
 * the environment. Returns 0, or -1 with a message in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* 1 if the comma-separated list holds item as a whole entry (ASCII case ignored) */
int config_list_has(const char *list, const char *item);
/* A duration as people say it ("24 hours", "15 minutes", "30 days"). */
void config_duration_text(long long seconds, char *out, size_t n);
/* A text with {hold}, {freeze_hold}, {code}, {code_resend}, {dispute},
 * {delete_flow}, {reset_flow}, {handoff}, {signin_window}, {review_claim}
 * replaced by the configured durations. */
void config_expand(const struct config *c, const char *in, char *out, size_t n);
/* Writes "key = value" lines of the reference (secrets masked). */
void config_describe(const struct config *c, void (*line)(const char *key, const char *value, const char *doc, void *arg), void *arg);

#endif
