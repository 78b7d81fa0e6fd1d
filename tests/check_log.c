/* check_log.c -- cgi/base/log.c: which request ids are passed on (the same
 * rule as nginx's map in cgi/ops/nginx.conf.in), JSON string escaping, and
 * every log line carrying the id of the request being served. */
#include <fcntl.h>
#include <unistd.h>
#include "vectors.h"
#include "../cgi/base/log.h"

START_TEST(valid_request_ids)
{
	static const char *const good[] = { "a", "0123456789abcdef0123456789abcdef", "support-ticket_42.v2", "A.B-C_D" };
	char max[LOG_REQUEST_ID_MAX + 1];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(log_request_id_valid(good[i]), "%s", good[i]);
	memset(max, 'x', LOG_REQUEST_ID_MAX);
	max[LOG_REQUEST_ID_MAX] = '\0';
	ck_assert(log_request_id_valid(max));
}
END_TEST

START_TEST(junk_request_ids)
{
	static const char *const bad[] = { "", "has space", "quote\"d", "back\\slash", "new\nline", "semi;colon", "<script>", "%41",
		"\xc3\xbc", "tab\t", "{}", "a/b" };
	char long_id[LOG_REQUEST_ID_MAX + 2];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!log_request_id_valid(bad[i]), "%s", bad[i]);
	ck_assert(!log_request_id_valid(NULL));
	memset(long_id, 'x', LOG_REQUEST_ID_MAX + 1);
	long_id[LOG_REQUEST_ID_MAX + 1] = '\0';
	ck_assert(!log_request_id_valid(long_id));
	/* an invalid one is never kept as the current id */
	log_set_request("good-1");
	log_set_request("bad one");
	ck_assert_str_eq(log_request(), "");
}
END_TEST

START_TEST(json_strings_escaped)
{
	char out[64];

	log_json_string(out, sizeof out, "a\"b\\c\nd\te\x01");
	ck_assert_str_eq(out, "\"a\\\"b\\\\c\\nd\\u0009e\\u0001\"");
	log_json_string(out, sizeof out, NULL);
	ck_assert_str_eq(out, "\"\"");
	/* truncated, still one closed string */
	log_json_string(out, 12, "0123456789abcdef");
	ck_assert_int_eq(out[0], '"');
	ck_assert_int_eq(out[strlen(out) - 1], '"');
}
END_TEST

/* the lines log_msg writes to stderr, read back from a file */
static char *
capture(void (*fn)(void))
{
	char path[] = "/tmp/check_log.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	static char buf[4096];
	ssize_t n;

	ck_assert(fd >= 0);
	dup2(fd, 2);
	fn();
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	return buf;
}

static void
two_lines(void)
{
	log_set_request("req-7f3a");
	log_msg("warn", "db: %s \"%d\"", "conflict", 3);
	log_set_request(NULL);
	log_msg("info", "between requests");
}

START_TEST(every_line_carries_the_request_id)
{
	char *out = capture(two_lines), *second = strchr(out, '\n');

	ck_assert_ptr_nonnull(second);
	*second++ = '\0';
	ck_assert_msg(strstr(out, "\"level\":\"warn\"") && strstr(out, "\"request_id\":\"req-7f3a\"") &&
	    strstr(out, "\"msg\":\"db: conflict \\\"3\\\"\"}"), "%s", out);
	ck_assert_int_eq(out[0], '{');
	ck_assert_msg(strstr(second, "\"request_id\":\"\"") && strstr(second, "\"msg\":\"between requests\"}\n"), "%s", second);
}
END_TEST

RUN_SUITE("log", valid_request_ids, junk_request_ids, json_strings_escaped, every_line_carries_the_request_id)
