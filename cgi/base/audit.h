/* base/audit.h -- the append-only, hash-chained audit log and its signed checkpoints. */
#ifndef REKEY_BASE_AUDIT_H
#define REKEY_BASE_AUDIT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>

struct app;
int audit_append(struct app *a, uint64_t chain, const char *event, const char *actor, const char *ip, json_t *detail);
/* Returns 0 when intact; else the first broken (chain, seq) and a reason. */
int audit_verify(struct app *a, uint64_t *bad_chain, uint64_t *bad_seq, char *why, size_t whylen, uint64_t *entries);
int audit_checkpoint(struct app *a, FILE *out);
/* An entry's hash: BLAKE2b-256(audit key, prev || length-prefixed chain:seq,
 * event, actor, ip, detail, created); rekeyctl seed-bulk writes chains with it. */
void audit_entry_hash(const unsigned char key[32], uint64_t chain, uint64_t seq, const char *event, const char *actor,
    const char *ip, const char *detail, const char *created, const unsigned char prev[32], unsigned char out[32]);
int audit_checkpoint_holds(struct app *a, const char *text, char *why, size_t whylen);
/* Incremental: only what was added since the signed checkpoint text (its
 * heads' entries unchanged, every later entry verified). 0 intact, 1 broken
 * (chain, seq, why), < 0 a database error; entries verified, chains read. */
int audit_verify_since(struct app *a, const char *text, uint64_t *bad_chain, uint64_t *bad_seq, char *why, size_t whylen,
    uint64_t *entries, uint64_t *chains_read);

#endif
