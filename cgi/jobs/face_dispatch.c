/* jobs/face_dispatch.c -- the delivery process sends queued face checks to the provider (libcurl). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "jobs.h"
#include "../../wasm/b64url.h"

#define MAX_ANSWER (64 * 1024) /* bytes of a provider's answer */

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

	if (db_query(a->db, STMT_EVIDENCE_FACE_FRAMES, DBARGS(DB_I(case_id)), &rows) != RK_OK) {
		json_decref(frames);
		return NULL;
	}
	for (unsigned i = 0; i < rows.nrows; i++) {
		size_t bl, n;
		const unsigned char *box = (const unsigned char *)db_cell(&rows, i, 4, &bl);
		unsigned char *png;
		vault_ad(ad, sizeof ad, case_id, db_cell(&rows, i, 1, NULL), db_cell(&rows, i, 2, NULL));
		if ((png = vault_unseal(a, (int)db_cell_ll(&rows, i, 3), box, bl, ad, &n)) == NULL)
			continue; /* a box that does not open is not sent */
		json_array_append_new(frames, image_b64(png, n));
		free(png);
	}
	db_rows_free(&rows);
	if (db_query(a->db, STMT_IDPHOTO_GET, DBARGS(DB_I(account)), &rows) == RK_OK) {
		if (rows.nrows == 1) {
			size_t bl, n;
			const unsigned char *box = (const unsigned char *)db_cell(&rows, 0, 2, &bl);
			unsigned char *png;
			vault_identity_ad(ad, sizeof ad, account);
			if ((png = vault_unseal(a, (int)db_cell_ll(&rows, 0, 3), box, bl, ad, &n)) != NULL) {
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
		if (rc == RK_OK)
			rc = cases_event(a, case_id, "face_check_sent", a->cfg.face_provider);
		*sent += 1;
		metrics_delivery(MCH_FACE, 1);
	} else {
		metrics_delivery(MCH_FACE, 0);
		rc = db_exec(a->db, STMT_FACE_CHECK_RETRY, DBARGS(DB_S(err), DB_I(id)), NULL, NULL);
	}
	free(body);
	return rc;
}

int
face_dispatch_once(struct app *a, int *sent)
{
	*sent = 0;
	if (strcmp(a->cfg.face_provider, PROVIDER_HTTP) != 0)
		return RK_OK;
	return deliver_claimed(a, STMT_FACE_CHECK_DUE, dispatch_row, sent);
}
