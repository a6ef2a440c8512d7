/* Group database parsing (errors with file:line:col) and identity assignment: stable per
 * device, distinct across devices, collisions resolved, requests by policy, and the record
 * replayed after a restart. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/registry.h"
#include "provisioning/xtt/src/util.h"
#include "provisioning/xtt/tests/fixture.h"

static char dir[] = "/tmp/xtt-identity-XXXXXX";
static struct fx_group ga, gb;

static void write_file(const char *name, const void *buf, size_t len)
{
	char path[256], err[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(file_write_atomic(path, buf, len, 0644, err, sizeof(err)), 0, "%s", err);
}

static void setup(void)
{
	uint8_t enc[ECDAA_GROUP_PUBLIC_KEY_LEN];

	cr_assert_not_null(mkdtemp(dir));
	fx_group_new(&ga, "BASENAME");
	fx_group_new(&gb, "plant-b");
	ecdaa_group_public_key_encode(enc, &ga.ipk.gpk);
	write_file("a.gpk", enc, sizeof(enc));
	ecdaa_group_public_key_encode(enc, &gb.ipk.gpk);
	write_file("b.gpk", enc, sizeof(enc));
	write_file("b.bsn", "plant-b", 7);
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(identity, .init = setup, .fini = teardown);

static int parse(struct group_db *db, const char *text, char *err, size_t errlen)
{
	return groupdb_parse(db, text, strlen(text), "groups.conf", dir, err, errlen);
}

static const char good[] =
	"# plants\n"
	"group plant-a gpk=a.gpk basename-text=BASENAME prefix=2001:db8:0:a::/64\n"
	"\n"
	"group plant-b gpk=b.gpk basename=b.bsn prefix=2001:db8:0:b::/64 requested=prefix  # comment\n";

Test(identity, group_database)
{
	struct group_db db;
	char err[512];
	const struct group_entry *g;

	cr_assert_eq(parse(&db, good, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db.count, 2);
	g = groupdb_find(&db, ga.gid);
	cr_assert_not_null(g);
	cr_assert_str_eq(g->name, "plant-a");
	cr_assert_eq(g->requested, REQUESTED_REFUSE);
	cr_assert_eq(g->prefix[7], 0x0a);
	g = groupdb_find(&db, gb.gid);
	cr_assert_not_null(g);
	cr_assert_eq(g->requested, REQUESTED_PREFIX);
	cr_assert_eq(g->basename_len, 7);
	cr_assert_null(g->server_group.revocations);
	groupdb_free(&db);
}

struct bad_conf {
	const char *text;
	const char *want;
};

Test(identity, group_database_errors_say_where)
{
	static const struct bad_conf cases[] = {
		{ "grp x gpk=a.gpk\n", "groups.conf:1:1: expected 'group'" },
		{ "\ngroup a gpk=a.gpk basename-text=B prefix=2001:db8::/48\n", "groups.conf:2:35: prefix: '2001:db8::/48' is not an IPv6 /64" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::1/64\n", "prefix: '2001:db8::1/64' has bits set" },
		{ "group a gpk=missing.gpk basename-text=B prefix=2001:db8::/64\n", "groups.conf:1:9: gpk:" },
		{ "group a gpk=b.bsn basename-text=B prefix=2001:db8::/64\n", "groups.conf:1:9: gpk:" },
		{ "group a gpk=a.gpk prefix=2001:db8::/64\n", "needs basename=FILE or basename-text=TEXT" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::/64 colour=red\n", "groups.conf:1:56: unknown setting 'colour'" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::/64 requested=any\n", "requested: 'any'" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::/64\ngroup a gpk=b.gpk basename-text=B prefix=2001:db8:1::/64\n", "groups.conf:2:7: group 'a' is defined twice" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::/64\ngroup b gpk=b.gpk basename-text=B prefix=2001:db8::/64\n", "groups.conf:2:1: group uses the same prefix as 'a'" },
		{ "group a gpk=a.gpk basename-text=B prefix=2001:db8::/64\ngroup b gpk=a.gpk basename-text=B prefix=2001:db8:1::/64\n", "same gpk and basename" },
		{ "# nothing\n", "no group defined" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct group_db db;
		char err[512] = "";

		cr_assert_eq(parse(&db, cases[i].text, err, sizeof(err)), -1, "case %zu accepted", i);
		cr_assert(strstr(err, cases[i].want), "case %zu: '%s' lacks '%s'", i, err, cases[i].want);
		cr_assert_eq(db.count, 0);
	}
}

static void nym_of(uint8_t nym[XTT_PSEUDONYM_LEN], uint8_t seed)
{
	nym[0] = 0x04;
	for (int i = 1; i < XTT_PSEUDONYM_LEN; i++)
		nym[i] = (uint8_t)(seed * 31 + i);
}

static const uint8_t zero[XTT_ID_LEN];
static const uint8_t pub[XTT_ECDSA_PUB_LEN] = { 0x04, 1, 2, 3 };

Test(identity, stable_distinct_and_recorded)
{
	struct group_db db;
	struct registry r;
	char err[512];
	uint8_t nym1[65], nym2[65], id1[16], id1b[16], id2[16], iid[8];
	const struct group_entry *g;

	cr_assert_eq(parse(&db, good, err, sizeof(err)), 0, "%s", err);
	g = groupdb_find(&db, ga.gid);
	nym_of(nym1, 1);
	nym_of(nym2, 2);
	cr_assert_eq(registry_open(&r, dir, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(registry_assign(&r, id1, g, nym1, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(registry_assign(&r, id2, g, nym2, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(registry_assign(&r, id1b, g, nym1, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert(memcmp(id1, id1b, 16) == 0, "same device, same address");
	cr_assert(memcmp(id1, id2, 16) != 0, "other device, other address");
	cr_assert(memcmp(id1, g->prefix, 8) == 0, "inside the group's /64");
	registry_derive(iid, g->gid, nym1, 0);
	cr_assert(memcmp(id1 + 8, iid, 8) == 0, "IID is derivation 0");
	registry_close(&r);

	/* After a restart the record gives the same answers. */
	cr_assert_eq(registry_open(&r, dir, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(r.count, 2);
	cr_assert_eq(registry_assign(&r, id1b, g, nym1, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert(memcmp(id1, id1b, 16) == 0);
	registry_close(&r);

	/* The record: one JSON object a line with what the backbone policy needs. */
	{
		char path[256], addr[64];
		FILE *f;
		char line[2048];
		int lines = 0;

		snprintf(path, sizeof(path), "%s/assignments.jsonl", dir);
		f = fopen(path, "r");
		cr_assert_not_null(f);
		inet_ntop(AF_INET6, id1, addr, sizeof(addr));
		while (fgets(line, sizeof(line), f)) {
			struct json_object *o = json_tokener_parse(line), *v;

			cr_assert_not_null(o, "line %d is JSON", lines + 1);
			cr_assert(json_object_object_get_ex(o, "time", &v));
			cr_assert(json_object_object_get_ex(o, "group", &v));
			cr_assert_str_eq(json_object_get_string(v), "plant-a");
			cr_assert(json_object_object_get_ex(o, "pseudonym", &v));
			cr_assert_eq(strlen(json_object_get_string(v)), 130);
			cr_assert(json_object_object_get_ex(o, "longterm_key", &v));
			cr_assert_eq(strncmp(json_object_get_string(v), "04010203", 8), 0);
			cr_assert(json_object_object_get_ex(o, "identity", &v));
			if (lines == 0)
				cr_assert_str_eq(json_object_get_string(v), addr);
			json_object_put(o);
			lines++;
		}
		fclose(f);
		cr_assert_eq(lines, 4);
		unlink(path);
	}
	groupdb_free(&db);
}

Test(identity, collision_moves_the_newcomer)
{
	struct group_db db;
	struct registry r;
	char err[512], rec[600], addr[64], hex[140];
	uint8_t nym1[65], nym2[65], taken[16], id[16], again[16], iid1[8];
	const struct group_entry *g;

	cr_assert_eq(parse(&db, good, err, sizeof(err)), 0, "%s", err);
	g = groupdb_find(&db, ga.gid);
	nym_of(nym1, 1);
	nym_of(nym2, 2);
	/* Another device already holds the address device 1 would derive first. */
	memcpy(taken, g->prefix, 8);
	registry_derive(taken + 8, g->gid, nym1, 0);
	inet_ntop(AF_INET6, taken, addr, sizeof(addr));
	hex_encode(hex, nym2, 65);
	{
		char gidhex[65];

		hex_encode(gidhex, g->gid, 32);
		snprintf(rec, sizeof(rec), "{\"gid\":\"%s\",\"pseudonym\":\"%s\",\"identity\":\"%s\"}\n",
			 gidhex, hex, addr);
	}
	cr_assert_eq(registry_open(&r, NULL, err, sizeof(err)), 0);
	cr_assert_eq(registry_replay(&r, rec, strlen(rec), "state", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(registry_assign(&r, id, g, nym1, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert(memcmp(id, taken, 16) != 0, "collision detected");
	registry_derive(iid1, g->gid, nym1, 1);
	cr_assert(memcmp(id + 8, iid1, 8) == 0, "resolved with derivation 1");
	/* The holder keeps its address: device 1 is sent to derivation 1 again. */
	cr_assert_eq(registry_assign(&r, again, g, nym1, zero, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert(memcmp(again, id, 16) == 0, "device 1 keeps derivation 1");
	/* Device 2 cannot ask for it either: plant-a honours no requests. */
	cr_assert_eq(registry_assign(&r, id, g, nym2, taken, pub, err, sizeof(err)), -1,
		     "group plant-a refuses requests");
	registry_close(&r);
	groupdb_free(&db);
}

Test(identity, requested_identities_by_policy)
{
	struct group_db db;
	struct registry r;
	char err[512];
	uint8_t nym1[65], nym2[65], id[16];
	uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x0b, [15] = 0x77 };
	uint8_t outside[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x0c, [15] = 0x77 };
	uint8_t reserved[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x0b, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
	const struct group_entry *a, *b;

	cr_assert_eq(parse(&db, good, err, sizeof(err)), 0, "%s", err);
	a = groupdb_find(&db, ga.gid);
	b = groupdb_find(&db, gb.gid);
	nym_of(nym1, 1);
	nym_of(nym2, 2);
	cr_assert_eq(registry_open(&r, NULL, err, sizeof(err)), 0);
	cr_assert_eq(registry_assign(&r, id, a, nym1, want, pub, err, sizeof(err)), -1);
	cr_assert(strstr(err, "does not honour requested identities"), "%s", err);
	cr_assert_eq(registry_assign(&r, id, b, nym1, want, pub, err, sizeof(err)), 0, "%s", err);
	cr_assert(memcmp(id, want, 16) == 0);
	cr_assert_eq(registry_assign(&r, id, b, nym1, want, pub, err, sizeof(err)), 0, "same device again");
	cr_assert_eq(registry_assign(&r, id, b, nym2, want, pub, err, sizeof(err)), -1);
	cr_assert(strstr(err, "already belongs to another device"), "%s", err);
	cr_assert_eq(registry_assign(&r, id, b, nym2, outside, pub, err, sizeof(err)), -1);
	cr_assert(strstr(err, "outside group plant-b's /64 or reserved"), "%s", err);
	cr_assert_eq(registry_assign(&r, id, b, nym2, reserved, pub, err, sizeof(err)), -1);
	registry_close(&r);
	groupdb_free(&db);
}

Test(identity, reserved_iids)
{
	static const uint8_t z[8], sra[8] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80 },
		pm[8] = { 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x52, 0x13 },
		ok1[8] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f },
		ok2[8] = { 0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x52, 0x14 };

	cr_assert(registry_iid_reserved(z));
	cr_assert(registry_iid_reserved(sra));
	cr_assert(registry_iid_reserved(pm));
	cr_assert(!registry_iid_reserved(ok1));
	cr_assert(!registry_iid_reserved(ok2));
}

Test(identity, replay_errors_and_torn_last_line)
{
	struct registry r;
	char err[512];
	static const char torn[] = "{\"gid\":\"00\"";   /* no newline: ignored */
	static const char bad[] = "{\"gid\": 5}\n";
	static const char junk[] = "{\"gid\":\"00\"} x\n";

	cr_assert_eq(registry_open(&r, NULL, err, sizeof(err)), 0);
	cr_assert_eq(registry_replay(&r, torn, strlen(torn), "s", err, sizeof(err)), 0);
	cr_assert_eq(registry_replay(&r, bad, strlen(bad), "s", err, sizeof(err)), -1);
	cr_assert(strstr(err, "s:1:1: record needs gid"), "%s", err);
	cr_assert_eq(registry_replay(&r, junk, strlen(junk), "s", err, sizeof(err)), -1);
	cr_assert(strstr(err, "s:1:"), "%s", err);
	registry_close(&r);
}
