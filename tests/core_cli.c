/* core_cli.c -- the native build of the wasm boundary: prints exactly the
 * JSON core.wasm returns, so tests can compare the two verdicts.
 *   core_cli inspect FILE | check FILE | authdata FILE | attobj FILE
 *   core_cli address CHAIN TEXT | txid CHAIN TEXT | validate KIND TEXT [ARG]
 *   core_cli b64decode TEXT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../wasm/exports.h"

static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		exit(2);
	buf = malloc((size_t)len + 1);
	if (buf == NULL)
		exit(2);
	*n = fread(buf, 1, (size_t)len, f);
	fclose(f);
	return buf;
}

static void
out(char *json)
{
	puts(json ? json : "null");
	free(json);
}

int
main(int argc, char **argv)
{
	size_t n;
	unsigned char *b;

	if (argc < 3)
		return 2;
	if (strcmp(argv[1], "inspect") == 0 || strcmp(argv[1], "check") == 0 || strcmp(argv[1], "authdata") == 0 ||
	    strcmp(argv[1], "attobj") == 0) {
		b = slurp(argv[2], &n);
		if (argv[1][0] == 'i')
			out(rk_image_inspect_js(b, n));
		else if (argv[1][0] == 'c')
			out(rk_image_check_js(b, n, -1, -1, -1, -1));
		else if (strcmp(argv[1], "authdata") == 0)
			out(rk_authdata_parse_js(b, n));
		else
			out(rk_attobj_parse_js(b, n));
		free(b);
		return 0;
	}
	if ((strcmp(argv[1], "address") == 0 || strcmp(argv[1], "txid") == 0) && argc == 4) {
		printf("%d\n", rk_chain_check_js(argv[2], strlen(argv[2]), argv[3], strlen(argv[3]), argv[1][0] == 'a' ? 0 : 1));
		return 0;
	}
	if (strcmp(argv[1], "validate") == 0 && argc >= 4) {
		const char *arg = argc > 4 ? argv[4] : "";
		out(rk_validate_js(atoi(argv[2]), argv[3], strlen(argv[3]), arg, strlen(arg)));
		return 0;
	}
	if (strcmp(argv[1], "b64decode") == 0) {
		unsigned char o[4096];
		printf("%ld\n", rk_b64url_decode_js(argv[2], strlen(argv[2]), o, sizeof o));
		return 0;
	}
	return 2;
}
