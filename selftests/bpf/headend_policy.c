/* headend_policy.c: policy values and the reference flow hash (see headend_policy.h). */
#include "selftests/bpf/headend_policy.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int headend_parse_sids(struct in6_addr *out, int max, const char *text)
{
	char buf[64];
	int n = 0;

	while (*text) {
		const char *comma = strchr(text, ',');
		size_t len = comma ? (size_t)(comma - text) : strlen(text);

		if (n == max || len == 0 || len >= sizeof(buf))
			return -1;
		memcpy(buf, text, len);
		buf[len] = 0;
		if (inet_pton(AF_INET6, buf, &out[n]) != 1)
			return -1;
		n++;
		text += len + (comma ? 1 : 0);
	}
	return n;
}

/*
 * One path.  Segment List[0] is the last SID; encap.red leaves the first SID out of the list
 * (it is only in the destination), inline reserves Segment List[0] for the packet's own
 * destination (written per packet).
 */
static int path_build(struct sr6_path *out, uint8_t mode, uint16_t tag, const struct in6_addr *sids,
		      int n)
{
	int entries, i;
	uint8_t *srh = out->srh;

	memset(out, 0, sizeof(*out));
	memcpy(&out->dst, &sids[0], 16);
	out->sid_count = (uint8_t)n;
	switch (mode) {
	case SR6_MODE_ENCAP:
		entries = n;
		break;
	case SR6_MODE_ENCAP_RED:
		entries = n - 1;
		break;
	case SR6_MODE_INLINE:
		entries = n + 1;
		break;
	default:
		return -1;
	}
	if (entries == 0)
		return 0;
	out->srh_len = (uint16_t)SR6_SRH_LEN(entries);
	srh[1] = (uint8_t)(2 * entries);
	srh[2] = 4;
	srh[3] = (uint8_t)(mode == SR6_MODE_ENCAP_RED ? entries : entries - 1);
	srh[4] = (uint8_t)(entries - 1);
	srh[5] = 0;
	srh[6] = (uint8_t)(tag >> 8);
	srh[7] = (uint8_t)tag;
	/* Segment List[k] = the k-th SID from the end. */
	for (i = 0; i < n; i++) {
		int k = mode == SR6_MODE_INLINE ? n - i : n - 1 - i;

		if (k < 0 || k >= entries)
			continue; /* encap.red: the first SID */
		memcpy(srh + 8 + 16 * k, &sids[i], 16);
	}
	return 0;
}

int headend_policy_build(struct sr6_policy *out, const struct headend_policy_spec *spec,
			 char *err, size_t errlen)
{
	struct in6_addr sids[SR6_MAX_SIDS];
	uint32_t total = 0;
	int i;

	memset(out, 0, sizeof(*out));
	if (spec->npaths < 1 || spec->npaths > SR6_MAX_PATHS) {
		snprintf(err, errlen, "policy: %d paths (1..%d)", spec->npaths, SR6_MAX_PATHS);
		return -1;
	}
	if (spec->mode < SR6_MODE_ENCAP || spec->mode > SR6_MODE_INLINE) {
		snprintf(err, errlen, "policy: unknown mode %u", spec->mode);
		return -1;
	}
	out->mode = spec->mode;
	out->path_count = (uint8_t)spec->npaths;
	out->hop_limit = spec->hop_limit;
	out->flags = spec->flags;
	out->stats_id = spec->stats_id;
	out->mtu = spec->mtu;
	if (spec->source && *spec->source && inet_pton(AF_INET6, spec->source, &out->source) != 1) {
		snprintf(err, errlen, "policy: bad source address '%s'", spec->source);
		return -1;
	}
	for (i = 0; i < spec->npaths; i++) {
		uint16_t w = spec->paths[i].weight ? spec->paths[i].weight : 1;
		int n = headend_parse_sids(sids, SR6_MAX_SIDS, spec->paths[i].sids);
		if (n < 1) {
			snprintf(err, errlen, "path %d: bad segment list '%s' (1..%d IPv6 SIDs)", i,
				 spec->paths[i].sids, SR6_MAX_SIDS);
			return -1;
		}
		if (path_build(&out->paths[i], spec->mode, spec->tag, sids, n)) {
			snprintf(err, errlen, "path %d: cannot build", i);
			return -1;
		}
		total += w;
		if (total > SR6_MAX_WEIGHT) {
			snprintf(err, errlen, "path %d: weights add up to more than %d", i,
				 SR6_MAX_WEIGHT);
			return -1;
		}
		out->cum_weight[i] = (uint16_t)total;
	}
	out->total_weight = total;
	return 0;
}

/* MurmurHash3 x86_32 over 32-bit words, as bpf/README.md defines the flow hash. */
static uint32_t rotl(uint32_t x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static uint32_t mix(uint32_t h, uint32_t k)
{
	k *= 0xcc9e2d51u;
	k = rotl(k, 15);
	k *= 0x1b873593u;
	h ^= k;
	h = rotl(h, 13);
	return h * 5 + 0xe6546b64u;
}

static uint32_t fmix(uint32_t h, uint32_t len)
{
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static uint32_t word(const void *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
	return w;
}

uint32_t headend_hash6(const struct in6_addr *src, const struct in6_addr *dst, uint16_t sport,
		       uint16_t dport, uint8_t proto, uint32_t seed)
{
	uint32_t h = seed;
	int i;

	for (i = 0; i < 4; i++)
		h = mix(h, word(src->s6_addr + 4 * i));
	for (i = 0; i < 4; i++)
		h = mix(h, word(dst->s6_addr + 4 * i));
	h = mix(h, (uint32_t)sport << 16 | dport);
	h = mix(h, proto);
	return fmix(h, 40);
}

uint32_t headend_hash4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t proto,
		       uint32_t seed)
{
	uint32_t h = seed;

	h = mix(h, src);
	h = mix(h, dst);
	h = mix(h, (uint32_t)sport << 16 | dport);
	h = mix(h, proto);
	return fmix(h, 16);
}

uint32_t headend_flow_label(uint32_t hash)
{
	uint32_t l = fmix(hash, 0x5236) & 0xfffff;

	return l ? l : 1;
}

int headend_path_of(const struct sr6_policy *pol, uint32_t hash)
{
	uint32_t v = (uint32_t)(((uint64_t)hash * pol->total_weight) >> 32);
	int i;

	for (i = 0; i < pol->path_count - 1; i++)
		if (v < pol->cum_weight[i])
			return i;
	return pol->path_count - 1;
}
