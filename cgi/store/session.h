/* store/session.h -- account sessions: lookup, CSRF tokens, start and promotion, the known-device cookie. */
#ifndef REKEY_STORE_SESSION_H
#define REKEY_STORE_SESSION_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

int session_lookup(struct req *r, enum auth need);
/* The session checked by the statement that reads the page (SQL_SESSION_LIVE
 * in each of its copies branches; session id, account, stage, idle seconds
 * from column col of its first row): RK_OK with *rows, or a 401/403 answered. */
int session_read(struct req *r, enum stmt s, unsigned copies, unsigned col, enum auth need, struct dbrows *rows);
void session_csrf(const struct app *a, const unsigned char token_hash[32], char out[40]);
/* CSRF, second half: the X-CSRF-Token header is the token of the session
 * (an account's or a reviewer's) with this token hash; RK_OK or a 403. */
int session_csrf_check(struct req *r, const unsigned char token_hash[32]);
/* A new session with a fresh token; a full one records the sign-in and audits it. */
int session_start(struct req *r, uint64_t account, int full, const char *method);
/* Partial -> full with a new token (the old one ends); *promoted 0 when it was not partial. */
int session_promote(struct req *r, const char *method, int *promoted);
/* 1 when the request carries a device cookie made for this account (its text in out). */
int session_device_known(struct req *r, uint64_t account, char *out, size_t outlen);
/* Step-up: a second factor used in this session within step_up_seconds. */
int session_stepped_up(struct req *r, int *fresh, char until[32]);
/* RK_OK when stepped up, else RK_REFUSED with 403 step_up_required written
 * (409 step_up_no_factor for an account with no passkey and no TOTP, or
 * RK_OK for it when first_factor_ok: binding its first factor). */
int session_require_step_up(struct req *r, int first_factor_ok);
/* Marks the session stepped up now (after a passkey assertion or TOTP code) and audits it. */
int session_step_up_mark(struct req *r, const char *method);
/* Ends the session in the request and deletes its cookie. */
void session_cookie_clear(struct req *r);

#endif
