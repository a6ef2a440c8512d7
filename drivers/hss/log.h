/* Daemon logging to stderr; tests lower the level to keep their output to one line each. */
#ifndef HSS_LOG_H
#define HSS_LOG_H

enum { HSS_LOG_ERR = 0, HSS_LOG_WARN = 1, HSS_LOG_INFO = 2, HSS_LOG_DEBUG = 3 };
extern int hss_log_level;

__attribute__((format(printf, 2, 3)))
void hss_log(int level, const char *fmt, ...);

#endif
