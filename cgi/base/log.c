/* base/log.c -- JSON log lines (issue #22): one object per line, so that a
 * log shipper reads them without a pattern, and the request id in each line
 * of a request (nginx's $request_id or the caller's X-Request-Id). */
#include <stdarg.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

static char current[LOG_REQUEST_ID_MAX + 1];

int
log_request_id_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > LOG_REQUEST_ID_MAX)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

void
log_set_request(const char *request_id)
{
	if (request_id == NULL || !log_request_id_valid(request_id))
		current[0] = '\0';
	else
		memcpy(current, request_id, strlen(request_id) + 1);
}

const char *
log_request(void)
{
	return current;
}

void
log_time(char *out, size_t outlen)
{
	struct timeval tv;
	struct tm tm;
	char s[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, outlen, "%s.%03dZ", s, (int)(tv.tv_usec / 1000));
}

/* RFC 8259 §7: quote, backslash and control characters escaped; other
 * bytes as they are (the messages are ours, UTF-8 or ASCII) */
void
log_json_string(char *out, size_t outlen, const char *s)
{
	size_t o = 0;

	if (outlen < 3) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	out[o++] = '"';
	for (; s && *s && o + 8 < outlen; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	out[o] = '\0';
}

void
log_msg(const char *level, const char *fmt, ...)
{
	char msg[1200], jmsg[2600], t[40], line[2800];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_json_string(jmsg, sizeof jmsg, msg);
	log_time(t, sizeof t);
	/* one write per line: lines of several processes on one stderr never interleave */
	n = snprintf(line, sizeof line, "{\"time\":\"%s\",\"level\":\"%s\",\"pid\":%d,\"request_id\":\"%s\",\"msg\":%s}\n",
	    t, level, (int)getpid(), current, jmsg);
	if (n > 0)
		(void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}
