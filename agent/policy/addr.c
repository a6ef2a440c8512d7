#include "agent/policy/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int addr6_parse(union sr6_in6 *out, const char *s, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (strchr(s, '/')) {
		*why = "an address, not a prefix, is expected here";
		return -1;
	}
	if (inet_pton(AF_INET6, s, out->b) != 1) {
		*why = "not a valid IPv6 address";
		return -1;
	}
	return 0;
}

int addr4_parse(uint32_t *out_be, const char *s, const char **why)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		*why = "not a valid IPv4 address";
		return -1;
	}
	*out_be = a.s_addr;
	return 0;
}

void addr_mask(union sr6_in6 *a, unsigned len)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (len >= 8) {
			len -= 8;
			continue;
		}
		a->b[i] &= (uint8_t)(0xff00 >> len);
		len = 0;
	}
}

int prefix_parse(struct prefix *out, const char *s, int family, const char **why,
		 char suggest[ADDR_STRLEN])
{
	char buf[ADDR_STRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	union sr6_in6 masked;
	char *end;
	int fam;

	memset(out, 0, sizeof(*out));
	suggest[0] = 0;
	if (alen == 0 || alen >= sizeof(buf)) {
		*why = "not a valid prefix";
		return -1;
	}
	memcpy(buf, s, alen);
	buf[alen] = 0;
	if (inet_pton(AF_INET6, buf, out->addr.b) == 1) {
		fam = AF_INET6;
	} else if (inet_pton(AF_INET, buf, out->addr.b) == 1) {
		fam = AF_INET;
	} else {
		*why = "not a valid IPv6 or IPv4 prefix";
		return -1;
	}
	if (family && fam != family) {
		*why = family == AF_INET6 ? "an IPv6 prefix is expected here"
					  : "an IPv4 prefix is expected here";
		return -1;
	}
	if (slash) {
		if (!slash[1] || slash[1] == '+' || slash[1] == '-' || slash[1] == ' ') {
			*why = "prefix length missing after '/'";
			return -1;
		}
		len = strtoul(slash + 1, &end, 10);
		if (*end || len > (fam == AF_INET6 ? 128u : 32u)) {
			*why = fam == AF_INET6 ? "prefix length must be 0..128"
					       : "prefix length must be 0..32";
			return -1;
		}
	} else {
		len = fam == AF_INET6 ? 128 : 32;
	}
	out->family = (uint8_t)fam;
	out->len = (uint8_t)len;
	masked = out->addr;
	addr_mask(&masked, (unsigned)len);
	if (memcmp(&masked, &out->addr, sizeof(masked))) {
		struct prefix p = *out;

		p.addr = masked;
		prefix_format(suggest, &p);
		*why = "host bits are set after the prefix length";
		return -1;
	}
	return 0;
}

void addr6_format(char out[ADDR_STRLEN], const union sr6_in6 *a)
{
	if (!inet_ntop(AF_INET6, a->b, out, ADDR_STRLEN))
		snprintf(out, ADDR_STRLEN, "?");
}

void addr4_format(char out[ADDR_STRLEN], uint32_t a_be)
{
	struct in_addr a = { .s_addr = a_be };

	if (!inet_ntop(AF_INET, &a, out, ADDR_STRLEN))
		snprintf(out, ADDR_STRLEN, "?");
}

void prefix_format(char out[ADDR_STRLEN], const struct prefix *p)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(p->family == AF_INET ? AF_INET : AF_INET6, p->addr.b, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(out, ADDR_STRLEN, "%s/%u", a, p->len);
}

bool addr6_equal(const union sr6_in6 *a, const union sr6_in6 *b)
{
	return !memcmp(a, b, sizeof(*a));
}

bool addr6_is_zero(const union sr6_in6 *a)
{
	return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]);
}

bool prefix_contains6(const struct prefix *p, const union sr6_in6 *a)
{
	union sr6_in6 m = *a;

	if (p->family != AF_INET6)
		return false;
	addr_mask(&m, p->len);
	return addr6_equal(&m, &p->addr);
}

bool prefix_covers(const struct prefix *p, const struct prefix *q)
{
	union sr6_in6 m;

	if (p->family != q->family || p->len > q->len)
		return false;
	m = q->addr;
	addr_mask(&m, p->len);
	return addr6_equal(&m, &p->addr);
}
