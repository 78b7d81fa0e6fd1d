/* fuzz_srv_config.c -- config lines (base/config.c, config_load): any file
 * is loaded or refused with a message; never past a buffer; a loaded
 * configuration keeps the bounds config_load promises. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../cgi/base/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct config c;
	char err[256];
	FILE *f;
	int rc;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/rekey-fuzz-config.%d", (int)getpid());
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	err[0] = '\0';
	rc = config_load(&c, path, err, sizeof err);
	unlink(path);
	if (rc == 0) {
		if (c.workers < 1 || c.workers > 256 || c.hold_hours < 24 || c.face_frames < 1 || c.face_frames > 10 ||
		    c.max_body < 1024 || c.code_seconds < 60)
			abort();
	} else if (err[0] == '\0' || strnlen(err, sizeof err) >= sizeof err) {
		abort(); /* every refusal says why */
	}
	return 0;
}
