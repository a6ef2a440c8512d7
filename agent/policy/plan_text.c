/*
 * plan_text.c: a plan as text, one line per map entry, route and attach point, with the
 * policy values decoded from the very bytes written to sr6_policies.  `sr6 check --plan`
 * prints it, and the golden tests compare it.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/policy/model.h"
#include "agent/policy/plan.h"

static void print_id(FILE *f, const char *what, uint32_t id)
{
	if (id == PLAN_NO_ID)
		fprintf(f, " %s -", what);
	else
		fprintf(f, " %s %u", what, id);
}

static void print_flavors(FILE *f, uint32_t flv)
{
	static const char *const names[] = { NULL, "psp", "usp", "usd", "next-csid" };
	int i, first = 1;

	if (!flv)
		return;
	fprintf(f, " flavors ");
	for (i = 1; i <= 4; i++) {
		if (flv & (1u << i)) {
			fprintf(f, "%s%s", first ? "" : ",", names[i]);
			first = 0;
		}
	}
}

static void print_policy(FILE *f, const struct plan_policy *p)
{
	struct sr6_policy v;
	char a[ADDR_STRLEN];
	unsigned i, j;

	plan_policy_value(&v, p);
	addr6_format(a, &v.source);
	fprintf(f, "policy %s", p->name);
	print_id(f, "key", p->key);
	fprintf(f, " mode %s paths %u hop_limit %u flags %s mtu %u total_weight %u source %s\n",
		mode_name(v.mode), v.path_count, v.hop_limit,
		v.flags & SR6_POLICY_F_TC_COPY ? "tc-copy" : "-", v.mtu, v.total_weight, a);
	for (i = 0; i < v.path_count; i++) {
		const struct sr6_path *w = &v.paths[i];
		unsigned entries = w->srh_len ? (w->srh_len - 8) / 16 : 0;

		addr6_format(a, &w->dst);
		fprintf(f, "  path %u %s weight %u cum %u sids %u dst %s srh %u", i,
			p->paths[i].segname ? p->paths[i].segname : "(inline)", p->paths[i].weight,
			v.cum_weight[i], w->sid_count, a, w->srh_len);
		if (w->srh_len) {
			fprintf(f, " [");
			for (j = 0; j < 8; j++)
				fprintf(f, "%s%02x", j ? " " : "", w->srh[j]);
			fprintf(f, "]");
			for (j = 0; j < entries; j++) {
				union sr6_in6 s;

				memcpy(s.b, w->srh + 8 + 16 * j, 16);
				addr6_format(a, &s);
				fprintf(f, " %s", a);
			}
		}
		fprintf(f, "\n");
	}
}

static void fn_value_print(FILE *f, const struct fn_param_spec *ps, uint64_t v, size_t i)
{
	if (i)
		fputc(',', f);
	if (ps->type == FP_ENUM)
		fputs(ps->names[v], f);
	else if (ps->type == FP_BOOL)
		fputs(v ? "true" : "false", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

static void print_sid(FILE *f, const struct plan_sid *s)
{
	char a[ADDR_STRLEN];

	addr6_format(a, &s->sid);
	fprintf(f, "sid %s %s", a, behavior_name(s->value.behavior));
	print_id(f, "stats", s->value.stats_id);
	print_flavors(f, s->value.flavors);
	if (s->value.flavors & SR6_FLV_NEXT_CSID)
		fprintf(f, " block %u node_function %u", s->value.lcblock_bits,
			s->value.lcnode_fn_bits);
	if (s->value.table)
		fprintf(f, " table %u", s->value.table);
	if (s->value.oif)
		fprintf(f, " oif %u", s->value.oif);
	if (!addr6_is_zero(&s->value.nh6)) {
		addr6_format(a, &s->value.nh6);
		fprintf(f, " nh6 %s", a);
	}
	if (s->value.nh4) {
		addr4_format(a, s->value.nh4);
		fprintf(f, " nh4 %s", a);
	}
	if (s->fn.name) {
		int k;

		fprintf(f, " function %s", s->fn.name);
		for (k = 0; s->fn.def && k < FN_MAX_PARAMS && s->fn.def->params[k].key; k++) {
			size_t i;

			if (!s->fn.values.present[k])
				continue;
			fprintf(f, " %s=", s->fn.def->params[k].key);
			for (i = 0; i < s->fn.values.n[k]; i++)
				fn_value_print(f, &s->fn.def->params[k], s->fn.values.v[k][i], i);
		}
	}
	fprintf(f, "\n");
}

void plan_print_route(FILE *f, const struct plan_route *r)
{
	char a[ADDR_STRLEN];

	addr6_format(a, &r->dst);
	fprintf(f, "route %s/128 seg6local %s", a, behavior_name((uint8_t)r->action));
	if (r->nh_family == AF_INET6) {
		addr6_format(a, &r->nh);
		fprintf(f, " nh6 %s", a);
	} else if (r->nh_family == AF_INET) {
		addr4_format(a, r->nh.w[0]);
		fprintf(f, " nh4 %s", a);
	}
	if (r->table)
		fprintf(f, " table %u", r->table);
	if (r->oif)
		fprintf(f, " oif %u", r->oif);
	print_flavors(f, r->flavors);
	if (r->flavors & SR6_FLV_NEXT_CSID)
		fprintf(f, " lblen %u nflen %u", r->lcblock_bits, r->lcnode_fn_bits);
	if (r->function)
		fprintf(f, " endpoint %s", r->function);
	fprintf(f, " dev %u", r->dev);
}

void plan_print_rule(FILE *f, const struct plan *p, uint8_t family,
		     const struct sr6_steer_rule *r)
{
	fprintf(f, "policy %s", r->policy < p->policies.n ? p->policies.v[r->policy].name : "?");
	if (r->match & SR6_MATCH_SRC) {
		struct prefix src = { .family = family, .len = r->src_len, .addr = r->src };
		char a[ADDR_STRLEN];

		prefix_format(a, &src);
		fprintf(f, " src %s", a);
	}
	if (r->match & SR6_MATCH_PROTO) {
		char pb[8];

		fprintf(f, " proto %s", proto_name(r->proto, pb));
	}
	if (r->match & SR6_MATCH_SPORT)
		fprintf(f, " sport %u-%u", r->sport_min, r->sport_max);
	if (r->match & SR6_MATCH_DPORT)
		fprintf(f, " dport %u-%u", r->dport_min, r->dport_max);
	if (r->match & SR6_MATCH_DSCP)
		fprintf(f, " dscp %u", r->dscp);
	if (r->match & SR6_MATCH_IIF)
		fprintf(f, " iif %u", r->ifindex);
	fprintf(f, " id %08x", r->rule_id);
}

void plan_print(FILE *f, const struct plan *p)
{
	char a[ADDR_STRLEN];
	size_t i, j;

	fprintf(f, "node %s config%s%s%s%s%s", p->node,
		p->config_flags & SR6_CFG_STEER6 ? " steer6" : "",
		p->config_flags & SR6_CFG_STEER4 ? " steer4" : "",
		p->config_flags & SR6_CFG_SIDS ? " sids" : "",
		p->config_flags & SR6_CFG_LOCATORS ? " locators" : "",
		p->config_flags & SR6_CFG_FIB_CACHE ? " fib-cache" : "");
	if (p->hash_seed)
		fprintf(f, " hash-seed %u", p->hash_seed);
	fputc('\n', f);
	for (i = 0; i < p->policies.n; i++)
		print_policy(f, &p->policies.v[i]);
	for (i = 0; i < p->sids.n; i++)
		print_sid(f, &p->sids.v[i]);
	for (i = 0; i < p->locators.n; i++) {
		const struct plan_locator *l = &p->locators.v[i];

		addr6_format(a, &l->key.prefix);
		fprintf(f, "locator %s/%u -> ", a, l->key.prefixlen);
		addr6_format(a, &p->sids.v[l->sid].sid);
		fprintf(f, "sid %s\n", a);
	}
	for (i = 0; i < p->routes.n; i++) {
		plan_print_route(f, &p->routes.v[i]);
		fputc('\n', f);
	}
	for (i = 0; i < p->sets.n; i++) {
		const struct plan_set *s = &p->sets.v[i];
		struct prefix pf = { .family = s->family, .len = s->len, .addr = s->prefix };

		prefix_format(a, &pf);
		fprintf(f, "%s %s rules %u", s->family == AF_INET6 ? "steer6" : "steer4", a,
			s->count);
		print_id(f, "slot", s->slot);
		fprintf(f, "\n");
		for (j = 0; j < s->count; j++) {
			fprintf(f, "  rule %zu ", j);
			plan_print_rule(f, p, s->family, &p->rules.v[s->first + j]);
			fprintf(f, "\n");
		}
	}
	for (i = 0; i < p->attach.n; i++)
		fprintf(f, "attach %s ifindex %u %s%s\n", p->attach.v[i].ifname,
			p->attach.v[i].ifindex, attach_name(p->attach.v[i].mode),
			p->attach.v[i].egress ? " egress" : "");
}
