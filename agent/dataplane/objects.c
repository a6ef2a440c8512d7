#include "agent/dataplane/objects.h"

#include <string.h>

#include "fn_count.skel.h"
#include "fn_delay.skel.h"
#include "fn_ratelimit.skel.h"
#include "fn_tag_acl.skel.h"
#include "sr6.skel.h"

static const struct {
	const char *name;
	const void *(*bytes)(size_t *size);
} objects[] = {
	{ "sr6", sr6_bpf__elf_bytes },
	{ "fn_count", fn_count_bpf__elf_bytes },
	{ "fn_tag_acl", fn_tag_acl_bpf__elf_bytes },
	{ "fn_delay", fn_delay_bpf__elf_bytes },
	{ "fn_ratelimit", fn_ratelimit_bpf__elf_bytes },
};

const void *dp_object_bytes(const char *name, size_t *size)
{
	size_t i;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(objects[i].name, name))
			return objects[i].bytes(size);
	return NULL;
}
