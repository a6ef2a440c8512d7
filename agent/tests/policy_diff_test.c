/*
 * policy_diff_test: what plan_diff finds between an installed plan and a new one, and which
 * ids it carries over (so an unchanged rule set keeps its slots and a renamed policy does
 * not inherit another's counters).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy/diff.h"
#include "agent/tests/testenv.h"

static void compile_text(struct plan *p, const char *yaml)
{
	struct diag d;

	diag_init(&d, "t.yaml");
	cr_assert_eq(policy_load(p, yaml, strlen(yaml), &test_env, &d), 0, "does not compile");
	diag_free(&d);
}

static void compile_file(struct plan *p, const char *rel)
{
	size_t len;
	char *yaml = test_read_file(rel, &len);
	struct diag d;

	diag_init(&d, rel);
	cr_assert_eq(policy_load(p, yaml, len, &test_env, &d), 0, "%s does not compile", rel);
	diag_free(&d);
	free(yaml);
}

/* Give a plan the ids an apply would: keys 100.., stats ids 200.., slots 300.. */
static void assign_ids(struct plan *p)
{
	size_t i;
	uint32_t slot = 300;

	for (i = 0; i < p->policies.n; i++)
		p->policies.v[i].key = 100 + (uint32_t)i;
	for (i = 0; i < p->sids.n; i++)
		p->sids.v[i].value.stats_id = 200 + (uint32_t)i;
	for (i = 0; i < p->sets.n; i++) {
		p->sets.v[i].slot = slot;
		slot += p->sets.v[i].count;
	}
}

static size_t count(const struct diff *d, int kind, int op)
{
	return d->count[kind][op];
}

Test(diff, identical_plans)
{
	struct plan a, b;
	struct diff d;

	compile_file(&a, "examples/policy.yaml");
	compile_file(&b, "examples/policy.yaml");
	assign_ids(&a);
	plan_diff(&d, &b, &a);
	cr_expect_eq(diff_total(&d), 0, "%zu changes", diff_total(&d));
	cr_expect_eq(b.policies.v[1].key, 101, "keys carried over");
	cr_expect_eq(b.sids.v[2].value.stats_id, 202, "stats ids carried over");
	cr_expect_eq(b.sets.v[0].slot, 300, "slots of unchanged sets carried over");
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}

Test(diff, demo_push_changes_one_policy)
{
	struct plan a, b;
	struct diff d;

	compile_file(&a, "examples/demo.yaml");
	compile_file(&b, "examples/demo-push.yaml");
	assign_ids(&a);
	plan_diff(&d, &b, &a);
	cr_expect_eq(diff_total(&d), 1);
	cr_expect_eq(count(&d, DK_POLICY, DO_CHANGE), 1);
	cr_expect_eq(d.items.v[0].now, 0);
	cr_expect_eq(d.items.v[0].was, 0);
	cr_expect_eq(b.policies.v[0].key, 100, "the policy keeps its key: one map update");
	cr_expect_eq(b.sets.v[0].slot, 300, "the rule does not move");
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}

#define HEAD	"apiVersion: sr6/v1\nnode: { name: n, locator: \"fc00:1::/48\", source: \"fc00:1::1\" }\n" \
		"policies:\n"							\
		"  - { name: a, paths: [{ segments: [\"fc00:2::1\"] }] }\n"	\
		"  - { name: b, paths: [{ segments: [\"fc00:3::1\"] }] }\n"

Test(diff, steering_changes)
{
	struct plan a, b;
	struct diff d;

	compile_text(&a, HEAD "steering:\n"
		     "  - { match: { dst: \"10.1.0.0/16\" }, policy: a }\n"
		     "  - { match: { dst: \"10.2.0.0/16\" }, policy: a }\n"
		     "  - { match: { dst: \"10.3.0.0/16\" }, policy: a }\n");
	compile_text(&b, HEAD "steering:\n"
		     "  - { match: { dst: \"10.1.0.0/16\" }, policy: a }\n"		/* same */
		     "  - { match: { dst: \"10.2.0.0/16\" }, policy: b }\n"		/* other policy */
		     "  - { match: { dst: \"10.4.0.0/16\" }, policy: a }\n");	/* 10.3 -> 10.4 */
	assign_ids(&a);
	plan_diff(&d, &b, &a);
	cr_expect_eq(count(&d, DK_SET, DO_ADD), 1);
	cr_expect_eq(count(&d, DK_SET, DO_CHANGE), 1);
	cr_expect_eq(count(&d, DK_SET, DO_REMOVE), 1);
	cr_expect_eq(count(&d, DK_POLICY, DO_CHANGE), 0);
	cr_expect_eq(diff_total(&d), 3);
	cr_expect_eq(b.sets.v[0].slot, 300, "10.1/16 unchanged: same slot");
	cr_expect_eq(b.sets.v[1].slot, PLAN_NO_ID, "10.2/16 changed: needs new slots");
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}

Test(diff, renamed_policy_is_a_new_one)
{
	struct plan a, b;
	struct diff d;

	compile_text(&a, HEAD "steering:\n  - { match: { dst: \"10.1.0.0/16\" }, policy: b }\n");
	compile_text(&b, "apiVersion: sr6/v1\nnode: { name: n, source: \"fc00:1::1\" }\npolicies:\n"
		     "  - { name: a, paths: [{ segments: [\"fc00:2::1\"] }] }\n"
		     "  - { name: c, paths: [{ segments: [\"fc00:3::1\"] }] }\n"
		     "steering:\n  - { match: { dst: \"10.1.0.0/16\" }, policy: c }\n");
	assign_ids(&a);
	plan_diff(&d, &b, &a);
	cr_expect_eq(count(&d, DK_POLICY, DO_ADD), 1);
	cr_expect_eq(count(&d, DK_POLICY, DO_REMOVE), 1);
	cr_expect_eq(count(&d, DK_SET, DO_CHANGE), 1, "the rule now points to another policy");
	cr_expect_eq(b.policies.v[1].key, PLAN_NO_ID, "c does not inherit b's key and counters");
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}

Test(diff, node_settings)
{
	struct plan a, b;
	struct diff d;

	compile_text(&a, "apiVersion: sr6/v1\nnode: { name: n }\n");
	compile_text(&b, "apiVersion: sr6/v1\nnode: { name: n, fib_cache: true }\n");
	plan_diff(&d, &b, &a);
	cr_expect_eq(diff_total(&d), 1);
	cr_expect_eq(count(&d, DK_NODE, DO_CHANGE), 1, "turning the FIB cache on is a change");
	cr_expect_eq(b.config_flags, SR6_CFG_FIB_CACHE);
	diff_free(&d);
	plan_free(&b);

	compile_text(&b, "apiVersion: sr6/v1\nnode: { name: n, hash_seed: 4294967295 }\n");
	plan_diff(&d, &b, &a);
	cr_expect_eq(diff_total(&d), 1);
	cr_expect_eq(count(&d, DK_NODE, DO_CHANGE), 1, "another hash seed is a change");
	cr_expect_eq(b.hash_seed, 4294967295u);
	cr_expect_eq(a.hash_seed, 0, "the seed is 0 unless set");
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}

Test(diff, sids_routes_and_interfaces)
{
	struct plan a, b;
	struct diff d;

	compile_text(&a, "apiVersion: sr6/v1\nnode:\n  name: n\n  locator: \"fc00:1::/48\"\n"
		     "  interfaces: [{ name: eth0 }]\nsids:\n"
		     "  - { sid: \"fc00:1::10\", behavior: End }\n"
		     "  - { sid: \"fc00:1::d6\", behavior: End.DT6, table: main }\n");
	compile_text(&b, "apiVersion: sr6/v1\nnode:\n  name: n\n  locator: \"fc00:1::/48\"\n"
		     "  interfaces: [{ name: eth0, attach: tc }, { name: eth1 }]\nsids:\n"
		     "  - { sid: \"fc00:1::10\", behavior: End, flavors: [psp] }\n"
		     "  - { sid: \"fc00:1::f1\", behavior: End.BPF, function: count }\n");
	assign_ids(&a);
	plan_diff(&d, &b, &a);
	cr_expect_eq(count(&d, DK_SID, DO_CHANGE), 1);
	cr_expect_eq(count(&d, DK_SID, DO_ADD), 1);
	cr_expect_eq(count(&d, DK_SID, DO_REMOVE), 1);
	cr_expect_eq(count(&d, DK_ROUTE, DO_CHANGE), 1);
	cr_expect_eq(count(&d, DK_ROUTE, DO_ADD), 1);
	cr_expect_eq(count(&d, DK_ROUTE, DO_REMOVE), 1);
	cr_expect_eq(count(&d, DK_ATTACH, DO_CHANGE), 1, "eth0: xdp -> tc");
	cr_expect_eq(count(&d, DK_ATTACH, DO_ADD), 1, "eth1");
	cr_expect_eq(b.sids.v[0].value.stats_id, 200, "a changed SID keeps its counters");
	cr_expect_eq(b.sids.v[1].value.stats_id, PLAN_NO_ID);
	diff_free(&d);
	plan_free(&a);
	plan_free(&b);
}
