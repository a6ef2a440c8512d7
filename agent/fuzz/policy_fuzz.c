/*
 * sr6_fuzz: libFuzzer over the policy pipeline: YAML -> model -> validate -> compile -> plan,
 * then the plan printed and compared with itself.  Any crash, leak, sanitizer report or an
 * unchanged plan diffing as changed is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy/compile.h"
#include "agent/policy/diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every interface exists, so compiling goes as deep as it can. */
static uint32_t any_ifindex(void *arg, const char *name)
{
	(void)arg;
	return 1 + (uint32_t)(strlen(name) % 7);
}

static const struct compile_env fuzz_env = { .ifindex = any_ifindex };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan a, b;
	struct diag d;
	struct diff df;

	diag_init(&d, "fuzz.yaml");
	if (policy_load(&a, data, size, &fuzz_env, &d) == 0) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			plan_print(null, &a);
			fclose(null);
		}
		diag_free(&d);
		diag_init(&d, "fuzz.yaml");
		if (policy_load(&b, data, size, &fuzz_env, &d) == 0) {
			plan_diff(&df, &b, &a);
			if (diff_total(&df) != 0)
				abort();	/* the same text must compile to the same plan */
			diff_free(&df);
			plan_free(&b);
		}
		plan_free(&a);
	} else {
		char line[1024];
		size_t i;

		for (i = 0; i < d.n; i++)
			diag_format(line, sizeof(line), &d, i);
	}
	diag_free(&d);
	return 0;
}
