/*
 * routes.c: the seg6local routes of the SIDs, over rtnetlink with libmnl.  They are the
 * kernel's path for what the fast path hands over (hop limit, missing neighbour, SRH with
 * HMAC, ...), for interfaces sr6 is not attached to, and the only path of End.BPF.  Every
 * route sr6 installs carries the protocol SR6_RTPROT, which is how it finds its own.
 */
#include <errno.h>
#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>
#include <linux/seg6_local.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>

#include "agent/dataplane/routes.h"
#include "agent/policy/arena.h"

struct rtnl {
	struct mnl_socket *nl;
	uint32_t portid, seq;
	char *buf;
	char ext_msg[256];	/* the kernel's extended ack message of the last error */
};

int rtnl_open(struct rtnl **out)
{
	struct rtnl *r = xcalloc(1, sizeof(*r));
	int one = 1;

	r->nl = mnl_socket_open(NETLINK_ROUTE);
	if (!r->nl || mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		if (r->nl)
			mnl_socket_close(r->nl);
		free(r);
		errno = err;
		return -1;
	}
	/* The kernel says why it refuses a route (extended ack); the request is not echoed. */
	mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(r->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	r->portid = mnl_socket_get_portid(r->nl);
	r->seq = (uint32_t)time(NULL);
	r->buf = xmalloc(MNL_SOCKET_BUFFER_SIZE * 4);
	*out = r;
	return 0;
}

void rtnl_close(struct rtnl *r)
{
	if (!r)
		return;
	mnl_socket_close(r->nl);
	free(r->buf);
	free(r);
}

const char *rtnl_ext_msg(const struct rtnl *r)
{
	return r->ext_msg;
}

static int ext_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **msg = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = a;
	return MNL_CB_OK;
}

/* One exchange: the caller's callback and data for the answers, r for the errors. */
struct talk {
	struct rtnl *r;
	mnl_cb_t cb;
	void *data;
};

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct talk *t = arg;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

/* NLMSG_ERROR: an acknowledgement (error 0) or a refusal, with the kernel's message. */
static int error_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct talk *t = arg;
	const struct nlattr *msg = NULL;
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* The attributes follow the request's header (all of it unless capped). */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(e->msg);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, (unsigned int)off, ext_attr_cb, &msg);
		if (msg)
			snprintf(t->r->ext_msg, sizeof(t->r->ext_msg), "%s", mnl_attr_get_str(msg));
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

/* Send one request and wait for its acknowledgement: 0 or -errno (and the kernel's
 * message in ext_msg when it gave one). */
static int talk(struct rtnl *r, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	/* Only NLMSG_ERROR is ours: libmnl's defaults handle NLMSG_DONE and the others. */
	static mnl_cb_t ctl[NLMSG_ERROR + 1] = { [NLMSG_ERROR] = error_cb };
	struct talk t = { .r = r, .cb = cb, .data = data };

	r->ext_msg[0] = 0;
	nlh->nlmsg_seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(r->nl, r->buf, MNL_SOCKET_BUFFER_SIZE * 4);
		int rc;

		if (n < 0)
			return -errno;
		rc = mnl_cb_run2(r->buf, (size_t)n, r->seq, r->portid, data_cb, &t, ctl,
				 NLMSG_ERROR + 1);
		if (rc <= MNL_CB_STOP)
			return rc < 0 ? -errno : 0;
	}
}

static void put_route_head(struct nlmsghdr *nlh, const struct plan_route *rt)
{
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = SR6_RTPROT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 16, rt->dst.b);
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
}

int route_replace(struct rtnl *r, const struct plan_route *rt, int prog_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *encap, *nest;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
	put_route_head(nlh, rt);
	mnl_attr_put_u32(nlh, RTA_OIF, rt->dev);
	mnl_attr_put_u16(nlh, RTA_ENCAP_TYPE, LWTUNNEL_ENCAP_SEG6_LOCAL);
	encap = mnl_attr_nest_start(nlh, RTA_ENCAP);
	mnl_attr_put_u32(nlh, SEG6_LOCAL_ACTION, rt->action);
	if (rt->nh_family == AF_INET6)
		mnl_attr_put(nlh, SEG6_LOCAL_NH6, 16, rt->nh.b);
	else if (rt->nh_family == AF_INET)
		mnl_attr_put(nlh, SEG6_LOCAL_NH4, 4, rt->nh.b);
	if (rt->table)
		mnl_attr_put_u32(nlh, SEG6_LOCAL_TABLE, rt->table);
	if (rt->oif)
		mnl_attr_put_u32(nlh, SEG6_LOCAL_OIF, rt->oif);
	if (rt->function) {
		nest = mnl_attr_nest_start(nlh, SEG6_LOCAL_BPF);
		mnl_attr_put_u32(nlh, SEG6_LOCAL_BPF_PROG, (uint32_t)prog_fd);
		mnl_attr_put_strz(nlh, SEG6_LOCAL_BPF_PROG_NAME, rt->function);
		mnl_attr_nest_end(nlh, nest);
	}
	if (rt->flavors) {
		nest = mnl_attr_nest_start(nlh, SEG6_LOCAL_FLAVORS);
		mnl_attr_put_u32(nlh, SEG6_LOCAL_FLV_OPERATION, rt->flavors);
		if (rt->lcblock_bits)
			mnl_attr_put_u8(nlh, SEG6_LOCAL_FLV_LCBLOCK_BITS, rt->lcblock_bits);
		if (rt->lcnode_fn_bits)
			mnl_attr_put_u8(nlh, SEG6_LOCAL_FLV_LCNODE_FN_BITS, rt->lcnode_fn_bits);
		mnl_attr_nest_end(nlh, nest);
	}
	/* Per-route counters (RFC 8986 section 6): the kernel's share of a SID's packets. */
	nest = mnl_attr_nest_start(nlh, SEG6_LOCAL_COUNTERS);
	mnl_attr_put_u64(nlh, SEG6_LOCAL_CNT_PACKETS, 0);
	mnl_attr_put_u64(nlh, SEG6_LOCAL_CNT_BYTES, 0);
	mnl_attr_put_u64(nlh, SEG6_LOCAL_CNT_ERRORS, 0);	/* the kernel wants all three */
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_nest_end(nlh, encap);
	return talk(r, nlh, NULL, NULL);
}

int route_delete(struct rtnl *r, const struct plan_route *rt)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int rc;

	nlh->nlmsg_type = RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	put_route_head(nlh, rt);
	rc = talk(r, nlh, NULL, NULL);
	return rc == -ESRCH ? 0 : rc;	/* gone already */
}

/* ---------------------------------------------------------------------------------------- */
/* Dump                                                                                      */

struct dump_ctx {
	struct plan *out;
	struct route_counter *counters;
	size_t n_counters, cap_counters;
};

static int nested(const struct nlattr *a, struct nlattr **tb, int max)
{
	const struct nlattr *it;

	memset(tb, 0, (size_t)(max + 1) * sizeof(*tb));
	mnl_attr_for_each_nested(it, a) {
		int type = mnl_attr_get_type(it);

		if (type <= max)
			tb[type] = (struct nlattr *)it;
	}
	return 0;
}

static int attr_cb(const struct nlattr *a, void *data)
{
	struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX)
		tb[type] = (struct nlattr *)a;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *tb[RTA_MAX + 1] = { NULL };
	struct nlattr *sl[SEG6_LOCAL_MAX + 1], *sub[8];
	struct plan_route *rt;

	if (rtm->rtm_protocol != SR6_RTPROT || rtm->rtm_family != AF_INET6 ||
	    rtm->rtm_dst_len != 128)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, tb);
	if (!tb[RTA_DST] || !tb[RTA_ENCAP] || !tb[RTA_ENCAP_TYPE] ||
	    mnl_attr_get_u16(tb[RTA_ENCAP_TYPE]) != LWTUNNEL_ENCAP_SEG6_LOCAL ||
	    mnl_attr_get_payload_len(tb[RTA_DST]) != 16)
		return MNL_CB_OK;
	rt = VEC_PUSH(&c->out->routes);
	memcpy(rt->dst.b, mnl_attr_get_payload(tb[RTA_DST]), 16);
	if (tb[RTA_OIF])
		rt->dev = mnl_attr_get_u32(tb[RTA_OIF]);
	nested(tb[RTA_ENCAP], sl, SEG6_LOCAL_MAX);
	if (sl[SEG6_LOCAL_ACTION])
		rt->action = mnl_attr_get_u32(sl[SEG6_LOCAL_ACTION]);
	if (sl[SEG6_LOCAL_NH6]) {
		rt->nh_family = AF_INET6;
		memcpy(rt->nh.b, mnl_attr_get_payload(sl[SEG6_LOCAL_NH6]), 16);
		/* The kernel reports a zero NH6 for actions that have none. */
		if (addr6_is_zero(&rt->nh))
			rt->nh_family = 0;
	}
	if (sl[SEG6_LOCAL_NH4]) {
		rt->nh_family = AF_INET;
		memcpy(rt->nh.b, mnl_attr_get_payload(sl[SEG6_LOCAL_NH4]), 4);
	}
	if (sl[SEG6_LOCAL_TABLE])
		rt->table = mnl_attr_get_u32(sl[SEG6_LOCAL_TABLE]);
	if (sl[SEG6_LOCAL_OIF])
		rt->oif = mnl_attr_get_u32(sl[SEG6_LOCAL_OIF]);
	if (sl[SEG6_LOCAL_BPF]) {
		nested(sl[SEG6_LOCAL_BPF], sub, SEG6_LOCAL_BPF_PROG_MAX);
		if (sub[SEG6_LOCAL_BPF_PROG])
			rt->prog_id = mnl_attr_get_u32(sub[SEG6_LOCAL_BPF_PROG]);
		if (sub[SEG6_LOCAL_BPF_PROG_NAME])
			rt->function = arena_strdup(&c->out->arena,
						    mnl_attr_get_str(sub[SEG6_LOCAL_BPF_PROG_NAME]));
	}
	if (sl[SEG6_LOCAL_FLAVORS]) {
		nested(sl[SEG6_LOCAL_FLAVORS], sub, SEG6_LOCAL_FLV_MAX);
		if (sub[SEG6_LOCAL_FLV_OPERATION])
			rt->flavors = mnl_attr_get_u32(sub[SEG6_LOCAL_FLV_OPERATION]);
		if (sub[SEG6_LOCAL_FLV_LCBLOCK_BITS])
			rt->lcblock_bits = mnl_attr_get_u8(sub[SEG6_LOCAL_FLV_LCBLOCK_BITS]);
		if (sub[SEG6_LOCAL_FLV_LCNODE_FN_BITS])
			rt->lcnode_fn_bits = mnl_attr_get_u8(sub[SEG6_LOCAL_FLV_LCNODE_FN_BITS]);
	}
	if (c->counters && sl[SEG6_LOCAL_COUNTERS]) {
		struct route_counter *rc;

		c->counters = vec_grow(c->counters, &c->cap_counters, c->n_counters + 1,
				       sizeof(*c->counters));
		rc = &c->counters[c->n_counters++];
		rc->dst = rt->dst;
		nested(sl[SEG6_LOCAL_COUNTERS], sub, SEG6_LOCAL_CNT_MAX);
		if (sub[SEG6_LOCAL_CNT_PACKETS])
			rc->packets = mnl_attr_get_u64(sub[SEG6_LOCAL_CNT_PACKETS]);
		if (sub[SEG6_LOCAL_CNT_BYTES])
			rc->bytes = mnl_attr_get_u64(sub[SEG6_LOCAL_CNT_BYTES]);
		if (sub[SEG6_LOCAL_CNT_ERRORS])
			rc->errors = mnl_attr_get_u64(sub[SEG6_LOCAL_CNT_ERRORS]);
	}
	return MNL_CB_OK;
}

int routes_dump(struct rtnl *r, struct plan *out, struct route_counter **counters,
		size_t *n_counters)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct dump_ctx c = { .out = out };
	size_t routes_before = out->routes.n;
	struct rtmsg *rtm;
	int rc, tries;

	if (counters)
		c.counters = vec_grow(NULL, &c.cap_counters, 1, sizeof(*c.counters));
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	/* A dump that the table changed under (NLM_F_DUMP_INTR) is read again. */
	for (tries = 0; tries < 5; tries++) {
		out->routes.n = routes_before;
		c.n_counters = 0;
		rc = talk(r, nlh, route_cb, &c);
		if (rc != -EINTR)
			break;
	}
	if (counters) {
		*counters = c.counters;
		*n_counters = c.n_counters;
	}
	return rc;
}
