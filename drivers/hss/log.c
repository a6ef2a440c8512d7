#include "drivers/hss/log.h"

#include <stdarg.h>
#include <stdio.h>

int hss_log_level = HSS_LOG_INFO;

void hss_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	if (level > hss_log_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "hss: %s: ", names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
