/* libusb host transport: finds HSS interfaces (vendor 0x2FE0, class/subclass/protocol
 * 0xFF/0xAB/0x00, any product), claims them and keeps transfers queued on the four pipes. */
#ifndef HSS_USB_HOST_H
#define HSS_USB_HOST_H

#include <libusb.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/transport.h"

#define HSS_USB_VENDOR 0x2FE0
#define HSS_USB_CLASS 0xFF
#define HSS_USB_SUBCLASS 0xAB
#define HSS_USB_PROTOCOL 0x00

struct hss_usb_eps {
	uint8_t iface;
	uint8_t bulk_in, bulk_out, int_in, int_out;
	uint16_t bulk_max_packet;
};

/* 1 and eps filled when alt (of a device with vendor vid) is an HSS interface with the four
 * endpoints (the first of each kind is taken), else 0. */
int hss_usb_match(struct hss_usb_eps *eps, uint16_t vid, const struct libusb_interface_descriptor *alt);
/* Whether a bulk OUT transfer of len bytes needs a zero-length packet to end it. */
int hss_usb_zlp_needed(size_t len, uint16_t max_packet);

struct hss_usb_host;
/* Open every HSS device now and, where libusb supports hotplug, each one plugged in later;
 * attach(t) takes each new transport. */
int hss_usb_host_start(struct hss_usb_host **out, struct hss_loop *loop,
		       int (*attach)(struct hss_transport *t));
void hss_usb_host_stop(struct hss_usb_host *u);

#endif
