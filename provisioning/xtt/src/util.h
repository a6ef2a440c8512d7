/* util.h: error text, hex, whole-file I/O and big-endian helpers shared by the XTT code. */
#ifndef SR6_XTT_UTIL_H
#define SR6_XTT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "provisioning/xtt/include/xtt.h"

/* A failure: the protocol error code and a sentence naming the message and field. */
struct xerr {
	enum xtt_error code;
	char text[192];
};
/* Sets code and text (printf format); returns -1 so callers can `return xerr_set(...)`. */
int xerr_set(struct xerr *e, enum xtt_error code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void be16_put(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline uint16_t be16_get(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Lower-case hex of len bytes into out (2 * len + 1 bytes). */
void hex_encode(char *out, const uint8_t *buf, size_t len);
/* Exactly len bytes from a hex string (no separators); 0 or -1. */
int hex_decode(uint8_t *out, size_t len, const char *hex);

/* Reads a whole file of at most max bytes into *buf (malloc'd); errbuf gets "path: why". */
int file_read(uint8_t **buf, size_t *len, const char *path, size_t max, char *errbuf, size_t errlen);
/* Reads a file that must be exactly len bytes long (key files: the buffer it reads through
 * is wiped before it is freed). */
int file_read_exact(uint8_t *out, size_t len, const char *path, char *errbuf, size_t errlen);
/* Writes all len bytes to fd (retrying short writes and EINTR): 0, or -1 with errno set
 * (0 if write made no progress). */
int write_all(int fd, const void *buf, size_t len);
/* Writes buf to path atomically (temporary file in the same folder, fsync, rename) with the
 * given mode, so a reader never sees half a file. */
int file_write_atomic(const char *path, const uint8_t *buf, size_t len, unsigned mode,
		      char *errbuf, size_t errlen);

#endif
