/* store/reviewers.h -- reviewers: roles and sessions. */
#ifndef REKEY_STORE_REVIEWERS_H
#define REKEY_STORE_REVIEWERS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define REVIEW_COOKIE "rk_review"
#define REVIEW_SESSION_DOMAIN "review-session"
#define REVIEW_ENROL_DOMAIN "review-enrol"
enum { ROLE_REVIEWER = 1, ROLE_SENIOR = 2, ROLE_ADMIN = 4 };
unsigned reviewers_roles_bits(const char *csv);
json_t *reviewers_roles_json(unsigned bits);
int reviewers_roles_valid(const char *csv);
int reviewers_auth(struct req *r);
/* The session checked by the page's own statement (s: token hash, idle,
 * extra, token hash, idle; its first row the session's); GET routes only. */
int reviewers_read(struct req *r, enum stmt s, long long extra, struct dbrows *rows);

#endif
