/* ctl/seed.c -- the demo seed (rekeyctl seed-demo): idempotent, an existing email is left alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "../../wasm/chain.h"

/* ---- demo seed: idempotent (an existing email is left alone) ---- */

struct demo_transfer {
	const char *dir, *coin, *network, *amount;
	int days_ago;
	const char *address, *txid, *counterparty;
};

static const struct demo_transfer demo_transfers[] = {
	{ "deposit", "BTC", "BTC", "0.42000000", 380, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
	  "fae923d5a4fd12aabfe228f219e9cb0eb53f16947ccf25ec84d8dbc74254770f", "Kraken" },
	{ "deposit", "USDT", "TRX", "2500.000000", 300, "THXnVfYBJdhehBoWGWi4vavFNWKAUhk8Nj",
	  "58904dba41ecccc3fc1626e53a13043b026c48bbf33feff9243a8f506b40928b", "Binance" },
	{ "withdrawal", "ETH", "ETH", "1.250000000000000000", 210, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	  "0x5b7a767c76fb008f86bebb2737f6a6f0fb23c6f5da2cec255404e4fb440034d6", "Coinbase" },
	{ "deposit", "SOL", "SOL", "35.500000000", 150, "Hmr5qQmRBhS8tgGkTE5YEU35A66okX6WGQMV7ZhFDaAJ",
	  "608697a8d41bed440e50454f31af3176813e02ea68ef786e4d3cea27d26934b4", "Phantom wallet" },
	{ "withdrawal", "USDT", "TRX", "800.000000", 90, "TBYMg4pzqUVKeBDFcaUfUc61PGY8mTjfE8",
	  "84e73cf575dcad6ba2b0aee0ca923732881584d8c4fa2815d2802827283e0ad8", "OKX" },
	{ "deposit", "LTC", "LTC", "12.00000000", 45, "Lb8oGqAUPtcLYj1o6Lh8rxJLrc6XwLphJW",
	  "4173581569969e58b081006f7e3dfc967a64cb14028d512c9791e558e08baa71", "Ledger Live" },
	{ "withdrawal", "BTC", "BTC", "0.05000000", 12, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
	  "96b50ac2f86702824c1c099724caf4941d4072014b3ce107f80e222f828767ef", "Trezor Suite" },
};

struct demo_signin {
	int hours_ago;
	const char *ip, *country, *device;
};

static const struct demo_signin demo_signins[] = {
	{ 9000, "203.0.113.10", "CH", "Firefox on Windows" },
	{ 7000, "203.0.113.10", "CH", "Firefox on Windows" },
	{ 4000, "198.51.100.23", "DE", "Safari on iPhone" },
	{ 2000, "203.0.113.44", "CH", "Chrome on macOS" },
	{ 700, "198.51.100.23", "DE", "Safari on iPhone" },
	{ 200, "203.0.113.44", "CH", "Chrome on macOS" },
	{ 30, "203.0.113.44", "CH", "Chrome on macOS" },
};

struct demo_account {
	const char *email, *name, *identity;
	long long cents;
	int totp, phone;
};

static const struct demo_account demo_accounts[] = {
	{ "demo@rekey.test", "Dana Demo", "verified", 2500000, 0, 0 },
	{ "totp@rekey.test", "Theo Totp", "unverified", 1200000, 1, 1 },
	{ "whale@rekey.test", "Wanda Whale", "verified", 250000000, 0, 0 },
	{ "newbie@rekey.test", "Ned Newbie", "unverified", 15000, 0, 0 },
	/* their resets are waiting in the review queue at `make run` (cgi/ops/demo-queue.mjs) */
	{ "queue-docs@rekey.test", "Quinn Screenshots", "unverified", 300000, 0, 0 },
	{ "queue-highvalue@rekey.test", "Harper Highvalue", "unverified", 400000000, 0, 0 },
	{ "queue-face@rekey.test", "Fay Face", "verified", 800000, 0, 0 },
};

/* The demo TOTP secret (base32 JBSWY3DPEHPK3PXP = "Hello!\xde\xad\xbe\xef"), printed by make run. */
static const unsigned char demo_totp_secret[10] = { 'H', 'e', 'l', 'l', 'o', '!', 0xde, 0xad, 0xbe, 0xef };

#define DEMO_PASSWORD "rekey-demo-2026"

/* A demo identity photo: a drawn head and shoulders (no real person),
 * different per account, sealed like evidence. The review console shows it
 * beside the face frames; the http provider receives it with them. */
int
seed_identity_photo(struct app *a, uint64_t account, unsigned seed)
{
	enum { W = 360, H = 480 };
	static const unsigned char skin[4][3] = { { 241, 194, 160 }, { 198, 134, 94 }, { 141, 85, 54 }, { 224, 172, 105 } };
	static const unsigned char hair[4][3] = { { 60, 40, 25 }, { 20, 20, 20 }, { 150, 100, 50 }, { 200, 170, 90 } };
	const unsigned char *sk = skin[seed % 4], *hr = hair[(seed / 4 + seed) % 4];
	unsigned char *px = malloc((size_t)W * H * 3), *png = NULL, *box = NULL;
	size_t pn = 0, bn = 0;
	char ad[64];
	int rc = RK_FAIL, key_id = 0;

	if (px == NULL)
		return RK_FAIL;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			unsigned char *p = px + ((size_t)y * W + (size_t)x) * 3;
			double fx = (x - W / 2.0) / 95.0, fy = (y - 200.0) / 125.0;     /* face */
			double hx = (x - W / 2.0) / 110.0, hy = (y - 170.0) / 130.0;    /* hair */
			double bx = (x - W / 2.0) / 170.0, by = (y - 520.0) / 160.0;    /* shoulders */
			double ex = (abs(x - W / 2) - 38) / 14.0, ey = (y - 185.0) / 8.0; /* eyes */
			double mx = (x - W / 2.0) / 34.0, my = (y - 262.0) / 7.0;       /* mouth */
			const unsigned char *c;
			unsigned char bg[3] = { (unsigned char)(205 - y / 12), (unsigned char)(215 - y / 14), 228 };
			if (ex * ex + ey * ey <= 1) c = (const unsigned char[]){ 35, 35, 45 };
			else if (mx * mx + my * my <= 1) c = (const unsigned char[]){ 160, 60, 60 };
			else if (fx * fx + fy * fy <= 1) c = sk;
			else if (hx * hx + hy * hy <= 1 && y < 230) c = hr;
			else if (bx * bx + by * by <= 1) c = (const unsigned char[]){ (unsigned char)(40 + seed * 37 % 120), 70, 110 };
			else c = bg;
			memcpy(p, c, 3);
		}
	vault_identity_ad(ad, sizeof ad, account);
	if (vault_png(px, W, H, &png, &pn) == 0 && (box = vault_seal(a, png, pn, ad, &bn, &key_id)) != NULL)
		rc = db_exec(a->db, STMT_IDPHOTO_INSERT, DBARGS(DB_I(account), DB_I(W), DB_I(H), DB_I(key_id), DB_B(box, bn)), NULL, NULL);
	free(px);
	free(png);
	free(box);
	return rc;
}

int
seed_demo(struct app *a, FILE *log)
{
	int rc;

	for (size_t i = 0; i < sizeof demo_accounts / sizeof demo_accounts[0]; i++) {
		const struct demo_account *d = &demo_accounts[i];
		struct dbrows rows;
		char hash[crypto_pwhash_STRBYTES];
		unsigned char handle[32];
		uint64_t id;

		if ((rc = db_begin(a->db)) != RK_OK)
			return rc;
		if ((rc = db_query(a->db, STMT_ACCOUNT_BY_EMAIL, DBARGS(DB_S(d->email)), &rows)) != RK_OK)
			goto fail;
		if (rows.nrows > 0) {
			db_rows_free(&rows);
			db_rollback(a->db);
			fprintf(log, "seed: %s exists, left alone\n", d->email);
			continue;
		}
		db_rows_free(&rows);
		/* the one password policy holds for the demo's password too */
		if (password_policy(DEMO_PASSWORD) != PROB_OK || keys_password_hash(&a->cfg, DEMO_PASSWORD, hash) != 0) {
			rc = RK_FAIL;
			goto fail;
		}
		randombytes_buf(handle, sizeof handle); /* WebAuthn user handle: random, never the email */
		if ((rc = db_exec(a->db, STMT_ACCOUNT_INSERT, DBARGS(DB_S(d->email), DB_S(hash), DB_B(handle, 32),
		    DB_S(d->identity), DB_I(d->cents), DB_S(d->name)), NULL, &id)) != RK_OK)
			goto fail;
		for (size_t t = 0; t < sizeof demo_transfers / sizeof demo_transfers[0]; t++) {
			const struct demo_transfer *x = &demo_transfers[(t + i) % (sizeof demo_transfers / sizeof demo_transfers[0])];
			if ((rc = db_exec(a->db, STMT_TRANSFER_INSERT, DBARGS(DB_I(id), DB_S(x->dir), DB_S(x->coin), DB_S(x->network),
			    DB_S(x->amount), DB_I(x->days_ago + (int)i), DB_S(x->address), DB_S(x->txid), DB_S(x->counterparty)),
			    NULL, NULL)) != RK_OK)
				goto fail;
		}
		for (size_t s = 0; s < sizeof demo_signins / sizeof demo_signins[0]; s++) {
			const struct demo_signin *x = &demo_signins[s];
			if ((rc = db_exec(a->db, STMT_SIGNIN_INSERT_AT, DBARGS(DB_I(id), DB_I(x->hours_ago), DB_S(x->ip),
			    DB_S(x->country), DB_S(x->device)), NULL, NULL)) != RK_OK)
				goto fail;
		}
		if (d->totp) {
			unsigned char box[128];
			size_t bl;
			const unsigned char *key;
			int key_id = 0;
			if ((key = keys_vault_current(&a->keys, KEYS_USE_TOTP, &key_id)) == NULL ||
			    keys_seal(key, demo_totp_secret, sizeof demo_totp_secret, box, sizeof box, &bl) != 0) {
				rc = RK_FAIL;
				goto fail;
			}
			if ((rc = db_exec(a->db, STMT_TOTP_SEED, DBARGS(DB_I(id), DB_B(box, bl), DB_I(key_id), DB_I(0)), NULL, NULL)) != RK_OK)
				goto fail;
		}
		if (strcmp(d->identity, "verified") == 0 && (rc = seed_identity_photo(a, id, (unsigned)i)) != RK_OK)
			goto fail;
		if (d->phone && (rc = db_exec(a->db, STMT_PHONE_SEED, DBARGS(DB_I(id), DB_S("+41791234567")), NULL, NULL)) != RK_OK)
			goto fail;
		if ((rc = audit_append(a, id, "account_created", "seed", "", json_pack("{s:s}", "source", "seed-demo"))) != RK_OK)
			goto fail;
		if ((rc = db_commit(a->db)) != RK_OK)
			goto fail;
		fprintf(log, "seed: created %s (id %llu)\n", d->email, (unsigned long long)id);
		continue;
fail:
		db_rollback(a->db);
		return rc;
	}
	return RK_OK;
}
