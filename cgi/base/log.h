/* base/log.h -- rekeyd's log: one JSON object per line on stderr (the
 * supervisor, the workers, the delivery process) and the access log, each
 * line carrying the request id of the request being served, if any. */
#ifndef REKEY_BASE_LOG_H
#define REKEY_BASE_LOG_H
#include <stdio.h>

#define LOG_REQUEST_ID_MAX 64 /* the longest request id taken from X-Request-Id */

/* The request this process is serving now ("" between requests): every
 * log line written until the next call carries it. */
void log_set_request(const char *request_id);
const char *log_request(void);
/* 1 when s is a request id we pass on: 1..LOG_REQUEST_ID_MAX of [A-Za-z0-9._-] */
int log_request_id_valid(const char *s);
/* One line {"time","level","pid","request_id","msg"} on stderr. */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string of s (quotes included) into out; never fails (truncates). */
void log_json_string(char *out, size_t outlen, const char *s);
/* "2026-12-01T18:05:41.123Z" */
void log_time(char *out, size_t outlen);

#endif
