/* registry.c: identity assignment, the assignments.jsonl record and its replay. */
#include "provisioning/xtt/src/registry.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sodium.h>

#include "provisioning/xtt/src/util.h"

#define MAX_DERIVATIONS 1024   /* an IID search that long means the /64 is nearly full */

struct registry_slot {
	int used;
	uint8_t id[XTT_ID_LEN];
	uint8_t gid[XTT_GID_LEN];
	uint8_t nym[XTT_PSEUDONYM_LEN];
};

void registry_derive(uint8_t iid[8], const uint8_t gid[XTT_GID_LEN],
		     const uint8_t nym[XTT_PSEUDONYM_LEN], uint32_t n)
{
	static const char label[] = "sr6 xtt iid v1";
	crypto_hash_sha256_state st;
	uint8_t be[4], h[32];

	be32_put(be, n);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)label, sizeof(label) - 1);
	crypto_hash_sha256_update(&st, gid, XTT_GID_LEN);
	crypto_hash_sha256_update(&st, nym, XTT_PSEUDONYM_LEN);
	crypto_hash_sha256_update(&st, be, sizeof(be));
	crypto_hash_sha256_final(&st, h);
	memcpy(iid, h, 8);
}

int registry_iid_reserved(const uint8_t iid[8])
{
	static const uint8_t zero[8];
	static const uint8_t anycast[7] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t pmip[6] = { 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00 };

	if (!memcmp(iid, zero, 8))
		return 1;                                      /* subnet-router anycast */
	if (!memcmp(iid, anycast, 7) && iid[7] >= 0x80)
		return 1;                                      /* reserved subnet anycast */
	if (!memcmp(iid, pmip, 6) && ((iid[6] << 8) | iid[7]) <= 0x5213)
		return 1;                                      /* 0200:5EFF:FE00:0000-5213 */
	return 0;
}

static size_t slot_of(const struct registry *r, const uint8_t id[XTT_ID_LEN])
{
	uint8_t h[8];
	uint64_t v;

	crypto_shorthash(h, id, XTT_ID_LEN, r->hash_key);
	memcpy(&v, h, sizeof(v));
	return (size_t)(v & (r->cap - 1));
}

static struct registry_slot *lookup(const struct registry *r, const uint8_t id[XTT_ID_LEN])
{
	for (size_t i = slot_of(r, id), n = 0; n < r->cap; i = (i + 1) & (r->cap - 1), n++) {
		if (!r->slots[i].used)
			return NULL;
		if (!memcmp(r->slots[i].id, id, XTT_ID_LEN))
			return &r->slots[i];
	}
	return NULL;
}

static int insert(struct registry *r, const uint8_t id[XTT_ID_LEN], const uint8_t gid[XTT_GID_LEN],
		  const uint8_t nym[XTT_PSEUDONYM_LEN])
{
	if ((r->count + 1) * 4 > r->cap * 3) {
		struct registry_slot *old = r->slots;
		size_t old_cap = r->cap;

		r->cap *= 2;
		r->slots = calloc(r->cap, sizeof(*r->slots));
		if (!r->slots) {
			r->slots = old;
			r->cap = old_cap;
			return -1;
		}
		r->count = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].used)
				insert(r, old[i].id, old[i].gid, old[i].nym);
		free(old);
	}
	for (size_t i = slot_of(r, id);; i = (i + 1) & (r->cap - 1)) {
		if (!r->slots[i].used) {
			r->slots[i].used = 1;
			memcpy(r->slots[i].id, id, XTT_ID_LEN);
			memcpy(r->slots[i].gid, gid, XTT_GID_LEN);
			memcpy(r->slots[i].nym, nym, XTT_PSEUDONYM_LEN);
			r->count++;
			return 0;
		}
	}
}

static int same_device(const struct registry_slot *s, const uint8_t gid[XTT_GID_LEN],
		       const uint8_t nym[XTT_PSEUDONYM_LEN])
{
	return !memcmp(s->gid, gid, XTT_GID_LEN) && !memcmp(s->nym, nym, XTT_PSEUDONYM_LEN);
}

/* Records one line; returns -1 if it could not be made durable. */
static int record(struct registry *r, const struct group_entry *g, const uint8_t nym[XTT_PSEUDONYM_LEN],
		  const uint8_t id[XTT_ID_LEN], const uint8_t pub[XTT_ECDSA_PUB_LEN], int requested,
		  uint32_t n, char *err, size_t errlen)
{
	char hex[2 * XTT_PSEUDONYM_LEN + 1], addr[INET6_ADDRSTRLEN], when[32];
	struct json_object *o;
	const char *line;
	char *buf;
	struct timespec ts;
	struct tm tm;
	size_t len;
	int rc = 0;

	if (r->fd < 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	inet_ntop(AF_INET6, id, addr, sizeof(addr));
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_string(when));
	json_object_object_add(o, "group", json_object_new_string(g->name));
	hex_encode(hex, g->gid, XTT_GID_LEN);
	json_object_object_add(o, "gid", json_object_new_string(hex));
	hex_encode(hex, nym, XTT_PSEUDONYM_LEN);
	json_object_object_add(o, "pseudonym", json_object_new_string(hex));
	json_object_object_add(o, "identity", json_object_new_string(addr));
	hex_encode(hex, pub, XTT_ECDSA_PUB_LEN);
	json_object_object_add(o, "longterm_key", json_object_new_string(hex));
	json_object_object_add(o, "requested", json_object_new_boolean(requested));
	if (!requested)
		json_object_object_add(o, "n", json_object_new_int64(n));
	line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = strlen(line);
	/* The line and its newline in one write: appended as a unit. */
	buf = malloc(len + 1);
	if (!buf) {
		json_object_put(o);
		snprintf(err, errlen, "%s: out of memory", r->path);
		return -1;
	}
	memcpy(buf, line, len);
	buf[len++] = '\n';
	json_object_put(o);
	if (write_all(r->fd, buf, len) < 0) {
		snprintf(err, errlen, "%s: %s", r->path, errno ? strerror(errno) : "short write");
		rc = -1;
	} else if (fdatasync(r->fd) < 0) {
		snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
		rc = -1;
	}
	free(buf);
	return rc;
}

int registry_assign(struct registry *r, uint8_t id[XTT_ID_LEN], const struct group_entry *g,
		    const uint8_t nym[XTT_PSEUDONYM_LEN], const uint8_t requested[XTT_ID_LEN],
		    const uint8_t longterm_pub[XTT_ECDSA_PUB_LEN], char *err, size_t errlen)
{
	uint8_t cand[XTT_ID_LEN];

	if (!sodium_is_zero(requested, XTT_ID_LEN)) {
		const struct registry_slot *s = lookup(r, requested);
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, requested, addr, sizeof(addr));
		if (g->requested != REQUESTED_PREFIX) {
			snprintf(err, errlen, "group %s does not honour requested identities (%s asked)",
				 g->name, addr);
			return -1;
		}
		if (memcmp(requested, g->prefix, 8) || registry_iid_reserved(requested + 8)) {
			snprintf(err, errlen, "requested identity %s is outside group %s's /64 or reserved",
				 addr, g->name);
			return -1;
		}
		if (s && !same_device(s, g->gid, nym)) {
			snprintf(err, errlen, "requested identity %s already belongs to another device", addr);
			return -1;
		}
		if (record(r, g, nym, requested, longterm_pub, 1, 0, err, errlen) < 0)
			return -1;
		if (!s && insert(r, requested, g->gid, nym) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(id, requested, XTT_ID_LEN);
		return 0;
	}
	memcpy(cand, g->prefix, 8);
	for (uint32_t n = 0; n < MAX_DERIVATIONS; n++) {
		const struct registry_slot *s;

		registry_derive(cand + 8, g->gid, nym, n);
		if (registry_iid_reserved(cand + 8))
			continue;
		s = lookup(r, cand);
		if (s && !same_device(s, g->gid, nym))
			continue;       /* collision: someone else holds it, try the next n */
		if (record(r, g, nym, cand, longterm_pub, 0, n, err, errlen) < 0)
			return -1;
		if (!s && insert(r, cand, g->gid, nym) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		memcpy(id, cand, XTT_ID_LEN);
		return 0;
	}
	snprintf(err, errlen, "no free address for this device in group %s after %d tries",
		 g->name, MAX_DERIVATIONS);
	return -1;
}

static int field_hex(uint8_t *out, size_t len, struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) &&
	       hex_decode(out, len, json_object_get_string(v)) == 0 ? 0 : -1;
}

int registry_replay(struct registry *r, const char *text, size_t len, const char *name,
		    char *err, size_t errlen)
{
	size_t pos = 0;
	unsigned line = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : len - pos;
		struct json_tokener *tok;
		struct json_object *o, *v;
		uint8_t id[XTT_ID_LEN], gid[XTT_GID_LEN], nym[XTT_PSEUDONYM_LEN];
		const struct registry_slot *s;

		line++;
		if (!nl)
			break;          /* a torn last line (crash mid-write) was never acknowledged */
		tok = json_tokener_new();
		if (!tok) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		o = json_tokener_parse_ex(tok, text + pos, (int)llen);
		if (!o || json_tokener_get_parse_end(tok) != llen) {
			snprintf(err, errlen, "%s:%u:%zu: %s", name, line, json_tokener_get_parse_end(tok) + 1,
				 o ? "text after the JSON object" : json_tokener_error_desc(json_tokener_get_error(tok)));
			json_object_put(o);
			json_tokener_free(tok);
			return -1;
		}
		json_tokener_free(tok);
		if (!json_object_is_type(o, json_type_object) || field_hex(gid, sizeof(gid), o, "gid") < 0 ||
		    field_hex(nym, sizeof(nym), o, "pseudonym") < 0 ||
		    !json_object_object_get_ex(o, "identity", &v) || !json_object_is_type(v, json_type_string) ||
		    inet_pton(AF_INET6, json_object_get_string(v), id) != 1) {
			snprintf(err, errlen, "%s:%u:1: record needs gid, pseudonym (hex) and identity (IPv6)",
				 name, line);
			json_object_put(o);
			return -1;
		}
		json_object_put(o);
		s = lookup(r, id);
		if (s && !same_device(s, gid, nym)) {
			snprintf(err, errlen, "%s:%u:1: identity already recorded for another device", name, line);
			return -1;
		}
		if (!s && insert(r, id, gid, nym) < 0) {
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		pos += llen + 1;
	}
	return 0;
}

int registry_open(struct registry *r, const char *state_dir, char *err, size_t errlen)
{
	uint8_t *text = NULL;
	size_t len = 0;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->cap = 1024;
	r->slots = calloc(r->cap, sizeof(*r->slots));
	if (!r->slots || sodium_init() < 0) {
		snprintf(err, errlen, "out of memory");
		free(r->slots);
		return -1;
	}
	randombytes_buf(r->hash_key, sizeof(r->hash_key));
	if (!state_dir)
		return 0;
	if ((size_t)snprintf(r->path, sizeof(r->path), "%s/assignments.jsonl", state_dir) >= sizeof(r->path)) {
		snprintf(err, errlen, "%s: path too long", state_dir);
		registry_close(r);
		return -1;
	}
	r->fd = open(r->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (r->fd < 0) {
		snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
		registry_close(r);
		return -1;
	}
	if (file_read(&text, &len, r->path, (size_t)1 << 31, err, errlen) < 0 ||
	    registry_replay(r, (const char *)text, len, r->path, err, errlen) < 0) {
		free(text);
		registry_close(r);
		return -1;
	}
	/* Cut a torn last line so the next record starts on a line of its own. */
	if (len && text[len - 1] != '\n') {
		const char *last = memrchr(text, '\n', len);
		off_t keep = last ? (off_t)(last - (const char *)text) + 1 : 0;

		if (ftruncate(r->fd, keep) < 0) {
			snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
			free(text);
			registry_close(r);
			return -1;
		}
	}
	free(text);
	return 0;
}

void registry_close(struct registry *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->slots);
	r->slots = NULL;
	r->count = r->cap = 0;
}
