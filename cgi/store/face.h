/* store/face.h -- Case 2 face checks with an external provider. */
#ifndef REKEY_STORE_FACE_H
#define REKEY_STORE_FACE_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "../base/base.h"

#define PROVIDER_HTTP "http"
int face_queue(struct app *a, uint64_t case_id, int *queued);
/* Before the body is parsed: the webhook's signature over timestamp and body. */
int face_webhook_verify(struct req *r);

#endif
