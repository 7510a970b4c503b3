// SPDX-License-Identifier: GPL-2.0
/* overload.c - IPVS's OVERLOAD rule, see overload.h. */
#include "overload.h"

bool xvs_overload_clear(int64_t total, uint32_t u, uint32_t l)
{
	if (l)
		return total < (int64_t)l;
	if (u)
		return total * 4 < (int64_t)u * 3;
	return true;
}

bool xvs_overload_clear_on_edit(uint32_t old_u, uint32_t new_u)
{
	return new_u == 0 || new_u > old_u;
}
