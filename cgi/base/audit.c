/* base/audit.c -- the append-only, hash-chained audit log. One chain per
 * account (0 for system events): an append locks only its chain's head
 * row, so appends for different accounts never wait on each other; the
 * entry's INSERT moves the head (schema/012).
 * hash = BLAKE2b-256(audit key, prev_hash || length-prefixed fields). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base.h"

static void
feed(crypto_generichash_state *st, const void *p, size_t n)
{
	unsigned char len[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n };
	crypto_generichash_update(st, len, 4);
	crypto_generichash_update(st, p, n);
}

void
audit_entry_hash(const unsigned char key[32], uint64_t chain, uint64_t seq, const char *event, const char *actor,
    const char *ip, const char *detail, const char *created, const unsigned char prev[32], unsigned char out[32])
{
	crypto_generichash_state st;
	char num[48];
	int n = snprintf(num, sizeof num, "%llu:%llu", (unsigned long long)chain, (unsigned long long)seq);

	crypto_generichash_init(&st, key, 32, 32);
	crypto_generichash_update(&st, prev, 32);
	feed(&st, num, (size_t)n);
	feed(&st, event, strlen(event));
	feed(&st, actor, strlen(actor));
	feed(&st, ip, strlen(ip));
	feed(&st, detail, strlen(detail));
	feed(&st, created, strlen(created));
	crypto_generichash_final(&st, out, 32);
}

int
audit_append(struct app *a, uint64_t chain, const char *event, const char *actor, const char *ip, json_t *detail)
{
	static const unsigned char zero[32];
	unsigned char prev[32], h[32];
	char now[40], *d;
	struct dbrows rows;
	uint64_t seq;
	size_t pl;
	int rc;

	d = json_dumps(detail ? detail : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	if (d == NULL)
		return RK_FAIL;
	/* the head row is the chain's lock (its time is the entry's time); a
	 * chain's first entry creates it, racing creators meet on its key */
	if ((rc = db_query(a->db, STMT_AUDIT_HEAD_LOCK, DBARGS(DB_I(chain)), &rows)) != RK_OK)
		goto out;
	if (rows.nrows == 0) {
		db_rows_free(&rows);
		if ((rc = db_exec(a->db, STMT_AUDIT_HEAD_INIT, DBARGS(DB_I(chain), DB_B(zero, 32)), NULL, NULL)) != RK_OK ||
		    (rc = db_query(a->db, STMT_AUDIT_HEAD_LOCK, DBARGS(DB_I(chain)), &rows)) != RK_OK)
			goto out;
	}
	if (rows.nrows != 1 || db_cell(&rows, 0, 1, &pl) == NULL || pl != 32) {
		db_rows_free(&rows);
		rc = RK_FAIL;
		goto out;
	}
	seq = (uint64_t)db_cell_ll(&rows, 0, 0);
	memcpy(prev, db_cell(&rows, 0, 1, NULL), 32);
	snprintf(now, sizeof now, "%s", db_cell(&rows, 0, 2, NULL));
	db_rows_free(&rows);
	audit_entry_hash(a->keys.audit, chain, seq + 1, event, actor, ip ? ip : "", d, now, prev, h);
	/* the entry moves the head with it (schema/012's trigger) */
	rc = db_exec(a->db, STMT_AUDIT_INSERT, DBARGS(DB_I(chain), DB_I(seq + 1), DB_S(event), DB_S(actor),
	    DB_S(ip ? ip : ""), DB_S(d), DB_S(now), DB_B(prev, 32), DB_B(h, 32)), NULL, NULL);
out:
	free(d);
	return rc;
}

/* Walks rows (seq, event, actor, ip, detail, created, prev_hash, hash) of
 * one chain that should start at entry `expect` chained on prev: 0 when each
 * links to the one before and matches its hash (prev is then the last
 * hash), else 1 with the entry and the reason. */
static int
chain_rows_verify(struct app *a, uint64_t chain, const struct dbrows *rows, uint64_t *expect, unsigned char prev[32],
    uint64_t *bad_seq, char *why, size_t whylen, uint64_t *entries)
{
	unsigned char h[32];
	size_t hl, sl;

	for (unsigned i = 0; i < rows->nrows; i++, (*expect)++) {
		uint64_t seq = (uint64_t)db_cell_ll(rows, i, 0);
		const char *ph = db_cell(rows, i, 6, &hl), *stored;
		*entries += 1;
		*bad_seq = seq;
		if (seq != *expect) {
			snprintf(why, whylen, "entry %llu is missing (found %llu next)", (unsigned long long)*expect, (unsigned long long)seq);
			*bad_seq = *expect;
			return 1;
		}
		if (hl != 32 || memcmp(ph, prev, 32) != 0) {
			snprintf(why, whylen, "previous-hash link does not match");
			return 1;
		}
		audit_entry_hash(a->keys.audit, chain, seq, db_cell(rows, i, 1, NULL), db_cell(rows, i, 2, NULL),
		    db_cell(rows, i, 3, NULL), db_cell(rows, i, 4, NULL), db_cell(rows, i, 5, NULL), prev, h);
		stored = db_cell(rows, i, 7, &sl);
		if (sl != 32 || sodium_memcmp(stored, h, 32) != 0) {
			snprintf(why, whylen, "content does not match its hash (edited)");
			return 1;
		}
		memcpy(prev, h, 32);
	}
	return 0;
}

/* rows [first, end) of rows as a table of their own, from column col on */
static struct dbrows
rows_view(const struct dbrows *rows, unsigned first, unsigned end, unsigned col)
{
	struct dbrows v = *rows;
	size_t k = (size_t)first * rows->ncols + col;
	v.nrows = end - first;
	v.cell = rows->cell + k;
	v.len = rows->len + k;
	v.isnull = rows->isnull + k;
	return v;
}

/* chains read per statement: a run of AUDIT_BATCH chains' entries at once
 * (one round trip per chain was most of the time at a million chains) */
#define AUDIT_BATCH 500

int
audit_verify(struct app *a, uint64_t *bad_chain, uint64_t *bad_seq, char *why, size_t whylen, uint64_t *entries)
{
	struct dbrows heads, rows;
	int rc;

	*entries = 0;
	if ((rc = db_query(a->db, STMT_AUDIT_CHAINS, DBNOARGS, &heads)) != RK_OK)
		return rc;
	for (unsigned c0 = 0; c0 < heads.nrows; c0 += AUDIT_BATCH) {
		unsigned c1 = c0 + AUDIT_BATCH < heads.nrows ? c0 + AUDIT_BATCH : heads.nrows, r = 0;
		if ((rc = db_query(a->db, STMT_AUDIT_ROWS_RANGE, DBARGS(DB_I(db_cell_ll(&heads, c0, 0)), DB_I(db_cell_ll(&heads, c1 - 1, 0))),
		    &rows)) != RK_OK) {
			db_rows_free(&heads);
			return rc;
		}
		for (unsigned c = c0; c < c1; c++) {
			uint64_t chain = (uint64_t)db_cell_ll(&heads, c, 0), head_seq = (uint64_t)db_cell_ll(&heads, c, 1);
			unsigned char prev[32] = { 0 };
			uint64_t expect = 1;
			unsigned r1;
			struct dbrows view;

			while (r < rows.nrows && (uint64_t)db_cell_ll(&rows, r, 0) < chain) /* entries of no head: not a chain */
				r++;
			for (r1 = r; r1 < rows.nrows && (uint64_t)db_cell_ll(&rows, r1, 0) == chain; r1++)
				;
			view = rows_view(&rows, r, r1, 1);
			r = r1;
			*bad_chain = chain;
			if (chain_rows_verify(a, chain, &view, &expect, prev, bad_seq, why, whylen, entries) != 0)
				goto broken;
			if (expect - 1 != head_seq) {
				*bad_chain = chain;
				*bad_seq = expect;
				snprintf(why, whylen, "chain ends at %llu but its head says %llu (entries deleted)",
				    (unsigned long long)(expect - 1), (unsigned long long)head_seq);
				goto broken;
			}
		}
		db_rows_free(&rows);
	}
	db_rows_free(&heads);
	return 0;
broken:
	db_rows_free(&rows);
	db_rows_free(&heads);
	return 1;
}

/* ---- checkpoints: the heads, signed, kept outside the database ----
 * A chain verifies against itself only: someone able to write the
 * database could cut its tail and set its head back, consistently. A
 * checkpoint lists every head (chain, seq, hash) and is signed (Ed25519,
 * seed derived from the server key); kept elsewhere, it proves later that
 * each chain still holds the entry it had then. */

#define CHECKPOINT_MAGIC "rekey-audit-checkpoint v1\n"

static void
checkpoint_keys(const struct app *a, unsigned char pk[crypto_sign_PUBLICKEYBYTES], unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
	crypto_sign_seed_keypair(pk, sk, a->keys.checkpoint);
}

int
audit_checkpoint(struct app *a, FILE *out)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char hex[2 * crypto_sign_BYTES + 1], *text = NULL;
	size_t len = 0;
	struct dbrows heads, now;
	FILE *m;
	int rc;

	if ((rc = db_query(a->db, STMT_AUDIT_CHAINS, DBNOARGS, &heads)) != RK_OK)
		return rc;
	if ((rc = db_query(a->db, STMT_NOW, DBNOARGS, &now)) != RK_OK) {
		db_rows_free(&heads);
		return rc;
	}
	checkpoint_keys(a, pk, sk);
	if ((m = open_memstream(&text, &len)) == NULL) {
		db_rows_free(&heads);
		db_rows_free(&now);
		return RK_FAIL;
	}
	fputs(CHECKPOINT_MAGIC, m);
	fprintf(m, "at %s\n", db_cell(&now, 0, 0, NULL));
	fprintf(m, "key %s\n", sodium_bin2hex(hex, sizeof hex, pk, sizeof pk));
	for (unsigned i = 0; i < heads.nrows; i++) {
		size_t hl;
		const char *h = db_cell(&heads, i, 2, &hl);
		fprintf(m, "chain %lld seq %lld hash %s\n", db_cell_ll(&heads, i, 0), db_cell_ll(&heads, i, 1),
		    sodium_bin2hex(hex, sizeof hex, (const unsigned char *)h, hl == 32 ? 32 : 0));
	}
	fclose(m);
	db_rows_free(&heads);
	db_rows_free(&now);
	crypto_sign_detached(sig, NULL, (const unsigned char *)text, len, sk);
	sodium_memzero(sk, sizeof sk);
	fprintf(out, "%ssig %s\n", text, sodium_bin2hex(hex, sizeof hex, sig, sizeof sig));
	free(text);
	return RK_OK;
}

/* 0 when text is a checkpoint signed with this server's key (*sig_at: where
 * its "sig" line starts), else 1 with why. */
static int
checkpoint_signed(const struct app *a, const char *text, const char **sig_at, char *why, size_t whylen)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	const char *s = strstr(text, "\nsig ");
	size_t n;

	checkpoint_keys(a, pk, sk);
	sodium_memzero(sk, sizeof sk);
	if (strncmp(text, CHECKPOINT_MAGIC, strlen(CHECKPOINT_MAGIC)) != 0 || s == NULL ||
	    sodium_hex2bin(sig, sizeof sig, s + 5, strcspn(s + 5, "\n"), NULL, &n, NULL) != 0 || n != sizeof sig ||
	    crypto_sign_verify_detached(sig, (const unsigned char *)text, (size_t)(s + 1 - text), pk) != 0) {
		snprintf(why, whylen, "the checkpoint's signature does not verify (changed, or made with another server key)");
		return 1;
	}
	*sig_at = s + 1;
	return 0;
}

/* One "chain C seq S hash H" line of a checkpoint (end: where the text it is
 * in ends), read from a copy of the line alone: sscanf() on the text itself
 * measures all the rest of it (strlen) at every line, which made reading a
 * checkpoint quadratic in its chains -- 92 % of audit-verify --since's time
 * at 30,000 accounts, and why it was slower than the full verify at 100,000
 * (issue #21). 1 when the line is one. */
static int
cp_line(const char *line, const char *end, unsigned long long *chain, unsigned long long *seq, char hex[65])
{
	char buf[160];
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	size_t n = (size_t)((nl ? nl : end) - line);

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return sscanf(buf, "chain %llu seq %llu hash %64[0-9a-f]", chain, seq, hex) == 3;
}

struct cp_head {
	uint64_t chain, seq;
	unsigned char hash[32];
};

static int
cp_cmp(const void *x, const void *y)
{
	const struct cp_head *p = x, *q = y;
	return p->chain < q->chain ? -1 : p->chain > q->chain;
}

/* A chain to read for audit-verify --since: grown since the checkpoint
 * (cp_hash: its checkpointed entry's hash, read again from `from` on) or new
 * (cp_hash NULL, from 1). */
struct since_chain {
	uint64_t chain, from, head_seq;
	const unsigned char *cp_hash;
};

/* chains read per statement: STMT_AUDIT_ROWS_SINCE's (chain, first seq)
 * pairs; a batch that is not full is padded with a pair that matches nothing */
#define SINCE_BATCH 12
#define SINCE_NONE (1LL << 62)

/* One chain's rows (view: seq, event, ..., prev_hash, hash) against its
 * checkpointed entry and its head. 0 intact, 1 broken (why). */
static int
since_chain_verify(struct app *a, const struct since_chain *g, const struct dbrows *view, uint64_t *bad_seq, char *why,
    size_t whylen, uint64_t *entries)
{
	unsigned char prev[32] = { 0 };
	uint64_t expect = 1;
	size_t l0;

	if (g->cp_hash) {
		/* the checkpointed entry, unchanged, is where the new part is chained on */
		*bad_seq = g->from;
		if (view->nrows == 0 || (uint64_t)db_cell_ll(view, 0, 0) != g->from || db_cell(view, 0, 7, &l0) == NULL || l0 != 32 ||
		    sodium_memcmp(db_cell(view, 0, 7, NULL), g->cp_hash, 32) != 0) {
			snprintf(why, whylen, "REWOUND at chain %llu: entry %llu, the head when the checkpoint was made, is missing or changed",
			    (unsigned long long)g->chain, (unsigned long long)g->from);
			return 1;
		}
		memcpy(prev, g->cp_hash, 32);
		expect = g->from + 1;
		/* verify from the entry after it: drop row 0 from the walk */
		struct dbrows rest = rows_view(view, 1, view->nrows, 0);
		if (chain_rows_verify(a, g->chain, &rest, &expect, prev, bad_seq, why, whylen, entries) != 0)
			return 1;
	} else if (chain_rows_verify(a, g->chain, view, &expect, prev, bad_seq, why, whylen, entries) != 0) {
		return 1;
	}
	if (expect - 1 != g->head_seq) {
		*bad_seq = expect;
		snprintf(why, whylen, "chain ends at %llu but its head says %llu (entries deleted)",
		    (unsigned long long)(expect - 1), (unsigned long long)g->head_seq);
		return 1;
	}
	return 0;
}

/* The chains g[0..n) (n <= SINCE_BATCH, in chain order) read by one
 * statement, in chain and seq order, and verified. 0, 1 broken, < 0 database. */
static int
since_batch_verify(struct app *a, const struct since_chain *g, unsigned n, uint64_t *bad_chain, uint64_t *bad_seq, char *why,
    size_t whylen, uint64_t *entries)
{
	struct dbv args[2 * SINCE_BATCH];
	struct dbrows rows;
	unsigned r = 0;
	int rc;

	for (unsigned i = 0; i < SINCE_BATCH; i++) {
		args[2 * i] = DB_I(i < n ? (long long)g[i].chain : 0);
		args[2 * i + 1] = DB_I(i < n ? (long long)g[i].from : SINCE_NONE);
	}
	if ((rc = db_query(a->db, STMT_AUDIT_ROWS_SINCE, args, 2 * SINCE_BATCH, &rows)) != RK_OK)
		return rc;
	for (unsigned i = 0; i < n; i++) {
		unsigned r1;
		struct dbrows view;
		for (r1 = r; r1 < rows.nrows && (uint64_t)db_cell_ll(&rows, r1, 0) == g[i].chain; r1++)
			;
		view = rows_view(&rows, r, r1, 1);
		r = r1;
		*bad_chain = g[i].chain;
		if (since_chain_verify(a, &g[i], &view, bad_seq, why, whylen, entries) != 0) {
			db_rows_free(&rows);
			return 1;
		}
	}
	db_rows_free(&rows);
	return 0;
}

/* Incremental verification (issue #21): what was added since a signed
 * checkpoint, without reading the history it covered. One pass over the
 * heads with each head's own entry; a chain whose head is still the
 * checkpoint's is checked by that entry's hash alone; a chain that grew is
 * read from its checkpointed entry on (which must still be there, unchanged)
 * and verified link by link to its head; a chain new since then is verified
 * whole; a chain the checkpoint had and the heads lack, or whose head went
 * back, is REWOUND. The history before the checkpoint was verified when the
 * checkpoint was made (the full audit-verify that precedes audit-checkpoint
 * in the nightly job). The grown and new chains are read SINCE_BATCH at a
 * time, each from its own first entry (one statement per chain was slower
 * than the full verify once a few thousand chains had grown: a round trip
 * per chain against one per 500 chains). 0 intact, 1 broken (why), < 0 a
 * database error. */
int
audit_verify_since(struct app *a, const char *text, uint64_t *bad_chain, uint64_t *bad_seq, char *why, size_t whylen,
    uint64_t *entries, uint64_t *chains_read)
{
	const char *end, *line;
	struct cp_head *cp = NULL;
	struct since_chain *grown = NULL;
	size_t ncp = 0, cap = 0, k = 0, ng = 0, gcap = 0;
	struct dbrows heads;
	int rc = 0, broken = 0;

	*entries = *chains_read = 0;
	if (checkpoint_signed(a, text, &end, why, whylen) != 0)
		return 1;
	for (line = text; line < end; line = strchr(line, '\n') + 1) {
		unsigned long long chain, seq;
		char hex[65];
		size_t n;
		if (!cp_line(line, end, &chain, &seq, hex))
			continue;
		if (ncp == cap) {
			struct cp_head *np = realloc(cp, (cap = cap ? 2 * cap : 1024) * sizeof *cp);
			if (np == NULL) {
				free(cp);
				return RK_FAIL;
			}
			cp = np;
		}
		cp[ncp].chain = chain;
		cp[ncp].seq = seq;
		if (sodium_hex2bin(cp[ncp].hash, 32, hex, strlen(hex), NULL, &n, NULL) != 0 || n != 32) {
			snprintf(why, whylen, "chain %llu: the checkpoint's hash is malformed", chain);
			free(cp);
			return 1;
		}
		ncp++;
	}
	qsort(cp, ncp, sizeof *cp, cp_cmp);
	if ((rc = db_query(a->db, STMT_AUDIT_HEADS_ENTRY, DBNOARGS, &heads)) != RK_OK) {
		free(cp);
		return rc;
	}
	for (unsigned c = 0; c < heads.nrows && !broken; c++) {
		uint64_t chain = (uint64_t)db_cell_ll(&heads, c, 0), head_seq = (uint64_t)db_cell_ll(&heads, c, 1);
		size_t hl, el;
		const char *hh = db_cell(&heads, c, 2, &hl), *eh = db_cell(&heads, c, 3, &el);
		struct since_chain g = { chain, 1, head_seq, NULL };

		*bad_chain = chain;
		for (; k < ncp && cp[k].chain < chain; k++) {
			*bad_chain = cp[k].chain;
			*bad_seq = cp[k].seq;
			snprintf(why, whylen, "REWOUND at chain %llu: its head is gone (the checkpoint had entry %llu)",
			    (unsigned long long)cp[k].chain, (unsigned long long)cp[k].seq);
			broken = 1;
		}
		if (broken)
			break;
		if (k < ncp && cp[k].chain == chain && cp[k].seq > 0) {
			const struct cp_head *p = &cp[k++];
			*bad_seq = p->seq;
			if (head_seq < p->seq) {
				snprintf(why, whylen, "REWOUND at chain %llu: entry %llu, the head when the checkpoint was made, is missing or changed",
				    (unsigned long long)chain, (unsigned long long)p->seq);
				broken = 1;
				break;
			}
			if (head_seq == p->seq) { /* unchanged since: the head and its entry are the checkpoint's */
				if (hl != 32 || el != 32 || sodium_memcmp(hh, p->hash, 32) != 0 || sodium_memcmp(eh, p->hash, 32) != 0) {
					snprintf(why, whylen, "REWOUND at chain %llu: entry %llu, the head when the checkpoint was made, is missing or changed",
					    (unsigned long long)chain, (unsigned long long)p->seq);
					broken = 1;
				}
				continue;
			}
			g.from = p->seq;
			g.cp_hash = p->hash;
		} else if (k < ncp && cp[k].chain == chain) {
			k++; /* a head at 0 in the checkpoint: the whole chain is new */
		}
		/* grown or new: read below, a batch at a time */
		if (ng == gcap) {
			struct since_chain *np = realloc(grown, (gcap = gcap ? 2 * gcap : 1024) * sizeof *grown);
			if (np == NULL) {
				rc = RK_FAIL;
				goto out;
			}
			grown = np;
		}
		grown[ng++] = g;
	}
	for (; !broken && k < ncp; k++) { /* checkpointed chains past the last head */
		if (cp[k].seq == 0)
			continue;
		*bad_chain = cp[k].chain;
		*bad_seq = cp[k].seq;
		snprintf(why, whylen, "REWOUND at chain %llu: its head is gone (the checkpoint had entry %llu)",
		    (unsigned long long)cp[k].chain, (unsigned long long)cp[k].seq);
		broken = 1;
	}
	for (size_t i = 0; !broken && i < ng; i += SINCE_BATCH) {
		unsigned n = ng - i < SINCE_BATCH ? (unsigned)(ng - i) : SINCE_BATCH;
		if ((rc = since_batch_verify(a, grown + i, n, bad_chain, bad_seq, why, whylen, entries)) < 0)
			goto out;
		broken = rc;
		*chains_read += n;
	}
	rc = broken;
out:
	db_rows_free(&heads);
	free(grown);
	free(cp);
	return rc;
}

/* 0: every chain still holds its checkpointed entry; 1: not (why says
 * which, or that the checkpoint itself is not ours / was changed); < 0 a
 * database error. */
int
audit_checkpoint_holds(struct app *a, const char *text, char *why, size_t whylen)
{
	unsigned char want[32];
	const char *sig_at, *line;
	size_t n;

	if (checkpoint_signed(a, text, &sig_at, why, whylen) != 0)
		return 1;
	for (line = text; line < sig_at; line = strchr(line, '\n') + 1) {
		unsigned long long chain, seq;
		char hex[65];
		struct dbrows rows;
		size_t hl;
		int rc, ok;

		if (!cp_line(line, sig_at, &chain, &seq, hex) || seq == 0)
			continue;
		if (sodium_hex2bin(want, sizeof want, hex, strlen(hex), NULL, &n, NULL) != 0 || n != 32) {
			snprintf(why, whylen, "chain %llu: the checkpoint's hash is malformed", chain);
			return 1;
		}
		if ((rc = db_query(a->db, STMT_AUDIT_ENTRY_HASH, DBARGS(DB_I(chain), DB_I(seq)), &rows)) != RK_OK)
			return rc;
		ok = rows.nrows == 1 && db_cell(&rows, 0, 0, &hl) != NULL && hl == 32 && sodium_memcmp(db_cell(&rows, 0, 0, NULL), want, 32) == 0;
		db_rows_free(&rows);
		if (!ok) {
			snprintf(why, whylen, "REWOUND at chain %llu: entry %llu, the head when the checkpoint was made, is missing or changed", chain, seq);
			return 1;
		}
	}
	return 0;
}
