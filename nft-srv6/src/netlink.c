/* Netlink with nf_tables through libmnl: a consistent read of one table (generation id
 * before and after), and one batch sent as a single transaction carrying that generation
 * id, so a ruleset changed in between is refused by the kernel (ERESTART) instead of
 * being overwritten. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <libnftnl/udata.h>

#include "nft-srv6/src/netlink.h"

#define RECV_BUF (256 * 1024)

int nfts_nl_open(struct nl *nl, struct nftsrv6_error *err)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		nfts_error_set(err, 0, 0, NULL, 0, "cannot open a netfilter netlink socket: %s",
			  strerror(errno));
		if (nl->sock)
			mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	/* errors carry the kernel's message, and acks do not echo whole requests */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void nfts_nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

/* Whether the messages in buf include the end of the reply (NLMSG_DONE or an error/ack). */
static bool reply_ends(const void *buf, int len)
{
	const struct nlmsghdr *m = buf;

	for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len))
		if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

/* Send one request and run cb over the replies until the dump ends or the ack arrives.
 * A dump the kernel marks interrupted (the ruleset changed meanwhile) is read to its end
 * and reported as EINTR, so the caller can start over.  libmnl stops at the first marked
 * message, and the end of the dump may be in the same datagram (the kernel marks the
 * NLMSG_DONE itself when the change fell between the last two parts): look there first,
 * or the next receive would wait for a message that never comes. */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char *buf = malloc(RECV_BUF);
	uint32_t seq = nlh->nlmsg_seq;
	bool interrupted = false;
	int ret;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		free(buf);
		return -1;
	}
	do {
		int got = (int)mnl_socket_recvfrom(nl->sock, buf, RECV_BUF);

		ret = got;
		if (got <= 0)
			break;
		if (!interrupted) {
			ret = mnl_cb_run(buf, (size_t)got, seq, nl->portid, cb, data);
			if (ret >= 0 || errno != EINTR)
				continue;
			interrupted = true;
		}
		ret = reply_ends(buf, got) ? 0 : 1;
	} while (ret > 0);
	free(buf);
	if (interrupted) {
		errno = EINTR;
		return -1;
	}
	return ret < 0 ? -1 : 0;
}

struct dump_ctx {
	struct snapshot *s;
	const char *table;
	uint32_t genid;
	bool interrupted;
	struct nftnl_set *set;     /* element dumps */
	bool nomem;
};

static int grow(void **arr, size_t n, size_t size)
{
	if ((n & (n - 1)) == 0) {
		void *p = realloc(*arr, (n ? n * 2 : 1) * size);

		if (!p)
			return -1;
		*arr = p;
	}
	return 0;
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;
	struct nftnl_gen *g = nftnl_gen_alloc();

	if (!g)
		return MNL_CB_ERROR;
	if (nftnl_gen_nlmsg_parse(nlh, g) == 0)
		dc->genid = nftnl_gen_get_u32(g, NFTNL_GEN_ID);
	nftnl_gen_free(g);
	return MNL_CB_OK;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;
	struct nftnl_table *t = nftnl_table_alloc();
	const char *comment = NULL;

	if (!t)
		return MNL_CB_ERROR;
	if (nftnl_table_nlmsg_parse(nlh, t) == 0) {
		dc->s->table_exists = true;
		if (nftnl_table_is_set(t, NFTNL_TABLE_USERDATA)) {
			uint32_t len = 0;
			const void *ud = nftnl_table_get_data(t, NFTNL_TABLE_USERDATA, &len);
			/* the comment is the first (and our only) user data attribute */
			if (len > 2 && ((const uint8_t *)ud)[0] == NFTNL_UDATA_TABLE_COMMENT &&
			    (size_t)((const uint8_t *)ud)[1] + 2 <= len)
				comment = (const char *)ud + 2;
			if (comment && ((const uint8_t *)ud)[1] == sizeof(OWNER_COMMENT) &&
			    !memcmp(comment, OWNER_COMMENT, sizeof(OWNER_COMMENT)))
				dc->s->owned = true;
		}
	}
	nftnl_table_free(t);
	return MNL_CB_OK;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		return MNL_CB_ERROR;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dc->interrupted = true;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0 ||
	    strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), dc->table)) {
		nftnl_chain_free(c);
		return MNL_CB_OK;
	}
	if (grow((void **)&dc->s->chains, dc->s->nchains, sizeof(*dc->s->chains))) {
		nftnl_chain_free(c);
		return MNL_CB_ERROR;
	}
	dc->s->chains[dc->s->nchains++] = c;
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		return MNL_CB_ERROR;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dc->interrupted = true;
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0 ||
	    strcmp(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), dc->table)) {
		nftnl_rule_free(r);
		return MNL_CB_OK;
	}
	if (grow((void **)&dc->s->rules, dc->s->nrules, sizeof(*dc->s->rules))) {
		nftnl_rule_free(r);
		return MNL_CB_ERROR;
	}
	dc->s->rules[dc->s->nrules++] = r;
	return MNL_CB_OK;
}

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		return MNL_CB_ERROR;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dc->interrupted = true;
	if (nftnl_set_nlmsg_parse(nlh, s) < 0 ||
	    strcmp(nftnl_set_get_str(s, NFTNL_SET_TABLE), dc->table)) {
		nftnl_set_free(s);
		return MNL_CB_OK;
	}
	if (grow((void **)&dc->s->sets, dc->s->nsets, sizeof(*dc->s->sets))) {
		nftnl_set_free(s);
		return MNL_CB_ERROR;
	}
	dc->s->sets[dc->s->nsets++] = s;
	return MNL_CB_OK;
}

static int elem_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *dc = data;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		dc->interrupted = true;
	nftnl_set_elems_nlmsg_parse(nlh, dc->set);
	return MNL_CB_OK;
}

void nfts_snapshot_release(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nchains; i++)
		nftnl_chain_free(s->chains[i]);
	for (i = 0; i < s->nrules; i++)
		nftnl_rule_free(s->rules[i]);
	for (i = 0; i < s->nsets; i++)
		nftnl_set_free(s->sets[i]);
	free(s->chains);
	free(s->rules);
	free(s->sets);
	memset(s, 0, sizeof(*s));
}

static int read_genid(struct nl *nl, uint32_t *genid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx dc = { 0 };
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK,
						     ++nl->seq);

	if (nl_talk(nl, nlh, gen_cb, &dc))
		return -1;
	*genid = dc.genid;
	return 0;
}

static int snapshot_once(struct snapshot *s, struct nl *nl, uint32_t family, const char *table,
			 bool *consistent)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx dc = { .s = s, .table = table };
	struct nlmsghdr *nlh;
	struct nftnl_table *t;
	uint32_t gen_after;

	if (read_genid(nl, &s->genid))
		return -1;
	t = nftnl_table_alloc();
	if (!t)
		return -1;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, table);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, (uint16_t)family, NLM_F_ACK, ++nl->seq);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (nl_talk(nl, nlh, table_cb, &dc)) {
		if (errno != ENOENT)
			return -1;
		s->table_exists = false;
	}
	if (s->table_exists) {
		struct nftnl_rule *r;
		struct nftnl_set *st;
		size_t i;

		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, (uint16_t)family, NLM_F_DUMP,
					    ++nl->seq);
		if (nl_talk(nl, nlh, chain_cb, &dc))
			return -1;
		r = nftnl_rule_alloc();
		if (!r)
			return -1;
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, (uint16_t)family, NLM_F_DUMP,
					    ++nl->seq);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		nftnl_rule_free(r);
		if (nl_talk(nl, nlh, rule_cb, &dc))
			return -1;
		st = nftnl_set_alloc();
		if (!st)
			return -1;
		nftnl_set_set_str(st, NFTNL_SET_TABLE, table);
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSET, (uint16_t)family, NLM_F_DUMP,
					    ++nl->seq);
		nftnl_set_nlmsg_build_payload(nlh, st);
		nftnl_set_free(st);
		if (nl_talk(nl, nlh, set_cb, &dc))
			return -1;
		for (i = 0; i < s->nsets; i++) {
			dc.set = s->sets[i];
			nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM, (uint16_t)family,
						    NLM_F_DUMP, ++nl->seq);
			nftnl_set_elems_nlmsg_build_payload(nlh, s->sets[i]);
			if (nl_talk(nl, nlh, elem_cb, &dc))
				return -1;
		}
	}
	if (read_genid(nl, &gen_after))
		return -1;
	*consistent = gen_after == s->genid && !dc.interrupted;
	return 0;
}

int nfts_snapshot_load(struct snapshot *s, struct nl *nl, uint32_t family, const char *table,
		  struct nftsrv6_error *err)
{
	int attempt;

	for (attempt = 0; attempt < 20; attempt++) {
		bool consistent = false;

		memset(s, 0, sizeof(*s));
		if (snapshot_once(s, nl, family, table, &consistent) && errno != EINTR) {
			nfts_error_set(err, 0, 0, NULL, 0, "cannot read table %s %s: %s",
				  family == NFPROTO_NETDEV ? "netdev" : "inet", table, strerror(errno));
			nfts_snapshot_release(s);
			return -1;
		}
		if (consistent)
			return 0;
		nfts_snapshot_release(s);
	}
	nfts_error_set(err, 0, 0, NULL, 0, "table %s keeps changing while being read", table);
	return -1;
}

/* ------------------------------------------------------------------ batch */

void nfts_nlbatch_init(struct nlbatch *b, uint32_t first_seq, uint32_t genid)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	memset(b, 0, sizeof(*b));
	b->first_seq = first_seq;
	nlh = (struct nlmsghdr *)nfts_nlbatch_reserve(b, 64);
	if (!nlh)
		return;
	nlh = mnl_nlmsg_put_header(nlh);
	nlh->nlmsg_type = NFNL_MSG_BATCH_BEGIN;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = first_seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	if (genid)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	nfts_nlbatch_commit_msg(b, &(struct msgtag){ .what = "begin the transaction" });
}

char *nfts_nlbatch_reserve(struct nlbatch *b, size_t room)
{
	if (b->failed)
		return NULL;
	if (b->cap - b->len < room) {
		size_t cap = b->cap ? b->cap : 65536;
		char *p;

		while (cap - b->len < room)
			cap *= 2;
		p = realloc(b->buf, cap);
		if (!p) {
			b->failed = true;
			return NULL;
		}
		b->buf = p;
		b->cap = cap;
	}
	memset(b->buf + b->len, 0, room);
	return b->buf + b->len;
}

void nfts_nlbatch_commit_msg(struct nlbatch *b, const struct msgtag *tag)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(b->buf + b->len);
	struct msgtag *tags;

	if (b->failed)
		return;
	if (grow((void **)&b->tags, b->nmsg, sizeof(*b->tags))) {
		b->failed = true;
		return;
	}
	tags = b->tags;
	tags[b->nmsg++] = *tag;
	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
}

uint32_t nfts_nlbatch_next_seq(const struct nlbatch *b)
{
	return b->first_seq + (uint32_t)b->nmsg;
}

void nfts_nlbatch_finish(struct nlbatch *b)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;

	/* the last real message asks for an ack: seeing it means the kernel answered all */
	if (b->nmsg > 1 && !b->failed) {
		size_t off = 0, i;

		for (i = 0; i + 1 < b->nmsg; i++)
			off += NLMSG_ALIGN(((struct nlmsghdr *)(b->buf + off))->nlmsg_len);
		((struct nlmsghdr *)(b->buf + off))->nlmsg_flags |= NLM_F_ACK;
	}
	nlh = (struct nlmsghdr *)nfts_nlbatch_reserve(b, 64);
	if (!nlh)
		return;
	nlh = mnl_nlmsg_put_header(nlh);
	nlh->nlmsg_type = NFNL_MSG_BATCH_END;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = nfts_nlbatch_next_seq(b);
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(NFNL_SUBSYS_NFTABLES);
	nfts_nlbatch_commit_msg(b, &(struct msgtag){ .what = "end the transaction" });
}

void nfts_nlbatch_release(struct nlbatch *b)
{
	free(b->buf);
	free(b->tags);
	memset(b, 0, sizeof(*b));
}

static void set_bufsize(struct nl *nl, int force_opt, int opt, size_t want)
{
	int cur = 0;
	socklen_t len = sizeof(cur);
	int fd = mnl_socket_get_fd(nl->sock);
	int v = want > 1 << 30 ? 1 << 30 : (int)want;

	if (getsockopt(fd, SOL_SOCKET, opt, &cur, &len) == 0 && cur >= v)
		return;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

int nfts_nl_commit(struct nl *nl, struct nlbatch *b, uint64_t *handles, struct nftsrv6_error *err)
{
	char *buf;
	ssize_t n;
	uint32_t last_seq = b->first_seq + (uint32_t)b->nmsg - 2;
	bool acked = false, restart = false;
	int error = 0, recv_error = 0;
	size_t error_msg = 0;
	char ext[NFTSRV6_MESSAGE_MAX] = "";

	if (b->failed) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory while building the transaction");
		return -1;
	}
	set_bufsize(nl, SO_SNDBUFFORCE, SO_SNDBUF, b->len + 65536);
	set_bufsize(nl, SO_RCVBUFFORCE, SO_RCVBUF, 4 * b->len + (8u << 20));
	if (mnl_socket_sendto(nl->sock, b->buf, b->len) < 0) {
		nfts_error_set(err, 0, 0, NULL, 0, "cannot send the transaction: %s", strerror(errno));
		return -1;
	}
	buf = malloc(RECV_BUF);
	if (!buf) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	/* nfnetlink runs the batch inside sendmsg: every answer is queued by now */
	while ((n = recv(mnl_socket_get_fd(nl->sock), buf, RECV_BUF, MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			size_t idx = nlh->nlmsg_seq - b->first_seq;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				idx = e->msg.nlmsg_seq - b->first_seq;
				if (e->error == 0) {
					if (e->msg.nlmsg_seq == last_seq)
						acked = true;
					continue;
				}
				if (-e->error == ERESTART) {
					restart = true;
					continue;
				}
				if (!error || idx < error_msg) {
					error = -e->error;
					error_msg = idx;
					ext[0] = '\0';
					if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
						const struct nlattr *attr;
						size_t off = sizeof(*e) + ((nlh->nlmsg_flags & NLM_F_CAPPED) ?
									   0 : e->msg.nlmsg_len -
									   sizeof(struct nlmsghdr));

						mnl_attr_for_each(attr, nlh, off) {
							if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
								snprintf(ext, sizeof(ext), ": %s",
									 mnl_attr_get_str(attr));
						}
					}
				}
			} else if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE && idx < b->nmsg &&
				   b->tags[idx].echo && handles) {
				struct nftnl_rule *r = nftnl_rule_alloc();

				if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0)
					handles[idx] = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
				if (r)
					nftnl_rule_free(r);
			}
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		recv_error = errno;   /* e.g. ENOBUFS: answers were dropped */
	free(buf);
	if (restart)
		return -2;
	if (error) {
		const struct msgtag *t = error_msg < b->nmsg ? &b->tags[error_msg] : NULL;

		if (t && t->line)
			nfts_error_set(err, t->line, 0, NULL, 0, "the kernel refused to %s: %s%s", t->what,
				  strerror(error), ext);
		else
			nfts_error_set(err, 0, 0, NULL, 0, "the kernel refused the transaction: %s%s",
				  strerror(error), ext);
		return -1;
	}
	if (!acked) {
		if (recv_error)
			nfts_error_set(err, 0, 0, NULL, 0, "cannot read the kernel's answer to the "
				       "transaction (%s): it may have been applied", strerror(recv_error));
		else
			nfts_error_set(err, 0, 0, NULL, 0, "the kernel did not confirm the transaction");
		return -1;
	}
	return 0;
}
