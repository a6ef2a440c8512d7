/*
 * endpoint_test: the endpoint fast path (bpf/lib/endpoint.h) byte for byte at XDP and tc.
 * Each case builds the input frame and the exact frame expected out, runs it through the
 * node program (sr6_xdp, sr6_tc_ingress: parse, endpoint step, headend, pass), and checks the verdict, the bytes, and the exact change of
 * the drop, event and per-SID counters.
 */
#include <criterion/criterion.h>
#include <linux/if_ether.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "selftests/bpf/endpoint_env.h"
#include "selftests/lib/bpf_run.h"
#include "selftests/lib/pktbuild.h"
#include "sr6_abi.h"
#include "sr6.skel.h"
#include <bpf/bpf.h>

/* A case builder; tc says for which hook (a few cases differ). */
#define CASE(name) static void name(struct pkt *in, struct pkt *out, __attribute__((unused)) int tc)

#define SRC	"fc00:a::1"
#define ISRC	"2001:db8:a::1"
#define IDST	"2001:db8:b::1"

enum verdict { PASS, DROP, REDIRECT };

struct ep_case {
	const char *name;
	/* Builds the input and the expected output (out->len 0: the input unchanged). */
	void (*build)(struct pkt *in, struct pkt *out, int tc);
	enum verdict verdict;
	int drop;	/* drop reason counted, or 0 */
	int event;	/* event counted, or 0 */
	int sid;	/* stats id of the SID that counts the packet, or 0 */
	int tc_differs;	/* tc_verdict / tc_event apply at tc */
	enum verdict tc_verdict;
	int tc_event;
};

static struct sr6_bpf *skel;
static struct env env;

/* ---------------------------------------------------------------------------------------- */
/* SIDs                                                                                      */

static void add_sid(const char *addr, uint8_t behavior, uint16_t flavors, uint32_t stats_id,
		    uint32_t table, const char *nh6, const char *nh4)
{
	struct sr6_sid sid = { .behavior = behavior, .flavors = flavors, .stats_id = stats_id,
			       .table = table };
	union sr6_in6 key;

	pkt_addr6((struct in6_addr *)&key, addr);
	if (nh6)
		pkt_addr6((struct in6_addr *)&sid.nh6, nh6);
	if (nh4)
		sid.nh4 = pkt_addr4(nh4);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_sids), &key, &sid, 0), 0,
		     "add SID %s", addr);
}

static void add_locator(const char *prefix, uint32_t len, uint8_t behavior, uint16_t flavors,
			uint32_t stats_id, const char *nh6)
{
	struct sr6_sid sid = { .behavior = behavior, .flavors = flavors, .stats_id = stats_id,
			       .lcblock_bits = 32, .lcnode_fn_bits = 16 };
	struct sr6_locator_key key = { .prefixlen = len };

	pkt_addr6((struct in6_addr *)&key.prefix, prefix);
	if (nh6)
		pkt_addr6((struct in6_addr *)&sid.nh6, nh6);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_locators), &key, &sid, 0), 0,
		     "add locator %s/%u", prefix, len);
}

static void setup(void)
{
	struct sr6_config cfg = { .flags = SR6_CFG_SIDS | SR6_CFG_LOCATORS };
	struct bpf_map *m;
	uint32_t zero = 0;

	cr_assert_eq(env_setup(&env), 0, "test namespace");
	skel = sr6_bpf__open();
	cr_assert_not_null(skel, "open sr6.bpf.o");
	/* No pinning: this copy of the maps is private to the test. */
	bpf_object__for_each_map(m, skel->obj)
		bpf_map__set_pin_path(m, NULL);
	cr_assert_eq(sr6_bpf__load(skel), 0, "load sr6.bpf.o");
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_config), &zero, &cfg, 0), 0);

	add_sid("fc00:5::1", SR6_END, 0, 1, 0, NULL, NULL);
	add_sid("fc00:5::2", SR6_END_X, 0, 2, 0, "fc00:1::3", NULL);
	add_sid("fc00:5::3", SR6_END_T, 0, 3, 100, NULL, NULL);
	add_sid("fc00:5::4", SR6_END, SR6_FLV_PSP, 4, 0, NULL, NULL);
	add_sid("fc00:5::5", SR6_END, SR6_FLV_USP, 5, 0, NULL, NULL);
	add_sid("fc00:5::6", SR6_END, SR6_FLV_USD, 6, 0, NULL, NULL);
	add_sid("fc00:5::d6", SR6_END_DX6, 0, 7, 0, "fc00:1::3", NULL);
	add_sid("fc00:5::d4", SR6_END_DX4, 0, 8, 0, NULL, "10.1.0.3");
	add_sid("fc00:5::7", SR6_END_DT6, 0, 9, 100, NULL, NULL);
	add_sid("fc00:5::8", SR6_END_DT6, 0, 10, 255, NULL, NULL);
	add_sid("fc00:5::bf", SR6_END_BPF, 0, 11, 0, NULL, NULL);
	add_sid("fc00:5::99", 42, 0, 14, 0, NULL, NULL);
	add_sid("fc00:5::9a", SR6_END_DX6, SR6_FLV_PSP, 15, 0, "fc00:1::3", NULL);
	add_locator("fc00:0:100::", 48, SR6_END, SR6_FLV_NEXT_CSID, 12, NULL);
	add_locator("fc00:0:101::", 48, SR6_END_X, SR6_FLV_NEXT_CSID, 13, "fc00:1::3");
}

static void teardown(void)
{
	sr6_bpf__destroy(skel);
}

/* ---------------------------------------------------------------------------------------- */
/* Packet shapes                                                                             */

static void outer(struct pkt *p, const char *dmac, const char *smac, uint8_t hl, const char *dst)
{
	pkt_init(p);
	pkt_eth(p, dmac, smac, ETH_P_IPV6);
	pkt_ipv6(p, SRC, dst, hl);
}

/* Arriving frame / frame leaving by out0 towards next hop nh_mac. */
#define IN(p, hl, dst)		outer(p, ENV_MAC_IN, ENV_MAC_PEER, hl, dst)
#define OUT(p, nh_mac, hl, dst)	outer(p, nh_mac, ENV_MAC_OUT, hl, dst)

static void inner6(struct pkt *p, uint8_t hl, const char *dst)
{
	pkt_ipv6(p, ISRC, dst, hl);
	pkt_udp(p, 4000, 5000, "payload!", 8);
	pkt_finish(p);
}

static void inner4(struct pkt *p, uint8_t ttl)
{
	pkt_ipv4(p, "192.0.2.1", "198.51.100.7", ttl, 0);
	pkt_udp(p, 4000, 5000, "payload!", 8);
	pkt_finish(p);
}

/* Decapsulated frames keep the arriving Ethernet header until routed. */
static void plain6(struct pkt *p, const char *dmac, const char *smac, uint8_t hl, const char *dst)
{
	pkt_init(p);
	pkt_eth(p, dmac, smac, ETH_P_IPV6);
	inner6(p, hl, dst);
}

static void plain4(struct pkt *p, const char *dmac, const char *smac, uint8_t ttl)
{
	pkt_init(p);
	pkt_eth(p, dmac, smac, ETH_P_IP);
	inner4(p, ttl);
}

static const char *const segs_end[] = { "fc00:2::f", "fc00:5::1" };
static const char *const segs_end3[] = { "fc00:3::f", "fc00:2::e", "fc00:5::1" };

/* End with two SIDs, forwarded to the next hop whose MAC is nh_mac. */
static void end_2sids_via(struct pkt *in, struct pkt *out, const char *nh_mac)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0x1234, segs_end, 2);
	inner6(in, 64, IDST);
	OUT(out, nh_mac, 63, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0x1234, segs_end, 2);
	inner6(out, 64, IDST);
}

/* ---------------------------------------------------------------------------------------- */
/* End, End.X, End.T                                                                         */

CASE(end_2sids)
{
	end_2sids_via(in, out, ENV_MAC_NH2);
}

CASE(end_3sids)
{
	IN(in, 9, "fc00:5::1");
	pkt_srh(in, 2, 2, 0, 0, segs_end3, 3);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 8, "fc00:2::e");
	pkt_srh(out, 1, 2, 0, 0, segs_end3, 3);
	inner6(out, 64, IDST);
}

/* TLVs after the segments (an unknown type and PadN) travel untouched. */
CASE(end_tlvs)
{
	static const uint8_t tlvs[16] = { 124, 6, 1, 2, 3, 4, 5, 6, 4, 6, 0, 0, 0, 0, 0, 0 };

	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_end, 2);
	pkt_srh_tlv(in, tlvs, sizeof(tlvs));
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_end, 2);
	pkt_srh_tlv(out, tlvs, sizeof(tlvs));
	inner6(out, 64, IDST);
}

/* SRH inserted in the original packet (no encapsulation): the UDP header follows the SRH. */
CASE(end_inline_udp)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_end, 2);
	pkt_udp(in, 1, 2, "x", 1);
	pkt_finish(in);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_end, 2);
	pkt_udp(out, 1, 2, "x", 1);
	pkt_finish(out);
	/* The builder computes UDP checksums over the destination of the packet it builds;
	 * the wire keeps the sender's, computed over the final destination (RFC 8200 8.1). */
	memcpy(in->data + in->len - 3, out->data + out->len - 3, 2);
}

static const char *const segs_x[] = { "fc00:2::f", "fc00:5::2" };

CASE(end_x)
{
	IN(in, 64, "fc00:5::2");
	pkt_srh(in, 1, 1, 0, 0, segs_x, 2);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH3, 63, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_x, 2);
	inner6(out, 64, IDST);
}

static const char *const segs_t[] = { "2001:db8:77::5", "fc00:5::3" };

CASE(end_t)
{
	IN(in, 64, "fc00:5::3");
	pkt_srh(in, 1, 1, 0, 0, segs_t, 2);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH3, 63, "2001:db8:77::5");
	pkt_srh(out, 0, 1, 0, 0, segs_t, 2);
	inner6(out, 64, IDST);
}

/* Hop limit 1: processed, then handed to the kernel (Time Exceeded), hop limit untouched. */
CASE(end_hop_limit_1)
{
	IN(in, 1, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_end, 2);
	inner6(in, 64, IDST);
	IN(out, 1, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_end, 2);
	inner6(out, 64, IDST);
}

/* Next segment routed via a next hop without a neighbour entry. */
static const char *const segs_nn[] = { "fc00:9:9::1", "fc00:5::1" };

CASE(end_no_neigh)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_nn, 2);
	inner6(in, 64, IDST);
	/* XDP hands it to the kernel processed; tc lets bpf_redirect_neigh fill the MACs. */
	IN(out, tc ? 63 : 64, "fc00:9:9::1");
	pkt_srh(out, 0, 1, 0, 0, segs_nn, 2);
	inner6(out, 64, IDST);
}

/* Larger than out0's MTU: processed and handed to the kernel (Packet Too Big). */
CASE(end_too_big)
{
	static uint8_t big[1600];

	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_end, 2);
	pkt_ipv6(in, ISRC, IDST, 64);
	pkt_udp(in, 1, 2, big, sizeof(big));
	pkt_finish(in);
	IN(out, 64, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_end, 2);
	pkt_ipv6(out, ISRC, IDST, 64);
	pkt_udp(out, 1, 2, big, sizeof(big));
	pkt_finish(out);
}

static const struct ep_case end_cases[] = {
	{ "End, 2 SIDs", end_2sids, REDIRECT, .sid = 1 },
	{ "End, 3 SIDs", end_3sids, REDIRECT, .sid = 1 },
	{ "End, SRH with TLVs and padding", end_tlvs, REDIRECT, .sid = 1 },
	{ "End, inline SRH with UDP", end_inline_udp, REDIRECT, .sid = 1 },
	{ "End.X", end_x, REDIRECT, .sid = 2 },
	{ "End.T", end_t, REDIRECT, .sid = 3 },
	{ "End, hop limit 1", end_hop_limit_1, PASS, .event = SR6_EVENT_HOP_LIMIT, .sid = 1 },
	{ "End, no neighbour", end_no_neigh, PASS, .event = SR6_EVENT_NO_NEIGH, .sid = 1,
	  .tc_differs = 1, .tc_verdict = REDIRECT },
	{ "End, too big", end_too_big, PASS, .event = SR6_EVENT_FRAG_NEEDED, .sid = 1 },
};

/* ---------------------------------------------------------------------------------------- */
/* Flavors                                                                                   */

static const char *const segs_psp[] = { "fc00:2::f", "fc00:5::4" };
static const char *const segs_psp3[] = { "fc00:3::f", "fc00:2::e", "fc00:5::4" };

CASE(psp_pops)
{
	IN(in, 64, "fc00:5::4");
	pkt_srh(in, 1, 1, 0, 0, segs_psp, 2);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::f");
	inner6(out, 64, IDST);
}

CASE(psp_not_penultimate)
{
	IN(in, 64, "fc00:5::4");
	pkt_srh(in, 2, 2, 0, 0, segs_psp3, 3);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::e");
	pkt_srh(out, 1, 2, 0, 0, segs_psp3, 3);
	inner6(out, 64, IDST);
}

/* PSP with a Hop-by-Hop header before the SRH: left to the kernel's own seg6local route. */
CASE(psp_exthdr_before)
{
	IN(in, 64, "fc00:5::4");
	pkt_exthdr(in, 0, 8);
	pkt_srh(in, 1, 1, 0, 0, segs_psp, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

static const char *const segs_usp[] = { "fc00:5::5", "fc00:2::1" };

CASE(usp_pops)
{
	IN(in, 64, "fc00:5::5");
	pkt_srh(in, 0, 1, 0, 0, segs_usp, 2);
	pkt_udp(in, 1, 2, "x", 1);
	pkt_finish(in);
	IN(out, 64, "fc00:5::5");
	pkt_udp(out, 1, 2, "x", 1);
	pkt_finish(out);
}

static const char *const segs_usd[] = { "fc00:5::6", "fc00:2::1" };

CASE(usd_decaps)
{
	IN(in, 64, "fc00:5::6");
	pkt_srh(in, 0, 1, 0, 0, segs_usd, 2);
	inner6(in, 30, IDST);
	plain6(out, ENV_MAC_NH2, ENV_MAC_OUT, 29, IDST);
}

CASE(csid_shift)
{
	IN(in, 64, "fc00:0:100:200:300::");
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:0:200:300::");
	inner6(out, 64, IDST);
}

CASE(csid_shift_end_x)
{
	IN(in, 64, "fc00:0:101:200:300:400:500:600");
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH3, 63, "fc00:0:200:300:400:500:600:0");
	inner6(out, 64, IDST);
}

static const char *const segs_csid[] = { "fc00:2::f", "fc00:0:100::" };

/* Argument 0: the next SID comes from the SRH, as plain End. */
CASE(csid_arg_zero)
{
	IN(in, 64, "fc00:0:100::");
	pkt_srh(in, 1, 1, 0, 0, segs_csid, 2);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::f");
	pkt_srh(out, 0, 1, 0, 0, segs_csid, 2);
	inner6(out, 64, IDST);
}

static const struct ep_case flavor_cases[] = {
	{ "End PSP, penultimate SID pops the SRH", psp_pops, REDIRECT, .sid = 4 },
	{ "End PSP, not penultimate", psp_not_penultimate, REDIRECT, .sid = 4 },
	{ "End PSP, extension header before the SRH", psp_exthdr_before, PASS,
	  .event = SR6_EVENT_SLOW_PATH },
	{ "End USP, ultimate SID pops the SRH", usp_pops, PASS, .event = SR6_EVENT_SL_ZERO,
	  .sid = 5 },
	{ "End USD, ultimate SID decapsulates", usd_decaps, REDIRECT, .sid = 6 },
	{ "End next-csid, shift", csid_shift, REDIRECT, .sid = 12 },
	{ "End.X next-csid, shift", csid_shift_end_x, REDIRECT, .sid = 13 },
	{ "End next-csid, argument 0 uses the SRH", csid_arg_zero, REDIRECT, .sid = 12 },
};

/* ---------------------------------------------------------------------------------------- */
/* Decapsulation                                                                             */

static const char *const segs_dx6[] = { "fc00:5::d6", "fc00:2::1" };

CASE(dx6)
{
	IN(in, 64, "fc00:5::d6");
	pkt_srh(in, 0, 1, 0, 0, segs_dx6, 2);
	inner6(in, 64, IDST);
	plain6(out, ENV_MAC_NH3, ENV_MAC_OUT, 63, IDST);
}

CASE(dx6_reduced)
{
	IN(in, 64, "fc00:5::d6");
	inner6(in, 64, IDST);
	plain6(out, ENV_MAC_NH3, ENV_MAC_OUT, 63, IDST);
}

CASE(dx6_sl_not_zero)
{
	IN(in, 64, "fc00:5::d6");
	pkt_srh(in, 1, 1, 0, 0, segs_dx6, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(dx6_inner_ipv4)
{
	IN(in, 64, "fc00:5::d6");
	inner4(in, 64);
	out->len = 0;
}

CASE(dx4)
{
	IN(in, 64, "fc00:5::d4");
	inner4(in, 64);
	plain4(out, ENV_MAC_NH3, ENV_MAC_OUT, 63);
}

static const char *const segs_dt6[] = { "fc00:5::7", "fc00:2::1" };

CASE(dt6_table)
{
	IN(in, 64, "fc00:5::7");
	pkt_srh(in, 0, 1, 0, 0, segs_dt6, 2);
	inner6(in, 64, "2001:db8:77::9");
	plain6(out, ENV_MAC_NH3, ENV_MAC_OUT, 63, "2001:db8:77::9");
}

/* Local inner destination: decapsulated, then the kernel delivers it. */
CASE(dt6_local)
{
	IN(in, 64, "fc00:5::8");
	inner6(in, 64, "2001:db8:aa::1");
	plain6(out, ENV_MAC_IN, ENV_MAC_PEER, 64, "2001:db8:aa::1");
}

CASE(dt6_inner_hop_limit_1)
{
	IN(in, 64, "fc00:5::7");
	inner6(in, 1, "2001:db8:77::9");
	plain6(out, ENV_MAC_IN, ENV_MAC_PEER, 1, "2001:db8:77::9");
}

CASE(dx6_flavor_refused)
{
	IN(in, 64, "fc00:5::9a");
	inner6(in, 64, IDST);
	out->len = 0;
}

static const struct ep_case decap_cases[] = {
	{ "End.DX6", dx6, REDIRECT, .sid = 7 },
	{ "End.DX6, no SRH (reduced encapsulation)", dx6_reduced, REDIRECT, .sid = 7 },
	{ "End.DX6, Segments Left not 0", dx6_sl_not_zero, DROP, .drop = SR6_DROP_SL_NOT_ZERO },
	{ "End.DX6, inner IPv4", dx6_inner_ipv4, DROP, .drop = SR6_DROP_INNER_MISMATCH },
	{ "End.DX4", dx4, REDIRECT, .sid = 8 },
	{ "End.DT6, table 100", dt6_table, REDIRECT, .sid = 9 },
	{ "End.DT6, local destination", dt6_local, PASS, .event = SR6_EVENT_NOT_FWDED, .sid = 10 },
	{ "End.DT6, inner hop limit 1", dt6_inner_hop_limit_1, PASS,
	  .event = SR6_EVENT_HOP_LIMIT, .sid = 9 },
	{ "End.DX6 with a flavor", dx6_flavor_refused, DROP, .drop = SR6_DROP_BAD_BEHAVIOR },
};

/* ---------------------------------------------------------------------------------------- */
/* Malformed and not ours                                                                    */

CASE(bad_last_entry)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 2, 0, 0, segs_end, 2);	/* Last Entry 2 with 2 segments */
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(sl_out_of_range)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 3, 1, 0, 0, segs_end, 2);	/* Segments Left 3 > Last Entry + 1 */
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(sl_le_plus_one)
{
	/* Reduced SRH: SL = LE + 1 is valid; the active SID is only in the DA. */
	static const char *const segs[] = { "fc00:2::f" };

	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 0, 0, 0, segs, 1);
	inner6(in, 64, IDST);
	OUT(out, ENV_MAC_NH2, 63, "fc00:2::f");
	pkt_srh(out, 0, 0, 0, 0, segs, 1);
	inner6(out, 64, IDST);
}

CASE(truncated_srh)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0, 0, segs_end, 2);
	pkt_finish(in);
	in->data[54 + 1] = 6;	/* Hdr Ext Len claims 4 segments; the packet ends after 2 */
	out->len = 0;
}

CASE(srh_len_zero)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 0, 0, 0, NULL, 0);	/* 8-byte SRH: no room for any segment */
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(other_routing_type)
{
	IN(in, 64, "fc00:5::1");
	pkt_rh(in, 3, 1, 24);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(hmac_flag)
{
	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 1, 1, 0x08, 0, segs_end, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(end_sl_zero)
{
	static const char *const segs[] = { "fc00:5::1", "fc00:2::1" };

	IN(in, 64, "fc00:5::1");
	pkt_srh(in, 0, 1, 0, 0, segs, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(end_no_srh)
{
	IN(in, 64, "fc00:5::1");
	pkt_icmp6_echo(in, 1, 1, "ping", 4);
	pkt_finish(in);
	out->len = 0;
}

CASE(not_a_sid)
{
	static const char *const segs[] = { "fc00:2::f", "fc00:9::1" };

	IN(in, 64, "fc00:9::1");
	pkt_srh(in, 1, 1, 0, 0, segs, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(end_bpf_sid)
{
	static const char *const segs[] = { "fc00:2::f", "fc00:5::bf" };

	IN(in, 64, "fc00:5::bf");
	pkt_srh(in, 1, 1, 0, 0, segs, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(unknown_behavior)
{
	static const char *const segs[] = { "fc00:2::f", "fc00:5::99" };

	IN(in, 64, "fc00:5::99");
	pkt_srh(in, 1, 1, 0, 0, segs, 2);
	inner6(in, 64, IDST);
	out->len = 0;
}

CASE(ipv4_not_ours)
{
	plain4(in, ENV_MAC_IN, ENV_MAC_PEER, 64);
	out->len = 0;
}

static const struct ep_case malformed_cases[] = {
	{ "Last Entry beyond the header", bad_last_entry, DROP, .drop = SR6_DROP_MALFORMED_SRH },
	{ "Segments Left > Last Entry + 1", sl_out_of_range, DROP,
	  .drop = SR6_DROP_SL_OUT_OF_RANGE },
	{ "Segments Left = Last Entry + 1 (reduced SRH)", sl_le_plus_one, REDIRECT, .sid = 1 },
	{ "truncated SRH", truncated_srh, DROP, .drop = SR6_DROP_MALFORMED_EXTHDR },
	{ "SRH without segments", srh_len_zero, DROP, .drop = SR6_DROP_MALFORMED_SRH },
	{ "routing header type 3", other_routing_type, PASS, .event = SR6_EVENT_RH_OTHER },
	{ "SRH with the HMAC flag", hmac_flag, PASS, .event = SR6_EVENT_HMAC },
	{ "End, Segments Left 0", end_sl_zero, PASS, .event = SR6_EVENT_SL_ZERO },
	{ "End, no SRH (ping to the SID)", end_no_srh, PASS, .event = SR6_EVENT_SL_ZERO },
	{ "destination not a local SID", not_a_sid, PASS },
	{ "End.BPF SID (kernel route)", end_bpf_sid, PASS },
	{ "unknown behaviour", unknown_behavior, DROP, .drop = SR6_DROP_BAD_BEHAVIOR },
	{ "IPv4 is not the endpoint's", ipv4_not_ours, PASS },
};

/* ---------------------------------------------------------------------------------------- */
/* Runner                                                                                    */

struct counters {
	uint64_t drops[SR6_DROP_MAX], events[SR6_EVENT_MAX];
	uint64_t sid_packets[16], sid_bytes[16];
};

static void read_counters(struct counters *c)
{
	uint32_t i;

	for (i = 0; i < SR6_DROP_MAX; i++)
		c->drops[i] = env_percpu_u64(bpf_map__fd(skel->maps.sr6_drops), i);
	for (i = 0; i < SR6_EVENT_MAX; i++)
		c->events[i] = env_percpu_u64(bpf_map__fd(skel->maps.sr6_events), i);
	for (i = 0; i < 16; i++)
		env_percpu_counter(bpf_map__fd(skel->maps.sr6_sid_stats), &i, &c->sid_packets[i],
				   &c->sid_bytes[i]);
}

static uint32_t hook_verdict(enum verdict v, int tc)
{
	static const uint32_t xdp[] = { XDP_PASS, XDP_DROP, XDP_REDIRECT };
	static const uint32_t sched[] = { TC_ACT_OK, TC_ACT_SHOT, TC_ACT_REDIRECT };

	return tc ? sched[v] : xdp[v];
}

static void run_case(const struct ep_case *c, int tc)
{
	const char *hook = tc ? "tc" : "xdp";
	static struct pkt in, out;
	static struct bpf_run_result r;
	struct counters before, after;
	enum verdict want = tc && c->tc_differs ? c->tc_verdict : c->verdict;
	int event = tc && c->tc_differs ? c->tc_event : c->event;
	int fd = bpf_program__fd(tc ? skel->progs.sr6_tc_ingress : skel->progs.sr6_xdp);
	uint32_t i;
	int err;

	c->build(&in, &out, tc);
	if (!out.len)
		out = in;
	read_counters(&before);
	err = tc ? bpf_run_tc(&r, fd, in.data, in.len, env.in_ifindex)
		 : bpf_run_xdp(&r, fd, in.data, in.len, env.in_ifindex);
	cr_assert_eq(err, 0, "%s: %s: test_run: %s", c->name, hook, strerror(-err));
	read_counters(&after);

	cr_expect_eq(r.retval, hook_verdict(want, tc), "%s: %s: verdict %u, want %u", c->name,
		     hook, r.retval, hook_verdict(want, tc));
	if (want != DROP)
		cr_expect(r.len == out.len && !memcmp(r.data, out.data, out.len), "%s: %s: bytes: %s",
			  c->name, hook, pkt_diff(r.data, r.len, out.data, out.len));
	for (i = 1; i < SR6_DROP_MAX; i++)
		cr_expect_eq(after.drops[i] - before.drops[i], (uint64_t)(c->drop == (int)i),
			     "%s: %s: drop counter %u moved by %lu", c->name, hook, i,
			     (unsigned long)(after.drops[i] - before.drops[i]));
	for (i = 1; i < SR6_EVENT_MAX; i++)
		cr_expect_eq(after.events[i] - before.events[i], (uint64_t)(event == (int)i),
			     "%s: %s: event counter %u moved by %lu", c->name, hook, i,
			     (unsigned long)(after.events[i] - before.events[i]));
	for (i = 0; i < 16; i++) {
		int counted = c->sid == (int)i && c->sid;

		cr_expect_eq(after.sid_packets[i] - before.sid_packets[i], (uint64_t)counted,
			     "%s: %s: SID stats %u packets moved by %lu", c->name, hook, i,
			     (unsigned long)(after.sid_packets[i] - before.sid_packets[i]));
		if (counted)
			cr_expect_eq(after.sid_bytes[i] - before.sid_bytes[i], in.len - 14,
				     "%s: %s: SID stats %u bytes", c->name, hook, i);
	}
}

static void run_table(const struct ep_case *cases, size_t n)
{
	size_t i;
	int tc;

	for (i = 0; i < n; i++)
		for (tc = 0; tc < 2; tc++)
			run_case(&cases[i], tc);
}

#define RUN(table) run_table(table, sizeof(table) / sizeof(table[0]))

TestSuite(endpoint, .init = setup, .fini = teardown);

Test(endpoint, end_x_t) { RUN(end_cases); }
Test(endpoint, flavors) { RUN(flavor_cases); }
Test(endpoint, decapsulation) { RUN(decap_cases); }
Test(endpoint, malformed_and_not_ours) { RUN(malformed_cases); }

/* ---------------------------------------------------------------------------------------- */
/* FIB cache (SR6_CFG_FIB_CACHE)                                                             */

static void set_fib_cache(int on)
{
	struct sr6_config cfg = { .flags = SR6_CFG_SIDS | SR6_CFG_LOCATORS |
					   (on ? SR6_CFG_FIB_CACHE : 0) };
	uint32_t zero = 0;

	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_config), &zero, &cfg, 0), 0);
}

/* The slots of sr6_fib_cache (a direct-mapped per-CPU array) any CPU filled. */
static unsigned int fib_cache_entries(void)
{
	static struct sr6_fib_cache_slot v[256];
	int cpus = libbpf_num_possible_cpus(), i;
	unsigned int n = 0;
	uint32_t slot;

	cr_assert(cpus > 0 && cpus <= 256);
	for (slot = 0; slot < SR6_FIB_CACHE_ENTRIES; slot++) {
		cr_assert_eq(bpf_map_lookup_elem(bpf_map__fd(skel->maps.sr6_fib_cache), &slot, v), 0);
		for (i = 0; i < cpus && !v[i].val.expires; i++)
			;
		n += i < cpus;
	}
	return n;
}

static void fib_cache_flush(void)
{
	static const struct sr6_fib_cache_slot zero[256];
	uint32_t slot;

	for (slot = 0; slot < SR6_FIB_CACHE_ENTRIES; slot++)
		cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fib_cache), &slot, zero, 0), 0);
}

static const struct ep_case cached_cases[] = {
	{ "End (cache miss)", end_2sids, REDIRECT, .sid = 1 },
	{ "End (cache hit)", end_2sids, REDIRECT, .sid = 1 },
	{ "End.X (cache miss then hit)", end_x, REDIRECT, .sid = 2 },
	{ "End.X (cache hit)", end_x, REDIRECT, .sid = 2 },
	/* A longer packet than the cached entry vouches for takes a real lookup. */
	{ "End, too big after a cached small one", end_too_big, PASS,
	  .event = SR6_EVENT_FRAG_NEEDED, .sid = 1 },
	{ "End.DX4 (cache miss)", dx4, REDIRECT, .sid = 8 },
	{ "End.DX4 (cache hit)", dx4, REDIRECT, .sid = 8 },
	{ "End.DT6 local (never cached)", dt6_local, PASS, .event = SR6_EVENT_NOT_FWDED, .sid = 10 },
	{ "End, no neighbour (never cached at XDP)", end_no_neigh, PASS,
	  .event = SR6_EVENT_NO_NEIGH, .sid = 1, .tc_differs = 1, .tc_verdict = REDIRECT },
};

CASE(end_planted)
{
	end_2sids_via(in, out, "02:00:00:00:00:77");
	memcpy(out->data + 6, "\x02\x00\x00\x00\x00\x78", 6);
}

CASE(end_via_nh3)
{
	end_2sids_via(in, out, ENV_MAC_NH3);
}

/* Put an entry for End's next-segment lookup in every CPU's cache, valid "for ever". */
static void plant_entry(uint16_t ok_len)
{
	int cpus = libbpf_num_possible_cpus(), i;
	struct sr6_fib_cache_key k = { .ifindex = env.in_ifindex, .family = 10,
				       .l4_protocol = 43 };
	static struct sr6_fib_cache_slot v[256];
	uint32_t slot;

	cr_assert(cpus > 0 && cpus <= 256);
	pkt_addr6((struct in6_addr *)&k.src, SRC);
	pkt_addr6((struct in6_addr *)&k.dst, "fc00:2::f");
	memset(v, 0, sizeof(v));
	for (i = 0; i < cpus; i++) {
		v[i].key = k;
		v[i].val.expires = UINT64_MAX;
		v[i].val.oif = env.out_ifindex;
		v[i].val.ok_len = ok_len;
		memcpy(v[i].val.dmac, "\x02\x00\x00\x00\x00\x77", 6);
		memcpy(v[i].val.smac, "\x02\x00\x00\x00\x00\x78", 6);
	}
	slot = sr6_fib_cache_slot(&k);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fib_cache), &slot, v, 0), 0);
}

Test(endpoint, fib_cache)
{
	static const struct ep_case planted = { "End, answered from the cache", end_planted,
						REDIRECT, .sid = 1 };
	static const struct ep_case too_big = { "End, longer than the entry vouches for",
						end_too_big, PASS, .event = SR6_EVENT_FRAG_NEEDED,
						.sid = 1 };
	static const struct ep_case after = { "End, route now via fc00:1::3", end_via_nh3,
					      REDIRECT, .sid = 1 };
	int tc;

	set_fib_cache(1);
	RUN(cached_cases);
	cr_expect_eq(fib_cache_entries(), 3, "entries for End, End.X, End.DX4: %u",
		     fib_cache_entries());

	/* A hit is answered from the entry alone (its MACs are not the neighbour's). */
	plant_entry(200);
	for (tc = 0; tc < 2; tc++)
		run_case(&planted, tc);
	for (tc = 0; tc < 2; tc++)
		run_case(&too_big, tc);

	/* A route change shows once the entries go (or after SR6_FIB_CACHE_TTL_TICKS). */
	cr_assert_eq(system("ip -6 route replace fc00::/16 via fc00:1::3 dev out0"), 0);
	fib_cache_flush();
	for (tc = 0; tc < 2; tc++)
		run_case(&after, tc);
	set_fib_cache(0);
	for (tc = 0; tc < 2; tc++)
		run_case(&after, tc);
}
