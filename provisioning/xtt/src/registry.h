/* registry.h: identity assignment and its record.
 *
 * A device is known by its pseudonym within its group.  Unless it asks for an address, it
 * gets prefix(64) | IID where IID is the first 8 bytes of SHA-256("sr6 xtt iid v1" | GID |
 * pseudonym | BE32(n)) for the smallest n whose IID is neither reserved (RFC 5453) nor held
 * by another device: the same device gets the same address again, a collision moves the
 * newcomer to the next n.  A requested address is honoured when the group allows it, it lies
 * in the group's /64 and no other device holds it.
 *
 * Every assignment is appended to STATE_DIR/assignments.jsonl (one JSON object a line:
 * time, group, gid, pseudonym, identity, longterm_key, requested, n) and flushed to disk
 * before the identity is handed out; opening the registry replays that file, so addresses
 * survive restarts and the backbone policy can be generated from it. */
#ifndef SR6_XTT_REGISTRY_H
#define SR6_XTT_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/xtt/include/xtt.h"
#include "provisioning/xtt/src/groupdb.h"

struct registry_slot;

struct registry {
	int fd;                         /* assignments.jsonl, append; -1 for a memory-only registry */
	char path[4096];
	struct registry_slot *slots;    /* open addressing, keyed by identity */
	size_t cap, count;
	uint8_t hash_key[16];
};

/* state_dir NULL: keep assignments in memory only (tests, fuzzing). */
int registry_open(struct registry *r, const char *state_dir, char *err, size_t errlen);
/* Replays JSON lines (what registry_open does with the file); name is for messages. */
int registry_replay(struct registry *r, const char *text, size_t len, const char *name,
		    char *err, size_t errlen);
void registry_close(struct registry *r);

/* Chooses and records the identity of a device; -1 with err if refused or not recorded. */
int registry_assign(struct registry *r, uint8_t id[XTT_ID_LEN], const struct group_entry *g,
		    const uint8_t nym[XTT_PSEUDONYM_LEN], const uint8_t requested[XTT_ID_LEN],
		    const uint8_t longterm_pub[XTT_ECDSA_PUB_LEN], char *err, size_t errlen);

/* The IID candidate n for a device (exposed for tests). */
void registry_derive(uint8_t iid[8], const uint8_t gid[XTT_GID_LEN],
		     const uint8_t nym[XTT_PSEUDONYM_LEN], uint32_t n);
/* 1 for IIDs RFC 5453 reserves (subnet-router anycast, the reserved anycast range,
 * the proxy-mobile range). */
int registry_iid_reserved(const uint8_t iid[8]);

#endif
