/*
 * headend_encap_test: every mode x 1, 2, 3 and 16 SIDs x IPv6/IPv4 inner x UDP/TCP/ICMP x
 * XDP/tc ingress/tc egress, byte for byte against packets built with pktbuild from the
 * RFC 8754 / RFC 8986 layouts, plus the per-policy and per-path counters.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>

#include "selftests/bpf/headend_harness.h"

#define POLICY_SRC	"fc00:100::1"
#define TAG		0x0042
#define IN6_SRC		"2001:db8:a::1"
#define IN6_DST		"2001:db8:b::1"
#define IN4_SRC		"10.1.0.1"
#define IN4_DST		"10.2.0.1"

enum inner { IN6, IN4 };
enum l4 { L4_UDP, L4_TCP, L4_ICMP };

static const char *const l4_names[] = { "udp", "tcp", "icmp" };
static const char *const mode_names[] = { "", "encap", "encap.red", "inline" };

/* SID i of the test lists: fc00:5:<i+1>::e6. */
static void sid_text(char *out, size_t len, int i)
{
	snprintf(out, len, "fc00:5:%x::e6", i + 1);
}

static void sid_list(char *out, size_t len, int n)
{
	size_t used = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < n; i++) {
		char s[40];

		sid_text(s, sizeof(s), i);
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? "," : "", s);
	}
}

static void push_l4(struct pkt *p, enum inner in, enum l4 l4)
{
	switch (l4) {
	case L4_UDP:
		pkt_udp(p, 1000, 2000, "hello sr6", 9);
		break;
	case L4_TCP:
		pkt_tcp(p, 40000, 80, 0x18, "GET / HTTP/1.0\r\n", 16);
		break;
	case L4_ICMP:
		if (in == IN6)
			pkt_icmp6_echo(p, 7, 1, "ping", 4);
		else
			pkt_icmp4_echo(p, 7, 1, "ping", 4);
		break;
	}
}

static void push_inner(struct pkt *p, enum inner in, enum l4 l4)
{
	if (in == IN6) {
		pkt_ipv6(p, IN6_SRC, IN6_DST, 63);
		pkt_ipv6_tc_fl(p, 0xb8, 0x12345);
	} else {
		pkt_ipv4(p, IN4_SRC, IN4_DST, 63, 0xb8);
	}
	push_l4(p, in, l4);
}

static uint32_t flow_hash(enum inner in, enum l4 l4)
{
	uint16_t sport = l4 == L4_UDP ? 1000 : l4 == L4_TCP ? 40000 : 0;
	uint16_t dport = l4 == L4_UDP ? 2000 : l4 == L4_TCP ? 80 : 0;
	uint8_t proto = l4 == L4_UDP ? 17 : l4 == L4_TCP ? 6 : in == IN6 ? 58 : 1;

	if (in == IN6) {
		struct in6_addr s, d;

		pkt_addr6(&s, IN6_SRC);
		pkt_addr6(&d, IN6_DST);
		return headend_hash6(&s, &d, sport, dport, proto, 0);
	}
	return headend_hash4(pkt_addr4(IN4_SRC), pkt_addr4(IN4_DST), sport, dport, proto, 0);
}

static void expect_encap(struct pkt *w, int mode, int n, enum inner in, enum l4 l4)
{
	const char *segs[SR6_MAX_SIDS + 1];
	char text[SR6_MAX_SIDS + 1][40], first[40];
	int i;

	for (i = 0; i < n; i++)
		sid_text(text[i], sizeof(text[i]), n - 1 - i); /* Segment List order: last SID first */
	for (i = 0; i < n; i++)
		segs[i] = text[i];
	sid_text(first, sizeof(first), 0);

	pkt_init(w);
	pkt_eth(w, HARNESS_NH_MAC, H.mac, ETH_P_IPV6);
	pkt_ipv6(w, POLICY_SRC, first, 64);
	pkt_ipv6_tc_fl(w, 0xb8, headend_flow_label(flow_hash(in, l4)));
	if (mode == SR6_MODE_ENCAP)
		pkt_srh(w, (uint8_t)(n - 1), (uint8_t)(n - 1), 0, TAG, segs, n);
	else if (n > 1) /* encap.red: the first SID only in the destination */
		pkt_srh(w, (uint8_t)(n - 1), (uint8_t)(n - 2), 0, TAG, segs, n - 1);
	push_inner(w, in, l4);
	pkt_finish(w);
}

static void expect_inline(struct pkt *w, const struct pkt *in_pkt, int n, enum l4 l4)
{
	const char *segs[SR6_MAX_SIDS + 1];
	char text[SR6_MAX_SIDS][40], first[40];
	size_t l4_len;
	int i;

	segs[0] = IN6_DST;
	for (i = 0; i < n; i++) {
		sid_text(text[i], sizeof(text[i]), n - 1 - i);
		segs[i + 1] = text[i];
	}
	sid_text(first, sizeof(first), 0);
	pkt_init(w);
	pkt_eth(w, HARNESS_NH_MAC, H.mac, ETH_P_IPV6);
	pkt_ipv6(w, IN6_SRC, first, 62);
	pkt_ipv6_tc_fl(w, 0xb8, 0x12345);
	pkt_srh(w, (uint8_t)n, (uint8_t)n, 0, TAG, segs, n + 1);
	push_l4(w, IN6, l4);
	pkt_finish(w);
	/* The upper layer is not touched: its checksum still covers the final destination
	 * (RFC 8200 8.1), which pkt_finish cannot know from the outer header. */
	l4_len = in_pkt->len - 54;
	memcpy(w->data + w->len - l4_len, in_pkt->data + 54, l4_len);
}

static void policy_for(int mode, int n)
{
	struct headend_policy_spec spec = {
		.mode = (uint8_t)mode, .flags = SR6_POLICY_F_TC_COPY, .tag = TAG, .stats_id = 5,
		.source = POLICY_SRC, .npaths = 1,
	};
	static char list[SR6_MAX_SIDS * 40];

	sid_list(list, sizeof(list), n);
	spec.paths[0].sids = list;
	h_policy(1, &spec);
}

static void steer_everything_to(uint32_t policy)
{
	h_rule_policy(0, policy);
	h_steer6("::", 0, 0, 1);
	h_steer4("0.0.0.0", 0, 0, 1);
	h_config(SR6_CFG_STEER6 | SR6_CFG_STEER4);
}

TestSuite(headend_encap, .init = harness_setup, .fini = harness_teardown, .timeout = 120);

Test(headend_encap, every_mode_sid_count_family_protocol_and_hook)
{
	static const int modes[] = { SR6_MODE_ENCAP, SR6_MODE_ENCAP_RED, SR6_MODE_INLINE };
	static const int counts[] = { 1, 2, 3, 16 };
	struct bpf_run_result r;
	struct pkt in, want;
	uint64_t sent = 0, bytes = 0, inline4 = 0;
	size_t mi, ci;

	steer_everything_to(1);
	for (mi = 0; mi < 3; mi++) {
		for (ci = 0; ci < 4; ci++) {
			int mode = modes[mi], n = counts[ci], fam, proto, hook;

			policy_for(mode, n);
			for (fam = IN6; fam <= IN4; fam++) {
				for (proto = L4_UDP; proto <= L4_ICMP; proto++) {
					pkt_init(&in);
					pkt_eth(&in, H.mac, HARNESS_PEER_MAC,
						fam == IN6 ? ETH_P_IPV6 : ETH_P_IP);
					push_inner(&in, fam, proto);
					pkt_finish(&in);
					if (mode == SR6_MODE_INLINE && fam == IN6)
						expect_inline(&want, &in, n, proto);
					else
						expect_encap(&want, mode, n, fam, proto);
					for (hook = 0; hook < H_HOOKS; hook++) {
						const char *what = h_hook_name(hook);

						h_run(hook, &in, &r);
						if (mode == SR6_MODE_INLINE && fam == IN4) {
							cr_expect_eq(r.retval, h_verdict_drop(hook),
								     "inline %d SIDs ipv4 %s %s: verdict %u",
								     n, l4_names[proto], what, r.retval);
							inline4++;
							continue;
						}
						cr_expect_eq(r.retval, h_verdict_sent(hook),
							     "%s %d SIDs %s %s %s: verdict %u",
							     mode_names[mode], n, fam == IN6 ? "ipv6" : "ipv4",
							     l4_names[proto], what, r.retval);
						cr_expect(r.len == want.len && !memcmp(r.data, want.data, want.len),
							  "%s %d SIDs %s %s %s: %s", mode_names[mode], n,
							  fam == IN6 ? "ipv6" : "ipv4", l4_names[proto], what,
							  pkt_diff(r.data, r.len, want.data, want.len));
						sent++;
						bytes += in.len - 14;
					}
				}
			}
		}
	}
	/* Counters: every encapsulated packet on the policy and on its only path. */
	cr_expect_eq(h_policy_counter(5, 0).packets, sent, "policy packets %lu, want %lu",
		     (unsigned long)h_policy_counter(5, 0).packets, (unsigned long)sent);
	cr_expect_eq(h_policy_counter(5, 0).bytes, bytes, "policy bytes");
	cr_expect_eq(h_policy_counter(5, 1).packets, sent, "path 0 packets");
	cr_expect_eq(h_policy_counter(5, 2).packets, 0, "path 1 packets");
	cr_expect_eq(h_drops(SR6_DROP_INLINE_IPV4), inline4, "INLINE_IPV4 drops");
}
