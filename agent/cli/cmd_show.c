/*
 * cmd_show.c: sr6 status, stats, sid list, policy list: what is installed, read from the
 * pinned maps, the routes and the links (no agent needed), plus the agent when it runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "agent/cli/cli.h"
#include "agent/daemon/control.h"
#include "agent/dataplane/attach.h"
#include "agent/dataplane/state.h"
#include "agent/dataplane/stats.h"
#include "agent/policy/model.h"

struct view {
	struct dataplane dp;
	struct rtnl *rtnl;
	struct plan state;
	struct dp_meta meta;
	struct sr6_config cfg;
	struct node_stats stats;	/* with_stats only */
	bool has_stats;
};

/* Open what is installed (and read its counters): 0, or an exit code (reported). */
static int view_open(struct cli *c, struct view *v, bool with_stats)
{
	memset(v, 0, sizeof(*v));
	if (dp_open(&v->dp, c->pin_root, 0))
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s", v->dp.err);
	if (rtnl_open(&v->rtnl)) {
		dp_close(&v->dp);
		return cli_fail(c, SR6_EXIT_SYSTEM, "rtnetlink: %s", strerror(errno));
	}
	if (state_read(&v->dp, v->rtnl, &v->state, &v->cfg, &v->meta)) {
		int rc = cli_fail(c, SR6_EXIT_SYSTEM, "%s", v->dp.err);

		rtnl_close(v->rtnl);
		dp_close(&v->dp);
		return rc;
	}
	if (with_stats)
		v->has_stats = stats_read(&v->dp, v->rtnl, &v->state, &v->stats) == 0;
	return 0;
}

static void view_close(struct view *v)
{
	if (v->has_stats)
		stats_free(&v->stats);
	plan_free(&v->state);
	rtnl_close(v->rtnl);
	dp_close(&v->dp);
}

static const char *when(time_t t, char buf[32])
{
	struct tm tm;

	if (!t || !localtime_r(&t, &tm))
		return "-";
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static size_t rules_of(const struct plan *p, size_t policy)
{
	size_t n = 0, i;

	for (i = 0; i < p->rules.n; i++)
		n += p->rules.v[i].policy == policy;
	return n;
}

/* ---------------------------------------------------------------------------------------- */
/* status                                                                                     */

static json_object *agent_status(struct cli *c)
{
	json_object *h = json_object_new_object(), *reply = NULL;

	json_object_object_add(h, "cmd", json_object_new_string("status"));
	if (control_call(c->socket, h, NULL, 0, &reply, 3000))
		reply = NULL;
	json_object_put(h);
	return reply;
}

int cmd_status(struct cli *c)
{
	json_object *agent = agent_status(c), *v, *last;
	struct dp_link *links = NULL;
	size_t n_links = 0, i;
	struct view view;
	int installed = dp_exists(c->pin_root);

	if (installed) {
		int rc = view_open(c, &view, false);

		if (rc) {
			if (agent)
				json_object_put(agent);
			return rc;
		}
		dp_links(&view.dp, &links, &n_links);
	}
	if (c->json) {
		json_object *o = json_object_new_object(), *ifs = json_object_new_array();

		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "pin_root", json_object_new_string(c->pin_root));
		json_object_object_add(o, "installed", json_object_new_boolean(installed));
		if (installed) {
			json_object_object_add(o, "node", json_object_new_string(view.meta.node));
			json_object_object_add(o, "generation", json_object_new_int64(view.cfg.generation));
			json_object_object_add(o, "hash_seed", json_object_new_int64(view.cfg.hash_seed));
			json_object_object_add(o, "source", json_object_new_string(view.meta.source));
			json_object_object_add(o, "applied", json_object_new_int64((int64_t)view.meta.applied_unix));
			json_object_object_add(o, "policies", json_object_new_int64((int64_t)view.state.policies.n));
			json_object_object_add(o, "sids", json_object_new_int64((int64_t)view.state.sids.n));
			json_object_object_add(o, "prefixes", json_object_new_int64((int64_t)view.state.sets.n));
			json_object_object_add(o, "rule_slots", json_object_new_int64((int64_t)view.state.rules.n));
			json_object_object_add(o, "routes", json_object_new_int64((int64_t)view.state.routes.n));
			for (i = 0; i < n_links; i++) {
				json_object *l = json_object_new_object();

				json_object_object_add(l, "interface", json_object_new_string(links[i].ifname));
				json_object_object_add(l, "hook", json_object_new_string(dp_hook_names[links[i].hook]));
				json_object_object_add(l, "ifindex", json_object_new_int64(links[i].ifindex));
				json_object_object_add(l, "program_id", json_object_new_int64(links[i].prog_id));
				if (links[i].hook == DPH_XDP)
					json_object_object_add(l, "mode", json_object_new_string(
						attach_name(links[i].xdp_mode)));
				json_object_array_add(ifs, l);
			}
		}
		json_object_object_add(o, "links", ifs);
		json_object_object_add(o, "agent", agent ? agent : json_object_new_null());
		agent = NULL;
		cli_json(o);
	} else {
		char t1[32];

		if (!installed) {
			printf("nothing installed under %s\n", c->pin_root);
		} else {
			printf("node %s: generation %u, applied %s from %s\n",
			       view.meta.node[0] ? view.meta.node : "?", view.cfg.generation,
			       when((time_t)view.meta.applied_unix, t1),
			       view.meta.source[0] ? view.meta.source : "?");
			printf("  %zu policies, %zu SIDs, %zu steering prefixes (%zu rule slots), %zu "
			       "seg6local routes, pinned under %s\n", view.state.policies.n,
			       view.state.sids.n, view.state.sets.n, view.state.rules.n,
			       view.state.routes.n, c->pin_root);
			for (i = 0; i < n_links; i++) {
				printf("  %s: %s%s%s", links[i].ifname, dp_hook_names[links[i].hook],
				       links[i].hook == DPH_XDP && links[i].xdp_mode == ATTACH_XDP_GENERIC
					       ? " (generic)" : "",
				       links[i].ifindex ? "" : " (interface gone)");
				if (links[i].ifindex)
					printf(", ifindex %u, program %u", links[i].ifindex,
					       links[i].prog_id);
				printf("\n");
			}
		}
		if (!agent) {
			printf("agent: not running (%s)\n", c->socket);
		} else {
			json_object *x;

			printf("agent: running, pid %d",
			       json_object_object_get_ex(agent, "pid", &v) ? json_object_get_int(v) : 0);
			if (json_object_object_get_ex(agent, "config", &v))
				printf(", %s", json_object_get_string(v));
			printf("\n");
			if (json_object_object_get_ex(agent, "last", &last) &&
			    json_object_object_get_ex(last, "time", &x) && json_object_get_int64(x)) {
				json_object *src, *ok, *ch, *err;

				json_object_object_get_ex(last, "source", &src);
				json_object_object_get_ex(last, "ok", &ok);
				json_object_object_get_ex(last, "changes", &ch);
				printf("  last: %s %s: %s", when((time_t)json_object_get_int64(x), t1),
				       json_object_get_string(src),
				       json_object_get_boolean(ok) ? "applied" : "REFUSED");
				if (json_object_get_boolean(ok))
					printf(" (%lld changes)", (long long)json_object_get_int64(ch));
				printf("\n");
				if (json_object_object_get_ex(last, "errors", &err))
					printf("%s\n", json_object_get_string(err));
			}
		}
	}
	if (agent)
		json_object_put(agent);
	free(links);
	if (installed)
		view_close(&view);
	return SR6_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* stats                                                                                      */

static const char *fn_counter_names(const struct plan_sid *s, int i)
{
	static const char *const names[][2] = {
		{ "packets", "bytes" }, { "permitted", "denied" }, { "passed", "dropped" },
	};

	if (!s->fn.def)
		return NULL;
	if (!strcmp(s->fn.def->name, "count"))
		return names[0][i];
	if (!strcmp(s->fn.def->name, "tag-acl"))
		return names[1][i];
	if (!strcmp(s->fn.def->name, "ratelimit"))
		return names[2][i];
	return NULL;
}

static void lower(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = 0;
}

/* Drop reasons (0) and hand-offs to the kernel (1), named by the X-macros of sr6_abi.h. */
static const struct reasons {
	unsigned max;
	const char *(*name)(unsigned);
	const char *(*desc)(unsigned);
	const char *title, *metric, *help;
} reasons[2] = {
	{ SR6_DROP_MAX, drop_name, drop_desc, "drops", "sr6_drops_total",
	  "Packets the data plane dropped, by reason." },
	{ SR6_EVENT_MAX, event_name, event_desc, "handed to the kernel", "sr6_kernel_handoffs_total",
	  "Packets handed to the kernel on purpose (not lost), by reason." },
};

static uint64_t reason_count(const struct node_stats *s, unsigned which, unsigned k)
{
	return which ? s->events[k] : s->drops[k];
}

static void prom_head(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const struct {
	const char *name, *help;
} units[2] = { { "packets", "Packets" }, { "bytes", "Bytes" } };

/* Unit u (0 packets, 1 bytes) of a pair. */
static unsigned long long unit_of(const struct stat_pair *p, unsigned u)
{
	return (unsigned long long)(u ? p->bytes : p->packets);
}

static void prometheus(const struct view *v, const struct node_stats *s)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], name[64], help[128];
	size_t i, j;
	unsigned k, u;

	prom_head("sr6_build_info", "gauge", "The running sr6 version.");
	printf("sr6_build_info{version=\"%s\"} 1\n", SR6_VERSION);
	prom_head("sr6_generation", "gauge", "Policy changes applied to this node.");
	printf("sr6_generation %u\n", s->generation);
	prom_head("sr6_policies", "gauge", "Policies installed.");
	printf("sr6_policies %zu\n", v->state.policies.n);
	prom_head("sr6_sids", "gauge", "Local SIDs installed.");
	printf("sr6_sids %zu\n", v->state.sids.n);
	prom_head("sr6_steering_prefixes", "gauge", "Destination prefixes with steering rules.");
	printf("sr6_steering_prefixes %zu\n", v->state.sets.n);

	/* Packets and bytes: the same families, one for each unit. */
	for (u = 0; u < 2; u++) {
		snprintf(name, sizeof(name), "sr6_policy_%s_total", units[u].name);
		snprintf(help, sizeof(help), "%s steered into a policy, as received (before "
			 "encapsulation).", units[u].help);
		prom_head(name, "counter", help);
		for (i = 0; i < s->policies.n; i++)
			printf("%s{policy=\"%s\"} %llu\n", name, s->policies.v[i].policy->name,
			       unit_of(&s->policies.v[i].total, u));
	}
	for (u = 0; u < 2; u++) {
		snprintf(name, sizeof(name), "sr6_path_%s_total", units[u].name);
		snprintf(help, sizeof(help), "%s sent on each path of a policy.", units[u].help);
		prom_head(name, "counter", help);
		for (i = 0; i < s->policies.n; i++) {
			const struct plan_policy *p = s->policies.v[i].policy;

			for (j = 0; j < p->path_count; j++)
				printf("%s{policy=\"%s\",path=\"%zu\",segments=\"%s\"} %llu\n", name,
				       p->name, j, p->paths[j].segname ? p->paths[j].segname : "",
				       unit_of(&s->policies.v[i].path[j], u));
		}
	}
	for (u = 0; u < 2; u++) {
		snprintf(name, sizeof(name), "sr6_sid_%s_total", units[u].name);
		snprintf(help, sizeof(help), "%s processed by a local SID, by the fast path or the "
			 "kernel's route.", units[u].help);
		prom_head(name, "counter", help);
		for (i = 0; i < s->sids.n; i++) {
			const struct sid_stats *ss = &s->sids.v[i];
			const char *beh = behavior_name(ss->sid->value.behavior);

			addr6_format(a, &ss->sid->sid);
			printf("%s{sid=\"%s\",behavior=\"%s\",datapath=\"fast\"} %llu\n", name, a, beh,
			       unit_of(&ss->fast, u));
			if (ss->has_route)
				printf("%s{sid=\"%s\",behavior=\"%s\",datapath=\"kernel\"} %llu\n", name,
				       a, beh, unit_of(&ss->slow, u));
		}
	}
	prom_head("sr6_sid_errors_total", "counter",
		  "Packets the kernel's route of a SID could not process.");
	for (i = 0; i < s->sids.n; i++) {
		if (!s->sids.v[i].has_route)
			continue;
		addr6_format(a, &s->sids.v[i].sid->sid);
		printf("sr6_sid_errors_total{sid=\"%s\"} %llu\n", a,
		       (unsigned long long)s->sids.v[i].slow_errors);
	}
	prom_head("sr6_function_total", "counter",
		  "End.BPF function counters: count packets and bytes, tag-acl permitted and denied, "
		  "ratelimit passed and dropped.");
	for (i = 0; i < s->sids.n; i++) {
		const struct sid_stats *ss = &s->sids.v[i];

		if (!fn_counter_names(ss->sid, 0))
			continue;
		addr6_format(a, &ss->sid->sid);
		for (k = 0; k < 2; k++)
			printf("sr6_function_total{sid=\"%s\",function=\"%s\",counter=\"%s\"} %llu\n", a,
			       ss->sid->fn.def->name, fn_counter_names(ss->sid, (int)k),
			       (unsigned long long)ss->fn[k]);
	}
	if (s->delays.n)
		prom_head("sr6_delay_seconds", "histogram",
			  "One-way delay between two SIDs (End.BPF delay).");
	for (i = 0; i < s->delays.n; i++) {
		const struct delay_stats *d = &s->delays.v[i];
		uint64_t cum = 0;

		addr6_format(a, &d->ingress);
		addr6_format(b, &d->egress);
		for (k = 0; k < 32; k++) {
			cum += d->buckets[k];
			if (k == 31)
				printf("sr6_delay_seconds_bucket{ingress=\"%s\",egress=\"%s\",le=\"+Inf\"} "
				       "%llu\n", a, b, (unsigned long long)cum);
			else
				printf("sr6_delay_seconds_bucket{ingress=\"%s\",egress=\"%s\",le=\"%.9g\"} "
				       "%llu\n", a, b, (double)(1ull << (k + 1)) / 1e9,
				       (unsigned long long)cum);
		}
		printf("sr6_delay_seconds_sum{ingress=\"%s\",egress=\"%s\"} %.9f\n", a, b,
		       (double)d->sum_ns / 1e9);
		printf("sr6_delay_seconds_count{ingress=\"%s\",egress=\"%s\"} %llu\n", a, b,
		       (unsigned long long)(d->count - d->negative));
	}
	for (u = 0; u < 2; u++) {
		const struct reasons *rs = &reasons[u];

		prom_head(rs->metric, "counter", rs->help);
		for (k = 1; k < rs->max; k++) {
			if (!rs->name(k))
				continue;
			lower(name, rs->name(k), sizeof(name));
			printf("%s{reason=\"%s\"} %llu\n", rs->metric, name,
			       (unsigned long long)reason_count(s, u, k));
		}
	}
}

static json_object *pair_json(const struct stat_pair *p)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "packets", json_object_new_int64((int64_t)p->packets));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)p->bytes));
	return o;
}

static void stats_json(const struct node_stats *s)
{
	json_object *o = json_object_new_object(), *pols = json_object_new_array(),
		    *sids = json_object_new_array(), *drops = json_object_new_object(),
		    *events = json_object_new_object(), *delays = json_object_new_array();
	char a[ADDR_STRLEN], name[64];
	size_t i, j;
	unsigned k, r;

	for (i = 0; i < s->policies.n; i++) {
		const struct policy_stats *ps = &s->policies.v[i];
		json_object *p = json_object_new_object(), *paths = json_object_new_array();

		json_object_object_add(p, "policy", json_object_new_string(ps->policy->name));
		json_object_object_add(p, "total", pair_json(&ps->total));
		for (j = 0; j < ps->policy->path_count; j++) {
			json_object *h = pair_json(&ps->path[j]);

			json_object_object_add(h, "segments", json_object_new_string(
				ps->policy->paths[j].segname ? ps->policy->paths[j].segname : ""));
			json_object_array_add(paths, h);
		}
		json_object_object_add(p, "paths", paths);
		json_object_array_add(pols, p);
	}
	for (i = 0; i < s->sids.n; i++) {
		const struct sid_stats *ss = &s->sids.v[i];
		json_object *x = json_object_new_object();

		addr6_format(a, &ss->sid->sid);
		json_object_object_add(x, "sid", json_object_new_string(a));
		json_object_object_add(x, "behavior", json_object_new_string(
			behavior_name(ss->sid->value.behavior)));
		json_object_object_add(x, "fast", pair_json(&ss->fast));
		if (ss->has_route) {
			json_object *k2 = pair_json(&ss->slow);

			json_object_object_add(k2, "errors", json_object_new_int64((int64_t)ss->slow_errors));
			json_object_object_add(x, "kernel", k2);
		}
		if (fn_counter_names(ss->sid, 0)) {
			json_object *fn = json_object_new_object();

			json_object_object_add(fn, "function", json_object_new_string(ss->sid->fn.def->name));
			for (k = 0; k < 2; k++)
				json_object_object_add(fn, fn_counter_names(ss->sid, (int)k),
						       json_object_new_int64((int64_t)ss->fn[k]));
			json_object_object_add(x, "function", fn);
		}
		json_object_array_add(sids, x);
	}
	for (i = 0; i < s->delays.n; i++) {
		const struct delay_stats *d = &s->delays.v[i];
		json_object *x = json_object_new_object();

		addr6_format(a, &d->ingress);
		json_object_object_add(x, "ingress", json_object_new_string(a));
		addr6_format(a, &d->egress);
		json_object_object_add(x, "egress", json_object_new_string(a));
		json_object_object_add(x, "count", json_object_new_int64((int64_t)d->count));
		json_object_object_add(x, "sum_ns", json_object_new_int64((int64_t)d->sum_ns));
		json_object_object_add(x, "negative", json_object_new_int64((int64_t)d->negative));
		json_object_array_add(delays, x);
	}
	for (r = 0; r < 2; r++) {
		for (k = 1; k < reasons[r].max; k++) {
			if (!reasons[r].name(k))
				continue;
			lower(name, reasons[r].name(k), sizeof(name));
			json_object_object_add(r ? events : drops, name,
					       json_object_new_int64((int64_t)reason_count(s, r, k)));
		}
	}
	json_object_object_add(o, "ok", json_object_new_boolean(1));
	json_object_object_add(o, "generation", json_object_new_int64(s->generation));
	json_object_object_add(o, "policies", pols);
	json_object_object_add(o, "sids", sids);
	json_object_object_add(o, "delays", delays);
	json_object_object_add(o, "drops", drops);
	json_object_object_add(o, "kernel_handoffs", events);
	cli_json(o);
}

static void stats_text(const struct node_stats *s)
{
	char a[ADDR_STRLEN], name[64];
	size_t i, j;
	unsigned k, r;
	int any;

	printf("%-40s %14s %16s\n", "policy / path", "packets", "bytes");
	for (i = 0; i < s->policies.n; i++) {
		const struct policy_stats *ps = &s->policies.v[i];

		printf("%-40s %14llu %16llu\n", ps->policy->name,
		       (unsigned long long)ps->total.packets, (unsigned long long)ps->total.bytes);
		for (j = 0; j < ps->policy->path_count; j++) {
			char label[64];

			snprintf(label, sizeof(label), "  path %zu %s", j,
				 ps->policy->paths[j].segname ? ps->policy->paths[j].segname : "");
			printf("%-40s %14llu %16llu\n", label, (unsigned long long)ps->path[j].packets,
			       (unsigned long long)ps->path[j].bytes);
		}
	}
	if (s->sids.n)
		printf("\n%-40s %14s %16s %14s %16s\n", "sid", "fast packets", "fast bytes",
		       "kernel packets", "kernel bytes");
	for (i = 0; i < s->sids.n; i++) {
		const struct sid_stats *ss = &s->sids.v[i];
		char label[96];

		addr6_format(a, &ss->sid->sid);
		snprintf(label, sizeof(label), "%s %s%s%s", a, behavior_name(ss->sid->value.behavior),
			 ss->sid->fn.name ? " " : "", ss->sid->fn.name ? ss->sid->fn.name : "");
		printf("%-40s %14llu %16llu %14llu %16llu", label, (unsigned long long)ss->fast.packets,
		       (unsigned long long)ss->fast.bytes, (unsigned long long)ss->slow.packets,
		       (unsigned long long)ss->slow.bytes);
		if (fn_counter_names(ss->sid, 0))
			printf("   %s %llu, %s %llu", fn_counter_names(ss->sid, 0),
			       (unsigned long long)ss->fn[0], fn_counter_names(ss->sid, 1),
			       (unsigned long long)ss->fn[1]);
		printf("\n");
	}
	for (i = 0; i < s->delays.n; i++) {
		const struct delay_stats *d = &s->delays.v[i];
		char b[ADDR_STRLEN];
		uint64_t n = d->count - d->negative;

		addr6_format(a, &d->ingress);
		addr6_format(b, &d->egress);
		printf("delay %s -> %s: %llu samples, mean %.1f us\n", a, b, (unsigned long long)n,
		       n ? (double)d->sum_ns / (double)n / 1e3 : 0.0);
	}
	for (r = 0; r < 2; r++) {
		const struct reasons *rs = &reasons[r];

		for (any = 0, k = 1; k < rs->max; k++) {
			const uint64_t n = reason_count(s, r, k);

			if (!rs->name(k) || !n)
				continue;
			if (!any++)
				printf("\n%s\n", rs->title);
			lower(name, rs->name(k), sizeof(name));
			printf("  %-20s %14llu  %s\n", name, (unsigned long long)n, rs->desc(k));
		}
	}
}

int cmd_stats(struct cli *c)
{
	const struct node_stats *s;
	struct view v;
	int rc = view_open(c, &v, true);

	if (rc)
		return rc;
	s = &v.stats;
	if (c->prometheus)
		prometheus(&v, s);
	else if (c->json)
		stats_json(s);
	else
		stats_text(s);
	view_close(&v);
	return SR6_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* sid list, policy list                                                                      */

static void sid_detail(FILE *f, const struct plan_sid *s)
{
	char a[ADDR_STRLEN];

	if (s->value.flavors & SR6_FLV_PSP)
		fprintf(f, " psp");
	if (s->value.flavors & SR6_FLV_NEXT_CSID)
		fprintf(f, " next-csid %u/%u", s->value.lcblock_bits, s->value.lcnode_fn_bits);
	if (s->value.table)
		fprintf(f, " table %u", s->value.table);
	if (!addr6_is_zero(&s->value.nh6)) {
		addr6_format(a, &s->value.nh6);
		fprintf(f, " nexthop %s", a);
	}
	if (s->value.nh4) {
		addr4_format(a, s->value.nh4);
		fprintf(f, " nexthop %s", a);
	}
	if (s->value.oif)
		fprintf(f, " oif %u", s->value.oif);
	if (s->fn.name)
		fprintf(f, " function %s", s->fn.name);
}

int cmd_sid_list(struct cli *c)
{
	const struct node_stats *s;
	struct view v;
	size_t i;
	int rc = view_open(c, &v, true);

	if (rc)
		return rc;
	s = &v.stats;
	if (c->json) {
		json_object *o = json_object_new_object(), *arr = json_object_new_array();

		for (i = 0; i < s->sids.n; i++) {
			const struct sid_stats *ss = &s->sids.v[i];
			json_object *x = json_object_new_object();
			char a[ADDR_STRLEN], *detail = NULL;
			size_t size = 0;
			FILE *f = open_memstream(&detail, &size);

			if (f) {
				sid_detail(f, ss->sid);
				fclose(f);
			}
			addr6_format(a, &ss->sid->sid);
			json_object_object_add(x, "sid", json_object_new_string(a));
			json_object_object_add(x, "behavior", json_object_new_string(
				behavior_name(ss->sid->value.behavior)));
			json_object_object_add(x, "detail", json_object_new_string(
				detail && *detail ? detail + 1 : ""));
			json_object_object_add(x, "stats_id", json_object_new_int64(ss->sid->value.stats_id));
			json_object_object_add(x, "route", json_object_new_boolean(ss->has_route));
			json_object_object_add(x, "fast", pair_json(&ss->fast));
			json_object_object_add(x, "kernel", pair_json(&ss->slow));
			json_object_array_add(arr, x);
			free(detail);
		}
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "sids", arr);
		cli_json(o);
	} else {
		if (!s->sids.n)
			printf("no SIDs\n");
		for (i = 0; i < s->sids.n; i++) {
			const struct sid_stats *ss = &s->sids.v[i];
			char a[ADDR_STRLEN];

			addr6_format(a, &ss->sid->sid);
			printf("%-28s %-8s", a, behavior_name(ss->sid->value.behavior));
			sid_detail(stdout, ss->sid);
			printf("  [%llu packets fast, %llu kernel%s]\n",
			       (unsigned long long)ss->fast.packets, (unsigned long long)ss->slow.packets,
			       ss->has_route ? "" : ", NO ROUTE");
		}
	}
	view_close(&v);
	return SR6_EXIT_OK;
}

int cmd_policy_list(struct cli *c)
{
	const struct node_stats *s;
	struct view v;
	char a[ADDR_STRLEN];
	size_t i, j, k;
	int rc = view_open(c, &v, true);

	if (rc)
		return rc;
	s = &v.stats;
	if (c->json) {
		json_object *o = json_object_new_object(), *arr = json_object_new_array();

		for (i = 0; i < v.state.policies.n; i++) {
			const struct plan_policy *p = &v.state.policies.v[i];
			json_object *x = json_object_new_object(), *paths = json_object_new_array();

			json_object_object_add(x, "name", json_object_new_string(p->name));
			json_object_object_add(x, "key", json_object_new_int64(p->key));
			json_object_object_add(x, "mode", json_object_new_string(mode_name(p->mode)));
			json_object_object_add(x, "rules", json_object_new_int64((int64_t)rules_of(&v.state, i)));
			json_object_object_add(x, "packets", json_object_new_int64(
				(int64_t)s->policies.v[i].total.packets));
			for (j = 0; j < p->path_count; j++) {
				json_object *h = json_object_new_object(), *segs = json_object_new_array();

				json_object_object_add(h, "segments_name", json_object_new_string(
					p->paths[j].segname ? p->paths[j].segname : ""));
				json_object_object_add(h, "weight", json_object_new_int(p->paths[j].weight));
				for (k = 0; k < p->paths[j].n; k++) {
					addr6_format(a, &p->paths[j].segs[k]);
					json_object_array_add(segs, json_object_new_string(a));
				}
				json_object_object_add(h, "segments", segs);
				json_object_object_add(h, "packets", json_object_new_int64(
					(int64_t)s->policies.v[i].path[j].packets));
				json_object_array_add(paths, h);
			}
			json_object_object_add(x, "paths", paths);
			json_object_array_add(arr, x);
		}
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "policies", arr);
		cli_json(o);
	} else {
		if (!v.state.policies.n)
			printf("no policies\n");
		for (i = 0; i < v.state.policies.n; i++) {
			const struct plan_policy *p = &v.state.policies.v[i];

			printf("%s: %s, %zu rule slots, %llu packets\n", p->name, mode_name(p->mode),
			       rules_of(&v.state, i), (unsigned long long)s->policies.v[i].total.packets);
			for (j = 0; j < p->path_count; j++) {
				printf("  path %zu %s weight %u:", j,
				       p->paths[j].segname ? p->paths[j].segname : "(list)",
				       p->paths[j].weight);
				for (k = 0; k < p->paths[j].n; k++) {
					addr6_format(a, &p->paths[j].segs[k]);
					printf(" %s", a);
				}
				printf("  [%llu packets]\n",
				       (unsigned long long)s->policies.v[i].path[j].packets);
			}
		}
	}
	view_close(&v);
	return SR6_EXIT_OK;
}
