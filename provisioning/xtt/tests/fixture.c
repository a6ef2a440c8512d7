/* fixture.c: key material and an in-memory client/server run for the handshake tests. */
#include "provisioning/xtt/tests/fixture.h"

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <sodium.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"

void fx_gid(uint8_t gid[XTT_GID_LEN], const struct ecdaa_group_public_key *gpk,
	    const uint8_t *bsn, size_t bsn_len)
{
	uint8_t enc[ECDAA_GROUP_PUBLIC_KEY_LEN];
	crypto_hash_sha256_state st;

	ecdaa_group_public_key_encode(enc, gpk);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, enc, sizeof(enc));
	crypto_hash_sha256_update(&st, bsn, bsn_len);
	crypto_hash_sha256_final(&st, gid);
}

void fx_group_new(struct fx_group *g, const char *basename)
{
	cr_assert_eq(ecdaa_init(), 0);
	cr_assert_eq(ecdaa_issuer_key_pair_generate(&g->ipk, &g->isk), 0);
	g->basename_len = strlen(basename);
	cr_assert(g->basename_len <= sizeof(g->basename));
	memcpy(g->basename, basename, g->basename_len);
	fx_gid(g->gid, &g->ipk.gpk, g->basename, g->basename_len);
}

void fx_member_join(struct fx_member *m, const struct fx_group *g)
{
	static const uint8_t nonce[] = "join nonce";
	struct ecdaa_credential_signature cs;

	cr_assert_eq(ecdaa_member_key_pair_generate(&m->pk, &m->sk, nonce, sizeof(nonce)), 0);
	cr_assert_eq(ecdaa_member_public_key_validate(&m->pk, nonce, sizeof(nonce), NULL), 0);
	cr_assert_eq(ecdaa_credential_generate(&m->cred, &cs, &g->isk, &m->pk), 0);
	cr_assert_eq(ecdaa_credential_validate(&m->cred, &cs, &m->pk, &g->ipk.gpk, NULL), 0);
}

void fx_pki_new(struct fx_pki *p, uint8_t root_id_last)
{
	uint8_t spub[XTT_ECDSA_PUB_LEN];

	memset(p, 0, sizeof(*p));
	cr_assert_eq(ecdsa_generate(&p->root_key), 0);
	cr_assert_eq(ecdsa_generate(&p->server_key), 0);
	p->root.id[15] = root_id_last;
	cr_assert_eq(ecdsa_public(p->root.pub, p->root_key), 0);
	cr_assert_eq(ecdsa_public(spub, p->server_key), 0);
	cr_assert_eq(server_cert_build(p->server.cert, (const uint8_t *)CERT_RESERVED_DEFAULT,
				       &p->root, p->root_key, spub), 0);
	p->server.key = p->server_key;
}

void fx_pki_free(struct fx_pki *p)
{
	EVP_PKEY_free(p->root_key);
	EVP_PKEY_free(p->server_key);
}

void fx_run_init(struct fx_run *r, const struct fx_pki *p, const struct fx_group *g,
		 const struct fx_member *m, const struct xtt_server_group *sg)
{
	memset(r, 0, sizeof(*r));
	r->ccfg.suite = XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512;
	r->ccfg.transcript = XTT_TRANSCRIPT_FULL;
	memcpy(r->ccfg.group.gid, g->gid, XTT_GID_LEN);
	r->ccfg.group.basename = g->basename;
	r->ccfg.group.basename_len = g->basename_len;
	r->ccfg.group.cred = &m->cred;
	r->ccfg.group.sk = &m->sk;
	r->scfg.transcript = XTT_TRANSCRIPT_FULL;
	r->scfg.cert = &p->server;
	r->root = &p->root;
	r->group = sg;
}

int fx_ends_with_error(const uint8_t *stream, size_t len)
{
	static const uint8_t err[4] = { 0x41, 0x00, 0x04, 0x01 };

	return len >= 4 && memcmp(stream + len - 4, err, 4) == 0;
}

struct side {
	struct xtt_handshake *hs;
	enum xtt_status st;
	struct xtt_io io;
	uint8_t *out;           /* this side's outgoing stream */
	size_t *out_len;
	const uint8_t *in;      /* the peer's outgoing stream */
	const size_t *in_len;
	size_t in_pos;
	int closed;             /* stopped writing (simulated close) */
};

static int terminal(enum xtt_status st)
{
	return st == XTT_DONE || st == XTT_FAILED;
}

/* One step of one side; returns 1 if it made progress. */
static int step(struct fx_run *r, struct side *s, struct side *peer, int is_client)
{
	size_t n;

	switch (s->st) {
	case XTT_WANT_WRITE:
		n = s->io.len;
		if (r->chunk && n > r->chunk)
			n = r->chunk;
		if (is_client && r->client_stop_after && *s->out_len + n > r->client_stop_after) {
			n = r->client_stop_after - *s->out_len;
			if (n == 0) {
				s->closed = 1;
				return 0;
			}
		}
		cr_assert(*s->out_len + n <= 2048);
		memcpy(s->out + *s->out_len, s->io.buf, n);
		if (r->tamper.active && r->tamper.dir == (is_client ? FX_C2S : FX_S2C) &&
		    r->tamper.offset >= *s->out_len && r->tamper.offset < *s->out_len + n)
			s->out[r->tamper.offset] ^= r->tamper.xor_mask;
		*s->out_len += n;
		s->st = xtt_handshake_io(s->hs, n, &s->io);
		return 1;
	case XTT_WANT_READ:
		n = *s->in_len - s->in_pos;
		if (n == 0) {
			/* The peer will never write again: it finished, failed or closed. */
			if (terminal(peer->st) || peer->closed) {
				s->st = xtt_handshake_io(s->hs, 0, &s->io);
				return 1;
			}
			return 0;
		}
		if (n > s->io.len)
			n = s->io.len;
		if (r->chunk && n > r->chunk)
			n = r->chunk;
		memcpy(s->io.buf, s->in + s->in_pos, n);
		s->in_pos += n;
		s->st = xtt_handshake_io(s->hs, n, &s->io);
		return 1;
	case XTT_WANT_ROOT:
		if (r->before_root)
			r->before_root(s->hs);
		s->st = xtt_client_set_root(s->hs, r->root, &s->io);
		return 1;
	case XTT_WANT_GROUP:
		s->st = xtt_server_set_group(s->hs, r->group, &s->io);
		return 1;
	case XTT_WANT_IDENTITY: {
		uint8_t id[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
		static const uint8_t zero[XTT_ID_LEN];

		if (memcmp(r->identity, zero, XTT_ID_LEN))
			memcpy(id, r->identity, XTT_ID_LEN);
		else if (memcmp(xtt_server_requested_id(s->hs), zero, XTT_ID_LEN))
			memcpy(id, xtt_server_requested_id(s->hs), XTT_ID_LEN);
		if (r->before_identity)
			r->before_identity(s->hs);
		s->st = xtt_server_set_identity(s->hs, id, &s->io);
		return 1;
	}
	default:
		return 0;
	}
}

void fx_run(struct fx_run *r)
{
	struct side c = { 0 }, s = { 0 };
	int guard = 0;

	cr_assert_eq(xtt_client_new(&c.hs, &r->ccfg), 0);
	cr_assert_eq(xtt_server_new(&s.hs, &r->scfg), 0);
	c.out = r->c2s;
	c.out_len = &r->c2s_len;
	c.in = r->s2c;
	c.in_len = &r->s2c_len;
	s.out = r->s2c;
	s.out_len = &r->s2c_len;
	s.in = r->c2s;
	s.in_len = &r->c2s_len;
	c.st = xtt_handshake_start(c.hs, &c.io);
	s.st = xtt_handshake_start(s.hs, &s.io);
	while (!(terminal(c.st) && terminal(s.st))) {
		int progress = step(r, &c, &s, 1);

		progress |= step(r, &s, &c, 0);
		if (!progress) {
			/* A side that closed its writing half makes the peer see EOF. */
			if (c.closed && !terminal(c.st))
				c.st = xtt_handshake_abort(c.hs, XTT_E_PEER_CLOSED, "test client closed", &c.io);
			else
				break;
		}
		cr_assert(++guard < 100000, "handshake does not progress");
	}
	r->cst = c.st;
	r->sst = s.st;
	r->cerr = xtt_handshake_error(c.hs);
	r->serr = xtt_handshake_error(s.hs);
	snprintf(r->cdetail, sizeof(r->cdetail), "%s", xtt_handshake_error_detail(c.hs));
	snprintf(r->sdetail, sizeof(r->sdetail), "%s", xtt_handshake_error_detail(s.hs));
	memcpy(r->cid, xtt_handshake_identity(c.hs), XTT_ID_LEN);
	memcpy(r->sid, xtt_handshake_identity(s.hs), XTT_ID_LEN);
	memcpy(r->cnym, xtt_handshake_pseudonym(c.hs), XTT_PSEUDONYM_LEN);
	memcpy(r->snym, xtt_handshake_pseudonym(s.hs), XTT_PSEUDONYM_LEN);
	memcpy(r->cpub, xtt_handshake_longterm_pub(c.hs), XTT_ECDSA_PUB_LEN);
	memcpy(r->spub, xtt_handshake_longterm_pub(s.hs), XTT_ECDSA_PUB_LEN);
	if (r->keep) {
		r->client = c.hs;
		r->server = s.hs;
	} else {
		xtt_handshake_free(c.hs);
		xtt_handshake_free(s.hs);
	}
}
