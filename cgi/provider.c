/* provider.c -- Case 2 face verification through an external provider
 * (face_provider = http). Submitting the frames queues a check in the same
 * transaction; the delivery process sends it (the frames and the identity
 * photo on file, decrypted only for the request) and retries with back-off;
 * the provider answers at POST /api/face/webhook, signed with HMAC-SHA256
 * over "<timestamp>.<body>", refused when the timestamp is old or the event
 * id was seen before. The seed's rule holds whatever the provider says: a
 * match fails when the account's primary identity verification is invalid.
 * A failed match rejects the case; a match leaves it for the reviewer with
 * the provider's verdict beside the frames. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "extern.h"
#include "../wasm/b64url.h"

#define PROVIDER_HTTP "http"
#define MAX_ANSWER (64 * 1024)

int
provider_face_queue(struct app *a, uint64_t case_id, int *queued)
{
	char ref[64];
	unsigned char raw[32];

	*queued = 0;
	if (strcmp(a->cfg.face_provider, PROVIDER_HTTP) != 0)
		return DB_OK; /* manual: the review console compares the frames with the photo on file */
	keys_random_token(ref, sizeof ref, raw);
	*queued = 1;
	return db_exec(a->db, STMT_FACE_CHECK_INSERT, DBARGS(DB_I(case_id), DB_S(a->cfg.face_provider), DB_S(ref)), NULL, NULL);
}

/* base64 (standard alphabet: what providers' JSON APIs take) of a sealed image */
static json_t *
image_b64(const unsigned char *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = malloc(len);
	json_t *j;

	if (s == NULL)
		return NULL;
	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	j = json_string(s);
	free(s);
	return j;
}

/* The request body: the frames and the identity photo, decrypted here only. */
static char *
check_body(struct app *a, uint64_t case_id, uint64_t account, const char *ref, const char *country)
{
	struct dbrows rows;
	json_t *frames = json_array(), *photo = NULL, *body;
	char ad[200], cb[400], *out = NULL;

	if (db_query(a->db, STMT_EVIDENCE_FACE_FRAMES, DBARGS(DB_I(case_id)), &rows) != DB_OK) {
		json_decref(frames);
		return NULL;
	}
	for (unsigned i = 0; i < rows.nrows; i++) {
		size_t bl, n;
		const unsigned char *box = (const unsigned char *)db_cell(&rows, i, 4, &bl);
		unsigned char *png;
		evidence_ad(ad, sizeof ad, case_id, db_cell(&rows, i, 1, NULL), db_cell(&rows, i, 2, NULL));
		if ((png = evidence_unseal(a, box, bl, ad, &n)) == NULL)
			continue; /* a box that does not open is not sent */
		json_array_append_new(frames, image_b64(png, n));
		free(png);
	}
	db_rows_free(&rows);
	if (db_query(a->db, STMT_IDPHOTO_GET, DBARGS(DB_I(account)), &rows) == DB_OK) {
		if (rows.nrows == 1) {
			size_t bl, n;
			const unsigned char *box = (const unsigned char *)db_cell(&rows, 0, 2, &bl);
			unsigned char *png;
			identity_photo_ad(ad, sizeof ad, account);
			if ((png = evidence_unseal(a, box, bl, ad, &n)) != NULL) {
				photo = image_b64(png, n);
				free(png);
			}
		}
		db_rows_free(&rows);
	}
	snprintf(cb, sizeof cb, "%s/api/face/webhook", a->cfg.origin);
	body = json_pack("{s:s,s:s,s:o,s:o,s:s}", "reference", ref, "country", country, "frames", frames,
	    "identity_photo", photo ? photo : json_null(), "callback_url", cb);
	if (body != NULL)
		out = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return out;
}

struct answer {
	char *p;
	size_t n;
};

static size_t
answer_cb(char *buf, size_t size, size_t nitems, void *arg)
{
	struct answer *ans = arg;
	size_t n = size * nitems;
	char *np;
	if (ans->n + n > MAX_ANSWER || (np = realloc(ans->p, ans->n + n + 1)) == NULL)
		return 0;
	memcpy(np + ans->n, buf, n);
	ans->p = np;
	ans->n += n;
	ans->p[ans->n] = '\0';
	return n;
}

/* POSTs the check; 0 with the provider's id, or -1 with a reason. */
static int
send_check(struct app *a, const char *body, char *id, size_t idlen, char *err, size_t errlen)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	struct answer ans = { NULL, 0 };
	char auth[300];
	long status = 0;
	CURLcode rc;
	int ok = -1;

	if (c == NULL)
		return -1;
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", a->cfg.face_provider_token);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_URL, a->cfg.face_provider_url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, answer_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ans);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "provider: %s", curl_easy_strerror(rc));
	} else if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status), status < 200 || status > 299) {
		snprintf(err, errlen, "provider: HTTP %ld", status);
	} else {
		json_t *j = ans.p ? json_loads(ans.p, 0, NULL) : NULL;
		const char *pid = json_string_value(json_object_get(j, "id"));
		if (pid == NULL || strlen(pid) == 0 || strlen(pid) >= idlen) {
			snprintf(err, errlen, "provider: the answer has no check id");
		} else {
			snprintf(id, idlen, "%s", pid);
			ok = 0;
		}
		json_decref(j);
	}
	free(ans.p);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return ok;
}

static int
dispatch_row(struct app *a, struct dbrows *rows, unsigned i, int *sent)
{
	uint64_t id = (uint64_t)db_cell_ll(rows, i, 0), case_id = (uint64_t)db_cell_ll(rows, i, 1);
	char pid[101], err[300] = "provider: could not build the request";
	char *body = check_body(a, case_id, (uint64_t)db_cell_ll(rows, i, 4), db_cell(rows, i, 2, NULL), db_cell(rows, i, 3, NULL));
	int rc;

	if (body != NULL && send_check(a, body, pid, sizeof pid, err, sizeof err) == 0) {
		rc = db_exec(a->db, STMT_FACE_CHECK_SENT, DBARGS(DB_S(pid), DB_I(id)), NULL, NULL);
		if (rc == DB_OK)
			rc = case_event(a, case_id, "face_check_sent", a->cfg.face_provider);
		*sent += 1;
	} else {
		rc = db_exec(a->db, STMT_FACE_CHECK_RETRY, DBARGS(DB_S(err), DB_I(id)), NULL, NULL);
	}
	free(body);
	return rc;
}

int
provider_dispatch_once(struct app *a, int *sent)
{
	*sent = 0;
	if (strcmp(a->cfg.face_provider, PROVIDER_HTTP) != 0)
		return DB_OK;
	return deliver_claimed(a, STMT_FACE_CHECK_DUE, dispatch_row, sent);
}

/* Before the body is parsed: "v1=" hex HMAC-SHA256(secret, timestamp "." body),
 * the timestamp within the tolerance either way. 0, or -1 with the answer set. */
int
provider_webhook_verify(struct req *r)
{
	const struct config *c = &r->app->cfg;
	unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	char *end;
	long long ts;
	size_t bin = 0;

	if (strcmp(c->face_provider, PROVIDER_HTTP) != 0 || c->face_webhook_secret[0] == '\0')
		return http_error(r, 404, "not_found", "No such resource."), -1;
	if (r->sig_timestamp == NULL || r->signature == NULL || strncmp(r->signature, "v1=", 3) != 0)
		return http_error(r, 401, "webhook_signature", "The request is not signed."), -1;
	ts = strtoll(r->sig_timestamp, &end, 10);
	if (end == r->sig_timestamp || *end != '\0' || strlen(r->sig_timestamp) > 12)
		return http_error(r, 401, "webhook_signature", "The timestamp is not a number."), -1;
	if (sodium_hex2bin(got, sizeof got, r->signature + 3, strlen(r->signature + 3), NULL, &bin, NULL) != 0 || bin != sizeof got)
		return http_error(r, 401, "webhook_signature", "The signature is malformed."), -1;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)c->face_webhook_secret, strlen(c->face_webhook_secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)r->sig_timestamp, strlen(r->sig_timestamp));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)r->body, r->body_len);
	crypto_auth_hmacsha256_final(&st, want);
	if (!keys_equal(want, got, sizeof want))
		return http_error(r, 401, "webhook_signature", "The signature does not match."), -1;
	/* checked after the signature: an unsigned request learns nothing about the clock */
	if (ts < (long long)time(NULL) - c->face_webhook_tolerance || ts > (long long)time(NULL) + c->face_webhook_tolerance)
		return http_error(r, 401, "webhook_stale", "The timestamp is outside the allowed window."), -1;
	return 0;
}

static const char *
field(struct req *r, const char *name)
{
	return json_string_value(json_object_get(r->in, name));
}

int
h_face_webhook(struct req *r)
{
	struct app *a = r->app;
	struct dbrows rows;
	uint64_t check, case_id, account;
	const char *result = field(r, "result");
	json_t *sj = json_object_get(r->in, "score");
	int score = sj ? (int)json_integer_value(sj) : -1, rc, match = strcmp(result, "match") == 0, identity_ok;
	char detail[200], status[24], cstatus[24];

	rc = db_exec(a->db, STMT_WEBHOOK_EVENT_INSERT, DBARGS(DB_S(a->cfg.face_provider), DB_S(field(r, "event_id"))), NULL, NULL);
	if (rc == DB_DUP)
		return http_error(r, 409, "webhook_replayed", "This event was already received.");
	if (rc != DB_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_FACE_CHECK_BY_REF, DBARGS(DB_S(field(r, "reference"))), &rows)) != DB_OK)
		return rc;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		return http_error(r, 404, "not_found", "No such check.");
	}
	check = (uint64_t)db_cell_ll(&rows, 0, 0);
	case_id = (uint64_t)db_cell_ll(&rows, 0, 1);
	snprintf(status, sizeof status, "%s", db_cell(&rows, 0, 2, NULL));
	account = (uint64_t)db_cell_ll(&rows, 0, 3);
	snprintf(cstatus, sizeof cstatus, "%s", db_cell(&rows, 0, 4, NULL));
	/* seed: a successful match still fails when the primary identity verification is invalid */
	identity_ok = strcmp(db_cell(&rows, 0, 5, NULL), "verified") == 0;
	db_rows_free(&rows);
	if ((strcmp(status, "queued") != 0 && strcmp(status, "sent") != 0) || strcmp(cstatus, "under_review") != 0)
		return http_error(r, 409, "check_closed", "This check already has its result.");
	snprintf(status, sizeof status, "%s", !match ? "no_match" : identity_ok ? "match" : "identity_invalid");
	if ((rc = db_exec(a->db, STMT_FACE_CHECK_RESULT, DBARGS(DB_S(status), score >= 0 ? DB_I(score) : DB_NULL, DB_I(check)), NULL, NULL)) != DB_OK)
		return rc;
	snprintf(detail, sizeof detail, "%s: %s", a->cfg.face_provider, status);
	if (score >= 0)
		snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " (score %d)", score);
	if ((rc = case_event(a, case_id, "face_check_result", detail)) != DB_OK ||
	    (rc = audit_append(a, account, "reset_face_check_result", "provider", r->ip,
	    json_pack("{s:I,s:s,s:s}", "case", (json_int_t)case_id, "result", status, "event", field(r, "event_id")))) != DB_OK)
		return rc;
	if (strcmp(status, "no_match") == 0)
		rc = cases_reject(r, case_id, account, "face_no_match",
		    "The pictures of your face did not match the identity photo on file.", "provider");
	else if (strcmp(status, "identity_invalid") == 0)
		rc = cases_reject(r, case_id, account, "identity_invalid",
		    "Your identity verification on file is not valid, so a face match cannot confirm the reset. Contact support to renew it.",
		    "provider");
	if (rc != DB_OK)
		return rc;
	http_json(r, 200, json_pack("{s:s}", "status", status));
	return DB_OK;
}
