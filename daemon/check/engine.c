// SPDX-License-Identifier: GPL-2.0
/*
 * engine.c - the health-check engine: builds checkers from a parsed
 * keepalived.conf, keeps their state across reloads, turns checker
 * verdicts into real-server and virtual-server states (alive, weight,
 * quorum, sorry server), runs notify and quorum scripts, and tells its
 * owner which dests each service should have (see check.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "addr.h"
#include "check.h"
#include "checker.h"
#include "log.h"
#include "proc.h"

struct xvs_check_vs;

struct xvs_check_rs {
	struct xvs_check_vs *vs;
	const struct xvs_kc_rs *conf;
	struct xvs_checker *checks;	/* n_checks, never moved once running */
	size_t n_checks;
	int *dyn;			/* misc_dynamic weights, by checker */
	bool *dyn_set;
	bool alive;
	int weight;			/* effective */
	char name[XVS_ADDRPORT_STRLEN];
};

struct xvs_check_vs {
	struct xvs_check_engine *e;
	const struct xvs_kc_vs *conf;
	struct xvs_check_rs *rs;
	size_t n_rs;
	bool quorum_up;
	struct xvs_rs_view *views;	/* the planner's input, n_rs */
	struct xvs_dest_plan *plan;	/* the planner's output, n_rs */
	struct xvs_dest_plan *told;	/* last plan given to set_dest, n_rs */
	struct xvs_dest_plan sorry_told;
	bool has_told;
	char name[XVS_ADDRPORT_STRLEN + 16];
};

/* A notify or quorum script running on its own. */
struct notifier {
	struct xvs_proc proc;
	struct xvs_check_engine *e;
	struct notifier *next;
};

struct xvs_check_engine {
	struct xvs_evloop *loop;
	struct xvs_check_dest_ops ops;
	void *ctx;
	const struct xvs_kconf *kc;
	struct xvs_check_vs *vs;
	size_t n_vs;
	struct notifier *notifiers;
};

/* ---- scripts ---- */

static void notifier_done(struct xvs_proc *p, int status)
{
	struct notifier *n = xvs_container_of(p, struct notifier, proc);
	struct notifier **pp = &n->e->notifiers;

	(void)status;
	while (*pp && *pp != n)
		pp = &(*pp)->next;
	if (*pp)
		*pp = n->next;
	free(n);
}

/* Start a notify/quorum script; its exit is reaped by the loop. */
static void run_script(struct xvs_check_engine *e, const char *cmd, const char *what)
{
	struct notifier *n;
	int err;

	if (!cmd)
		return;
	n = calloc(1, sizeof(*n));
	if (!n) {
		xvs_log_err("%s: out of memory, not running %s", what, cmd);
		return;
	}
	n->e = e;
	n->proc.io.fd = -1;
	err = xvs_proc_spawn(e->loop, &n->proc, cmd, 0, NULL, notifier_done);
	if (err) {
		xvs_log_err("%s: cannot run %s: %s", what, cmd, strerror(-err));
		free(n);
		return;
	}
	n->next = e->notifiers;
	e->notifiers = n;
}

/* ---- states ---- */

/* Tell the owner each dest whose plan changed (every dest when force). */
static void vs_tell(struct xvs_check_vs *vs, bool force)
{
	const struct xvs_kc_vs *k = vs->conf;
	struct xvs_check_engine *e = vs->e;
	struct xvs_dest_plan sorry;

	for (size_t i = 0; i < vs->n_rs; i++) {
		vs->views[i].alive = vs->rs[i].alive;
		vs->views[i].inhibit = vs->rs[i].conf->inhibit_on_failure;
		vs->views[i].weight = vs->rs[i].weight;
	}
	xvs_vs_plan(vs->views, vs->n_rs, vs->quorum_up, k->has_sorry, k->sorry.weight,
		    k->sorry_server_inhibit, vs->plan, &sorry);
	for (size_t i = 0; i < vs->n_rs; i++) {
		if (!force && vs->plan[i].present == vs->told[i].present &&
		    vs->plan[i].weight == vs->told[i].weight)
			continue;
		vs->told[i] = vs->plan[i];
		e->ops.set_dest(e->ctx, k, vs->rs[i].conf, vs->plan[i].present,
				vs->plan[i].weight);
	}
	if (k->has_sorry && (force || sorry.present != vs->sorry_told.present ||
			     sorry.weight != vs->sorry_told.weight)) {
		if (sorry.present != vs->sorry_told.present || force)
			xvs_log_info("%s: sorry server %s", vs->name,
				     sorry.present && sorry.weight ? "in service" :
				     sorry.present ? "inhibited (weight 0)" : "out");
		e->ops.set_dest(e->ctx, k, &k->sorry, sorry.present, sorry.weight);
	}
	vs->sorry_told = sorry;
}

static int64_t vs_live_weight(const struct xvs_check_vs *vs)
{
	int64_t sum = 0;

	for (size_t i = 0; i < vs->n_rs; i++)
		if (vs->rs[i].alive)
			sum += vs->rs[i].weight;
	return sum;
}

/* Re-evaluate quorum (scripts on a change), then the dests. */
static void vs_update(struct xvs_check_vs *vs, bool force)
{
	const struct xvs_kc_vs *k = vs->conf;
	int64_t live = vs_live_weight(vs);
	bool up = xvs_quorum_next(vs->quorum_up, live, k->quorum, k->hysteresis);

	if (up != vs->quorum_up) {
		xvs_log_info("%s: quorum %s (live weight %lld, quorum %u, hysteresis %u)",
			     vs->name, up ? "gained" : "lost", (long long)live, k->quorum,
			     k->hysteresis);
		vs->quorum_up = up;
		run_script(vs->e, up ? k->quorum_up : k->quorum_down, vs->name);
	}
	vs_tell(vs, force);
}

/* Recompute a real server's state from its checkers. */
static bool rs_compute(struct xvs_check_rs *rs)
{
	bool alive = true, changed;
	int weight;

	for (size_t i = 0; i < rs->n_checks; i++) {
		alive &= rs->checks[i].fsm.up;
		rs->dyn[i] = rs->checks[i].dyn_weight;
		rs->dyn_set[i] = rs->checks[i].dyn_set;
	}
	weight = xvs_rs_weight(rs->conf->weight, rs->dyn, rs->dyn_set, rs->n_checks);
	changed = alive != rs->alive || weight != rs->weight;
	rs->alive = alive;
	rs->weight = weight;
	return changed;
}

void xvs_check_rs_update(struct xvs_check_rs *rs)
{
	bool was_alive = rs->alive;

	if (!rs_compute(rs))
		return;
	if (rs->alive != was_alive) {
		xvs_log_info("%s: real server %s %s", rs->vs->name, rs->name,
			     rs->alive ? "up" : "down");
		run_script(rs->vs->e, rs->alive ? rs->conf->notify_up : rs->conf->notify_down,
			   rs->name);
	}
	vs_update(rs->vs, false);
}

/* ---- building and matching ---- */

static bool addr_eq(const struct xvs_kc_addr *a, const struct xvs_kc_addr *b)
{
	return a->af == b->af && !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static bool vs_same(const struct xvs_kc_vs *a, const struct xvs_kc_vs *b)
{
	if (a->kind != b->kind || a->proto != b->proto)
		return false;
	switch (a->kind) {
	case XVS_KC_VS_ADDR:
		return addr_eq(&a->addr, &b->addr) && a->port == b->port;
	case XVS_KC_VS_FWMARK:
		return a->fwmark == b->fwmark && a->af == b->af;
	case XVS_KC_VS_GROUP:
		return a->group_name && b->group_name && !strcmp(a->group_name, b->group_name);
	}
	return false;
}

static bool check_same(const struct xvs_kc_check *a, const struct xvs_kc_check *b)
{
	return a->type == b->type && addr_eq(&a->connect_ip, &b->connect_ip) &&
	       a->connect_port == b->connect_port;
}

static struct xvs_check_vs *find_vs(struct xvs_check_vs *v, size_t n, const struct xvs_kc_vs *k)
{
	for (size_t i = 0; i < n; i++)
		if (vs_same(v[i].conf, k))
			return &v[i];
	return NULL;
}

static struct xvs_check_rs *find_rs(struct xvs_check_vs *vs, const struct xvs_kc_rs *k)
{
	for (size_t i = 0; vs && i < vs->n_rs; i++)
		if (addr_eq(&vs->rs[i].conf->addr, &k->addr) && vs->rs[i].conf->port == k->port)
			return &vs->rs[i];
	return NULL;
}

/* An unclaimed old checker of the same type and target, or NULL. */
static struct xvs_checker *find_check(struct xvs_check_rs *rs, const struct xvs_kc_check *k)
{
	for (size_t i = 0; rs && i < rs->n_checks; i++)
		if (rs->checks[i].ops && !rs->checks[i].claimed &&
		    check_same(rs->checks[i].conf, k))
			return &rs->checks[i];
	return NULL;
}

static uint64_t random_below(uint64_t max)
{
	uint64_t r;

	if (!max)
		return 0;
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r = (uint64_t)random();
	return r % (max + 1);
}

static void vs_name(const struct xvs_kc_vs *k, char *buf, size_t len)
{
	char a[XVS_ADDRPORT_STRLEN];

	switch (k->kind) {
	case XVS_KC_VS_ADDR:
		xvs_addr_port_fmt(k->addr.af, &k->addr.addr, htons(k->port), a, sizeof(a));
		snprintf(buf, len, "VS %s", a);
		break;
	case XVS_KC_VS_FWMARK:
		snprintf(buf, len, "VS fwmark %u", k->fwmark);
		break;
	case XVS_KC_VS_GROUP:
		snprintf(buf, len, "VS group %s", k->group_name ? k->group_name : "?");
		break;
	}
}

/*
 * Set up one checker (not started). Returns 0, or -errno: the checker's
 * config is unusable (logged) and it is left out, so its real server is
 * judged by its other checkers.
 */
static int checker_build(struct xvs_check_engine *e, struct xvs_check_rs *rs,
			 struct xvs_checker *c, const struct xvs_kc_check *k)
{
	const struct xvs_checker_ops *ops = xvs_checker_ops_for(k->type);
	int err;

	memset(c, 0, sizeof(*c));
	c->io.fd = -1;
	c->conf = k;
	c->rs = rs;
	c->loop = e->loop;
	c->last_duration_s = -1;
	xvs_chk_fsm_init(&c->fsm, rs->vs->conf->alpha);
	snprintf(c->name, sizeof(c->name), "%s %s", rs->name,
		 ops ? ops->name : k->type == XVS_KC_CHECK_SMTP ? "SMTP_CHECK" : "BFD_CHECK");
	if (!ops) {
		xvs_log_warn("%s:%d: %s is not run by xvsd; it does not judge %s",
			     k->loc.file, k->loc.line, c->name, rs->name);
		return -EOPNOTSUPP;
	}
	err = ops->init ? ops->init(c) : 0;
	if (err) {
		xvs_log_err("%s:%d: %s: %s; checker not run", k->loc.file, k->loc.line, c->name,
			    strerror(-err));
		return err;
	}
	c->ops = ops;
	return 0;
}

/* Start c, taking over old's state when a matching old checker exists. */
static int checker_start(struct xvs_checker *c, struct xvs_checker *old)
{
	uint64_t delay;

	if (!old)
		return xvs_checker_schedule(c, random_below(c->conf->warmup_us));
	c->fsm = old->fsm;
	c->dyn_set = old->dyn_set;
	c->dyn_weight = old->dyn_weight;
	c->runs = old->runs;
	c->failures = old->failures;
	c->last_duration_s = old->last_duration_s;
	/* Keep the old rhythm; an attempt cut short by the reload runs again. */
	delay = 0;
	if (!old->running && old->next.heap_pos) {
		uint64_t now = xvs_evloop_now_us();

		delay = old->next.when_us > now ? old->next.when_us - now : 0;
	}
	old->claimed = true;
	xvs_checker_stop(old);
	return xvs_checker_schedule(c, delay);
}

static void rs_free(struct xvs_check_rs *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++) {
		struct xvs_checker *c = &rs->checks[i];

		if (!c->ops)
			continue;	/* never built: nothing to release */
		xvs_checker_stop(c);
		if (c->ops->fini)
			c->ops->fini(c);
	}
	free(rs->checks);
	free(rs->dyn);
	free(rs->dyn_set);
}

static void vs_free(struct xvs_check_vs *vs)
{
	for (size_t i = 0; i < vs->n_rs; i++)
		rs_free(&vs->rs[i]);
	free(vs->rs);
	free(vs->views);
	free(vs->plan);
	free(vs->told);
}

static void vs_array_free(struct xvs_check_vs *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vs_free(&v[i]);
	free(v);
}

/* Build one virtual server of kc, checkers set up but not started.
 * Returns 0 or -ENOMEM (the caller frees the partial build). */
static int vs_build(struct xvs_check_engine *e, struct xvs_check_vs *vs,
		    const struct xvs_kc_vs *k)
{
	vs->e = e;
	vs->conf = k;
	vs_name(k, vs->name, sizeof(vs->name));
	vs->n_rs = k->n_rs;
	vs->rs = calloc(k->n_rs + 1, sizeof(*vs->rs));
	vs->views = calloc(k->n_rs + 1, sizeof(*vs->views));
	vs->plan = calloc(k->n_rs + 1, sizeof(*vs->plan));
	vs->told = calloc(k->n_rs + 1, sizeof(*vs->told));
	if (!vs->rs || !vs->views || !vs->plan || !vs->told)
		return -ENOMEM;
	for (size_t i = 0; i < k->n_rs; i++) {
		struct xvs_check_rs *rs = &vs->rs[i];
		const struct xvs_kc_rs *kr = &k->rs[i];

		rs->vs = vs;
		rs->conf = kr;
		xvs_addr_port_fmt(kr->addr.af, &kr->addr.addr, htons(kr->port), rs->name,
				  sizeof(rs->name));
		rs->checks = calloc(kr->n_checks + 1, sizeof(*rs->checks));
		rs->dyn = calloc(kr->n_checks + 1, sizeof(*rs->dyn));
		rs->dyn_set = calloc(kr->n_checks + 1, sizeof(*rs->dyn_set));
		if (!rs->checks || !rs->dyn || !rs->dyn_set)
			return -ENOMEM;
		rs->n_checks = kr->n_checks;
		for (size_t j = 0; j < kr->n_checks; j++)
			if (checker_build(e, rs, &rs->checks[j], &kr->checks[j]))
				rs->checks[j].fsm.up = true;	/* judges nothing */
	}
	return 0;
}

/* Start the checkers of a built vs; take state over from old. */
static int vs_start(struct xvs_check_vs *vs, struct xvs_check_vs *old)
{
	for (size_t i = 0; i < vs->n_rs; i++) {
		struct xvs_check_rs *rs = &vs->rs[i];
		struct xvs_check_rs *ors = find_rs(old, rs->conf);

		for (size_t j = 0; j < rs->n_checks; j++) {
			struct xvs_checker *c = &rs->checks[j];
			int err;

			if (!c->ops)
				continue;
			err = checker_start(c, find_check(ors, c->conf));
			if (err)
				return err;
		}
		rs_compute(rs);
		/* A real server that stays keeps its verdict; a changed one
		 * (a checker added or dropped) is reported as it now is. */
		if (ors && ors->alive != rs->alive)
			xvs_log_info("%s: real server %s %s after reload", vs->name, rs->name,
				     rs->alive ? "up" : "down");
	}
	if (old)
		vs->quorum_up = old->quorum_up;
	else
		vs->quorum_up = vs_live_weight(vs) >= (int64_t)vs->conf->quorum;
	return 0;
}

struct xvs_check_engine *xvs_check_engine_new(const struct xvs_check_dest_ops *ops, void *ctx)
{
	struct xvs_check_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->loop = xvs_evloop_new();
	if (!e->loop) {
		free(e);
		return NULL;
	}
	e->ops = *ops;
	e->ctx = ctx;
	return e;
}

int xvs_check_engine_apply(struct xvs_check_engine *e, const struct xvs_kconf *kc)
{
	size_t n = kc->n_vs;
	struct xvs_check_vs *v = calloc(n + 1, sizeof(*v));
	int err = v ? 0 : -ENOMEM;

	for (size_t i = 0; !err && i < n; i++)
		err = vs_build(e, &v[i], &kc->vs[i]);
	for (size_t i = 0; !err && i < n; i++)
		err = vs_start(&v[i], find_vs(e->vs, e->n_vs, &kc->vs[i]));
	if (err) {
		xvs_log_err("health checks: cannot apply the configuration: %s",
			    strerror(-err));
		/* Un-claim: the old checkers go on where they were. */
		for (size_t i = 0; i < e->n_vs; i++)
			for (size_t j = 0; j < e->vs[i].n_rs; j++)
				for (size_t c = 0; c < e->vs[i].rs[j].n_checks; c++)
					if (e->vs[i].rs[j].checks[c].claimed) {
						e->vs[i].rs[j].checks[c].claimed = false;
						xvs_checker_schedule(&e->vs[i].rs[j].checks[c], 0);
					}
		if (v)
			vs_array_free(v, n);
		return err;
	}
	vs_array_free(e->vs, e->n_vs);
	e->vs = v;
	e->n_vs = n;
	e->kc = kc;
	for (size_t i = 0; i < n; i++)
		vs_update(&v[i], true);
	return 0;
}

int xvs_check_engine_fd(const struct xvs_check_engine *e)
{
	return xvs_evloop_fd(e->loop);
}

void xvs_check_engine_run(struct xvs_check_engine *e)
{
	xvs_evloop_dispatch(e->loop);
}

void xvs_check_engine_shutdown(struct xvs_check_engine *e)
{
	for (size_t i = 0; i < e->n_vs; i++) {
		struct xvs_check_vs *vs = &e->vs[i];

		if (!vs->conf->omega)
			continue;
		for (size_t j = 0; j < vs->n_rs; j++)
			if (vs->rs[j].alive)
				run_script(e, vs->rs[j].conf->notify_down, vs->rs[j].name);
		if (vs->quorum_up)
			run_script(e, vs->conf->quorum_down, vs->name);
	}
}

void xvs_check_engine_free(struct xvs_check_engine *e)
{
	if (!e)
		return;
	vs_array_free(e->vs, e->n_vs);
	/* Notifiers are not killed: they finish on their own (omega's run
	 * right before exit); only our watch on them ends. */
	while (e->notifiers) {
		struct notifier *n = e->notifiers;

		e->notifiers = n->next;
		xvs_evloop_timer_cancel(e->loop, &n->proc.timeout);
		if (n->proc.io.fd >= 0) {
			int fd = n->proc.io.fd;

			xvs_evloop_io_del(e->loop, &n->proc.io);
			close(fd);
		}
		free(n);
	}
	xvs_evloop_free(e->loop);
	free(e);
}

/* The service key /metrics labels a checker with (a group: its first entry). */
static void vs_key(const struct xvs_kc_vs *k, struct xvs_svc_key *key)
{
	memset(key, 0, sizeof(*key));
	key->proto = k->proto;
	switch (k->kind) {
	case XVS_KC_VS_ADDR:
		key->af = k->addr.af;
		key->addr = k->addr.addr;
		key->port = htons(k->port);
		break;
	case XVS_KC_VS_FWMARK:
		key->af = k->af;
		key->fwmark = k->fwmark;
		key->proto = 0;
		break;
	case XVS_KC_VS_GROUP:
		if (k->group && k->group->n_entries) {
			const struct xvs_kc_vsg_entry *g = &k->group->entries[0];

			key->af = g->is_fwmark ? k->af : g->addr.af;
			key->addr = g->addr.addr;
			key->port = htons(g->port);
			key->fwmark = g->is_fwmark ? g->fwmark : 0;
		}
		break;
	}
}

void xvs_check_foreach_status(void *engine, xvs_mx_check_fn fn, void *arg)
{
	struct xvs_check_engine *e = engine;

	for (size_t i = 0; i < e->n_vs; i++) {
		struct xvs_check_vs *vs = &e->vs[i];
		struct xvs_mx_check m = { 0 };

		vs_key(vs->conf, &m.svc);
		for (size_t j = 0; j < vs->n_rs; j++) {
			struct xvs_check_rs *rs = &vs->rs[j];

			m.addr = rs->conf->addr.addr;
			m.af = rs->conf->addr.af;
			m.port = rs->conf->port;
			for (size_t c = 0; c < rs->n_checks; c++) {
				struct xvs_checker *ck = &rs->checks[c];

				if (!ck->ops)
					continue;
				m.up = ck->fsm.up;
				m.checker = ck->ops->name;
				m.last_duration_s = ck->last_duration_s;
				m.runs = ck->runs;
				m.failures = ck->failures;
				fn(arg, &m);
			}
		}
	}
}
