/* base/base.h -- the bottom layer: database access and the one array of SQL,
 * configuration, keys, requests and answers, audit, outbox, rate limits,
 * flow rows, JSON helpers, QR codes, the workers' heap. It calls nothing above it. */
#ifndef REKEY_BASE_H
#define REKEY_BASE_H
#include "config.h"
#include "db.h"
#include "app.h"
#include "http.h"
#include "keys.h"
#include "audit.h"
#include "mail.h"
#include "ratelimit.h"
#include "flowrow.h"
#include "json.h"
#include "qr.h"
#include "log.h"
#include "metrics.h"
#include "stb_write.h"
#include "heap.h"
#endif
