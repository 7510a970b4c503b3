# SPDX-License-Identifier: GPL-2.0
# bench/plot.gp - requests/s against concurrency, one line per load
# balancer, from bench/e2e.sh's e2e-concurrency.dat (first line:
# "# concurrency NAME..."; then one row per concurrency).
#   gnuplot -e "datafile='IN'; outfile='OUT.png'" bench/plot.gp
set terminal pngcairo size 900,560 noenhanced
set output outfile
set title "New connection per request: requests/s by concurrency (wrk, lab)"
set xlabel "concurrent connections (wrk -c)"
set ylabel "requests/s"
set logscale x 2
set key outside right top
set grid
set yrange [0:*]
# Column titles from the header line: word i+1 names column i+1.
header = system(sprintf("head -n1 '%s'", datafile))
ncols = words(header) - 1
plot for [i = 2:ncols] datafile using 1:i with linespoints lw 2 pt 7 \
	title word(header, i + 1)
