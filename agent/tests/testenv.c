#include "agent/tests/testenv.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The interfaces the examples name, as a node of the demo would number them. */
static uint32_t test_ifindex(void *arg, const char *name)
{
	static const struct {
		const char *name;
		uint32_t ifindex;
	} table[] = {
		{ "lo", 1 }, { "eth0", 2 }, { "eth1", 3 }, { "h0", 2 }, { "t0", 2 }, { "e1", 2 },
		{ "e2", 3 },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return table[i].ifindex;
	return 0;
}

const struct compile_env test_env = { .ifindex = test_ifindex };

static FILE *open_rel(const char *rel, const char *mode)
{
	const char *top = getenv("SR6_TOP");
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", top && *top ? top : ".", rel);
	return fopen(path, mode);
}

char *test_read_file(const char *rel, size_t *len)
{
	FILE *f = open_rel(rel, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "cannot open %s", rel);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

void test_golden(const char *name, const char *text)
{
	char rel[512], *want;
	const char *update = getenv("SR6_UPDATE_GOLDEN");

	snprintf(rel, sizeof(rel), "agent/tests/golden/%s", name);
	if (update && !strcmp(update, "1")) {
		FILE *f = open_rel(rel, "w");

		cr_assert_not_null(f, "cannot write %s", rel);
		fputs(text, f);
		fclose(f);
	}
	want = test_read_file(rel, NULL);
	cr_assert_str_eq(text, want, "%s differs from the compiled plan (SR6_UPDATE_GOLDEN=1 "
			 "rewrites it after a deliberate change)", rel);
	free(want);
}

char *test_errors(const char *yaml, size_t *count)
{
	struct diag d;
	struct plan p;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	diag_init(&d, "t.yaml");
	if (policy_load(&p, yaml, strlen(yaml), &test_env, &d) == 0)
		plan_free(&p);
	diag_print(f, &d);
	fclose(f);
	if (count)
		*count = diag_count(&d);
	diag_free(&d);
	return out;
}
