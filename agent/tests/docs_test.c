/*
 * docs_test: docs/policy.md says what the code does: its limits table against sr6_abi.h,
 * and every End.BPF function and parameter of functions.c is described there.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy/functions.h"
#include "agent/tests/testenv.h"
#include "sr6_abi.h"

static void expect_row(const char *doc, const char *label, long value)
{
	char row[256];

	snprintf(row, sizeof(row), "| %s | %ld |", label, value);
	cr_expect(strstr(doc, row) != NULL, "docs/policy.md has no row \"%s\"", row);
}

Test(docs, limits_table_matches_the_abi)
{
	char *doc = test_read_file("docs/policy.md", NULL);

	expect_row(doc, "SIDs in a segment list", SR6_MAX_SIDS);
	expect_row(doc, "paths in a policy", SR6_MAX_PATHS);
	expect_row(doc, "policies", SR6_MAX_POLICIES);
	expect_row(doc, "local SIDs (exact and locator entries)", SR6_MAX_LOCAL_SIDS);
	expect_row(doc, "destination prefixes per family", SR6_MAX_STEER_PREFIXES);
	expect_row(doc, "rule slots (rules after covering rules are copied)", SR6_MAX_STEER_RULES);
	expect_row(doc, "rules applying to one destination prefix", SR6_MAX_RULES_PER_SET);
	expect_row(doc, "sum of a policy's weights", SR6_MAX_WEIGHT);
	expect_row(doc, "End.BPF SIDs per function", SR6_FN_MAX_SIDS);
	free(doc);
}

Test(docs, every_function_and_parameter_is_described)
{
	char *doc = test_read_file("docs/policy.md", NULL);
	char needle[128];
	size_t i;
	int k;

	for (i = 0; i < fn_count; i++) {
		snprintf(needle, sizeof(needle), "| `%s` |", fn_defs[i].name);
		cr_expect(strstr(doc, needle) != NULL, "function %s is not in docs/policy.md",
			  fn_defs[i].name);
		for (k = 0; k < FN_MAX_PARAMS && fn_defs[i].params[k].key; k++) {
			snprintf(needle, sizeof(needle), "`%s`:", fn_defs[i].params[k].key);
			cr_expect(strstr(doc, needle) != NULL, "parameter %s of %s is not described",
				  fn_defs[i].params[k].key, fn_defs[i].name);
		}
	}
	free(doc);
}
