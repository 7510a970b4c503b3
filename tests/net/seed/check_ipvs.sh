# xvs test copy (tests/net/test_seed_scripts.sh) of the seed's check_ipvs.sh,
# lvs-four-modes.txt "Health-Check Scripts", verbatim from the next line on.
# Restored: one line break. The seed reads "exit 0 # /usr/local/bin/notify.sh":
# the space before "# /usr/local/bin/notify.sh" was a line break, and what
# follows it is a second script (notify.sh), left out. Nothing else changed.
# /usr/local/bin/check_ipvs.sh
#!/bin/bash
COUNT=$(ipvsadm -Ln --stats 2>/dev/null | awk '/->/ {print $5}' | awk '{s+=$1} END {print s+0}')
if [ "${COUNT:-0}" -lt 1 ]; then
exit 1
fi
exit 0
