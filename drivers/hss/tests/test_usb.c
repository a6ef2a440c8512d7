/* What of the USB transports can be checked without hardware: the FunctionFS descriptor and
 * string bytes, the host's interface matching and endpoint choice, the ZLP rule. */
#include <criterion/criterion.h>
#include <libusb.h>
#include <linux/usb/functionfs.h>
#include <string.h>

#include "drivers/hss/ffs.h"
#include "drivers/hss/usb_host.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

Test(ffs, descriptor_bytes)
{
	uint8_t b[512];
	size_t n = hss_ffs_descriptors(b, sizeof(b));
	/* header 24 + FS 9+4*7 + HS 9+4*7 + SS 9+4*(7+6) */
	cr_assert_eq(n, 24 + 37 + 37 + 61);
	cr_assert_eq(rd32(b), FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	cr_assert_eq(rd32(b + 4), n);
	cr_assert_eq(rd32(b + 8), FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC | FUNCTIONFS_HAS_SS_DESC);
	cr_assert_eq(rd32(b + 12), 5);
	cr_assert_eq(rd32(b + 16), 5);
	cr_assert_eq(rd32(b + 20), 9);
	static const uint8_t fs[] = {
		9, 4, 0, 0, 4, 0xFF, 0xAB, 0x00, 1,  /* interface: vendor class, HSS subclass */
		7, 5, 0x81, 2, 64, 0, 0,             /* bulk IN 64 */
		7, 5, 0x02, 2, 64, 0, 0,             /* bulk OUT 64 */
		7, 5, 0x83, 3, 64, 0, 10,            /* interrupt IN 64, 10 ms */
		7, 5, 0x04, 3, 64, 0, 10,            /* interrupt OUT */
	};
	cr_assert(memcmp(b + 24, fs, sizeof(fs)) == 0, "full-speed descriptors");
	static const uint8_t hs_bulk_in[] = { 7, 5, 0x81, 2, 0x00, 0x02, 0 };   /* 512 */
	static const uint8_t hs_int_in[] = { 7, 5, 0x83, 3, 64, 0, 6 };          /* 2^(6-1) x 125 us = 4 ms */
	cr_assert(memcmp(b + 24 + 37 + 9, hs_bulk_in, 7) == 0);
	cr_assert(memcmp(b + 24 + 37 + 9 + 14, hs_int_in, 7) == 0);
	const uint8_t *ss = b + 24 + 74;
	static const uint8_t ss_bulk_in[] = { 7, 5, 0x81, 2, 0x00, 0x04, 0, 6, 0x30, 0, 0, 0, 0 }; /* 1024 + companion */
	static const uint8_t ss_int_in[] = { 7, 5, 0x83, 3, 64, 0, 6, 6, 0x30, 0, 0, 64, 0 };
	cr_assert(memcmp(ss + 9, ss_bulk_in, 13) == 0);
	cr_assert(memcmp(ss + 9 + 26, ss_int_in, 13) == 0);
	cr_assert_eq(hss_ffs_descriptors(b, 100), 0, "too small a buffer is refused");
}

Test(ffs, strings_and_events)
{
	uint8_t b[128];
	size_t n = hss_ffs_strings(b, sizeof(b));
	cr_assert_eq(rd32(b), FUNCTIONFS_STRINGS_MAGIC);
	cr_assert_eq(rd32(b + 4), n);
	cr_assert_eq(rd32(b + 8), 1);
	cr_assert_eq(rd32(b + 12), 1);
	cr_assert_eq(b[16], 0x09);
	cr_assert_eq(b[17], 0x04);
	cr_assert_str_eq((const char *)b + 18, "Socket Control Model (HSS)");
	cr_assert_str_eq(hss_ffs_event_name(FUNCTIONFS_ENABLE), "ENABLE");
	cr_assert_str_eq(hss_ffs_event_name(FUNCTIONFS_SETUP), "SETUP");
	cr_assert_str_eq(hss_ffs_event_name(99), "unknown");
}

static struct libusb_endpoint_descriptor ep(uint8_t addr, uint8_t type, uint16_t mps)
{
	struct libusb_endpoint_descriptor e = { .bLength = 7, .bDescriptorType = 5, .bEndpointAddress = addr,
						.bmAttributes = type, .wMaxPacketSize = mps };
	return e;
}

Test(usb_host, interface_matching)
{
	struct libusb_endpoint_descriptor eps[6] = {
		ep(0x83, LIBUSB_TRANSFER_TYPE_INTERRUPT, 64),
		ep(0x81, LIBUSB_TRANSFER_TYPE_BULK, 512),
		ep(0x02, LIBUSB_TRANSFER_TYPE_BULK, 512),
		ep(0x04, LIBUSB_TRANSFER_TYPE_INTERRUPT, 64),
		ep(0x85, LIBUSB_TRANSFER_TYPE_BULK, 512),  /* a second bulk IN: the first one wins */
		ep(0x06, LIBUSB_TRANSFER_TYPE_ISOCHRONOUS, 64),
	};
	struct libusb_interface_descriptor alt = {
		.bInterfaceNumber = 2, .bNumEndpoints = 6, .bInterfaceClass = 0xFF,
		.bInterfaceSubClass = 0xAB, .bInterfaceProtocol = 0x00, .endpoint = eps,
	};
	struct hss_usb_eps got;
	cr_assert_eq(hss_usb_match(&got, 0x2FE0, &alt), 1);
	cr_assert_eq(got.iface, 2);
	cr_assert_eq(got.bulk_in, 0x81);
	cr_assert_eq(got.bulk_out, 0x02);
	cr_assert_eq(got.int_in, 0x83);
	cr_assert_eq(got.int_out, 0x04);
	cr_assert_eq(got.bulk_max_packet, 512);
	cr_assert_eq(hss_usb_match(&got, 0x10C4, &alt), 0, "other vendors (e.g. the access card bridge) are not HSS");
	alt.bInterfaceSubClass = 0x02;
	cr_assert_eq(hss_usb_match(&got, 0x2FE0, &alt), 0, "CDC-ECM of the same gadget is not HSS");
	alt.bInterfaceSubClass = 0xAB;
	alt.bInterfaceProtocol = 0x01;
	cr_assert_eq(hss_usb_match(&got, 0x2FE0, &alt), 0);
	alt.bInterfaceProtocol = 0x00;
	alt.bNumEndpoints = 3; /* no interrupt OUT */
	cr_assert_eq(hss_usb_match(&got, 0x2FE0, &alt), 0);
}

Test(usb_host, zlp_rule)
{
	cr_assert(hss_usb_zlp_needed(512, 512));
	cr_assert(hss_usb_zlp_needed(1024, 512));
	cr_assert(hss_usb_zlp_needed(64, 64));
	cr_assert(!hss_usb_zlp_needed(1023, 512));
	cr_assert(!hss_usb_zlp_needed(0, 512));
	cr_assert(!hss_usb_zlp_needed(1036, 1024));
}
