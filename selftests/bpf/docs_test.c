/*
 * docs_test: the drop reason and event tables of bpf/README.md list exactly the names and
 * values of SR6_DROP_REASONS and SR6_EVENTS in sr6_abi.h, in order.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr6_abi.h"

struct entry {
	const char *name;
	int value;
};

#define X_ENTRY(name, value, desc) { #name, value },
static const struct entry drops[] = { SR6_DROP_REASONS(X_ENTRY) };
static const struct entry events[] = { SR6_EVENTS(X_ENTRY) };

/* The rows of the README table whose header line starts with header. */
static int read_table(const char *header, struct entry *out, char names[][64], int max)
{
	const char *top = getenv("SR6_TOP");
	char path[4096], line[512];
	int in_table = 0, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bpf/README.md", top ? top : ".");
	f = fopen(path, "r");
	cr_assert_not_null(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		int value;

		if (!strncmp(line, header, strlen(header))) {
			in_table = 1;
			continue;
		}
		if (!in_table)
			continue;
		if (line[0] != '|')
			break;
		if (n < max && sscanf(line, "| %63[A-Z0-9_] | %d |", names[n], &value) == 2) {
			out[n].name = names[n];
			out[n].value = value;
			n++;
		}
	}
	fclose(f);
	return n;
}

static void check_table(const char *header, const struct entry *want, int n_want)
{
	static char names[64][64];
	struct entry got[64];
	int n = read_table(header, got, names, 64), i;

	cr_assert_eq(n, n_want, "README table '%s': %d rows, sr6_abi.h has %d", header, n, n_want);
	for (i = 0; i < n; i++) {
		cr_expect_str_eq(got[i].name, want[i].name, "row %d name", i);
		cr_expect_eq(got[i].value, want[i].value, "%s: README says %d, sr6_abi.h %d",
			     want[i].name, got[i].value, want[i].value);
	}
}

Test(docs, drop_reasons_table_matches_abi)
{
	check_table("| drop reason |", drops, (int)(sizeof(drops) / sizeof(drops[0])));
}

Test(docs, events_table_matches_abi)
{
	check_table("| event |", events, (int)(sizeof(events) / sizeof(events[0])));
}
