/* Preloaded into the command-line tools by the tests (LD_PRELOAD): a free() that looks for
 * a secret in every block given back, to prove that key material read from files is wiped
 * before its memory is freed (a memset the compiler sees as dead is removed, and stdio
 * frees its own copy unwiped).  FREED_SECRET_HEX holds the secret's bytes in hex; when a
 * freed block contains them the process says so and aborts. */
#include <dlfcn.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void free(void *p);

static void (*real_free)(void *);
static unsigned char secret[64];
static size_t secret_len;
static int setting_up;

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void set_up(void)
{
	const char *hex = getenv("FREED_SECRET_HEX");
	size_t n = 0;

	setting_up = 1;
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	while (hex && hex[2 * n] && hex[2 * n + 1] && n < sizeof(secret)) {
		int hi = nibble(hex[2 * n]), lo = nibble(hex[2 * n + 1]);

		if (hi < 0 || lo < 0)
			break;
		secret[n++] = (unsigned char)(hi << 4 | lo);
	}
	secret_len = n;
	setting_up = 0;
}

void free(void *p)
{
	if (!real_free) {
		if (setting_up)
			return; /* dlsym freeing its own scratch: leak it */
		set_up();
		if (!real_free)
			return;
	}
	if (p && secret_len && memmem(p, malloc_usable_size(p), secret, secret_len)) {
		static const char msg[] = "freed_secret: a block freed with the secret still in it\n";

		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(70);
		abort();
	}
	real_free(p);
}
