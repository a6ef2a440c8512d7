/* HSS wire protocol: the 12-byte header, every message, validation and the bulk reassembler.
 * No I/O here.  All integers little-endian except the CONNECT port and address, which are in
 * network order (see README.md, "Wire format"). */
#ifndef HSS_PROTO_H
#define HSS_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define HSS_HDR_LEN 12u
#define HSS_CMD_MAX 64u                             /* one command per interrupt transfer */
#define HSS_CMD_PAYLOAD_MAX (HSS_CMD_MAX - HSS_HDR_LEN) /* 52 */
#define HSS_TRANSMIT_MAX 65536u                      /* largest TRANSMIT payload we accept */
#define HSS_OPEN_LEN 9u
#define HSS_CONNECT4_LEN 8u
#define HSS_CONNECT6_LEN 28u
#define HSS_CONNECT6_LEGACY_LEN 40u /* what the original device kernel wrote (0x28) */
#define HSS_ACK_LEN 3u
#define HSS_SHUTDOWN_LEN 1u

enum hss_op {
	HSS_OP_OPEN = 0x00,
	HSS_OP_CONNECT = 0x01,
	HSS_OP_SHUTDOWN = 0x02,
	HSS_OP_TRANSMIT = 0x03,
	HSS_OP_ACK = 0x04,
	HSS_OP_ACKDATA = 0x05,
	HSS_OP_CLOSE = 0x06,
};

/* Values of the OPEN and CONNECT family, protocol and type fields. */
enum { HSS_FAMILY_IP = 1, HSS_FAMILY_IP6 = 2 };
enum { HSS_PROTO_TCP = 1, HSS_PROTO_UDP = 2 };
enum { HSS_TYPE_STREAM = 1, HSS_TYPE_DGRAM = 2 };

enum hss_ack_code {
	HSS_ACK_SUCCESS = 0,
	HSS_ACK_HOSTERR = 1,
	HSS_ACK_INVAL = 2,
	HSS_ACK_CONNREFUSED = 3,
	HSS_ACK_PROTONOSUPPORT = 4,
	HSS_ACK_NETUNREACH = 5,
	HSS_ACK_TIMEDOUT = 6,
	HSS_ACK_MISMATCH = 7,
	HSS_ACK_NOTCONN = 8,
};

struct hss_hdr {
	uint16_t op;
	uint16_t msg_id;
	uint32_t sock_id;
	uint32_t len; /* payload bytes after the header */
};

struct hss_open {
	uint32_t handle;
	uint16_t family;
	uint16_t protocol;
	uint8_t type;
};

struct hss_connect {
	uint16_t family;
	uint8_t port[2];     /* network order, as on the wire */
	uint32_t flowinfo;   /* IPv6 only: raw sin6_flowinfo (network order bytes) */
	uint32_t scope_id;   /* IPv6 only: little-endian on the wire */
	uint8_t addr[16];    /* IPv4 uses the first 4 bytes */
};

struct hss_ack {
	uint16_t orig_op;
	uint8_t code;
};

/* A decoded message.  For TRANSMIT, data points into the caller's buffer. */
struct hss_msg {
	struct hss_hdr hdr;
	union {
		struct hss_open open;
		struct hss_connect connect;
		struct hss_ack ack;
		uint8_t shutdown_how;
	} u;
	const uint8_t *data;
};

/* Why a message was rejected: the field and a sentence, for logs and tests. */
struct hss_error {
	const char *field;
	char text[112];
};

const char *hss_op_name(uint16_t op);
const char *hss_ack_code_name(uint8_t code);

void hss_hdr_encode(uint8_t out[HSS_HDR_LEN], const struct hss_hdr *hdr);
void hss_hdr_decode(struct hss_hdr *out, const uint8_t in[HSS_HDR_LEN]);

/* Encoders write a whole command into out (at least HSS_CMD_MAX bytes) and return its length. */
size_t hss_open_encode(uint8_t *out, uint16_t msg_id, const struct hss_open *open);
size_t hss_connect_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, const struct hss_connect *c);
size_t hss_ack_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, uint16_t orig_op, uint8_t code);
size_t hss_close_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id);
size_t hss_shutdown_encode(uint8_t *out, uint16_t msg_id, uint32_t sock_id, uint8_t how);
/* Only the 12-byte header of a TRANSMIT; the payload follows it on the bulk pipe. */
void hss_transmit_hdr_encode(uint8_t out[HSS_HDR_LEN], uint16_t msg_id, uint32_t sock_id, uint32_t len);

/* Decode one command transfer (exactly 12 + payload_len <= 64 bytes, a command opcode, the
 * payload size of that opcode).  0 on success, -1 with err filled. */
int hss_cmd_decode(struct hss_msg *out, struct hss_error *err, const uint8_t *buf, size_t len);

/* Check the header of a bulk message: TRANSMIT with payload_len <= max_payload.
 * 0 on success, -1 with err filled. */
int hss_bulk_hdr_check(struct hss_error *err, const struct hss_hdr *hdr, uint32_t max_payload);

/* Streaming reassembler for a bulk pipe: bytes go in at any split, whole messages come out.
 * A message stays at the head (hss_reasm_peek) until hss_reasm_pop, so a receiver that cannot
 * take it now leaves it there and stops reading: backpressure, never a drop. */
struct hss_reasm {
	uint8_t *buf;
	size_t cap;
	size_t head; /* first unconsumed byte */
	size_t tail; /* one past the last received byte */
	uint32_t max_payload;
	int failed;
	struct hss_error err;
};

int hss_reasm_init(struct hss_reasm *r, uint32_t max_payload);
void hss_reasm_free(struct hss_reasm *r);
/* Room to receive into (compacting first when useful); *room is 0 when the buffer is full. */
uint8_t *hss_reasm_space(struct hss_reasm *r, size_t *room);
void hss_reasm_commit(struct hss_reasm *r, size_t n);
/* Copy in as much of data as fits; returns the number of bytes taken. */
size_t hss_reasm_feed(struct hss_reasm *r, const uint8_t *data, size_t len);
/* 1 and *msg filled when a whole message is at the head, 0 when more bytes are needed,
 * -1 when the stream is corrupt (r->err says why; the stream cannot resynchronise). */
int hss_reasm_peek(struct hss_reasm *r, struct hss_msg *msg);
/* The same for the message starting off bytes after the head (off is a sum of earlier
 * messages' sizes), so a receiver can batch several before popping them. */
int hss_reasm_peek_at(struct hss_reasm *r, size_t off, struct hss_msg *msg);
/* With msgs[0] peeked at the head: peek the TRANSMITs right behind it for the same sock_id,
 * up to max messages, stopping once max_payload bytes are gathered.  Returns how many msgs
 * holds (at least 1); *span is the bytes they occupy (for hss_reasm_pop_bytes), *payload
 * the sum of their payload lengths.  Receivers deliver such a run with one write. */
int hss_reasm_peek_run(struct hss_reasm *r, struct hss_msg *msgs, int max, size_t max_payload,
		       size_t *span, size_t *payload);
/* Consume the head message, or n bytes of whole messages. */
void hss_reasm_pop(struct hss_reasm *r);
void hss_reasm_pop_bytes(struct hss_reasm *r, size_t n);
size_t hss_reasm_buffered(const struct hss_reasm *r);

/* Status mapping between errno values and ACK codes. */
uint8_t hss_ack_code_from_errno(int err);
int hss_errno_from_ack_code(uint8_t code);

#endif
