/* pktbuild.c: test packet builder (see pktbuild.h). */
#include "selftests/lib/pktbuild.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "pktbuild: %s: %s\n", what, arg);
	abort();
}

void pkt_addr6(struct in6_addr *out, const char *text)
{
	if (inet_pton(AF_INET6, text, out) != 1)
		die("bad IPv6 address", text);
}

uint32_t pkt_addr4(const char *text)
{
	struct in_addr a;

	if (inet_pton(AF_INET, text, &a) != 1)
		die("bad IPv4 address", text);
	return a.s_addr;
}

void pkt_mac(uint8_t out[6], const char *text)
{
	unsigned int b[6];
	int i;

	if (sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		die("bad MAC address", text);
	for (i = 0; i < 6; i++)
		out[i] = (uint8_t)b[i];
}

static uint8_t *push(struct pkt *p, enum pkt_layer_kind kind, uint8_t proto, size_t len)
{
	uint8_t *at;

	if (p->len + len > PKT_MAX || p->nlayers == PKT_MAX_LAYERS)
		die("packet too large", "raise PKT_MAX");
	at = p->data + p->len;
	memset(at, 0, len);
	p->layers[p->nlayers].kind = kind;
	p->layers[p->nlayers].off = p->len;
	p->layers[p->nlayers].proto = proto;
	p->nlayers++;
	p->len += len;
	return at;
}

static struct pkt_layer *last_layer(struct pkt *p, enum pkt_layer_kind kind)
{
	int i;

	for (i = p->nlayers - 1; i >= 0; i--)
		if (p->layers[i].kind == kind)
			return &p->layers[i];
	die("no such layer before", "pkt_* call");
	return NULL;
}

void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
}

void pkt_eth(struct pkt *p, const char *dmac, const char *smac, uint16_t ethertype)
{
	uint8_t *h = push(p, PKT_ETH, 0, 14);

	pkt_mac(h, dmac);
	pkt_mac(h + 6, smac);
	h[12] = (uint8_t)(ethertype >> 8);
	h[13] = (uint8_t)ethertype;
}

void pkt_ipv6(struct pkt *p, const char *src, const char *dst, uint8_t hop_limit)
{
	uint8_t *h = push(p, PKT_IPV6, 41, 40);

	h[0] = 0x60;
	h[7] = hop_limit;
	pkt_addr6((struct in6_addr *)(h + 8), src);
	pkt_addr6((struct in6_addr *)(h + 24), dst);
}

void pkt_ipv6_tc_fl(struct pkt *p, uint8_t tclass, uint32_t flowlabel)
{
	uint8_t *h = p->data + last_layer(p, PKT_IPV6)->off;

	h[0] = (uint8_t)(0x60 | (tclass >> 4));
	h[1] = (uint8_t)((tclass << 4) | ((flowlabel >> 16) & 0x0f));
	h[2] = (uint8_t)(flowlabel >> 8);
	h[3] = (uint8_t)flowlabel;
}

void pkt_ipv4(struct pkt *p, const char *src, const char *dst, uint8_t ttl, uint8_t tos)
{
	uint8_t *h = push(p, PKT_IPV4, 4, 20);
	uint32_t s = pkt_addr4(src), d = pkt_addr4(dst);

	h[0] = 0x45;
	h[1] = tos;
	h[6] = 0x40; /* DF */
	h[8] = ttl;
	memcpy(h + 12, &s, 4);
	memcpy(h + 16, &d, 4);
}

void pkt_ipv4_frag(struct pkt *p, uint16_t frag_off_field)
{
	uint8_t *h = p->data + last_layer(p, PKT_IPV4)->off;

	h[6] = (uint8_t)(frag_off_field >> 8);
	h[7] = (uint8_t)frag_off_field;
}

void pkt_srh(struct pkt *p, uint8_t segments_left, uint8_t last_entry, uint8_t flags,
	     uint16_t tag, const char *const *segs, int n)
{
	uint8_t *h = push(p, PKT_SRH, 43, 8 + 16 * (size_t)n);
	int i;

	h[1] = (uint8_t)(2 * n);
	h[2] = 4;
	h[3] = segments_left;
	h[4] = last_entry;
	h[5] = flags;
	h[6] = (uint8_t)(tag >> 8);
	h[7] = (uint8_t)tag;
	for (i = 0; i < n; i++)
		pkt_addr6((struct in6_addr *)(h + 8 + 16 * i), segs[i]);
}

void pkt_srh_tlv(struct pkt *p, const void *tlv, size_t len)
{
	struct pkt_layer *l = last_layer(p, PKT_SRH);

	if (l != &p->layers[p->nlayers - 1])
		die("pkt_srh_tlv", "must follow pkt_srh");
	if (p->len + len > PKT_MAX)
		die("packet too large", "raise PKT_MAX");
	memcpy(p->data + p->len, tlv, len);
	p->len += len;
	p->data[l->off + 1] = (uint8_t)((p->len - l->off) / 8 - 1);
}

void pkt_rh(struct pkt *p, uint8_t type, uint8_t segments_left, size_t len)
{
	uint8_t *h = push(p, PKT_EXTHDR, 43, len);

	h[1] = (uint8_t)(len / 8 - 1);
	h[2] = type;
	h[3] = segments_left;
}

void pkt_exthdr(struct pkt *p, uint8_t proto, size_t len)
{
	uint8_t *h = push(p, PKT_EXTHDR, proto, len);

	h[1] = (uint8_t)(len / 8 - 1);
	if (len > 2) { /* PadN over the rest */
		h[2] = 1;
		h[3] = (uint8_t)(len - 4);
	}
}

void pkt_frag(struct pkt *p, uint16_t offset_units, int more, uint32_t id)
{
	uint8_t *h = push(p, PKT_FRAG, 44, 8);
	uint16_t f = (uint16_t)((offset_units << 3) | (more ? 1 : 0));
	uint32_t nid = htonl(id);

	h[2] = (uint8_t)(f >> 8);
	h[3] = (uint8_t)f;
	memcpy(h + 4, &nid, 4);
}

void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport, const void *payload, size_t len)
{
	uint8_t *h = push(p, PKT_UDP, 17, 8 + len);

	h[0] = (uint8_t)(sport >> 8);
	h[1] = (uint8_t)sport;
	h[2] = (uint8_t)(dport >> 8);
	h[3] = (uint8_t)dport;
	if (len)
		memcpy(h + 8, payload, len);
}

void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint8_t flags, const void *payload,
	     size_t len)
{
	uint8_t *h = push(p, PKT_TCP, 6, 20 + len);

	h[0] = (uint8_t)(sport >> 8);
	h[1] = (uint8_t)sport;
	h[2] = (uint8_t)(dport >> 8);
	h[3] = (uint8_t)dport;
	h[7] = 1;	/* sequence number 1 */
	h[12] = 5 << 4;
	h[13] = flags;
	h[14] = 0xff;	/* window */
	h[15] = 0xff;
	if (len)
		memcpy(h + 20, payload, len);
}

static void icmp_any(struct pkt *p, enum pkt_layer_kind kind, uint8_t proto, uint8_t type,
		     uint8_t code, uint32_t rest, const void *body, size_t len)
{
	uint8_t *h = push(p, kind, proto, 8 + len);

	h[0] = type;
	h[1] = code;
	h[4] = (uint8_t)(rest >> 24);
	h[5] = (uint8_t)(rest >> 16);
	h[6] = (uint8_t)(rest >> 8);
	h[7] = (uint8_t)rest;
	if (len)
		memcpy(h + 8, body, len);
}

void pkt_icmp6_echo(struct pkt *p, uint16_t id, uint16_t seq, const void *payload, size_t len)
{
	icmp_any(p, PKT_ICMP6, 58, 128, 0, (uint32_t)id << 16 | seq, payload, len);
}

void pkt_icmp4_echo(struct pkt *p, uint16_t id, uint16_t seq, const void *payload, size_t len)
{
	icmp_any(p, PKT_ICMP4, 1, 8, 0, (uint32_t)id << 16 | seq, payload, len);
}

void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest, const void *body,
	       size_t len)
{
	icmp_any(p, PKT_ICMP6, 58, type, code, rest, body, len);
}

void pkt_icmp4(struct pkt *p, uint8_t type, uint8_t code, uint32_t rest, const void *body,
	       size_t len)
{
	icmp_any(p, PKT_ICMP4, 1, type, code, rest, body, len);
}

void pkt_raw(struct pkt *p, const void *bytes, size_t len)
{
	uint8_t *h = push(p, PKT_RAW, 59, len);

	if (len)
		memcpy(h, bytes, len);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Transport checksum over the pseudo-header of the nearest enclosing IP header. */
static void l4_checksum(struct pkt *p, int i, size_t csum_off)
{
	size_t off = p->layers[i].off, len = p->len - off;
	uint8_t proto = p->layers[i].proto;
	uint32_t sum = 0;
	uint16_t c;
	int j;

	for (j = i - 1; j >= 0; j--) {
		const uint8_t *ip = p->data + p->layers[j].off;

		if (p->layers[j].kind == PKT_IPV6) {
			sum = csum_add(sum, ip + 8, 32);
			sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
			break;
		}
		if (p->layers[j].kind == PKT_IPV4) {
			if (proto != 1) { /* ICMPv4 has no pseudo-header */
				sum = csum_add(sum, ip + 12, 8);
				sum += (uint32_t)len + proto;
			}
			break;
		}
	}
	p->data[off + csum_off] = 0;
	p->data[off + csum_off + 1] = 0;
	sum = csum_add(sum, p->data + off, len);
	c = csum_fold(sum);
	if (c == 0 && proto == 17)
		c = 0xffff;
	p->data[off + csum_off] = (uint8_t)(c >> 8);
	p->data[off + csum_off + 1] = (uint8_t)c;
}

void pkt_finish(struct pkt *p)
{
	int i;

	for (i = p->nlayers - 1; i >= 0; i--) {
		struct pkt_layer *l = &p->layers[i];
		uint8_t *h = p->data + l->off;
		uint8_t next = (i + 1 < p->nlayers) ? p->layers[i + 1].proto : 59;
		size_t rest = p->len - l->off;

		switch (l->kind) {
		case PKT_ETH:
			break;
		case PKT_IPV6:
			h[4] = (uint8_t)((rest - 40) >> 8);
			h[5] = (uint8_t)(rest - 40);
			h[6] = next;
			break;
		case PKT_IPV4: {
			uint16_t c;

			h[2] = (uint8_t)(rest >> 8);
			h[3] = (uint8_t)rest;
			h[9] = next;
			h[10] = h[11] = 0;
			c = csum_fold(csum_add(0, h, 20));
			h[10] = (uint8_t)(c >> 8);
			h[11] = (uint8_t)c;
			break;
		}
		case PKT_SRH:
		case PKT_EXTHDR:
		case PKT_FRAG:
			h[0] = next;
			break;
		case PKT_UDP:
			h[4] = (uint8_t)(rest >> 8);
			h[5] = (uint8_t)rest;
			l4_checksum(p, i, 6);
			break;
		case PKT_TCP:
			l4_checksum(p, i, 16);
			break;
		case PKT_ICMP6:
		case PKT_ICMP4:
			l4_checksum(p, i, 2);
			break;
		case PKT_RAW:
			break;
		}
	}
}

const char *pkt_diff(const void *got, size_t got_len, const void *want, size_t want_len)
{
	static char msg[512];
	const uint8_t *g = got, *w = want;
	size_t i, n = got_len < want_len ? got_len : want_len, k, at;
	int used;

	for (i = 0; i < n && g[i] == w[i]; i++)
		;
	if (i == n && got_len == want_len)
		return "identical";
	used = snprintf(msg, sizeof(msg), "length %zu vs expected %zu, first difference at byte %zu:",
			got_len, want_len, i);
	at = i >= 4 ? i - 4 : 0;
	used += snprintf(msg + used, sizeof(msg) - (size_t)used, "\n  got ");
	for (k = at; k < at + 16 && k < got_len && used < 400; k++)
		used += snprintf(msg + used, sizeof(msg) - (size_t)used, "%02x ", g[k]);
	used += snprintf(msg + used, sizeof(msg) - (size_t)used, "\n want ");
	for (k = at; k < at + 16 && k < want_len && used < 490; k++)
		used += snprintf(msg + used, sizeof(msg) - (size_t)used, "%02x ", w[k]);
	return msg;
}
