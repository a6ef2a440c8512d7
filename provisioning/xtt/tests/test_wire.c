/* Message layouts: exact lengths, header fields, and which field a bad header names. */
#include <string.h>

#include <criterion/criterion.h>

#include "provisioning/xtt/src/wire.h"

Test(wire, lengths_match_xtt_v0_12)
{
	cr_assert_eq(wire_message_len(WIRE_CLIENT_INIT), 70);
	cr_assert_eq(wire_message_len(WIRE_SERVER_INIT_AND_ATTEST), 417);
	cr_assert_eq(wire_message_len(WIRE_ID_CLIENT_ATTEST), 750);
	cr_assert_eq(wire_message_len(WIRE_ID_SERVER_FINISHED), 103);
	cr_assert_eq(wire_message_len(WIRE_ERROR), 4);
	cr_assert_eq(wire_message_len(0x21), 0);
	cr_assert_eq(WIRE_SIAA_AD_LEN + WIRE_SIAA_PT_LEN + WIRE_TAG_LEN, WIRE_SIAA_LEN);
	cr_assert_eq(WIRE_CA_AD_LEN + WIRE_CA_PT_LEN + WIRE_TAG_LEN, WIRE_CA_LEN);
	cr_assert_eq(WIRE_SF_AD_LEN + WIRE_SF_PT_LEN + WIRE_TAG_LEN, WIRE_SF_LEN);
	cr_assert_eq(WIRE_CA_LEN, XTT_MAX_MESSAGE_LEN);
}

Test(wire, client_init_bytes)
{
	struct wire_client_init m = { .suite = 3 }, back;
	uint8_t out[WIRE_CI_LEN];
	struct xerr e;

	memset(m.nonce, 0x11, sizeof(m.nonce));
	memset(m.dh_pub, 0x22, sizeof(m.dh_pub));
	wire_client_init_build(out, &m);
	cr_assert_eq(out[0], 0x01);
	cr_assert_eq(out[1], 0x00);
	cr_assert_eq(out[2], 70);
	cr_assert_eq(out[3], 0x01);
	cr_assert_eq(out[4], 0x00);
	cr_assert_eq(out[5], 0x03);
	cr_assert_eq(out[6], 0x11);
	cr_assert_eq(out[37], 0x11);
	cr_assert_eq(out[38], 0x22);
	cr_assert_eq(out[69], 0x22);
	cr_assert_eq(wire_client_init_parse(&back, out, sizeof(out), &e), 0);
	cr_assert_eq(back.suite, 3);
	cr_assert(memcmp(&back, &m, sizeof(m)) == 0);
	cr_assert_eq(wire_client_init_parse(&back, out, sizeof(out) - 1, &e), -1);
	cr_assert_eq(e.code, XTT_E_LENGTH);
}

Test(wire, error_message_bytes)
{
	uint8_t out[WIRE_ERROR_LEN];
	static const uint8_t want[] = { 0x41, 0x00, 0x04, 0x01 };

	wire_error_build(out);
	cr_assert(memcmp(out, want, 4) == 0);
	cr_assert_eq(wire_header_check(out, WIRE_SERVER_INIT_AND_ATTEST, NULL), 1);
}

struct header_case {
	uint8_t hdr[4];
	uint8_t want_type;
	int rc;
	enum xtt_error code;
	const char *text;
};

Test(wire, header_checks_name_the_field)
{
	static const struct header_case cases[] = {
		{ { 0x02, 0x01, 0xa1, 0x01 }, WIRE_SERVER_INIT_AND_ATTEST, 0, XTT_E_NONE, "" },
		{ { 0x13, 0x00, 0x67, 0x01 }, WIRE_SERVER_INIT_AND_ATTEST, -1, XTT_E_TYPE, "field type (offset 0) is 0x13" },
		{ { 0x99, 0x00, 0x67, 0x01 }, WIRE_ID_CLIENT_ATTEST, -1, XTT_E_TYPE, "field type" },
		{ { 0x02, 0x01, 0xa2, 0x01 }, WIRE_SERVER_INIT_AND_ATTEST, -1, XTT_E_LENGTH, "field length (offset 1) is 418, expected 417" },
		{ { 0x01, 0x00, 0x46, 0x02 }, WIRE_CLIENT_INIT, -1, XTT_E_VERSION, "field version (offset 3) is 2" },
		{ { 0x41, 0x00, 0x05, 0x01 }, WIRE_CLIENT_INIT, -1, XTT_E_LENGTH, "Error: field length" },
		{ { 0x41, 0x00, 0x04, 0x01 }, WIRE_ID_SERVER_FINISHED, 1, XTT_E_NONE, "" },
		{ { 0x11, 0x02, 0xee, 0x01 }, WIRE_ID_CLIENT_ATTEST, 0, XTT_E_NONE, "" },
		{ { 0x13, 0x00, 0x67, 0x01 }, WIRE_ID_SERVER_FINISHED, 0, XTT_E_NONE, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xerr e = { XTT_E_NONE, "" };
		int rc = wire_header_check(cases[i].hdr, cases[i].want_type, &e);

		cr_assert_eq(rc, cases[i].rc, "case %zu: rc %d", i, rc);
		cr_assert_eq(e.code, cases[i].code, "case %zu: code %d", i, e.code);
		cr_assert(strstr(e.text, cases[i].text), "case %zu: '%s' lacks '%s'", i, e.text, cases[i].text);
	}
}

Test(wire, client_attest_plaintext_layout)
{
	struct wire_ca_pt m, back;
	uint8_t out[WIRE_CA_PT_LEN];
	struct xerr e;

	memset(&m, 0, sizeof(m));
	m.longterm_pub[0] = 0x04;
	m.gid[0] = 0xa1;
	m.id[0] = 0xb2;
	m.longterm_sig[0] = 0xc3;
	m.daa_sig[0] = 0xd4;
	m.daa_sig[420] = 0xe5;
	wire_ca_pt_build(out, &m);
	cr_assert_eq(out[0], 0x04);
	cr_assert_eq(out[65], 0xa1);
	cr_assert_eq(out[97], 0xb2);
	cr_assert_eq(out[113], 0xc3);
	cr_assert_eq(out[177], 0xd4);
	cr_assert_eq(out[597], 0xe5);
	cr_assert_eq(wire_ca_pt_parse(&back, out, sizeof(out), &e), 0);
	cr_assert(memcmp(&back, &m, sizeof(m)) == 0);
	out[0] = 0x02;
	cr_assert_eq(wire_ca_pt_parse(&back, out, sizeof(out), &e), -1);
	cr_assert_eq(e.code, XTT_E_LONGTERM_KEY);
	cr_assert(strstr(e.text, "longterm_pub (offset 136)"), "%s", e.text);
}

Test(wire, whole_message_parsers_reject_an_error_message)
{
	uint8_t buf[WIRE_SF_LEN] = { 0x41, 0x00, 0x04, 0x01 };
	uint16_t suite;
	struct xerr e;

	cr_assert_eq(wire_sf_ad_parse(&suite, buf, sizeof(buf), &e), -1);
	cr_assert_eq(e.code, XTT_E_TYPE);
}
