/* HSS message encoding, decoding and validation. */
#include "drivers/hss/proto.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const char *hss_op_name(uint16_t op)
{
	switch (op) {
	case HSS_OP_OPEN: return "OPEN";
	case HSS_OP_CONNECT: return "CONNECT";
	case HSS_OP_SHUTDOWN: return "SHUTDOWN";
	case HSS_OP_TRANSMIT: return "TRANSMIT";
	case HSS_OP_ACK: return "ACK";
	case HSS_OP_ACKDATA: return "ACKDATA";
	case HSS_OP_CLOSE: return "CLOSE";
	default: return "unknown";
	}
}

const char *hss_ack_code_name(uint8_t code)
{
	static const char *const names[] = {
		"SUCCESS", "HOSTERR", "INVAL", "CONNREFUSED", "PROTONOSUPPORT",
		"NETUNREACH", "TIMEDOUT", "MISMATCH", "NOTCONN",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown";
}

void hss_hdr_encode(uint8_t out[HSS_HDR_LEN], const struct hss_hdr *hdr)
{
	put16(out, hdr->op);
	put16(out + 2, hdr->msg_id);
	put32(out + 4, hdr->sock_id);
	put32(out + 8, hdr->len);
}

void hss_hdr_decode(struct hss_hdr *out, const uint8_t in[HSS_HDR_LEN])
{
	out->op = get16(in);
	out->msg_id = get16(in + 2);
	out->sock_id = get32(in + 4);
	out->len = get32(in + 8);
}

static size_t put_hdr(uint8_t *out, uint16_t op, uint16_t msg_id, uint32_t sock_id, uint32_t len)
{
	struct hss_hdr h = { .op = op, .msg_id = msg_id, .sock_id = sock_id, .len = len };
	hss_hdr_encode(out, &h);
	return HSS_HDR_LEN;
}

size_t hss_open_encode(uint8_t *out, uint16_t msg_id, const struct hss_open *open)
{
	uint8_t *p = out + put_hdr(out, HSS_OP_OPEN, msg_id, 0, HSS_OPEN_LEN);
	put32(p, open->handle);
	put16(p + 4, open->family);
	put16(p + 6, open->protocol);
	p[8] = open->type;
	return HSS_HDR_LEN + HSS_OPEN_LEN;
}

size_t hss_connect_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, const struct hss_connect *c)
{
	uint32_t len = c->family == HSS_FAMILY_IP6 ? HSS_CONNECT6_LEN : HSS_CONNECT4_LEN;
	uint8_t *p = out + put_hdr(out, HSS_OP_CONNECT, msg_id, sock_id, len);
	put16(p, c->family);
	memcpy(p + 2, c->port, 2);
	if (c->family == HSS_FAMILY_IP6) {
		memcpy(p + 4, &c->flowinfo, 4); /* raw bytes, as sin6_flowinfo holds them */
		put32(p + 8, c->scope_id);
		memcpy(p + 12, c->addr, 16);
	} else {
		memcpy(p + 4, c->addr, 4);
	}
	return HSS_HDR_LEN + len;
}

size_t hss_ack_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, uint16_t orig_op, uint8_t code)
{
	uint8_t *p = out + put_hdr(out, HSS_OP_ACK, msg_id, sock_id, HSS_ACK_LEN);
	put16(p, orig_op);
	p[2] = code;
	return HSS_HDR_LEN + HSS_ACK_LEN;
}

size_t hss_close_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id)
{
	return put_hdr(out, HSS_OP_CLOSE, msg_id, sock_id, 0);
}

size_t hss_shutdown_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, uint8_t how)
{
	put_hdr(out, HSS_OP_SHUTDOWN, msg_id, sock_id, HSS_SHUTDOWN_LEN);
	out[HSS_HDR_LEN] = how;
	return HSS_HDR_LEN + HSS_SHUTDOWN_LEN;
}

void hss_transmit_hdr_encode(uint8_t out[HSS_HDR_LEN], uint16_t msg_id, uint32_t sock_id, uint32_t len)
{
	put_hdr(out, HSS_OP_TRANSMIT, msg_id, sock_id, len);
}

__attribute__((format(printf, 3, 4)))
static int fail(struct hss_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;
	err->field = field;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}

static int decode_connect(struct hss_msg *m, struct hss_error *err, const uint8_t *p)
{
	struct hss_connect *c = &m->u.connect;
	memset(c, 0, sizeof(*c));
	c->family = get16(p);
	memcpy(c->port, p + 2, 2);
	if (c->family == HSS_FAMILY_IP) {
		if (m->hdr.len != HSS_CONNECT4_LEN)
			return fail(err, "payload_len", "CONNECT IPv4: payload_len %u, expected %u",
				    m->hdr.len, HSS_CONNECT4_LEN);
		memcpy(c->addr, p + 4, 4);
		return 0;
	}
	if (c->family == HSS_FAMILY_IP6) {
		/* 40 is the original device's length: 28 meaningful bytes, then 12 ignored. */
		if (m->hdr.len != HSS_CONNECT6_LEN && m->hdr.len != HSS_CONNECT6_LEGACY_LEN)
			return fail(err, "payload_len", "CONNECT IPv6: payload_len %u, expected %u or %u",
				    m->hdr.len, HSS_CONNECT6_LEN, HSS_CONNECT6_LEGACY_LEN);
		memcpy(&c->flowinfo, p + 4, 4);
		c->scope_id = get32(p + 8);
		memcpy(c->addr, p + 12, 16);
		return 0;
	}
	return fail(err, "family", "CONNECT: family %u, expected 1 (IPv4) or 2 (IPv6)", c->family);
}

int hss_cmd_decode(struct hss_msg *out, struct hss_error *err, const uint8_t *buf, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (len < HSS_HDR_LEN)
		return fail(err, "header", "command of %zu bytes, shorter than the %u-byte header",
			    len, HSS_HDR_LEN);
	if (len > HSS_CMD_MAX)
		return fail(err, "length", "command of %zu bytes, longer than %u", len, HSS_CMD_MAX);
	hss_hdr_decode(&out->hdr, buf);
	const struct hss_hdr *h = &out->hdr;
	if ((size_t)h->len != len - HSS_HDR_LEN)
		return fail(err, "payload_len", "%s: payload_len %u but the transfer holds %zu bytes",
			    hss_op_name(h->op), h->len, len - HSS_HDR_LEN);
	const uint8_t *p = buf + HSS_HDR_LEN;
	switch (h->op) {
	case HSS_OP_OPEN:
		if (h->len != HSS_OPEN_LEN)
			return fail(err, "payload_len", "OPEN: payload_len %u, expected %u", h->len, HSS_OPEN_LEN);
		if (h->sock_id != 0)
			return fail(err, "sock_id", "OPEN: sock_id %u, expected 0", h->sock_id);
		out->u.open.handle = get32(p);
		out->u.open.family = get16(p + 4);
		out->u.open.protocol = get16(p + 6);
		out->u.open.type = p[8];
		if (out->u.open.handle == 0)
			return fail(err, "handle", "OPEN: handle 0 is reserved");
		return 0;
	case HSS_OP_CONNECT:
		if (h->len < 4)
			return fail(err, "payload_len", "CONNECT: payload_len %u, too short for family and port", h->len);
		return decode_connect(out, err, p);
	case HSS_OP_ACK:
		if (h->len < HSS_ACK_LEN)
			return fail(err, "payload_len", "ACK: payload_len %u, expected at least %u", h->len, HSS_ACK_LEN);
		out->u.ack.orig_op = get16(p);
		out->u.ack.code = p[2];
		return 0;
	case HSS_OP_CLOSE:
		if (h->len != 0)
			return fail(err, "payload_len", "CLOSE: payload_len %u, expected 0", h->len);
		return 0;
	case HSS_OP_SHUTDOWN:
		if (h->len != HSS_SHUTDOWN_LEN)
			return fail(err, "payload_len", "SHUTDOWN: payload_len %u, expected %u", h->len, HSS_SHUTDOWN_LEN);
		if (p[0] > 2)
			return fail(err, "how", "SHUTDOWN: how %u, expected 0 (read), 1 (write) or 2 (both)", p[0]);
		out->u.shutdown_how = p[0];
		return 0;
	case HSS_OP_TRANSMIT:
	case HSS_OP_ACKDATA:
		return fail(err, "opcode", "%s (0x%02x) belongs on a bulk pipe, not the command pipe",
			    hss_op_name(h->op), h->op);
	default:
		return fail(err, "opcode", "unknown opcode 0x%04x", h->op);
	}
}

int hss_bulk_hdr_check(struct hss_error *err, const struct hss_hdr *hdr, uint32_t max_payload)
{
	if (hdr->op != HSS_OP_TRANSMIT)
		return fail(err, "opcode", "%s (0x%04x) on a bulk pipe, only TRANSMIT (0x03) belongs there",
			    hss_op_name(hdr->op), hdr->op);
	if (hdr->len > max_payload)
		return fail(err, "payload_len", "TRANSMIT: payload_len %u, more than the limit %u",
			    hdr->len, max_payload);
	return 0;
}

uint8_t hss_ack_code_from_errno(int e)
{
	switch (e) {
	case 0: return HSS_ACK_SUCCESS;
	case EINVAL: return HSS_ACK_INVAL;
	case ECONNREFUSED: return HSS_ACK_CONNREFUSED;
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
	case ESOCKTNOSUPPORT:
	case EPROTOTYPE: return HSS_ACK_PROTONOSUPPORT;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN: return HSS_ACK_NETUNREACH;
	case ETIMEDOUT: return HSS_ACK_TIMEDOUT;
	case ENOTCONN:
	case EPIPE:
	case ECONNRESET: return HSS_ACK_NOTCONN;
	default: return HSS_ACK_HOSTERR;
	}
}

int hss_errno_from_ack_code(uint8_t code)
{
	switch (code) {
	case HSS_ACK_SUCCESS: return 0;
	case HSS_ACK_INVAL: return EINVAL;
	case HSS_ACK_CONNREFUSED: return ECONNREFUSED;
	case HSS_ACK_PROTONOSUPPORT: return EPROTONOSUPPORT;
	case HSS_ACK_NETUNREACH: return ENETUNREACH;
	case HSS_ACK_TIMEDOUT: return ETIMEDOUT;
	case HSS_ACK_MISMATCH: return EAFNOSUPPORT;
	case HSS_ACK_NOTCONN: return ENOTCONN;
	default: return EIO;
	}
}
