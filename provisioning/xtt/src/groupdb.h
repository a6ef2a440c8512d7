/* groupdb.h: the server's group database.  One group per line of a text file:
 *
 *   # name      settings
 *   group plant-a gpk=plant-a.gpk basename=plant-a.bsn prefix=2001:db8:0:1::/64 requested=prefix
 *
 * gpk: ECDAA group public key file (258 bytes); basename (file) or basename-text (the text
 * itself): the basename the group's devices sign with; prefix: the IPv6 /64 the group's
 * devices get addresses in (each group its own); requested: refuse (default) or prefix
 * (honour a device's requested address inside the prefix); sk-revocations / nym-revocations:
 * optional revocation list files (32-byte secret keys / 65-byte pseudonyms).  Relative paths
 * are relative to the file's folder.  The GID is SHA-256(gpk || basename). */
#ifndef SR6_XTT_GROUPDB_H
#define SR6_XTT_GROUPDB_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/include/xtt.h"

enum requested_policy { REQUESTED_REFUSE, REQUESTED_PREFIX };

struct group_entry {
	char name[64];
	uint8_t gid[XTT_GID_LEN];
	struct ecdaa_group_public_key gpk;
	uint8_t *basename;
	size_t basename_len;
	uint8_t prefix[8];
	enum requested_policy requested;
	struct ecdaa_member_secret_key *sk_rev;
	struct ecdaa_g1 *nym_rev;
	struct ecdaa_revocations rev;
	struct xtt_server_group server_group;   /* ready for xtt_server_set_group() */
};

struct group_db {
	struct group_entry *groups;
	size_t count;
};

/* Everything or nothing: on error db is empty and err says "file:line:col: what". */
int groupdb_load(struct group_db *db, const char *path, char *err, size_t errlen);
/* The same from text (basedir: where relative paths start). */
int groupdb_parse(struct group_db *db, const char *text, size_t len, const char *name,
		  const char *basedir, char *err, size_t errlen);
const struct group_entry *groupdb_find(const struct group_db *db, const uint8_t gid[XTT_GID_LEN]);
void groupdb_free(struct group_db *db);

/* SHA-256(gpk || basename) */
void group_id(uint8_t gid[XTT_GID_LEN], const struct ecdaa_group_public_key *gpk,
	      const uint8_t *basename, size_t basename_len);

#endif
