/* Fuzz target: the server's text inputs: the group database (first byte even) and the
 * assignments.jsonl replay (odd). */
#include <stdint.h>
#include <stdlib.h>

#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct registry r;

		if (registry_open(&r, NULL, err, sizeof(err)) < 0)
			abort();
		registry_replay(&r, (const char *)data + 1, size - 1, "fuzz", err, sizeof(err));
		registry_close(&r);
	} else {
		struct group_db db;

		/* Paths resolve under a folder that does not exist: file settings fail cleanly. */
		if (groupdb_parse(&db, (const char *)data + 1, size - 1, "fuzz", "/nonexistent-xtt-fuzz",
				  err, sizeof(err)) == 0)
			groupdb_free(&db);
	}
	return 0;
}
