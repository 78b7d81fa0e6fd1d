/* api/evidence.c -- screenshots and face frames for a reset case (seed: Cases 2 and 3):
 * every file checked again by the core, sealed by the vault, one INSERT. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "api.h"
#include "../../wasm/chain.h"
#include "../../wasm/hash.h"
#include "../../wasm/image.h"
#include "../../wasm/validate.h"

/* Case 2: the live tips' checks again on the server, on the decoded frame */
static void
face_check(const unsigned char *p, size_t n, uint64_t max_pixels, struct problems *ps)
{
	struct image_gray g;
	struct frame_metrics m;

	if (image_decode_gray(p, n, max_pixels, &g) != 0) {
		problems_add(ps, PROB_IMG_DECODE);
		return;
	}
	image_frame_check_gray(&g, NULL, &m, ps);
	image_gray_free(&g);
}

static int
parse_time(const char *s, time_t *t)
{
	struct tm tm;
	char *end;
	memset(&tm, 0, sizeof tm);
	end = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (end == NULL || (*end != '\0' && strcmp(end, "Z") != 0 && (end[0] != ':' || strlen(end) > 4)))
		return -1;
	*t = timegm(&tm);
	return 0;
}

static int
same_ref(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= 2 && a[0] == '0' && (a[1] == 'x' || a[1] == 'X')) { a += 2; la -= 2; }
	if (lb >= 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) { b += 2; lb -= 2; }
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

/* The typed transaction against the account's own deposits and withdrawals:
 * the best match as a 0..100 score with the reasons. */
static int
match_transfer(struct req *r, uint64_t account, int *score, char *reasons, size_t rlen)
{
	struct dbrows rows;
	double amount = strtod(http_query(r, "amount"), NULL);
	time_t when;
	int rc = db_query(r->app->db, STMT_TRANSFERS_ALL, DBARGS(DB_I(account)), &rows);

	*score = 0;
	snprintf(reasons, rlen, "no deposit or withdrawal of this account matches");
	if (rc != RK_OK)
		return rc;
	parse_time(http_query(r, "time"), &when);
	for (unsigned i = 0; i < rows.nrows; i++) {
		char why[600] = "";
		int s = 0;
		double amt = strtod(db_cell(&rows, i, 3, NULL), NULL);
		double dt = fabs(difftime(when, (time_t)db_cell_ll(&rows, i, 4)));
		if (strcmp(db_cell(&rows, i, 0, NULL), http_query(r, "direction")) == 0) { s += 10; strcat(why, "direction; "); }
		if (strcasecmp(db_cell(&rows, i, 1, NULL), http_query(r, "coin")) == 0) { s += 10; strcat(why, "coin; "); }
		if (strcasecmp(db_cell(&rows, i, 2, NULL), http_query(r, "network")) == 0) { s += 10; strcat(why, "network; "); }
		if (fabs(amt - amount) <= 1e-12 * fmax(1, amt)) { s += 25; strcat(why, "amount exact; "); }
		else if (amt > 0 && fabs(amt - amount) / amt <= 0.01) { s += 15; strcat(why, "amount within 1%; "); }
		if (dt <= 2 * 3600) { s += 20; strcat(why, "time within 2 h; "); }
		else if (dt <= 48 * 3600) { s += 10; strcat(why, "time within 48 h; "); }
		if (same_ref(http_query(r, "reference"), db_cell(&rows, i, 6, NULL))) { s += 25; strcat(why, "TXID matches; "); }
		else if (same_ref(http_query(r, "reference"), db_cell(&rows, i, 5, NULL))) { s += 20; strcat(why, "address matches; "); }
		if (s > *score) {
			*score = s;
			snprintf(reasons, rlen, "%s", why);
		}
	}
	db_rows_free(&rows);
	return RK_OK;
}

/* The typed fields, with the same core validators as the page (which of
 * them a kind needs is the route table's "required if"). */
static int
fields_ok(struct req *r)
{
	const char *kind = http_query(r, "kind");
	if (strcmp(kind, "face_frame") == 0) {
		const char *c = http_query(r, "country");
		if (c == NULL || strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
			return http_fail(r, SP_COUNTRY_INVALID);
		return RK_OK;
	}
	if (strcmp(kind, "operator_email") == 0)
		return RK_OK;
	enum chain c = chain_lookup(http_query(r, "network"), strlen(http_query(r, "network")));
	if (c == CHAIN__MAX)
		return http_fail_core(r, 400, PROB_CHAIN_UNKNOWN, NULL);
	const char *ref = http_query(r, "reference");
	if (chain_validate_address(c, ref, strlen(ref)) != PROB_OK && chain_validate_txid(c, ref, strlen(ref)) != PROB_OK)
		return http_fail(r, SP_REFERENCE_INVALID);
	/* the coin as listed on that network, and its decimals: the core's one table */
	unsigned decimals;
	enum problem p = chain_coin_decimals(http_query(r, "coin"), strlen(http_query(r, "coin")), c, &decimals);
	if (p == PROB_OK)
		p = validate_amount(http_query(r, "amount"), strlen(http_query(r, "amount")), decimals);
	if (p != PROB_OK)
		return http_fail_core(r, 400, p, NULL);
	time_t t;
	if (parse_time(http_query(r, "time"), &t) != 0 || t > time(NULL) + 3600 || t < time(NULL) - 10L * 366 * 86400)
		return http_fail(r, SP_TIME_INVALID);
	return RK_OK;
}

int
h_evidence_upload(struct req *r)
{
	struct app *a = r->app;
	struct reset_ref ref;
	struct image_policy pol;
	struct image_result img;
	struct image_rgb rgb = { 0, 0, NULL };
	struct problems ps = { 0, { 0 } };
	struct dbrows rows;
	unsigned char *canon = NULL;
	size_t canon_len = 0;
	unsigned char sha[32], *orig_sealed = NULL, *canon_sealed = NULL;
	char ad[200], shahex[65], reasons[600] = "", ring[200] = "", tbuf[20];
	size_t ol = 0, cl = 0;
	int rc, ok, score = -1, is_tx, is_face, key_id = 0, key_id2 = 0;
	enum image_format fmt;
	uint64_t id = 0;

	/* the typed fields first: a bad one is refused before the flow is
	 * loaded (and could expire) */
	if ((rc = fields_ok(r)) != RK_OK)
		return rc;
	if ((rc = resetflow_ref(r, &ref, &ok)) != RK_OK || !ok)
		return rc;
	is_tx = strcmp(http_query(r, "kind"), "counterparty_tx") == 0;
	is_face = strcmp(http_query(r, "kind"), "face_frame") == 0;
	/* camera frames belong to Case 2, screenshots to Case 3 */
	if (is_face != ref.face)
		return http_fail_core(r, 409, PROB_FLOW_NOT_ALLOWED, NULL);
	/* limits per case: count and bytes */
	if ((rc = db_query(a->db, STMT_EVIDENCE_COUNT, DBARGS(DB_I(ref.case_id)), &rows)) != RK_OK)
		return rc;
	ok = db_cell_ll(&rows, 0, 0) < a->cfg.evidence_per_case &&
	    (size_t)db_cell_ll(&rows, 0, 1) + r->body_len <= (size_t)a->cfg.evidence_per_case * a->cfg.max_upload;
	db_rows_free(&rows);
	if (!ok)
		return http_fail(r, SP_EVIDENCE_LIMIT);
	/* the core's screenshot checks, byte limit and pixel limit before decode */
	image_policy_default(&pol);
	pol.max_bytes = a->cfg.max_upload;
	if (is_face) /* a face has no text: focus and light are the frame check's */
		pol.min_sharpness = pol.min_highlight = 0;
	/* RFC 9110 §8.3: the body is what its Content-Type says, by the core's
	 * magic bytes (issue #14: a PNG sent as image/jpeg was kept); a body of
	 * neither format is the walk's image_unknown_format */
	fmt = image_sniff((const unsigned char *)r->body, r->body_len);
	if (fmt != IMAGE_NONE && fmt != image_format_of_type(r->content_type))
		problems_add(&ps, PROB_IMG_TYPE_MISMATCH);
	else
		image_check_rgb((const unsigned char *)r->body, r->body_len, &pol, &img, &ps, &rgb);
	/* the canonical copy from the pixels the check decoded (issue #21: one decode) */
	if (ps.n == 0) {
		int enc = vault_png(rgb.px, (int)rgb.width, (int)rgb.height, &canon, &canon_len);
		image_rgb_free(&rgb);
		if (enc != 0)
			return http_fail_core(r, 400, PROB_IMG_DECODE, NULL);
	}
	if (is_face && ps.n == 0)
		face_check((const unsigned char *)r->body, r->body_len, pol.max_pixels, &ps);
	if (ps.n > 0) {
		json_t *list = json_array();
		for (unsigned i = 0; i < ps.n; i++)
			json_array_append_new(list, json_string(problem_name((enum problem)ps.code[i])));
		rc = http_fail_core_with(r, 400, (enum problem)ps.code[0], json_pack("{s:o}", "problems", list));
		goto out;
	}
	hash_sha256(r->body, r->body_len, sha);
	for (int i = 0; i < 32; i++)
		snprintf(shahex + 2 * i, 3, "%02x", sha[i]);
	/* the same image twice in one case (byte-identical or perceptually);
	 * frames of one face are alike by nature: only byte-identical ones */
	if ((rc = is_face ? db_query(a->db, STMT_EVIDENCE_SAME_FILE, DBARGS(DB_I(ref.case_id), DB_B(sha, 32)), &rows)
	    : db_query(a->db, STMT_EVIDENCE_DUPLICATE, DBARGS(DB_I(ref.case_id), DB_B(sha, 32), DB_I((long long)img.fingerprint)), &rows)) != RK_OK)
		goto out;
	ok = rows.nrows == 0;
	db_rows_free(&rows);
	if (!ok) {
		rc = http_fail(r, SP_DUPLICATE_IMAGE);
		goto out;
	}
	/* near-identical images in other accounts' cases: a possible fraud ring */
	if ((rc = db_query(a->db, STMT_EVIDENCE_RING, DBARGS(DB_I(ref.account), DB_I((long long)img.fingerprint),
	    DB_I((long long)img.fingerprint), DB_I((long long)img.fingerprint), DB_I((long long)img.fingerprint),
	    DB_I((long long)img.fingerprint), DB_I((long long)img.fingerprint)), &rows)) != RK_OK)
		goto out;
	for (unsigned i = 0; i < rows.nrows; i++)
		snprintf(ring + strlen(ring), sizeof ring - strlen(ring), "%s%s", i ? "," : "", db_cell(&rows, i, 0, NULL));
	db_rows_free(&rows);
	if (is_tx && (rc = match_transfer(r, ref.account, &score, reasons, sizeof reasons)) != RK_OK)
		goto out;
	vault_ad(ad, sizeof ad, ref.case_id, http_query(r, "kind"), shahex);
	orig_sealed = vault_seal(a, (const unsigned char *)r->body, r->body_len, ad, &ol, &key_id);
	canon_sealed = vault_seal(a, canon, canon_len, ad, &cl, &key_id2);
	if (orig_sealed == NULL || canon_sealed == NULL || key_id != key_id2) { /* a rotation between the two: refused, retried by the client */
		rc = RK_FAIL;
		goto out;
	}
	if (is_tx) {
		snprintf(tbuf, sizeof tbuf, "%.16s", http_query(r, "time"));
	}
	rc = db_exec(a->db, STMT_EVIDENCE_INSERT, DBARGS(DB_I(ref.case_id), DB_S(http_query(r, "kind")),
	    is_tx || is_face ? DB_NULL : DB_S(http_query(r, "email_kind")), is_tx ? DB_S(http_query(r, "direction")) : DB_NULL,
	    is_tx ? DB_S(http_query(r, "coin")) : DB_NULL, is_tx ? DB_S(http_query(r, "network")) : DB_NULL, is_tx ? DB_S(http_query(r, "amount")) : DB_NULL,
	    is_tx ? DB_S(tbuf) : DB_NULL, is_tx ? DB_S(http_query(r, "reference")) : DB_NULL, is_tx ? DB_S(http_query(r, "counterparty")) : DB_NULL,
	    DB_S(image_format_name(img.info.format)), DB_I(img.info.width), DB_I(img.info.height), DB_I(r->body_len), DB_B(sha, 32),
	    DB_I((long long)img.fingerprint), DB_I(key_id), DB_B(orig_sealed, ol), DB_B(canon_sealed, cl),
	    is_tx ? DB_I(score) : DB_NULL, is_tx ? DB_S(reasons) : DB_NULL, DB_S(ring)), NULL, &id);
	if (rc != RK_OK)
		goto out;
	if (is_face && (rc = db_exec(a->db, STMT_CASE_COUNTRY, DBARGS(DB_S(http_query(r, "country")), DB_I(ref.case_id)), NULL, NULL)) != RK_OK)
		goto out;
	{
		char detail[120];
		snprintf(detail, sizeof detail, "%s #%llu", http_query(r, "kind"), (unsigned long long)id);
		if ((rc = cases_event(a, ref.case_id, "evidence_added", detail)) != RK_OK)
			goto out;
	}
	if ((rc = audit_append(a, ref.account, "reset_evidence_added", "account", r->ip,
	    json_pack("{s:I,s:I,s:s,s:s}", "case", (json_int_t)ref.case_id, "evidence", (json_int_t)id, "kind", http_query(r, "kind"), "sha256", shahex))) != RK_OK)
		goto out;
	{
		char fp[17];
		snprintf(fp, sizeof fp, "%016llx", (unsigned long long)img.fingerprint);
		http_json(r, 201, json_pack("{s:I,s:s,s:s,s:i,s:i,s:I,s:s,s:s}", "id", (json_int_t)id, "kind", http_query(r, "kind"),
		    "format", image_format_name(img.info.format), "width", (int)img.info.width, "height", (int)img.info.height,
		    "bytes", (json_int_t)r->body_len, "sha256", shahex, "fingerprint", fp));
	}
out:
	free(canon);
	free(orig_sealed);
	free(canon_sealed);
	return rc;
}

int
h_evidence_list(struct req *r)
{
	struct reset_ref ref;
	struct dbrows rows;
	json_t *list;
	int rc, ok;

	if ((rc = resetflow_ref(r, &ref, &ok)) != RK_OK || !ok)
		return rc;
	if ((rc = db_query(r->app->db, STMT_EVIDENCE_LIST, DBARGS(DB_I(ref.case_id)), &rows)) != RK_OK)
		return rc;
	list = json_array();
	for (unsigned i = 0; i < rows.nrows; i++)
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:I,s:s}", "id", (json_int_t)db_cell_ll(&rows, i, 0),
		    "kind", db_cell(&rows, i, 1, NULL), "email_kind", db_cell(&rows, i, 2, NULL), "coin", db_cell(&rows, i, 3, NULL),
		    "amount", db_cell(&rows, i, 4, NULL), "format", db_cell(&rows, i, 5, NULL), "width", (int)db_cell_ll(&rows, i, 6),
		    "height", (int)db_cell_ll(&rows, i, 7), "bytes", (json_int_t)db_cell_ll(&rows, i, 8), "created_at", db_cell(&rows, i, 9, NULL)));
	db_rows_free(&rows);
	http_json(r, 200, json_pack("{s:o}", "evidence", list));
	return RK_OK;
}
