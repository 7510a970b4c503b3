// SPDX-License-Identifier: GPL-2.0
/*
 * hk_bench.c - xvsd's housekeeping at scale: fill a connection table with
 * N live entries, time one full housekeeping walk (expiry check, recount,
 * counter correction) and report the table's map memory per entry; then
 * run xvsd's incremental ticks (xvs_hk_step with xvs_hk_tick_budget) over
 * two passes and report the ticks a pass takes, the most entries one tick
 * walked and the CPU per tick. It fails (exit 1) only when a tick walks
 * more than its budget allows or a pass does not end or miscounts.
 *
 * It runs against a private pin directory that it removes at the end, so
 * a running xvsd is not disturbed.
 *
 * Usage: hk_bench [-b conn_tab_bits] [-n entries] [-r runs]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "dp.h"
#include "housekeeping.h"
#include "log.h"
#include "model.h"

#define FILL_BATCH 8192

static double clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The map's memlock from /proc/self/fdinfo, in bytes; 0 if unknown. */
static unsigned long long map_memlock(int fd)
{
	char path[64], line[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/*
 * Insert n distinct live TCP entries for dest 1, batched. The table keeps
 * an LRU list per CPU holding max_entries / CPUs entries (docs/abi.md),
 * so batches are inserted from each CPU in turn, as RSS spreads real
 * traffic; from one CPU only half the table would be usable here.
 */
static int fill(struct xvs_dp *dp, uint32_t n, uint64_t now)
{
	struct xvs_conn_key *k = calloc(FILL_BATCH, sizeof(*k));
	struct xvs_conn *v = calloc(FILL_BATCH, sizeof(*v));
	int err = 0, cpu = 0;
	cpu_set_t all, one;

	if (!k || !v) {
		err = -ENOMEM;
		goto out;
	}
	sched_getaffinity(0, sizeof(all), &all);
	for (uint32_t done = 0; done < n && !err;) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		uint32_t cnt = n - done < FILL_BATCH ? n - done : FILL_BATCH;

		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		cpu = (cpu + 1) % dp->ncpus;
		for (uint32_t i = 0; i < cnt; i++) {
			uint32_t id = done + i;

			memset(&k[i], 0, sizeof(k[i]));
			/* 198.18.x.y clients, distinct by address and port. */
			k[i].saddr.ip4 = htonl(0xc6120000u | (id >> 16));
			k[i].daddr.ip4 = htonl(0xc6120064u);
			k[i].sport = htons((uint16_t)(id & 0xffff));
			k[i].dport = htons(80);
			k[i].proto = 6;
			k[i].af = XVS_AF_INET;
			memset(&v[i], 0, sizeof(v[i]));
			v[i].last_seen_ns = now;
			v[i].dest_id = 1;
			v[i].timeout = 900;
			v[i].state = XVS_TCP_ESTABLISHED;
		}
		if (bpf_map_update_batch(dp->conn_fd, k, v, &cnt, &opts))
			err = -errno;
		done += cnt;
	}
	sched_setaffinity(0, sizeof(all), &all);
out:
	free(k);
	free(v);
	return err;
}

/*
 * xvsd's ticks, back to back: one pass to start from a pass boundary,
 * then two timed passes. Checks that no tick walks more than its budget
 * plus one batch and that each pass ends and sees all n entries.
 */
static int incremental(struct xvs_model *m, struct xvs_hk *hk, uint32_t n)
{
	uint64_t budget = xvs_hk_tick_budget(m->dp), max_tick = 0;
	unsigned int ticks = 0, passes = 0, max_ticks = 64;
	double cpu = 0, max_cpu = 0;
	int ret;

	while ((ret = xvs_hk_step(m, xvs_hk_now_ns(), budget, hk)) == 0 && max_ticks--)
		;
	if (ret != 1)
		goto bad;
	while (passes < 2 && max_ticks--) {
		uint64_t walked = hk->tot.walked;
		double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), c;

		ret = xvs_hk_step(m, xvs_hk_now_ns(), budget, hk);
		c = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (ret < 0)
			goto bad;
		ticks++;
		cpu += c;
		max_cpu = c > max_cpu ? c : max_cpu;
		if (hk->tot.walked - walked > max_tick)
			max_tick = hk->tot.walked - walked;
		if (ret == 1) {
			passes++;
			if (hk->tot.live != (long)n)
				goto bad;
		}
	}
	printf("\nxvsd's ticks (xvs_hk_step, xvs_hk_tick_budget entries each), 2 passes; the walk above\n"
	       "is one whole pass, as xvsd did every second before:\n\n");
	printf("| tick budget | ticks per pass | most walked in a tick | CPU per tick (mean) | CPU per tick (max) | housekeeping CPU |\n");
	printf("|---:|---:|---:|---:|---:|---:|\n");
	printf("| %llu | %.1f | %llu | %.1f ms | %.1f ms | %.1f%% of one CPU |\n",
	       (unsigned long long)budget, ticks / 2.0, (unsigned long long)max_tick,
	       cpu / ticks, max_cpu, cpu / ticks / 10);
	if (passes == 2 && max_tick < budget + 4096)
		return 0;
bad:
	fprintf(stderr, "hk_bench: incremental ticks: pass ended %d, live %ld of %u, most in a tick %llu of budget %llu\n",
		ret, hk->tot.live, n, (unsigned long long)max_tick, (unsigned long long)budget);
	return -EPROTO;
}

int main(int argc, char **argv)
{
	unsigned int bits = 20, runs = 3;
	uint32_t n = 1u << 20;
	char pin_dir[128];
	struct xvs_model *m;
	struct xvs_dp dp;
	double best = 1e18, best_cpu = 1e18;
	struct xvs_hk hk = { .tot = { .live = -1 } };
	long live = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "b:n:r:")) != -1) {
		switch (opt) {
		case 'b': bits = (unsigned int)atoi(optarg); break;
		case 'n': n = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'r': runs = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: hk_bench [-b bits] [-n entries] [-r runs]\n");
			return 2;
		}
	}
	if (bits < 8 || bits > 26 || n > (1u << bits) || !runs) {
		fprintf(stderr, "hk_bench: need 8 <= bits <= 26, entries <= 2^bits, runs >= 1\n");
		return 2;
	}
	xvs_log_init("hk_bench", false, XVS_LOG_WARN);
	snprintf(pin_dir, sizeof(pin_dir), "%s/hkbench-%d", XVS_PIN_ROOT, getpid());
	err = xvs_dp_open(&dp, pin_dir, &(struct xvs_dp_size){ .conn_tab_bits = bits });
	if (err) {
		fprintf(stderr, "hk_bench: loading the data plane: %s\n", strerror(-err));
		xvs_dp_cleanup(pin_dir);
		return 1;
	}
	m = xvs_model_new(&dp);
	err = m ? fill(&dp, n, xvs_hk_now_ns()) : -ENOMEM;
	if (err) {
		fprintf(stderr, "hk_bench: filling the table: %s\n", strerror(-err));
		goto out;
	}
	for (unsigned int r = 0; r < runs; r++) {
		double t0 = clock_ms(CLOCK_MONOTONIC);
		double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);

		live = xvs_hk_scan(m, xvs_hk_now_ns(), &hk);
		if (clock_ms(CLOCK_MONOTONIC) - t0 < best)
			best = clock_ms(CLOCK_MONOTONIC) - t0;
		if (clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0 < best_cpu)
			best_cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	}
	/* xvsd walks the table once a second: CPU ms per walk = % of a CPU / 10. */
	printf("| live entries | table size | walk (best of %u) | walk CPU | housekeeping CPU at 1 walk/s | map memory | per entry |\n",
	       runs);
	printf("|---:|---:|---:|---:|---:|---:|---:|\n");
	printf("| %ld | %u | %.1f ms | %.1f ms | %.1f%% of one CPU | %.1f MiB | %.0f B |\n", live,
	       dp.conn_tab_size, best, best_cpu, best_cpu / 10,
	       map_memlock(dp.conn_fd) / 1048576.0,
	       (double)map_memlock(dp.conn_fd) / dp.conn_tab_size);
	err = incremental(m, &hk, n);
out:
	xvs_hk_release(&hk);
	xvs_model_free(m);
	xvs_dp_close(&dp);
	xvs_dp_cleanup(pin_dir);
	return err ? 1 : 0;
}
