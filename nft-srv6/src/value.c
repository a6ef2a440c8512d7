/* Values of the rule language: addresses, prefixes, integers, protocol names, ranges.
 * Everything is kept as big-endian bytes, exactly as the packet carries it, so the
 * compiler can hand the bytes to nftables unchanged. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/rule.h"

static const struct nfts_field_info fields[FIELD_COUNT] = {
	[FIELD_SADDR] = { "saddr", 16, true },
	[FIELD_DADDR] = { "daddr", 16, true },
	[FIELD_SEGLEFT] = { "segleft", 1, false },
	[FIELD_LAST_ENTRY] = { "last-entry", 1, false },
	[FIELD_FLAGS] = { "flags", 1, false },
	[FIELD_TAG] = { "tag", 2, false },
	[FIELD_SID] = { "sid", 16, true },
	[FIELD_CONTAINS] = { "contains", 16, true },
	[FIELD_INNER_SADDR] = { "inner saddr", 0, true },
	[FIELD_INNER_DADDR] = { "inner daddr", 0, true },
	[FIELD_INNER_PROTO] = { "inner proto", 1, false },
	[FIELD_INNER_SPORT] = { "inner sport", 2, false },
	[FIELD_INNER_DPORT] = { "inner dport", 2, false },
};

const struct nfts_field_info *nfts_field_info(enum field f)
{
	return &fields[f];
}

static const struct { const char *name; unsigned number; } protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 },
	{ "gre", 47 }, { "esp", 50 }, { "ah", 51 }, { "icmpv6", 58 }, { "sctp", 132 },
	{ "udplite", 136 },
};

int nfts_proto_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strlen(protos[i].name) == len && !memcmp(protos[i].name, name, len))
			return (int)protos[i].number;
	return -1;
}

const char *nfts_proto_name(unsigned number)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].number == number)
			return protos[i].name;
	return NULL;
}

static void put_uint(uint8_t *out, uint8_t width, unsigned long v)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		out[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

static unsigned long get_uint(const uint8_t *in, uint8_t width)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < width; i++)
		v = (v << 8) | in[i];
	return v;
}

/* One integer (or protocol name) of field f: "text" spans len bytes at column col. */
static int parse_uint(uint8_t *out, enum field f, const char *text, size_t len, unsigned line,
		      unsigned col, struct nftsrv6_error *err)
{
	const struct nfts_field_info *fi = nfts_field_info(f);
	unsigned long max = fi->width == 1 ? 0xff : 0xffff;
	unsigned long v = 0;
	size_t i = 0;
	int base = 10;

	if (len == 0) {
		nfts_error_set(err, line, col, text, len, "expected a number for '%s'", fi->name);
		return -1;
	}
	if (f == FIELD_INNER_PROTO && ((text[0] >= 'a' && text[0] <= 'z') ||
				       (text[0] >= 'A' && text[0] <= 'Z'))) {
		int p = nfts_proto_by_name(text, len);

		if (p < 0) {
			nfts_error_set(err, line, col, text, len,
				  "unknown protocol '%.*s': expected tcp, udp, icmp, icmpv6, sctp, "
				  "dccp, udplite, gre, esp, ah, igmp, ipv4, ipv6 or a number 0-255",
				  (int)len, text);
			return -1;
		}
		put_uint(out, 1, (unsigned long)p);
		return 0;
	}
	if (len > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++) {
		char c = text[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else {
			nfts_error_set(err, line, col, text, len,
				  "'%.*s' is not a number: '%s' takes %s", (int)len, text, fi->name,
				  f == FIELD_INNER_PROTO ? "a protocol name or a number 0-255" :
				  fi->width == 1 ? "a number 0-255" : "a number 0-65535");
			return -1;
		}
		v = v * (unsigned long)base + (unsigned long)d;
		if (v > max) {
			nfts_error_set(err, line, col, text, len, "%.*s is out of range: '%s' takes 0-%lu",
				  (int)len, text, fi->name, max);
			return -1;
		}
	}
	put_uint(out, fi->width, v);
	return 0;
}

/* An address of field f; *width is 16 or 4 (inner addresses take either family). */
static int parse_addr(uint8_t *out, uint8_t *width, enum field f, const char *text, size_t len,
		      unsigned line, unsigned col, struct nftsrv6_error *err)
{
	const struct nfts_field_info *fi = nfts_field_info(f);
	char buf[64];

	if (len == 0 || len >= sizeof(buf))
		goto bad;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(out, 0, 16);
	if (inet_pton(AF_INET6, buf, out) == 1) {
		*width = 16;
		return 0;
	}
	if (fi->width == 0 && inet_pton(AF_INET, buf, out) == 1) {
		*width = 4;
		return 0;
	}
bad:
	nfts_error_set(err, line, col, text, len, "'%.*s' is not an %s address: '%s' takes %s",
		  (int)len, text, fi->width == 0 ? "IPv6 or IPv4" : "IPv6", fi->name,
		  fi->width == 0 ? "an IPv6 or IPv4 address, prefix or range" :
				   "an IPv6 address, prefix or range");
	return -1;
}

static void set_host_bits(uint8_t *a, uint8_t width, unsigned plen, uint8_t bit)
{
	unsigned i;

	for (i = plen; i < (unsigned)width * 8; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));

		if (bit)
			a[i / 8] |= m;
		else
			a[i / 8] &= (uint8_t)~m;
	}
}

int nfts_value_parse_element(struct vrange *r, uint8_t *width, enum field f, const struct token *tok,
			unsigned line, struct nftsrv6_error *err)
{
	const struct nfts_field_info *fi = nfts_field_info(f);
	const char *t = tok->text;
	size_t len = tok->len;
	const char *dash = memchr(t, '-', len);
	const char *slash = memchr(t, '/', len);

	memset(r, 0, sizeof(*r));
	if (tok->kind != TOK_WORD) {
		nfts_error_set(err, line, tok->column, tok->text, tok->len, "expected a value for '%s'",
			  fi->name);
		return -1;
	}
	if (fi->address) {
		uint8_t w2;

		if (slash && !dash) {
			size_t alen = (size_t)(slash - t);
			const char *p = slash + 1;
			size_t plen_len = len - alen - 1;
			unsigned long plen = 0;
			size_t i;
			uint8_t check[16];

			if (parse_addr(r->lo, width, f, t, alen, line, tok->column, err))
				return -1;
			if (plen_len == 0 || plen_len > 3)
				goto badlen;
			for (i = 0; i < plen_len; i++) {
				if (p[i] < '0' || p[i] > '9')
					goto badlen;
				plen = plen * 10 + (unsigned long)(p[i] - '0');
			}
			if (plen == 0 || plen > (unsigned long)*width * 8)
				goto badlen;
			memcpy(check, r->lo, 16);
			set_host_bits(check, *width, (unsigned)plen, 0);
			if (memcmp(check, r->lo, *width)) {
				nfts_error_set(err, line, tok->column, t, len,
					  "'%.*s' has bits set after the first %lu: write the network "
					  "address of the prefix", (int)len, t, plen);
				return -1;
			}
			memcpy(r->hi, r->lo, 16);
			set_host_bits(r->hi, *width, (unsigned)plen, 1);
			return 0;
badlen:
			nfts_error_set(err, line, tok->column + (unsigned)alen + 1, p, plen_len,
				  "bad prefix length '%.*s': expected 1-%u", (int)plen_len, p,
				  (unsigned)*width * 8);
			return -1;
		}
		if (dash) {
			size_t alen = (size_t)(dash - t);

			if (parse_addr(r->lo, width, f, t, alen, line, tok->column, err))
				return -1;
			if (parse_addr(r->hi, &w2, f, dash + 1, len - alen - 1, line,
				       tok->column + (unsigned)alen + 1, err))
				return -1;
			if (w2 != *width) {
				nfts_error_set(err, line, tok->column, t, len,
					  "range '%.*s' mixes IPv4 and IPv6", (int)len, t);
				return -1;
			}
		} else {
			if (parse_addr(r->lo, width, f, t, len, line, tok->column, err))
				return -1;
			memcpy(r->hi, r->lo, 16);
		}
	} else {
		*width = fi->width;
		if (slash) {
			nfts_error_set(err, line, tok->column + (unsigned)(slash - t), slash, 1,
				  "unexpected '/': '%s' takes numbers and ranges, not prefixes",
				  fi->name);
			return -1;
		}
		if (dash) {
			size_t alen = (size_t)(dash - t);

			if (parse_uint(r->lo, f, t, alen, line, tok->column, err) ||
			    parse_uint(r->hi, f, dash + 1, len - alen - 1, line,
				       tok->column + (unsigned)alen + 1, err))
				return -1;
		} else {
			if (parse_uint(r->lo, f, t, len, line, tok->column, err))
				return -1;
			memcpy(r->hi, r->lo, 16);
		}
	}
	if (memcmp(r->lo, r->hi, *width) > 0) {
		nfts_error_set(err, line, tok->column, t, len,
			  "range '%.*s' starts above its end", (int)len, t);
		return -1;
	}
	return 0;
}

static int cmp_range(const void *a, const void *b, void *width)
{
	return memcmp(((const struct vrange *)a)->lo, ((const struct vrange *)b)->lo,
		      *(const uint8_t *)width);
}

/* a + 1 == b (big-endian, width bytes), i.e. the ranges touch */
static bool is_successor(const uint8_t *a, const uint8_t *b, uint8_t width)
{
	uint8_t t[16];
	int i;

	memcpy(t, a, width);
	for (i = width - 1; i >= 0; i--) {
		if (++t[i] != 0)
			break;
		if (i == 0)
			return false;      /* a was the maximum */
	}
	return memcmp(t, b, width) == 0;
}

int nfts_value_canonical(struct match *m)
{
	uint32_t i, out = 0;

	if (m->n <= 1)
		return 0;
	qsort_r(m->v, m->n, sizeof(m->v[0]), cmp_range, &m->width);
	for (i = 1; i < m->n; i++) {
		struct vrange *cur = &m->v[out];
		const struct vrange *nx = &m->v[i];

		if (memcmp(nx->lo, cur->hi, m->width) <= 0 ||
		    is_successor(cur->hi, nx->lo, m->width)) {
			if (memcmp(nx->hi, cur->hi, m->width) > 0)
				memcpy(cur->hi, nx->hi, 16);
		} else {
			m->v[++out] = *nx;
		}
	}
	m->n = out + 1;
	return 0;
}

bool nfts_range_is_single(const struct vrange *r, uint8_t width)
{
	return memcmp(r->lo, r->hi, width) == 0;
}

int nfts_range_prefix_len(const struct vrange *r, uint8_t width)
{
	unsigned p, i;

	/* the prefix is the common leading bits; after it lo must be all 0, hi all 1 */
	for (p = 0; p < (unsigned)width * 8; p++) {
		uint8_t m = (uint8_t)(0x80 >> (p % 8));

		if ((r->lo[p / 8] & m) != (r->hi[p / 8] & m))
			break;
	}
	for (i = p; i < (unsigned)width * 8; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));

		if ((r->lo[i / 8] & m) || !(r->hi[i / 8] & m))
			return -1;
	}
	return (int)p;
}

static void format_scalar(char *buf, size_t size, enum field f, uint8_t width, const uint8_t *v)
{
	if (nfts_field_info(f)->address) {
		char a[INET6_ADDRSTRLEN];

		inet_ntop(width == 4 ? AF_INET : AF_INET6, v, a, sizeof(a));
		snprintf(buf, size, "%s", a);
		return;
	}
	if (f == FIELD_INNER_PROTO && nfts_proto_name(v[0])) {
		snprintf(buf, size, "%s", nfts_proto_name(v[0]));
		return;
	}
	if (f == FIELD_FLAGS || f == FIELD_TAG)
		snprintf(buf, size, "0x%0*lx", width * 2, get_uint(v, width));
	else
		snprintf(buf, size, "%lu", get_uint(v, width));
}

void nfts_value_format_range(char *buf, size_t size, enum field f, uint8_t width,
			const struct vrange *r)
{
	char a[64], b[64];
	int plen;

	format_scalar(a, sizeof(a), f, width, r->lo);
	if (nfts_range_is_single(r, width)) {
		snprintf(buf, size, "%s", a);
		return;
	}
	plen = nfts_field_info(f)->address ? nfts_range_prefix_len(r, width) : -1;
	if (plen > 0) {
		snprintf(buf, size, "%s/%d", a, plen);
		return;
	}
	format_scalar(b, sizeof(b), f, width, r->hi);
	snprintf(buf, size, "%s-%s", a, b);
}
