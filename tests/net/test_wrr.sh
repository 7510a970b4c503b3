#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_wrr.sh - wrr with weights 3 and 1 splits new connections 3:1.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 wrr -g 3 1
t_http_balance "$(t_scale 400 4000)" " (wrr 3:1)"
# wrr is deterministic; the tolerance only absorbs a stray reused tuple.
ratio=$(awk -v a="$T_N0" -v b="$T_N1" 'BEGIN { if (b) printf "%.2f", a / b }')
t_check "wrr ratio ${ratio:-inf} within 2.5..3.5" \
	awk -v r="${ratio:-0}" 'BEGIN { exit !(r >= 2.5 && r <= 3.5) }'
t_end
