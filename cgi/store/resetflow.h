/* store/resetflow.h -- the reset flow's row, its case, the Case 1 question sets. */
#ifndef REKEY_STORE_RESETFLOW_H
#define REKEY_STORE_RESETFLOW_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "../base/base.h"

#define RESET_COOKIE "rk_reset"
#define STEP_TRIES 5
#define QUESTION_ATTEMPTS 3 /* seed: Case 1, only 3 attempts */
#define QUESTIONS 4         /* seed: Case 1, 4 questions */
#define BROWSER_DOMAIN "reset-browser" /* the keyed hash of the flow cookie */
#define MORE_INFO_DOMAIN "more-info"   /* the upload link when a reviewer asks for more */

struct rflow {
	uint64_t id, account, case_id;
	int has_account, has_case, password_confirmed, email_tries, expired;
	char state[32], email[256], entry[32];
	char stored[32]; /* the state in the row: resetflow_save moves it from there */
};

/* The flow belongs to the browser holding this cookie (start, or the phone's claim). */
void resetflow_set_cookie(struct req *r, const char *token);
int resetflow_load(struct req *r, struct rflow *f, int *found);
int resetflow_move(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved);
/* Several steps in one request: each decided by the table in memory
 * (resetflow_plan), then the row written once (resetflow_save). */
int resetflow_plan(struct req *r, struct rflow *f, const char *event, const struct flow_facts *facts, int *moved);
int resetflow_save(struct req *r, struct rflow *f);
/* The browser's flow for an action: an expired one answers 410. */
int resetflow_open(struct req *r, struct rflow *f, int *usable);
/* The facts the decision table reads, from the account as it is now. */
int resetflow_facts(struct req *r, struct rflow *f, int attempts_used, struct flow_facts *facts);
const char *resetflow_route_status(const char *route);
/* The account's open case, or a new one (two concurrent starts share one). */
int resetflow_case_for(struct req *r, struct rflow *f, const char *route, int *attempts, int *created);
/* The account's question set (the same for every draw); RK_REFUSED (409) when the history is too thin. */
int resetflow_questions_new(struct req *r, uint64_t account, uint64_t case_id, json_t **out);
/* The full reset, one transaction, and a fresh session for this browser. */
int resetflow_reset_account(struct req *r, struct rflow *f, const char *how);

/* For evidence uploads: the browser's reset flow and its case */
struct reset_ref {
	uint64_t flow, case_id, account;
	char state[32];
	int face;                   /* face frames expected (Case 2, or more information for it) */
};
int resetflow_ref(struct req *r, struct reset_ref *ref, int *ok);

#endif
