/* groupdb.c: the group database file. */
#include "provisioning/xtt/src/groupdb.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "provisioning/xtt/src/util.h"

#define MAX_GROUPS 4096
#define MAX_REVOKED 100000

void group_id(uint8_t gid[XTT_GID_LEN], const struct ecdaa_group_public_key *gpk,
	      const uint8_t *basename, size_t basename_len)
{
	uint8_t enc[ECDAA_GROUP_PUBLIC_KEY_LEN];
	crypto_hash_sha256_state st;

	ecdaa_group_public_key_encode(enc, gpk);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, enc, sizeof(enc));
	crypto_hash_sha256_update(&st, basename, basename_len);
	crypto_hash_sha256_final(&st, gid);
}

static void entry_free(struct group_entry *g)
{
	free(g->basename);
	free(g->sk_rev);
	free(g->nym_rev);
	sodium_memzero(g, sizeof(*g));
}

void groupdb_free(struct group_db *db)
{
	for (size_t i = 0; i < db->count; i++)
		entry_free(&db->groups[i]);
	free(db->groups);
	db->groups = NULL;
	db->count = 0;
}

const struct group_entry *groupdb_find(const struct group_db *db, const uint8_t gid[XTT_GID_LEN])
{
	for (size_t i = 0; i < db->count; i++)
		if (!memcmp(db->groups[i].gid, gid, XTT_GID_LEN))
			return &db->groups[i];
	return NULL;
}

struct parse {
	const char *name, *basedir;
	unsigned line;
	const char *line_start;
	char *err;
	size_t errlen;
};

static int perr(const struct parse *p, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(const struct parse *p, const char *at, const char *fmt, ...)
{
	char what[PATH_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u:%ld: %s", p->name, p->line, (long)(at - p->line_start) + 1, what);
	return -1;
}

static void resolve(char *out, size_t len, const struct parse *p, const char *path)
{
	if (path[0] == '/' || !p->basedir)
		snprintf(out, len, "%s", path);
	else
		snprintf(out, len, "%s/%s", p->basedir, path);
}

/* Reads a file named by a setting; errors point at the value. */
static int read_setting_file(uint8_t **buf, size_t *len, size_t max, const struct parse *p,
			     const char *at, const char *key, const char *value)
{
	char path[PATH_MAX], why[PATH_MAX + 128];

	resolve(path, sizeof(path), p, value);
	if (file_read(buf, len, path, max, why, sizeof(why)) < 0)
		return perr(p, at, "%s: %s", key, why);
	return 0;
}

static int set_gpk(struct group_entry *g, const struct parse *p, const char *at, const char *value)
{
	uint8_t *buf;
	size_t len;
	struct ecdaa_error e = { 0 };

	if (read_setting_file(&buf, &len, ECDAA_GROUP_PUBLIC_KEY_LEN, p, at, "gpk", value) < 0)
		return -1;
	if (ecdaa_group_public_key_decode(&g->gpk, buf, len, &e) < 0) {
		char why[160];

		free(buf);
		ecdaa_error_format(why, sizeof(why), &e);
		return perr(p, at, "gpk: %s: %s", value, why);
	}
	free(buf);
	return 0;
}

static int set_prefix(struct group_entry *g, const struct parse *p, const char *at, const char *value)
{
	char addr[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(value, '/');
	uint8_t a[16];

	if (!slash || strcmp(slash, "/64") != 0 || (size_t)(slash - value) >= sizeof(addr))
		return perr(p, at, "prefix: '%s' is not an IPv6 /64", value);
	memcpy(addr, value, (size_t)(slash - value));
	addr[slash - value] = '\0';
	if (inet_pton(AF_INET6, addr, a) != 1)
		return perr(p, at, "prefix: '%s' is not an IPv6 address", addr);
	for (int i = 8; i < 16; i++)
		if (a[i])
			return perr(p, at, "prefix: '%s' has bits set after the first 64", value);
	memcpy(g->prefix, a, 8);
	return 0;
}

static int set_revocations(struct group_entry *g, const struct parse *p, const char *at,
			   const char *key, const char *value, int nyms)
{
	uint8_t *buf;
	size_t len, count = 0;
	struct ecdaa_error e = { 0 };
	int rc;

	if (read_setting_file(&buf, &len, MAX_REVOKED * ECDAA_G1_LEN, p, at, key, value) < 0)
		return -1;
	if (nyms) {
		free(g->nym_rev);
		g->nym_rev = calloc(len / ECDAA_G1_LEN + 1, sizeof(*g->nym_rev));
		rc = g->nym_rev ? ecdaa_bsn_revocation_list_decode(g->nym_rev, len / ECDAA_G1_LEN + 1,
								   &count, buf, len, &e) : -1;
		g->rev.bsn_list = g->nym_rev;
		g->rev.bsn_count = count;
	} else {
		free(g->sk_rev);
		g->sk_rev = calloc(len / ECDAA_MEMBER_SECRET_KEY_LEN + 1, sizeof(*g->sk_rev));
		rc = g->sk_rev ? ecdaa_sk_revocation_list_decode(g->sk_rev, len / ECDAA_MEMBER_SECRET_KEY_LEN + 1,
								 &count, buf, len, &e) : -1;
		g->rev.sk_list = g->sk_rev;
		g->rev.sk_count = count;
	}
	sodium_memzero(buf, len);
	free(buf);
	if (rc < 0) {
		char why[160];

		ecdaa_error_format(why, sizeof(why), &e);
		return perr(p, at, "%s: %s", key, why);
	}
	return 0;
}

static int set_basename(struct group_entry *g, const struct parse *p, const char *at,
			const char *key, const char *value)
{
	free(g->basename);
	g->basename = NULL;
	if (!strcmp(key, "basename-text")) {
		g->basename_len = strlen(value);
		g->basename = (uint8_t *)strdup(value);
		if (!g->basename)
			return perr(p, at, "%s: out of memory", key);
	} else if (read_setting_file(&g->basename, &g->basename_len, XTT_BASENAME_MAX, p, at, key, value) < 0) {
		return -1;
	}
	if (g->basename_len == 0)
		return perr(p, at, "%s: the basename is empty (devices need one for a pseudonym)", key);
	return 0;
}

static int parse_setting(struct group_entry *g, const struct parse *p, char *tok, unsigned *seen)
{
	char *eq = strchr(tok, '=');
	const char *value;

	if (!eq)
		return perr(p, tok, "expected key=value, got '%s'", tok);
	*eq = '\0';
	value = eq + 1;
	if (!*value)
		return perr(p, tok, "%s: empty value", tok);
	if (!strcmp(tok, "gpk")) {
		*seen |= 1;
		return set_gpk(g, p, tok, value);
	}
	if (!strcmp(tok, "basename") || !strcmp(tok, "basename-text")) {
		*seen |= 2;
		return set_basename(g, p, tok, tok, value);
	}
	if (!strcmp(tok, "prefix")) {
		*seen |= 4;
		return set_prefix(g, p, tok, value);
	}
	if (!strcmp(tok, "requested")) {
		if (!strcmp(value, "refuse"))
			g->requested = REQUESTED_REFUSE;
		else if (!strcmp(value, "prefix"))
			g->requested = REQUESTED_PREFIX;
		else
			return perr(p, tok, "requested: '%s' is neither refuse nor prefix", value);
		return 0;
	}
	if (!strcmp(tok, "sk-revocations"))
		return set_revocations(g, p, tok, tok, value, 0);
	if (!strcmp(tok, "nym-revocations"))
		return set_revocations(g, p, tok, tok, value, 1);
	return perr(p, tok, "unknown setting '%s'", tok);
}

/* One "group NAME k=v..." line (modified in place). */
static int parse_line(struct group_db *db, struct parse *p, char *line)
{
	struct group_entry g = { 0 };
	char *save = NULL, *tok;
	unsigned seen = 0;

	tok = strtok_r(line, " \t", &save);
	if (!tok || tok[0] == '#')
		return 0;
	if (strcmp(tok, "group") != 0)
		return perr(p, tok, "expected 'group', got '%s'", tok);
	tok = strtok_r(NULL, " \t", &save);
	if (!tok)
		return perr(p, line + strlen(line), "group: missing name");
	if (strlen(tok) >= sizeof(g.name))
		return perr(p, tok, "group name '%s' is longer than 63 characters", tok);
	for (size_t i = 0; i < db->count; i++)
		if (!strcmp(db->groups[i].name, tok))
			return perr(p, tok, "group '%s' is defined twice", tok);
	snprintf(g.name, sizeof(g.name), "%s", tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (tok[0] == '#')
			break;
		if (parse_setting(&g, p, tok, &seen) < 0) {
			entry_free(&g);
			return -1;
		}
	}
	if (seen != 7) {
		entry_free(&g);
		return perr(p, line, "group '%s' needs %s", g.name,
			    !(seen & 1) ? "gpk=FILE" : !(seen & 2) ? "basename=FILE or basename-text=TEXT" : "prefix=IPV6/64");
	}
	group_id(g.gid, &g.gpk, g.basename, g.basename_len);
	for (size_t i = 0; i < db->count; i++) {
		if (!memcmp(db->groups[i].gid, g.gid, XTT_GID_LEN)) {
			entry_free(&g);
			return perr(p, line, "group has the same gpk and basename (GID) as '%s'", db->groups[i].name);
		}
		if (!memcmp(db->groups[i].prefix, g.prefix, 8)) {
			entry_free(&g);
			return perr(p, line, "group uses the same prefix as '%s'", db->groups[i].name);
		}
	}
	if (db->count == MAX_GROUPS) {
		entry_free(&g);
		return perr(p, line, "more than 4096 groups");
	}
	db->groups[db->count++] = g;
	return 0;
}

int groupdb_parse(struct group_db *db, const char *text, size_t len, const char *name,
		  const char *basedir, char *err, size_t errlen)
{
	struct parse p = { name, basedir, 0, NULL, err, errlen };
	size_t pos = 0;

	db->groups = calloc(MAX_GROUPS, sizeof(*db->groups));
	db->count = 0;
	if (!db->groups) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *line = malloc(llen + 1);
		int rc;

		if (!line) {
			groupdb_free(db);
			snprintf(err, errlen, "%s: out of memory", name);
			return -1;
		}
		memcpy(line, text + pos, llen);
		line[llen] = '\0';
		p.line++;
		p.line_start = line;
		if (memchr(line, '\0', llen) || strchr(line, '\r')) {
			rc = perr(&p, line, "line has a NUL or CR byte");
		} else {
			rc = parse_line(db, &p, line);
		}
		free(line);
		if (rc < 0) {
			groupdb_free(db);
			return -1;
		}
		pos += llen + 1;
	}
	if (db->count == 0) {
		snprintf(err, errlen, "%s: no group defined", name);
		groupdb_free(db);
		return -1;
	}
	for (size_t i = 0; i < db->count; i++) {
		struct group_entry *g = &db->groups[i];

		g->server_group.gpk = &g->gpk;
		g->server_group.basename = g->basename;
		g->server_group.basename_len = g->basename_len;
		g->server_group.revocations = (g->rev.sk_count || g->rev.bsn_count) ? &g->rev : NULL;
	}
	return 0;
}

int groupdb_load(struct group_db *db, const char *path, char *err, size_t errlen)
{
	uint8_t *text;
	size_t len;
	char dir[PATH_MAX];
	int rc;

	db->groups = NULL;
	db->count = 0;
	if (file_read(&text, &len, path, 1 << 22, err, errlen) < 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s", path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	rc = groupdb_parse(db, (const char *)text, len, path, dir[0] ? dir : "/", err, errlen);
	free(text);
	return rc;
}
