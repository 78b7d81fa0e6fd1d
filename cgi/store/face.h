/* store/face.h -- Case 2 face checks with an external provider. */
#ifndef REKEY_STORE_FACE_H
#define REKEY_STORE_FACE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define PROVIDER_HTTP "http"
/* seed, Case 2 note: a successful face match still fails when the primary
 * identity verification cannot show who owns the account; 1 when it can. */
int face_identity_allows_match(const char *identity_status);
int face_queue(struct app *a, uint64_t case_id, int *queued);
/* Before the body is parsed: the webhook's signature over timestamp and body. */
int face_webhook_verify(struct req *r);

#endif
