/*
 * pktbuild.h: build test packets layer by layer, independently of the BPF code, with lengths
 * and checksums filled in by pkt_finish().
 *
 *	struct pkt p;
 *	pkt_init(&p);
 *	pkt_eth(&p, dmac, smac, ETH_P_IPV6);
 *	pkt_ipv6(&p, "fc00:a::1", "fc00:1::10", 64);
 *	pkt_srh(&p, 0, 1, 1, 0, segs, 2);         // SL 1, LE 1, tag 0, Segment List[0..1]
 *	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
 *	pkt_udp(&p, 1000, 2000, "hi", 2);
 *	pkt_finish(&p);
 *
 * Next Header / protocol fields of a layer are set from the layer pushed after it.  Addresses
 * are text; a bad one aborts the test program (it is a bug in the test).
 */
#ifndef SR6_SELFTESTS_PKTBUILD_H
#define SR6_SELFTESTS_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define PKT_MAX		9216
#define PKT_MAX_LAYERS	16

enum pkt_layer_kind {
	PKT_ETH, PKT_IPV6, PKT_IPV4, PKT_SRH, PKT_EXTHDR, PKT_FRAG, PKT_UDP, PKT_TCP,
	PKT_ICMP6, PKT_ICMP4, PKT_RAW,
};

struct pkt_layer {
	enum pkt_layer_kind kind;
	size_t off;
	uint8_t proto;		/* the protocol number this layer has as a "next header" */
};

struct pkt {
	uint8_t data[PKT_MAX];
	size_t len;
	struct pkt_layer layers[PKT_MAX_LAYERS];
	int nlayers;
};

void pkt_init(struct pkt *p);
void pkt_eth(struct pkt *p, const char *dmac, const char *smac, uint16_t ethertype);
/* IPv6 header; traffic class 0, flow label 0 unless set with pkt_ipv6_tc_fl on the last one. */
void pkt_ipv6(struct pkt *p, const char *src, const char *dst, uint8_t hop_limit);
void pkt_ipv6_tc_fl(struct pkt *p, uint8_t tclass, uint32_t flowlabel);
void pkt_ipv4(struct pkt *p, const char *src, const char *dst, uint8_t ttl, uint8_t tos);
/* Set the IPv4 fragment field (flags + offset in 8-byte units) of the last IPv4 header. */
void pkt_ipv4_frag(struct pkt *p, uint16_t frag_off_field);
/*
 * SRH with segments_left, last_entry, flags, tag and n segments given in Segment List order
 * (segs[0] = Segment List[0], the final segment).  Hdr Ext Len = 2n + tlv_len/8.
 */
void pkt_srh(struct pkt *p, uint8_t segments_left, uint8_t last_entry, uint8_t flags,
	     uint16_t tag, const char *const *segs, int n);
/* Append TLV bytes to the SRH just pushed (total TLV length must keep 8-octet alignment). */
void pkt_srh_tlv(struct pkt *p, const void *tlv, size_t len);
/* Routing header of another type, or a Hop-by-Hop / Destination Options header with PadN. */
void pkt_rh(struct pkt *p, uint8_t type, uint8_t segments_left, size_t len);
void pkt_exthdr(struct pkt *p, uint8_t proto, size_t len);
void pkt_frag(struct pkt *p, uint16_t offset_units, int more, uint32_t id);
void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport, const void *payload, size_t len);
void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint8_t flags, const void *payload,
	     size_t len);
void pkt_icmp6_echo(struct pkt *p, uint16_t id, uint16_t seq, const void *payload, size_t len);
void pkt_icmp4_echo(struct pkt *p, uint16_t id, uint16_t seq, const void *payload, size_t len);
/* Any ICMPv6 / ICMPv4 message: type, code, the 4 bytes after the checksum (e.g. an MTU), body. */
void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest, const void *body,
	       size_t len);
void pkt_icmp4(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest, const void *body,
	       size_t len);
void pkt_raw(struct pkt *p, const void *bytes, size_t len);
/* Fill lengths, next-header fields and checksums, innermost first. */
void pkt_finish(struct pkt *p);

/* Helpers for tests. */
void pkt_addr6(struct in6_addr *out, const char *text);
uint32_t pkt_addr4(const char *text);
void pkt_mac(uint8_t out[6], const char *text);
/* Hex dump of the first difference between two buffers, for assertion messages. */
const char *pkt_diff(const void *got, size_t got_len, const void *want, size_t want_len);

#endif
