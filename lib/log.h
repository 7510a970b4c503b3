/* SPDX-License-Identifier: GPL-2.0 */
/* log.h - one printf-checked logging function for every xvs program. */
#ifndef XVS_LOG_H
#define XVS_LOG_H

#include <stdbool.h>

enum xvs_log_level { XVS_LOG_ERR, XVS_LOG_WARN, XVS_LOG_INFO, XVS_LOG_DBG };

/*
 * Configure logging: to syslog (ident) when use_syslog, else to stderr.
 * Messages above max_level are dropped.
 */
void xvs_log_init(const char *ident, bool use_syslog, enum xvs_log_level max_level);

/* Log one message at level; a trailing newline is added. */
void xvs_log(enum xvs_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define xvs_log_err(...)  xvs_log(XVS_LOG_ERR, __VA_ARGS__)
#define xvs_log_warn(...) xvs_log(XVS_LOG_WARN, __VA_ARGS__)
#define xvs_log_info(...) xvs_log(XVS_LOG_INFO, __VA_ARGS__)
#define xvs_log_dbg(...)  xvs_log(XVS_LOG_DBG, __VA_ARGS__)

#endif
