/* FunctionFS device transport: the HSS interface (0xFF/0xAB/0x00, bulk IN/OUT, interrupt
 * IN/OUT) as a FunctionFS function of a configfs gadget; data through Linux AIO on ep1..ep4. */
#ifndef HSS_FFS_H
#define HSS_FFS_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/transport.h"

/* The FunctionFS v2 descriptor and string blobs written to ep0 (full, high and super speed). */
size_t hss_ffs_descriptors(uint8_t *out, size_t cap);
size_t hss_ffs_strings(uint8_t *out, size_t cap);
/* What to do with a control request the function receives: HSS defines none, so all stall. */
const char *hss_ffs_event_name(uint8_t type);

struct hss_ffs;
/* Open DIR/ep0, write the descriptors and strings, and follow ep0 events in loop. */
int hss_ffs_open(struct hss_ffs **out, struct hss_loop *loop, const char *dir);
/* A transport over the endpoints once the host has enabled the function; -1 with errno
 * EAGAIN before that.  It goes down when the function is disabled or unbound. */
int hss_ffs_transport(struct hss_transport **out, struct hss_ffs *f);
void hss_ffs_close(struct hss_ffs *f);

#endif
