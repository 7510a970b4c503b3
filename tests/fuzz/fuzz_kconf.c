// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_kconf.c - libFuzzer target for the keepalived.conf parser: any
 * bytes must parse to a config (or a clean error) without a crash, a
 * leak or undefined behaviour. `make fuzz` builds it; `make check-fuzz`
 * runs it for 60 s from tests/fuzz/corpus.
 *
 * Includes are resolved relative to "fuzz.conf"'s directory (the current
 * one); the corpus has none, and the depth and size limits bound any.
 */
#include <stddef.h>
#include <stdint.h>

#include "kconf.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct xvs_kconf *kc;

	if (!quiet) {
		/* Only errors are logged (to stderr, which run.sh keeps in a file). */
		xvs_log_init("fuzz_kconf", false, XVS_LOG_ERR);
		quiet = 1;
	}
	kc = xvs_kconf_load_buf("fuzz.conf", (const char *)data, size);
	if (kc)
		(void)xvs_kconf_test_status(kc);
	xvs_kconf_free(kc);
	return 0;
}
