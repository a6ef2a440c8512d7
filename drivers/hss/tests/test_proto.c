/* Golden bytes for every HSS message, strict command validation, the reassembler under
 * random splits and coalescing. */
#include "drivers/hss/proto.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define assert_bytes(got, got_len, ...) do { \
		static const uint8_t want_[] = { __VA_ARGS__ }; \
		cr_assert_eq((got_len), sizeof(want_), "length %zu, want %zu", (size_t)(got_len), sizeof(want_)); \
		cr_assert(memcmp((got), want_, sizeof(want_)) == 0, "bytes differ"); \
	} while (0)

Test(golden, open_ipv4_tcp)
{
	uint8_t b[HSS_CMD_MAX];
	struct hss_open o = { .handle = 1, .family = HSS_FAMILY_IP, .protocol = HSS_PROTO_TCP, .type = HSS_TYPE_STREAM };
	size_t n = hss_open_encode(b, 1, &o);
	assert_bytes(b, n, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,
		     0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.hdr.op, HSS_OP_OPEN);
	cr_assert_eq(m.hdr.msg_id, 1);
	cr_assert_eq(m.u.open.handle, 1);
	cr_assert_eq(m.u.open.family, HSS_FAMILY_IP);
	cr_assert_eq(m.u.open.protocol, HSS_PROTO_TCP);
	cr_assert_eq(m.u.open.type, HSS_TYPE_STREAM);
}

Test(golden, open_ipv6_udp)
{
	uint8_t b[HSS_CMD_MAX];
	struct hss_open o = { .handle = 0x01020304, .family = HSS_FAMILY_IP6, .protocol = HSS_PROTO_UDP, .type = HSS_TYPE_DGRAM };
	size_t n = hss_open_encode(b, 0xBEEF, &o);
	assert_bytes(b, n, 0x00, 0x00, 0xEF, 0xBE, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,
		     0x04, 0x03, 0x02, 0x01, 0x02, 0x00, 0x02, 0x00, 0x02);
}

Test(golden, ack_open_ok)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_ack_encode(b, 1, 1, HSS_OP_OPEN, HSS_ACK_SUCCESS);
	assert_bytes(b, n, 0x04, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
		     0x00, 0x00, 0x00);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.u.ack.orig_op, HSS_OP_OPEN);
	cr_assert_eq(m.u.ack.code, 0);
}

Test(golden, ack_connect_refused)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_ack_encode(b, 2, 7, HSS_OP_CONNECT, HSS_ACK_CONNREFUSED);
	assert_bytes(b, n, 0x04, 0x00, 0x02, 0x00, 0x07, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
		     0x01, 0x00, 0x03);
}

Test(golden, connect_ipv4)
{
	uint8_t b[HSS_CMD_MAX];
	struct hss_connect c = { .family = HSS_FAMILY_IP, .port = { 0x1F, 0x90 }, .addr = { 127, 0, 0, 1 } };
	size_t n = hss_connect_encode(b, 2, 1, &c);
	assert_bytes(b, n, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
		     0x01, 0x00, 0x1F, 0x90, 0x7F, 0x00, 0x00, 0x01);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.u.connect.family, HSS_FAMILY_IP);
	cr_assert_eq(m.u.connect.port[0], 0x1F);
	cr_assert_eq(m.u.connect.port[1], 0x90);
	cr_assert(memcmp(m.u.connect.addr, c.addr, 4) == 0);
}

Test(golden, connect_ipv6_sends_28)
{
	uint8_t b[HSS_CMD_MAX];
	struct hss_connect c = { .family = HSS_FAMILY_IP6, .port = { 0x01, 0xBB }, .scope_id = 3 };
	c.addr[15] = 1; /* ::1 */
	memcpy(&c.flowinfo, (const uint8_t[]){ 0x00, 0x01, 0x02, 0x03 }, 4);
	size_t n = hss_connect_encode(b, 5, 9, &c);
	assert_bytes(b, n, 0x01, 0x00, 0x05, 0x00, 0x09, 0x00, 0x00, 0x00, 0x1C, 0x00, 0x00, 0x00,
		     0x02, 0x00, 0x01, 0xBB, 0x00, 0x01, 0x02, 0x03, 0x03, 0x00, 0x00, 0x00,
		     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.u.connect.scope_id, 3);
	cr_assert_eq(m.u.connect.addr[15], 1);
	cr_assert(memcmp(&m.u.connect.flowinfo, &c.flowinfo, 4) == 0);
}

Test(golden, connect_ipv6_legacy_40_accepted)
{
	/* The original device wrote payload_len 0x28 with 12 stray bytes after the address. */
	uint8_t b[HSS_HDR_LEN + 40];
	memset(b, 0xAA, sizeof(b));
	struct hss_connect c = { .family = HSS_FAMILY_IP6, .port = { 0x00, 0x50 } };
	c.addr[0] = 0xfe;
	c.addr[1] = 0x80;
	hss_connect_encode(b, 1, 2, &c);
	b[8] = 0x28;
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, sizeof(b)), 0, "%s", e.text);
	cr_assert_eq(m.u.connect.addr[0], 0xfe);
	cr_assert_eq(m.u.connect.port[1], 0x50);
	/* 29..39 and 41+ are not lengths the original ever wrote */
	b[8] = 0x27;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, sizeof(b) - 1), -1);
	cr_assert_str_eq(e.field, "payload_len");
}

Test(golden, transmit)
{
	uint8_t b[HSS_HDR_LEN + 2];
	hss_transmit_hdr_encode(b, 3, 1, 2);
	memcpy(b + HSS_HDR_LEN, "hi", 2);
	assert_bytes(b, sizeof(b), 0x03, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
		     0x68, 0x69);
	struct hss_reasm r;
	struct hss_msg m;
	cr_assert_eq(hss_reasm_init(&r, 1024), 0);
	hss_reasm_feed(&r, b, sizeof(b));
	cr_assert_eq(hss_reasm_peek(&r, &m), 1);
	cr_assert_eq(m.hdr.msg_id, 3);
	cr_assert_eq(m.hdr.sock_id, 1);
	cr_assert_eq(m.hdr.len, 2);
	cr_assert(memcmp(m.data, "hi", 2) == 0);
	hss_reasm_free(&r);
}

Test(golden, close)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_close_encode(b, 4, 1);
	assert_bytes(b, n, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.hdr.op, HSS_OP_CLOSE);
	cr_assert_eq(m.hdr.sock_id, 1);
}

Test(golden, shutdown_write)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_shutdown_encode(b, 0x1234, 0xA0B0C0D0, 1);
	assert_bytes(b, n, 0x02, 0x00, 0x34, 0x12, 0xD0, 0xC0, 0xB0, 0xA0, 0x01, 0x00, 0x00, 0x00, 0x01);
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), 0);
	cr_assert_eq(m.u.shutdown_how, 1);
}

/* Each malformed command names the field it got wrong. */
static void expect_reject(const uint8_t *b, size_t n, const char *field)
{
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, n), -1, "accepted a bad command (%s)", field);
	cr_assert_str_eq(e.field, field, "%s", e.text);
	cr_assert(e.text[0] != 0);
}

Test(validate, malformed_commands)
{
	uint8_t b[128];
	struct hss_open o = { .handle = 1, .family = 1, .protocol = 1, .type = 1 };
	size_t n = hss_open_encode(b, 1, &o);
	expect_reject(b, 11, "header");
	expect_reject(b, n - 1, "payload_len");         /* transfer shorter than header says */
	memset(b + n, 0, 64);
	expect_reject(b, n + 1, "payload_len");         /* trailing byte */
	expect_reject(b, 65, "length");                 /* over 64 bytes */
	b[8] = 8;
	expect_reject(b, n - 1, "payload_len");         /* OPEN must be 9 */
	b[8] = 9;
	b[4] = 1;
	expect_reject(b, n, "sock_id");
	b[4] = 0;
	memset(b + 12, 0, 4);
	expect_reject(b, n, "handle");

	n = hss_close_encode(b, 1, 1);
	b[0] = 0x07;
	expect_reject(b, n, "opcode");
	b[0] = HSS_OP_TRANSMIT;
	expect_reject(b, n, "opcode");
	b[0] = 0xFF;
	b[1] = 0xFF;
	expect_reject(b, n, "opcode");

	struct hss_connect c = { .family = 3 };
	n = hss_connect_encode(b, 1, 1, &c);
	expect_reject(b, n, "family");
	c.family = HSS_FAMILY_IP;
	n = hss_connect_encode(b, 1, 1, &c);
	b[12] = 2; /* IPv6 family with an IPv4 length */
	expect_reject(b, n, "payload_len");
	b[8] = 3; /* too short to hold family and port */
	expect_reject(b, 15, "payload_len");

	n = hss_ack_encode(b, 1, 1, HSS_OP_OPEN, 0);
	b[8] = 2;
	expect_reject(b, n - 1, "payload_len");
	n = hss_shutdown_encode(b, 1, 1, 3);
	expect_reject(b, n, "how");
	n = hss_close_encode(b, 1, 1);
	b[8] = 1;
	expect_reject(b, n + 1, "payload_len");
	/* the ACK may carry up to 49 bytes of return data */
	hss_ack_encode(b, 1, 1, HSS_OP_OPEN, 0);
	b[8] = 52;
	struct hss_msg m;
	struct hss_error e;
	cr_assert_eq(hss_cmd_decode(&m, &e, b, 64), 0);
}

Test(validate, errno_mapping_round_trip)
{
	cr_assert_eq(hss_ack_code_from_errno(ECONNREFUSED), 3);
	cr_assert_eq(hss_ack_code_from_errno(ENETUNREACH), 5);
	cr_assert_eq(hss_ack_code_from_errno(ETIMEDOUT), 6);
	cr_assert_eq(hss_ack_code_from_errno(EINVAL), 2);
	cr_assert_eq(hss_ack_code_from_errno(EEXIST), 1);
	for (uint8_t c = 0; c <= HSS_ACK_NOTCONN; c++) {
		int e = hss_errno_from_ack_code(c);
		if (c == HSS_ACK_HOSTERR || c == HSS_ACK_MISMATCH || c == HSS_ACK_PROTONOSUPPORT)
			continue;
		cr_assert_eq(hss_ack_code_from_errno(e), c, "code %u -> errno %d", c, e);
	}
	cr_assert_str_eq(hss_ack_code_name(3), "CONNREFUSED");
}

/* A stream of TRANSMITs of random sizes fed in random pieces (1 byte, a split header, several
 * messages at once, exact 512-byte multiples) comes out message for message, byte for byte. */
static size_t make_stream(uint8_t *out, size_t cap, unsigned *seed, size_t *nmsgs)
{
	size_t off = 0;
	*nmsgs = 0;
	for (;;) {
		uint32_t len = (uint32_t)(rand_r(seed) % 3000);
		if (rand_r(seed) % 8 == 0)
			len = 0;
		if (off + HSS_HDR_LEN + len > cap)
			return off;
		hss_transmit_hdr_encode(out + off, (uint16_t)(*nmsgs + 1), (uint32_t)(*nmsgs % 5 + 1), len);
		for (uint32_t i = 0; i < len; i++)
			out[off + HSS_HDR_LEN + i] = (uint8_t)(*nmsgs * 31 + i);
		off += HSS_HDR_LEN + len;
		(*nmsgs)++;
	}
}

static void check_split(unsigned seed, int mode)
{
	static uint8_t stream[1 << 20];
	size_t nmsgs, got = 0, in = 0, check_off = 0;
	size_t total = make_stream(stream, sizeof(stream), &seed, &nmsgs);
	struct hss_reasm r;
	cr_assert_eq(hss_reasm_init(&r, 4096), 0);
	while (got < nmsgs) {
		size_t piece;
		switch (mode) {
		case 0: piece = 1; break;
		case 1: piece = 512 * (1 + rand_r(&seed) % 4); break;
		case 2: piece = 1 + rand_r(&seed) % 13; break;
		default: piece = 1 + rand_r(&seed) % 20000; break;
		}
		if (piece > total - in)
			piece = total - in;
		in += hss_reasm_feed(&r, stream + in, piece);
		struct hss_msg m;
		int rc;
		/* batch: look ahead, then pop all at once */
		size_t off = 0;
		while ((rc = hss_reasm_peek_at(&r, off, &m)) == 1) {
			cr_assert_eq(m.hdr.msg_id, (uint16_t)(got + 1));
			cr_assert(memcmp(m.data, stream + check_off + HSS_HDR_LEN, m.hdr.len) == 0);
			check_off += HSS_HDR_LEN + m.hdr.len;
			off += HSS_HDR_LEN + m.hdr.len;
			got++;
		}
		cr_assert_eq(rc, 0);
		hss_reasm_pop_bytes(&r, off);
	}
	cr_assert_eq(in, total);
	cr_assert_eq(hss_reasm_buffered(&r), 0);
	hss_reasm_free(&r);
}

Test(reasm, one_byte_at_a_time) { check_split(1, 0); }
Test(reasm, packet_size_multiples) { check_split(2, 1); }
Test(reasm, split_headers) { check_split(3, 2); }
Test(reasm, coalesced) { check_split(4, 3); }
Test(reasm, many_seeds)
{
	for (unsigned s = 10; s < 30; s++)
		check_split(s, (int)(s % 4));
}

Test(reasm, full_buffer_backpressure)
{
	/* A receiver that never pops: the buffer fills, the feeder is refused, nothing is lost. */
	struct hss_reasm r;
	cr_assert_eq(hss_reasm_init(&r, 1000), 0);
	uint8_t msg[HSS_HDR_LEN + 1000];
	hss_transmit_hdr_encode(msg, 1, 1, 1000);
	memset(msg + HSS_HDR_LEN, 0x5A, 1000);
	size_t taken = 0;
	for (int i = 0; i < 200; i++)
		taken += hss_reasm_feed(&r, msg, sizeof(msg));
	cr_assert_eq(taken, r.cap);
	cr_assert_eq(hss_reasm_buffered(&r), r.cap);
	struct hss_msg m;
	size_t n = 0;
	while (hss_reasm_peek(&r, &m) == 1) {
		cr_assert_eq(m.data[999], 0x5A);
		hss_reasm_pop(&r);
		n++;
	}
	cr_assert_eq(n, r.cap / sizeof(msg));
	hss_reasm_free(&r);
}

Test(reasm, corrupt_stream)
{
	struct hss_reasm r;
	struct hss_msg m;
	cr_assert_eq(hss_reasm_init(&r, 1012), 0);
	uint8_t b[HSS_HDR_LEN];
	hss_transmit_hdr_encode(b, 1, 1, 1013);
	hss_reasm_feed(&r, b, sizeof(b));
	cr_assert_eq(hss_reasm_peek(&r, &m), -1);
	cr_assert_str_eq(r.err.field, "payload_len");
	hss_reasm_free(&r);

	cr_assert_eq(hss_reasm_init(&r, 1012), 0);
	hss_close_encode(b, 1, 1);
	hss_reasm_feed(&r, b, sizeof(b));
	cr_assert_eq(hss_reasm_peek(&r, &m), -1);
	cr_assert_str_eq(r.err.field, "opcode");
	cr_assert_eq(hss_reasm_peek(&r, &m), -1, "a corrupt stream stays failed");
	hss_reasm_free(&r);
}
