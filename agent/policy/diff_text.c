/*
 * diff_text.c: a diff as lines a person reads ("+ policy to-dc: encap, 2 paths ..."), the
 * output of `sr6 diff` and `sr6 apply`.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/policy/diff.h"
#include "agent/policy/model.h"

static const char marks[DO_COUNT] = { '+', '~', '-' };

static void print_path(FILE *f, const struct plan_path *h)
{
	char a[ADDR_STRLEN];
	unsigned i;

	fprintf(f, "%s [", h->segname ? h->segname : "(list)");
	for (i = 0; i < h->n; i++) {
		addr6_format(a, &h->segs[i]);
		fprintf(f, "%s%s", i ? " " : "", a);
	}
	fprintf(f, "] weight %u", h->weight);
}

static void print_policy(FILE *f, const struct plan_policy *p)
{
	unsigned i;

	fprintf(f, "%s, %u path%s", mode_name(p->mode), p->path_count,
		p->path_count == 1 ? "" : "s");
	for (i = 0; i < p->path_count; i++) {
		fprintf(f, "%s", i ? "; " : ": ");
		print_path(f, &p->paths[i]);
	}
}

static void print_sid(FILE *f, const struct plan_sid *s)
{
	fprintf(f, "%s", behavior_name(s->value.behavior));
	if (s->fn.name)
		fprintf(f, " %s", s->fn.name);
}

static void print_set(FILE *f, const struct plan *p, const struct plan_set *s)
{
	uint32_t i;

	fprintf(f, "%u rule%s:", s->count, s->count == 1 ? "" : "s");
	for (i = 0; i < s->count; i++) {
		fprintf(f, "%s", i ? ";" : "");
		fputc(' ', f);
		plan_print_rule(f, p, s->family, &p->rules.v[s->first + i]);
	}
}

static void set_name(char *buf, const struct plan_set *s)
{
	struct prefix pf = { .family = s->family, .len = s->len, .addr = s->prefix };

	prefix_format(buf, &pf);
}

static void print_attach(FILE *f, const struct plan_attach *a)
{
	fprintf(f, "%s%s", attach_name(a->mode), a->egress ? " + tc egress" : "");
}

void diff_print(FILE *f, const struct diff *d, const struct plan *now, const struct plan *was)
{
	char a[ADDR_STRLEN];
	size_t i;

	for (i = 0; i < d->items.n; i++) {
		if (i == DIFF_PRINT_MAX) {
			fprintf(f, "... and %zu more changes\n", d->items.n - i);
			break;
		}
		const struct diff_item *it = &d->items.v[i];
		const struct plan *p = it->op == DO_REMOVE ? was : now;
		size_t idx = it->op == DO_REMOVE ? it->was : it->now;

		fprintf(f, "%c ", marks[it->op]);
		switch (it->kind) {
		case DK_POLICY:
			fprintf(f, "policy %s: ", p->policies.v[idx].name);
			if (it->op == DO_CHANGE) {
				print_policy(f, &was->policies.v[it->was]);
				fprintf(f, "\n    -> ");
			}
			print_policy(f, &p->policies.v[idx]);
			break;
		case DK_SID:
			addr6_format(a, &p->sids.v[idx].sid);
			fprintf(f, "sid %s: ", a);
			if (it->op == DO_CHANGE) {
				print_sid(f, &was->sids.v[it->was]);
				fprintf(f, " -> ");
			}
			print_sid(f, &p->sids.v[idx]);
			break;
		case DK_LOCATOR:
			addr6_format(a, &p->locators.v[idx].key.prefix);
			fprintf(f, "locator %s/%u", a, p->locators.v[idx].key.prefixlen);
			break;
		case DK_SET:
			set_name(a, &p->sets.v[idx]);
			fprintf(f, "steering %s: ", a);
			if (it->op == DO_CHANGE) {
				print_set(f, was, &was->sets.v[it->was]);
				fprintf(f, "\n    -> ");
			}
			print_set(f, p, &p->sets.v[idx]);
			break;
		case DK_ROUTE:
			addr6_format(a, &p->routes.v[idx].dst);
			fprintf(f, "route %s/128 seg6local %s", a,
				behavior_name((uint8_t)p->routes.v[idx].action));
			if (p->routes.v[idx].function)
				fprintf(f, " %s", p->routes.v[idx].function);
			break;
		case DK_NODE:
			fprintf(f, "node: sr6_config flags %#x -> %#x%s", was->config_flags,
				now->config_flags,
				(now->config_flags ^ was->config_flags) & SR6_CFG_FIB_CACHE ?
					(now->config_flags & SR6_CFG_FIB_CACHE ? " (FIB cache on)"
									       : " (FIB cache off)") : "");
			if (now->hash_seed != was->hash_seed)
				fprintf(f, ", hash seed %u -> %u (flows may change path)",
					was->hash_seed, now->hash_seed);
			break;
		case DK_ATTACH:
			fprintf(f, "interface %s: ", p->attach.v[idx].ifname);
			if (it->op == DO_CHANGE) {
				print_attach(f, &was->attach.v[it->was]);
				fprintf(f, " -> ");
			}
			print_attach(f, &p->attach.v[idx]);
			break;
		}
		fputc('\n', f);
	}
}

void diff_print_summary(FILE *f, const struct diff *d)
{
	size_t add = 0, change = 0, remove = 0, k;

	for (k = 0; k < DK_COUNT; k++) {
		add += d->count[k][DO_ADD];
		change += d->count[k][DO_CHANGE];
		remove += d->count[k][DO_REMOVE];
	}
	if (!d->items.n)
		fprintf(f, "no changes\n");
	else
		fprintf(f, "%zu change%s: %zu to add, %zu to change, %zu to remove\n",
			d->items.n, d->items.n == 1 ? "" : "s", add, change, remove);
}
