# xvs test copy (tests/net/test_seed_scripts.sh) of the seed's ipvs_metrics.sh,
# lvs-four-modes.txt "Monitoring and Metrics", verbatim from the next line on.
# Restored: in each of the four printf format strings, the two characters
# backslash-n where the seed has a literal line break (the string "...} %s"
# continued on the next line with "\", a[1], ..."); and the line break after
# the final "' >> $OUT", which the seed runs into the next paragraph
# ("Prometheus scrape config (example):", not part of the script). Nothing
# else changed.
# /usr/local/bin/ipvs_metrics.sh
#!/bin/bash
OUT=/var/lib/node_exporter/textfile_collector/ipvs.prom
echo -n > $OUT
ipvsadm -Ln --rate | awk -v ts=$(date +%s) '
/^TCP/ {proto="tcp"; next}
/^UDP/ {proto="udp"; next}
$4 ~ /:/ {
split($4, a, ":")
printf "lvs_rate_in_pps{vip=\"%s\",port=\"%s\",proto=\"%s\"} %s\n", a[1], a[2], proto, $5
printf "lvs_rate_out_pps{vip=\"%s\",port=\"%s\",proto=\"%s\"} %s\n", a[1], a[2], proto, $6
printf "lvs_rate_in_cps{vip=\"%s\",port=\"%s\",proto=\"%s\"} %s\n", a[1], a[2], proto, $7
printf "lvs_rate_out_cps{vip=\"%s\",port=\"%s\",proto=\"%s\"} %s\n", a[1], a[2], proto, $8
}
' >> $OUT
