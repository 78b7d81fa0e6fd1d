/* store/dispute.h -- a fraudulent reset can be undone (#18): suspend instead
 * of delete, the "this was not me" undo, the freeze (link, settings, freeze
 * code), a disputed case's decision, and what the browser tells its passkey
 * provider (WebAuthn signals). */
#ifndef REKEY_STORE_DISPUTE_H
#define REKEY_STORE_DISPUTE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define FREEZE_CODE_LEN 29 /* 6 groups of 4 base32 characters, dashes between: 120 random bits */

/* The ONE place a reset (any route: questions, face, documents, recovery
 * code) or a deletion removes passkeys: they are suspended until the end
 * of the dispute window (dispute_hours), and an undo link is made for the
 * window. passkey 0: every active passkey of the account; case_id 0: not a
 * reset. TOKEN (64 bytes) gets the link's token for the mail; *n the
 * passkeys suspended. */
int dispute_suspend(struct app *a, uint64_t account, uint64_t passkey, uint64_t case_id, const char *source,
    char *token, size_t tokenlen, uint64_t *n);
/* The freeze's own effects, in the caller's transaction: frozen, every
 * session revoked, the freeze hold, audited (event, with detail), notified
 * with the catalogue's BODY_KEY in the account's language (#20; its
 * {freeze_hold} is the freeze hold's length). */
int dispute_freeze(struct app *a, uint64_t account, const char *event, json_t *detail, const char *actor, const char *ip,
    const char *body_key);
/* "This was not me" from an undo link (its id, its event time): in the
 * caller's transaction, freezes, revokes what was bound since, restores
 * the suspended passkeys, reopens the case as disputed. *out: the answer. */
int dispute_undo(struct req *r, uint64_t link, uint64_t account, const char *event_at, const char *source, json_t **out);
/* A new freeze code for the account (the old one stops working): CODE gets it, shown once. */
int dispute_freeze_code_new(struct app *a, uint64_t account, char code[FREEZE_CODE_LEN + 1]);
/* 1 in *ok when CODE is the account's unused freeze code (compared as keyed hashes, constant time). */
int dispute_freeze_code_check(struct app *a, uint64_t account, const char *code, int *ok);
/* The decision of a disputed case after four eyes: the owner keeps the
 * account (the reset is undone for good) or the reset stands. */
int dispute_decide(struct req *r, uint64_t case_id, uint64_t account, int owner_keeps, const char *actor);
/* The account's open disputed case, or 0. */
int dispute_open_case(struct app *a, uint64_t account, uint64_t *case_id);
/* {rpId, userId, allAcceptedCredentialIds} for
 * PublicKeyCredential.signalAllAcceptedCredentials (WebAuthn L3 §5.1.10):
 * the active passkeys only. */
int dispute_signal(struct app *a, uint64_t account, json_t **out);

#endif
