/* ctl/bulk.c -- rekeyctl seed-bulk: a large, realistic data set for the
 * benchmarks at 10 thousand to 1 million accounts (issue #21) and for the
 * EXPLAIN test. It writes tab-separated files (LOAD DATA's default format:
 * \0 \t \n \\ escaped, \N for NULL) in chunks of BULK_CHUNK rows into a
 * folder, and prints one line per finished chunk on stdout:
 *     TABLE FILE ROWS COLUMNS
 * so that a loader (tests/bench/seed-bulk.sh) loads each chunk while the
 * next is written. What needs the server key is made here with it: the
 * audit chains' hashes (audit_entry_hash), the evidence sealed as an upload
 * is (vault_seal of the original and of its canonical PNG, the case, kind
 * and SHA-256 as associated data), the TOTP secrets sealed (keys_seal).
 * The distributions (per account): 0-5 passkeys (30/35/20/10/3/2 %), TOTP
 * on 20 %, a confirmed phone on 30 %, 0-20 sign-ins (10 on average), 0-12
 * transfers, a hold on 5 % (a fifth of them still active), a deletion on
 * 2 %, 2 sessions (most ended), 10-30 audit entries (20 on average), a
 * reset case on 0.5 % in every status (documents cases with 2 evidence
 * files), plus a backlog of BACKLOG cases waiting in the review queue and
 * EXPIRED one-time codes long past their end (for the sweep). Ids are
 * explicit from the current highest on, so the set is added to any database. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "ctl.h"
#include "../../wasm/image.h"
#include "../../wasm/hash.h"

#define BULK_CHUNK 500000

struct tsv {
	const char *table, *cols;
	const char *dir;
	FILE *f;
	char path[600];
	unsigned chunk;
	unsigned long rows, total;
};

static uint64_t rng_state;

static uint64_t
rnd(void) /* splitmix64: fast, and the same data set for the same arguments */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static unsigned
rndn(unsigned n) { return (unsigned)(rnd() % n); }
static double
rndf(void) { return (double)(rnd() >> 11) / 9007199254740992.0; }
static void
rndbytes(unsigned char *p, size_t n) { for (size_t i = 0; i < n; i++) p[i] = (unsigned char)rnd(); }

static int
tsv_open(struct tsv *t)
{
	snprintf(t->path, sizeof t->path, "%s/%s-%04u.tsv", t->dir, t->table, t->chunk);
	t->f = fopen(t->path, "w");
	t->rows = 0;
	return t->f ? 0 : -1;
}
static void
tsv_flush(struct tsv *t)
{
	if (t->f == NULL)
		return;
	fclose(t->f);
	t->f = NULL;
	if (t->rows > 0) {
		printf("%s %s %lu %s\n", t->table, t->path, t->rows, t->cols);
		fflush(stdout);
	} else {
		remove(t->path);
	}
	t->chunk++;
}
/* a field separator or the end of a row */
static void
tsv_sep(struct tsv *t) { fputc('\t', t->f); }
static int
tsv_end(struct tsv *t)
{
	fputc('\n', t->f);
	t->rows++;
	t->total++;
	if (t->rows >= BULK_CHUNK) {
		tsv_flush(t);
		return tsv_open(t);
	}
	return 0;
}
static void
tsv_bin(struct tsv *t, const void *v, size_t n)
{
	const unsigned char *p = v;
	for (size_t i = 0; i < n; i++) {
		switch (p[i]) {
		case 0: fputs("\\0", t->f); break;
		case '\t': fputs("\\t", t->f); break;
		case '\n': fputs("\\n", t->f); break;
		case '\\': fputs("\\\\", t->f); break;
		default: fputc(p[i], t->f);
		}
	}
}
static void
tsv_s(struct tsv *t, const char *s) { tsv_bin(t, s, strlen(s)); }
static void
tsv_null(struct tsv *t) { fputs("\\N", t->f); }
static void
tsv_i(struct tsv *t, long long v) { fprintf(t->f, "%lld", v); }

/* a time as the row stores it and as the audit hash reads it (TSFMT) */
static void
when(double epoch, char out[32], char iso[32])
{
	time_t s = (time_t)epoch;
	long us = (long)((epoch - (double)s) * 1e6);
	struct tm tm;
	char base[24];
	gmtime_r(&s, &tm);
	strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, 32, "%s.%06ld", base, us < 0 ? 0 : us > 999999 ? 999999 : us);
	if (iso) {
		strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(iso, 32, "%s.%06ldZ", base, us < 0 ? 0 : us > 999999 ? 999999 : us);
	}
}
static void
tsv_t(struct tsv *t, double epoch)
{
	char s[32];
	when(epoch, s, NULL);
	fputs(s, t->f);
}

enum { T_ACCOUNTS, T_PASSKEYS, T_TOTP, T_PHONES, T_SIGNINS, T_TRANSFERS, T_SESSIONS, T_HOLDS, T_DFLOWS,
	T_CASES, T_RFLOWS, T_EVENTS, T_EVIDENCE, T_AUDIT, T_HEADS, T_CODES, T__MAX };

static const struct { const char *table, *cols; } tables[T__MAX] = {
	[T_ACCOUNTS] = { "accounts", "id,email,password_hash,user_handle,identity_status,asset_value_cents,display_name,frozen,no_passkey_protection,created_at" },
	[T_PASSKEYS] = { "passkeys", "account_id,credential_id,cose_alg,public_key,cose_key,sign_count,uv_initialized,backup_eligible,backup_state,aaguid,attestation_fmt,transports,name,created_at,last_used_at" },
	[T_TOTP] = { "totp_bindings", "account_id,secret_sealed,confirmed_at,last_step,created_at" },
	[T_PHONES] = { "phones", "account_id,number,confirmed_at,created_at" },
	[T_SIGNINS] = { "signins", "account_id,at,ip,country,device" },
	[T_TRANSFERS] = { "transfers", "account_id,direction,coin,network,amount,occurred_at,address,txid,counterparty" },
	[T_SESSIONS] = { "sessions", "token_hash,account_id,stage,created_at,last_seen_at,absolute_expires_at,revoked_at,ip,user_agent" },
	[T_HOLDS] = { "holds", "account_id,reason,source_event,starts_at,ends_at" },
	[T_DFLOWS] = { "delete_flows", "account_id,session_id,passkey_id,state,email_tries,factor_tries,factor,created_at,expires_at,finished_at" },
	[T_CASES] = { "reset_cases", "id,account_id,open_account_id,route,status,questions_attempts,status_token_hash,route_rule,created_at,updated_at,closed_at,submitted_at,queue_class,queue_status,queue_value_cents" },
	[T_RFLOWS] = { "reset_flows", "browser_hash,entry,state,email,account_id,password_confirmed,email_tries,case_id,created_at,expires_at,finished_at" },
	[T_EVENTS] = { "case_events", "case_id,at,event,detail" },
	[T_EVIDENCE] = { "evidence", "case_id,kind,email_kind,format,width,height,bytes,sha256,fingerprint,key_id,original_sealed,canonical_sealed,ring_cases,created_at,fp_a,fp_b,fp_c,fp_d,fp_e" },
	[T_AUDIT] = { "audit_log", "chain_id,seq,event,actor,ip,detail,created_at,prev_hash,hash" },
	[T_HEADS] = { "audit_heads", "chain_id,seq,hash" },
	[T_CODES] = { "codes", "account_id,purpose,bound_to,channel,code_hash,created_at,expires_at,tries,used_at" },
};

static const char *const countries[] = { "CH", "DE", "FR", "GB", "US", "SG", "JP", "BR", "NG", "IN", "AE", "NL" };
static const char *const devices[] = { "Firefox on Windows", "Safari on iPhone", "Chrome on macOS", "Chrome on Android", "Edge on Windows", "Safari on macOS" };
static const char *const coins[][3] = { { "BTC", "BTC", "8" }, { "ETH", "ETH", "18" }, { "USDT", "TRX", "6" }, { "USDT", "ETH", "6" },
	{ "SOL", "SOL", "9" }, { "LTC", "LTC", "8" } };
static const char *const platforms[] = { "Kraken", "Binance", "Coinbase", "OKX", "Ledger Live", "Trezor Suite", "Phantom wallet", "" };
static const char *const audit_events[] = { "signed_in", "signed_in", "signed_in", "passkey_added", "session_revoked", "code_sent",
	"totp_bound", "phone_bound", "passkey_renamed", "hold_started" };

/* one small screenshot-like PNG (a light page, dark text lines that
 * differ per case): real pixels that the core decodes and fingerprints */
static int
evidence_png(unsigned seed, unsigned char **png, size_t *n)
{
	enum { W = 270, H = 600 };
	static unsigned char rgb[W * H * 3];
	uint64_t keep = rng_state;
	rng_state = seed * 0x2545F4914F6CDD1DULL + 1;
	memset(rgb, 246, sizeof rgb);
	for (int y = 20; y < H - 20; y += 18) {
		int len = 40 + (int)rndn(W - 70);
		/* words: dark runs with gaps, as a line of text looks */
		for (int x = 16; x < 16 + len;) {
			int w = 8 + (int)rndn(40), shade = 30 + (int)rndn(40);
			for (int yy = y; yy < y + 9; yy++)
				memset(rgb + (yy * W + x) * 3, shade, (size_t)(w < 16 + len - x ? w : 16 + len - x) * 3);
			x += w + 6;
		}
	}
	rng_state = keep;
	return vault_png(rgb, W, H, png, n);
}

/* the screenshots: EVIDENCE_VARIANTS drawn, checked and made canonical
 * once (as an upload would be); each row seals its own copies */
#define EVIDENCE_VARIANTS 256
static struct shot {
	unsigned char *png, *canon, sha[32];
	size_t n, cn;
	char shahex[65];
	struct image_result img;
} shots[EVIDENCE_VARIANTS];

static int
shot_make(unsigned v)
{
	struct shot *s = &shots[v];
	struct image_policy pol;
	struct image_gray g;
	struct problems ps = { 0 };

	if (s->png)
		return 0;
	if (evidence_png(v + 1, &s->png, &s->n) != 0)
		return -1;
	image_policy_default(&pol);
	image_inspect(s->png, s->n, &s->img, &ps); /* format, width, height */
	if (image_decode_gray(s->png, s->n, pol.max_pixels, &g) != 0)
		return -1;
	image_measure(&g, &s->img); /* the perceptual fingerprint */
	image_gray_free(&g);
	hash_sha256(s->png, s->n, s->sha);
	for (int i = 0; i < 32; i++)
		snprintf(s->shahex + 2 * i, 3, "%02x", s->sha[i]);
	return vault_canonical_png(s->png, s->n, &s->canon, &s->cn);
}

/* the sealed original and canonical copies, as an upload stores them */
static int
evidence_row(struct app *a, struct tsv *t, uint64_t case_id, const char *kind, const char *email_kind, unsigned seed, double at)
{
	struct shot *s = &shots[seed % EVIDENCE_VARIANTS];
	unsigned char *os = NULL, *cs = NULL;
	size_t ol = 0, cl = 0;
	char ad[200];
	int rc = -1, key_id = 0, key_id2 = 0;

	if (shot_make(seed % EVIDENCE_VARIANTS) != 0)
		return -1;
	vault_ad(ad, sizeof ad, case_id, kind, s->shahex);
	if ((os = vault_seal(a, s->png, s->n, ad, &ol, &key_id)) == NULL || (cs = vault_seal(a, s->canon, s->cn, ad, &cl, &key_id2)) == NULL ||
	    key_id != key_id2)
		goto out;
	tsv_i(t, (long long)case_id); tsv_sep(t); tsv_s(t, kind); tsv_sep(t);
	if (email_kind) tsv_s(t, email_kind); else tsv_null(t);
	tsv_sep(t); tsv_s(t, "png"); tsv_sep(t); tsv_i(t, s->img.info.width); tsv_sep(t); tsv_i(t, s->img.info.height); tsv_sep(t);
	tsv_i(t, (long long)s->n); tsv_sep(t); tsv_bin(t, s->sha, 32); tsv_sep(t); tsv_i(t, (long long)s->img.fingerprint); tsv_sep(t);
	tsv_i(t, key_id); tsv_sep(t); tsv_bin(t, os, ol); tsv_sep(t); tsv_bin(t, cs, cl); tsv_sep(t); tsv_sep(t); tsv_t(t, at);
	/* the fingerprint's five parts, as schema/034's triggers set them (the load may run without them) */
	{
		uint64_t fp = s->img.fingerprint;
		tsv_sep(t); tsv_i(t, (long long)(fp >> 51 & 8191)); tsv_sep(t); tsv_i(t, (long long)(fp >> 38 & 8191)); tsv_sep(t);
		tsv_i(t, (long long)(fp >> 25 & 8191)); tsv_sep(t); tsv_i(t, (long long)(fp >> 12 & 8191)); tsv_sep(t); tsv_i(t, (long long)(fp & 4095));
	}
	rc = tsv_end(t);
out:
	free(os);
	free(cs);
	return rc;
}

struct bulk {
	struct app *a;
	struct tsv t[T__MAX];
	double now;
	uint64_t first_account, first_case, next_case;
	unsigned long accounts, backlog, expired;
	char pwhash[crypto_pwhash_STRBYTES];
};

static void
audit_chain(struct bulk *b, uint64_t acc, double created)
{
	struct tsv *t = &b->t[T_AUDIT];
	unsigned char prev[32] = { 0 }, h[32];
	unsigned n = 10 + rndn(21); /* 10..30: 20 on average */
	double at = created, step = (b->now - created) / (n + 1);
	char ts[32], iso[32], detail[120], ip[24];

	for (unsigned s = 1; s <= n; s++) {
		const char *ev = s == 1 ? "account_created" : audit_events[rndn(sizeof audit_events / sizeof *audit_events)];
		at += step * (0.5 + rndf());
		if (at >= b->now - 1)
			at = b->now - 1 - (n - s);
		when(at, ts, iso);
		snprintf(ip, sizeof ip, "203.0.%u.%u", rndn(256), rndn(256));
		if (strcmp(ev, "signed_in") == 0)
			snprintf(detail, sizeof detail, "{\"method\":\"%s\"}", rndn(3) ? "password" : "passkey");
		else
			snprintf(detail, sizeof detail, "{\"n\":%u}", s);
		audit_entry_hash(b->a->keys.audit, acc, s, ev, "account", ip, detail, iso, prev, h);
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_i(t, s); tsv_sep(t); tsv_s(t, ev); tsv_sep(t); tsv_s(t, "account"); tsv_sep(t);
		tsv_s(t, ip); tsv_sep(t); tsv_s(t, detail); tsv_sep(t); fputs(ts, t->f); tsv_sep(t); tsv_bin(t, prev, 32); tsv_sep(t);
		tsv_bin(t, h, 32);
		tsv_end(t);
		memcpy(prev, h, 32);
	}
	t = &b->t[T_HEADS];
	tsv_i(t, (long long)acc); tsv_sep(t); tsv_i(t, n); tsv_sep(t); tsv_bin(t, prev, 32);
	tsv_end(t);
}

static const char *const closed_status[] = { "approved", "rejected", "completed", "expired" };
static const char *const open_status[] = { "verifying", "awaiting_evidence", "under_review", "needs_more_info" };
static const char *const routes_[] = { "questions", "face", "documents" };

/* The review queue's class, status and account value of a case without a
 * first approval (schema/029, 033): what its triggers set, written here too
 * because tests/bench/seed-bulk.sh may load with the triggers off. NULL: not
 * waiting. */
static void
queue_cols(struct tsv *t, const char *route, const char *status, int qa, int submitted, long long value)
{
	if (!submitted || (strcmp(status, "under_review") != 0 && strcmp(status, "needs_more_info") != 0 && strcmp(status, "disputed") != 0)) {
		tsv_null(t); tsv_sep(t); tsv_null(t); tsv_sep(t); tsv_null(t);
		return;
	}
	tsv_s(t, strcmp(route, "face") == 0 ? "face" : qa > 0 ? "questions_failed" : "documents"); tsv_sep(t); tsv_s(t, status); tsv_sep(t);
	tsv_i(t, value);
}

/* a reset case (open or closed), its flow, timeline and evidence */
static int
reset_case(struct bulk *b, uint64_t acc, long long value, int backlog)
{
	uint64_t id = b->next_case++;
	int open = backlog || rndn(3) == 0;
	const char *route = backlog ? routes_[1 + rndn(2)] : routes_[rndn(3)];
	const char *status = backlog ? (rndn(10) ? "under_review" : "needs_more_info") : open ? open_status[rndn(4)] : closed_status[rndn(4)];
	double created = b->now - 3600.0 * (backlog ? 2 + rndn(70) : 24 + rndn(24 * 300));
	int submitted = strcmp(status, "verifying") != 0 && strcmp(status, "awaiting_evidence") != 0 && strcmp(route, "questions") != 0;
	int qa;
	unsigned char tok[32], bh[32];
	struct tsv *t = &b->t[T_CASES];
	char email[64];

	rndbytes(tok, 32);
	tsv_i(t, (long long)id); tsv_sep(t); tsv_i(t, (long long)acc); tsv_sep(t);
	if (open) tsv_i(t, (long long)acc); else tsv_null(t);
	qa = strcmp(route, "questions") == 0 ? (int)rndn(3) : 0; /* (drawn here, where it always was: the same data as before) */
	tsv_sep(t); tsv_s(t, route); tsv_sep(t); tsv_s(t, status); tsv_sep(t); tsv_i(t, qa); tsv_sep(t);
	tsv_bin(t, tok, 32); tsv_sep(t); tsv_i(t, (long long)rndn(10)); tsv_sep(t); tsv_t(t, created); tsv_sep(t); tsv_t(t, created + 600); tsv_sep(t);
	if (open) tsv_null(t); else tsv_t(t, created + 86400);
	tsv_sep(t);
	if (submitted) tsv_t(t, created + 300); else tsv_null(t);
	tsv_sep(t);
	queue_cols(t, route, status, qa, submitted, value);
	tsv_end(t);
	/* the flow that opened it */
	t = &b->t[T_RFLOWS];
	rndbytes(bh, 32);
	snprintf(email, sizeof email, "bulk%llu@rekey.test", (unsigned long long)acc);
	tsv_bin(t, bh, 32); tsv_sep(t); tsv_s(t, "direct"); tsv_sep(t); tsv_s(t, open ? strcmp(route, "face") == 0 ? "face" : "documents" : "done"); tsv_sep(t);
	tsv_s(t, email); tsv_sep(t); tsv_i(t, (long long)acc); tsv_sep(t); tsv_i(t, 1); tsv_sep(t); tsv_i(t, 0); tsv_sep(t); tsv_i(t, (long long)id); tsv_sep(t);
	tsv_t(t, created - 120); tsv_sep(t); tsv_t(t, created + 3600); tsv_sep(t);
	if (open) tsv_null(t); else tsv_t(t, created + 86400);
	tsv_end(t);
	/* its timeline */
	t = &b->t[T_EVENTS];
	{
		const char *evs[] = { "case_opened", "route_chosen", submitted ? "submitted_for_review" : "waiting", open ? "" : status };
		for (unsigned e = 0; e < 4; e++) {
			if (!evs[e][0])
				continue;
			tsv_i(t, (long long)id); tsv_sep(t); tsv_t(t, created + e * 60.0); tsv_sep(t); tsv_s(t, evs[e]); tsv_sep(t); tsv_end(t);
		}
	}
	/* documents waiting for (or past) review: two screenshots, sealed */
	if (strcmp(route, "documents") == 0 && submitted) {
		if (evidence_row(b->a, &b->t[T_EVIDENCE], id, "operator_email", "withdrawal", (unsigned)(rnd() % EVIDENCE_VARIANTS), created + 100) != 0 ||
		    evidence_row(b->a, &b->t[T_EVIDENCE], id, "operator_email", "deposit", (unsigned)(rnd() % EVIDENCE_VARIANTS), created + 200) != 0)
			return -1;
	}
	return 0;
}

static int
account(struct bulk *b, unsigned long i)
{
	uint64_t acc = b->first_account + i;
	struct tsv *t = &b->t[T_ACCOUNTS];
	unsigned char handle[32], buf[128];
	double created = b->now - 86400.0 * (30 + rndn(2000)) - rndn(86400);
	double r = rndf();
	unsigned npk, nsign, ntx;
	long long value;
	char email[64], name[40], ip[24];
	static const unsigned pk_cdf[] = { 30, 65, 85, 95, 98, 100 };

	/* the account */
	rndbytes(handle, 32);
	snprintf(email, sizeof email, "bulk%llu@rekey.test", (unsigned long long)acc);
	snprintf(name, sizeof name, "Bulk User %llu", (unsigned long long)acc);
	tsv_i(t, (long long)acc); tsv_sep(t); tsv_s(t, email); tsv_sep(t); tsv_s(t, b->pwhash); tsv_sep(t); tsv_bin(t, handle, 32); tsv_sep(t);
	tsv_s(t, r < 0.6 ? "verified" : r < 0.97 ? "unverified" : "invalid"); tsv_sep(t);
	r = rndf();
	value = r < 0.9 ? (long long)rndn(1000000) : r < 0.99 ? 1000000 + (long long)rndn(9000000) : 10000000 + (long long)rndn(500000000);
	tsv_i(t, value); tsv_sep(t);
	tsv_s(t, name); tsv_sep(t); tsv_i(t, rndn(500) == 0); tsv_sep(t); tsv_i(t, 0); tsv_sep(t); tsv_t(t, created);
	tsv_end(t);
	/* passkeys */
	for (npk = 0, r = rndn(100); npk < 5 && r >= pk_cdf[npk]; npk++)
		;
	t = &b->t[T_PASSKEYS];
	for (unsigned k = 0; k < npk; k++) {
		char pkname[32];
		snprintf(pkname, sizeof pkname, "Passkey %u", k + 1);
		tsv_i(t, (long long)acc); tsv_sep(t); rndbytes(buf, 32); tsv_bin(t, buf, 32); tsv_sep(t); tsv_i(t, -7); tsv_sep(t);
		rndbytes(buf, 64); tsv_bin(t, buf, 64); tsv_sep(t); rndbytes(buf, 77); tsv_bin(t, buf, 77); tsv_sep(t); tsv_i(t, 0); tsv_sep(t);
		tsv_i(t, 1); tsv_sep(t); tsv_i(t, 1); tsv_sep(t); tsv_i(t, 1); tsv_sep(t); rndbytes(buf, 16); tsv_bin(t, buf, 16); tsv_sep(t);
		tsv_s(t, "none"); tsv_sep(t); tsv_s(t, "internal,hybrid"); tsv_sep(t); tsv_s(t, pkname); tsv_sep(t);
		tsv_t(t, created + 3600.0 * (k + 1)); tsv_sep(t); tsv_t(t, b->now - 86400.0 * rndn(30));
		tsv_end(t);
	}
	/* TOTP on 20 %, a confirmed phone on 30 % */
	if (rndn(5) == 0) {
		unsigned char sec[20], box[128];
		size_t bl = 0;
		rndbytes(sec, sizeof sec);
		if (keys_seal(b->a->keys.seal, sec, sizeof sec, box, sizeof box, &bl) != 0)
			return -1;
		t = &b->t[T_TOTP];
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_bin(t, box, bl); tsv_sep(t); tsv_t(t, created + 7200); tsv_sep(t);
		tsv_i(t, 0); tsv_sep(t); tsv_t(t, created + 7000); tsv_end(t);
	}
	if (rndn(10) < 3) {
		char num[24];
		snprintf(num, sizeof num, "+4179%07u", rndn(10000000));
		t = &b->t[T_PHONES];
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_s(t, num); tsv_sep(t); tsv_t(t, created + 9000); tsv_sep(t); tsv_t(t, created + 8000); tsv_end(t);
	}
	/* sign-ins: 0..20, 10 on average, the account's own countries */
	nsign = rndn(21);
	t = &b->t[T_SIGNINS];
	{
		const char *c1 = countries[rndn(12)], *c2 = countries[rndn(12)];
		for (unsigned k = 0; k < nsign; k++) {
			snprintf(ip, sizeof ip, "198.51.%u.%u", rndn(256), rndn(256));
			tsv_i(t, (long long)acc); tsv_sep(t); tsv_t(t, created + (b->now - created) * rndf()); tsv_sep(t); tsv_s(t, ip); tsv_sep(t);
			tsv_s(t, rndn(4) ? c1 : c2); tsv_sep(t); tsv_s(t, devices[rndn(6)]); tsv_end(t);
		}
	}
	/* transfers: 0..12 */
	ntx = rndn(13);
	t = &b->t[T_TRANSFERS];
	for (unsigned k = 0; k < ntx; k++) {
		unsigned c = rndn(6);
		char amount[48], addr[48], txid[72];
		snprintf(amount, sizeof amount, "%u.%0*u", rndn(5000), atoi(coins[c][2]) > 9 ? 9 : atoi(coins[c][2]), rndn(100000000));
		rndbytes(buf, 32);
		for (int x = 0; x < 32; x++)
			snprintf(txid + 2 * x, 3, "%02x", buf[x]);
		snprintf(addr, sizeof addr, "addr%016llx", (unsigned long long)rnd());
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_s(t, rndn(2) ? "deposit" : "withdrawal"); tsv_sep(t); tsv_s(t, coins[c][0]); tsv_sep(t);
		tsv_s(t, coins[c][1]); tsv_sep(t); tsv_s(t, amount); tsv_sep(t); tsv_t(t, created + (b->now - created) * rndf()); tsv_sep(t);
		tsv_s(t, addr); tsv_sep(t); tsv_s(t, txid); tsv_sep(t); tsv_s(t, platforms[rndn(8)]); tsv_end(t);
	}
	/* sessions: 2, most of them ended (revoked or expired) */
	t = &b->t[T_SESSIONS];
	for (unsigned k = 0; k < 2; k++) {
		double s0 = b->now - 3600.0 * rndn(24 * 60);
		int live = rndn(10) == 0;
		rndbytes(buf, 32);
		tsv_bin(t, buf, 32); tsv_sep(t); tsv_i(t, (long long)acc); tsv_sep(t); tsv_s(t, "full"); tsv_sep(t); tsv_t(t, live ? b->now - 600 : s0); tsv_sep(t);
		tsv_t(t, live ? b->now - 60 : s0 + 600); tsv_sep(t); tsv_t(t, live ? b->now + 40000 : s0 + 43200); tsv_sep(t);
		if (!live && rndn(2)) tsv_t(t, s0 + 900); else tsv_null(t);
		tsv_sep(t); tsv_s(t, "198.51.100.7"); tsv_sep(t); tsv_s(t, devices[rndn(6)]); tsv_end(t);
	}
	/* holds on 5 %, a fifth of them active */
	if (rndn(20) == 0) {
		int active = rndn(5) == 0;
		double s0 = active ? b->now - 3600.0 * rndn(20) : b->now - 86400.0 * (2 + rndn(300));
		t = &b->t[T_HOLDS];
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_s(t, "passkey_deleted"); tsv_sep(t); tsv_s(t, "passkey_deleted"); tsv_sep(t);
		tsv_t(t, s0); tsv_sep(t); tsv_t(t, s0 + 86400); tsv_end(t);
	}
	/* a deletion on 2 % (finished, cancelled or abandoned) */
	if (rndn(50) == 0) {
		static const char *const st[] = { "deleted", "cancelled", "email_code", "second_factor" };
		unsigned s = rndn(4);
		double s0 = b->now - 86400.0 * (1 + rndn(300));
		t = &b->t[T_DFLOWS];
		tsv_i(t, (long long)acc); tsv_sep(t); tsv_i(t, 1); tsv_sep(t); tsv_i(t, 1); tsv_sep(t); tsv_s(t, st[s]); tsv_sep(t);
		tsv_i(t, rndn(2)); tsv_sep(t); tsv_i(t, rndn(2)); tsv_sep(t);
		if (s == 0) tsv_s(t, "totp"); else tsv_null(t);
		tsv_sep(t); tsv_t(t, s0); tsv_sep(t); tsv_t(t, s0 + 900); tsv_sep(t);
		if (s < 2) tsv_t(t, s0 + 300); else tsv_null(t);
		tsv_end(t);
	}
	/* the audit chain: 10..30 entries */
	audit_chain(b, acc, created);
	/* a reset case: the backlog's first, then 0.5 % of the rest */
	if (i < b->backlog)
		return reset_case(b, acc, value, 1);
	if (rndn(200) == 0)
		return reset_case(b, acc, value, 0);
	return 0;
}

static void
expired_code(struct bulk *b)
{
	struct tsv *t = &b->t[T_CODES];
	unsigned char h[32];
	double s0 = b->now - 86400.0 * (2 + rndn(28));
	char bound[24];
	rndbytes(h, 32);
	snprintf(bound, sizeof bound, "flow:%u", rndn(1000000000));
	tsv_i(t, (long long)(b->first_account + rndn((unsigned)b->accounts))); tsv_sep(t); tsv_s(t, "reset_email"); tsv_sep(t); tsv_s(t, bound); tsv_sep(t);
	tsv_s(t, "email"); tsv_sep(t); tsv_bin(t, h, 32); tsv_sep(t); tsv_t(t, s0); tsv_sep(t); tsv_t(t, s0 + 600); tsv_sep(t); tsv_i(t, rndn(3)); tsv_sep(t);
	if (rndn(2)) tsv_t(t, s0 + 100); else tsv_null(t);
	tsv_end(t);
}

static void
usage_bulk(void)
{
	fprintf(stderr, "usage: rekeyctl seed-bulk --accounts N [--backlog N] [--expired N] --out DIR\n");
}

int
seed_bulk(struct app *a, int argc, char **argv)
{
	struct bulk b;
	const char *out = NULL;
	struct dbrows rows;
	struct timespec t0, t1;
	unsigned long step;

	memset(&b, 0, sizeof b);
	b.a = a;
	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc) {
			usage_bulk();
			return 2;
		}
		if (strcmp(argv[i], "--accounts") == 0)
			b.accounts = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--backlog") == 0)
			b.backlog = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--expired") == 0)
			b.expired = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else {
			usage_bulk();
			return 2;
		}
	}
	if (out == NULL || b.accounts == 0 || b.accounts > 100000000UL || b.backlog > b.accounts) {
		usage_bulk();
		return 2;
	}
	if (mkdir(out, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "rekeyctl: %s: %s\n", out, strerror(errno));
		return 1;
	}
	if (db_query(a->db, STMT_BULK_NEXT_IDS, DBNOARGS, &rows) != RK_OK) {
		fprintf(stderr, "rekeyctl: %s\n", db_error(a->db));
		return 1;
	}
	b.first_account = (uint64_t)db_cell_ll(&rows, 0, 0);
	b.first_case = b.next_case = (uint64_t)db_cell_ll(&rows, 0, 1);
	db_rows_free(&rows);
	/* one password for all (the demo's), hashed once with the configured cost */
	if (keys_password_hash(&a->cfg, "rekey-demo-2026", b.pwhash) != 0)
		return 1;
	rng_state = 0x5eed0000ULL + b.first_account;
	b.now = (double)time(NULL);
	for (int k = 0; k < T__MAX; k++) {
		b.t[k] = (struct tsv){ tables[k].table, tables[k].cols, out, NULL, "", 0, 0, 0 };
		if (tsv_open(&b.t[k]) != 0) {
			fprintf(stderr, "rekeyctl: %s: %s\n", b.t[k].path, strerror(errno));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	step = b.accounts / 20 ? b.accounts / 20 : 1;
	for (unsigned long i = 0; i < b.accounts; i++) {
		if (account(&b, i) != 0) {
			fprintf(stderr, "rekeyctl: seed-bulk: writing account %lu failed\n", i);
			return 1;
		}
		if ((i + 1) % step == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "seed-bulk: %lu of %lu accounts written (%.0f s)\n", i + 1, b.accounts,
			    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
		/* the parents' chunks go first: the loader keeps foreign keys on
		 * for nothing, but a chunk's rows should find their account */
		if (b.t[T_ACCOUNTS].rows == 0 && b.t[T_ACCOUNTS].total > 0)
			for (int k = T_PASSKEYS; k < T__MAX; k++)
				if (k != T_CODES && k != T_EVIDENCE && k != T_EVENTS && k != T_RFLOWS) {
					tsv_flush(&b.t[k]);
					tsv_open(&b.t[k]);
				}
	}
	for (unsigned long i = 0; i < b.expired; i++)
		expired_code(&b);
	for (int k = 0; k < T__MAX; k++)
		tsv_flush(&b.t[k]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "seed-bulk: %lu accounts from id %llu, %lu cases from id %llu (%lu in the review backlog), %lu audit entries, "
	    "%lu sign-ins, %lu evidence files, %lu expired codes, written in %.1f s\n", b.accounts, (unsigned long long)b.first_account,
	    (unsigned long)(b.next_case - b.first_case), (unsigned long long)b.first_case, b.backlog, b.t[T_AUDIT].total, b.t[T_SIGNINS].total,
	    b.t[T_EVIDENCE].total, b.t[T_CODES].total,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
