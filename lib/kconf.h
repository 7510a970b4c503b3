/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kconf.h - a keepalived.conf, parsed into typed structs.
 *
 * xvs_kconf_load() reads a file (following `include`), and returns the
 * whole configuration: global_defs, VRRP scripts, instances and sync
 * groups, virtual server groups, local address groups and virtual
 * servers with their real servers and checkers. Consumers (the config
 * apply, the health checkers, VRRP) only act on these structs.
 *
 * Conventions:
 * - Timers are in microseconds (keepalived's TIMER: seconds, fractions
 *   allowed), fields end in _us.
 * - Ports are in host order; 0 means "not given" where noted.
 * - Addresses are (af, union xvs_addr) with XVS_AF_INET/XVS_AF_INET6.
 * - Strings are malloc'ed and owned by the struct xvs_kconf; NULL when
 *   the keyword was absent.
 * - Arrays are (pointer, n_...) pairs, stable once loading returns.
 * - Inherited values are resolved at load: every checker carries its
 *   effective delay_loop, retry, delay_before_retry, connect_timeout,
 *   warmup and connect address/port; every real server its effective
 *   forwarding method and inhibit_on_failure. Defaults are keepalived's
 *   (reference section 5); they are listed next to each field.
 * - Every block carries the file:line where it starts (loc).
 */
#ifndef XVS_KCONF_H
#define XVS_KCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xvs/dp-t.h"

/* Where a block or entry starts. file points into xvs_kconf's file list. */
struct xvs_kc_loc {
	const char *file;
	int line;
};

/* An address, with a prefix length where the grammar allows one. */
struct xvs_kc_addr {
	uint8_t af;			/* XVS_AF_INET/6; 0 = not set */
	uint8_t prefix_len;		/* /N given, or the family's full length */
	union xvs_addr addr;
};

/* ---- global_defs ---- */

struct xvs_kc_lvs_sync {
	bool set;			/* lvs_sync_daemon given */
	char *interface;
	char *vrrp_instance;		/* inst VI */
	uint32_t sync_id;		/* id N, default 0 */
	uint32_t maxlen;		/* 0 = kernel default */
	uint16_t port;			/* 0 = 8848 */
	uint8_t ttl;			/* 0 = 1 */
	struct xvs_kc_addr group;	/* group ADDR, af 0 = 224.0.0.81 */
};

struct xvs_kc_global {
	char *router_id;
	char **notification_email;
	size_t n_notification_email;
	char *notification_email_from;
	char *smtp_server;		/* "addr [port]" as written */
	uint64_t smtp_connect_timeout_us;	/* default 30 s */
	char *script_user;
	char *script_group;
	bool enable_script_security;
	/* VRRP defaults; an instance uses these unless it sets its own. */
	struct xvs_kc_addr vrrp_mcast_group4;	/* 224.0.0.18 */
	struct xvs_kc_addr vrrp_mcast_group6;	/* ff02::12 */
	int vrrp_version;		/* 2 */
	bool vrrp_strict;
	int vrrp_garp_master_delay;	/* 5 s */
	int vrrp_garp_master_repeat;	/* 5 */
	int vrrp_garp_master_refresh;	/* 0 s: off */
	int vrrp_garp_master_refresh_repeat;	/* 1 */
	int vrrp_garp_lower_prio_delay;	/* -1: as master_delay */
	int vrrp_garp_lower_prio_repeat;	/* -1: as master_repeat */
	uint64_t vrrp_garp_interval_us;	/* 0 */
	uint64_t vrrp_gna_interval_us;	/* 0 */
	bool vrrp_skip_check_adv_addr;
	bool vrrp_check_unicast_src;
	/* LVS */
	struct xvs_kc_lvs_sync lvs_sync;
	uint32_t lvs_timeout_tcp;	/* lvs_timeouts, seconds; 0 = keep */
	uint32_t lvs_timeout_tcpfin;
	uint32_t lvs_timeout_udp;
	bool lvs_flush;
};

/* ---- VRRP ---- */

struct xvs_kc_vrrp_script {
	struct xvs_kc_loc loc;
	char *name;
	char *script;			/* the command line, as written */
	uint64_t interval_us;		/* 1 s */
	uint64_t timeout_us;		/* the interval */
	int weight;			/* -253..253, 0 */
	bool weight_reverse;
	int rise;			/* 1 */
	int fall;			/* 1 */
	char *user;			/* user NAME [GROUP] */
	char *group;
	bool init_fail;
};

/* virtual_ipaddress / virtual_ipaddress_excluded entry. */
struct xvs_kc_vip {
	struct xvs_kc_loc loc;
	struct xvs_kc_addr addr;	/* IP[/mask]; no mask: /32 or /128 */
	struct xvs_kc_addr brd;		/* af 0 = none */
	char *dev;			/* NULL = the instance's interface */
	char *label;
	int scope;			/* rtnetlink RT_SCOPE_*, 0 universe */
	bool no_track;
};

/* virtual_routes entry: [src IP] DEST/LEN [via|gw IP] [dev IF] ... */
struct xvs_kc_vroute {
	struct xvs_kc_loc loc;
	struct xvs_kc_addr dst;		/* "default" = /0 */
	struct xvs_kc_addr src;		/* af 0 = none */
	struct xvs_kc_addr via;		/* af 0 = none */
	char *dev;
	int scope;			/* -1 = kernel's choice */
	uint32_t table;			/* 0 = main */
	uint32_t metric;
	int type;			/* rtnetlink RTN_*, RTN_UNICAST by default
					   (blackhole/unreachable/prohibit) */
	bool no_track;
};

struct xvs_kc_unicast_peer {
	struct xvs_kc_addr addr;
	int min_ttl;			/* 0 */
	int max_ttl;			/* 255 */
};

/* track_script / track_interface entry. */
struct xvs_kc_track {
	char *name;			/* script or interface name */
	bool has_weight;		/* weight N given; else the script's own */
	int weight;
	bool reverse;
};

enum xvs_kc_vrrp_state {
	XVS_KC_VRRP_BACKUP = 0,		/* default, and state BACKUP */
	XVS_KC_VRRP_MASTER,
};

enum xvs_kc_auth {
	XVS_KC_AUTH_NONE = 0,
	XVS_KC_AUTH_PASS,
	XVS_KC_AUTH_AH,
};

struct xvs_kc_vrrp_instance {
	struct xvs_kc_loc loc;
	char *name;
	enum xvs_kc_vrrp_state state;
	char *interface;
	int vrid;			/* virtual_router_id 1..255, 0 = missing */
	int priority;			/* 1..255, 100 */
	uint64_t advert_int_us;		/* 1 s */
	int version;			/* 2 or 3, effective (global vrrp_version) */
	enum xvs_kc_auth auth_type;
	char auth_pass[9];		/* first 8 characters, NUL-terminated */
	struct xvs_kc_addr unicast_src_ip;	/* af 0 = none */
	struct xvs_kc_addr mcast_src_ip;	/* af 0 = none */
	struct xvs_kc_unicast_peer *unicast_peer;
	size_t n_unicast_peer;
	struct xvs_kc_vip *vips;	/* virtual_ipaddress */
	size_t n_vips;
	struct xvs_kc_vip *vips_excluded;	/* virtual_ipaddress_excluded */
	size_t n_vips_excluded;
	struct xvs_kc_vroute *vroutes;	/* virtual_routes */
	size_t n_vroutes;
	struct xvs_kc_track *track_interface;
	size_t n_track_interface;
	struct xvs_kc_track *track_script;	/* names checked against vrrp_script */
	size_t n_track_script;
	bool nopreempt;
	uint64_t preempt_delay_us;	/* 0..1000 s, 0 */
	/* GARP, effective: global_defs' vrrp_garp_* unless set here. */
	int garp_master_delay;
	int garp_master_repeat;
	int garp_master_refresh;
	int garp_master_refresh_repeat;
	int garp_lower_prio_delay;
	int garp_lower_prio_repeat;
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify_stop;
	char *notify;
	bool smtp_alert;
	bool dont_track_primary;
	bool use_vmac;
	char *vmac_name;		/* use_vmac [NAME] */
	int accept;			/* accept 1 / no_accept 0 / -1 unset */
	char *sync_group;		/* the vrrp_sync_group naming it, or NULL */
};

struct xvs_kc_vrrp_sync_group {
	struct xvs_kc_loc loc;
	char *name;
	char **members;			/* group { VI_1 VI_2 }: instance names */
	size_t n_members;
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify_stop;
	char *notify;
	bool smtp_alert;
	struct xvs_kc_track *track_script;
	size_t n_track_script;
};

/* ---- LVS ---- */

/*
 * virtual_server_group entry: "IP PORT", "IP-LAST PORT" (a range in the
 * last byte of the address) or "fwmark N".
 */
struct xvs_kc_vsg_entry {
	struct xvs_kc_loc loc;
	bool is_fwmark;
	uint32_t fwmark;
	struct xvs_kc_addr addr;
	uint8_t range_last;		/* last byte of a range, 0 = single */
	uint16_t port;			/* 0 = none given */
};

struct xvs_kc_vsg {
	struct xvs_kc_loc loc;
	char *name;
	struct xvs_kc_vsg_entry *entries;
	size_t n_entries;
};

/* local_address_group entry (FULLNAT): "IP", "IP-LAST", "IP DEV". */
struct xvs_kc_laddr {
	struct xvs_kc_loc loc;
	struct xvs_kc_addr addr;
	uint8_t range_last;		/* 0 = single */
	char *dev;
};

struct xvs_kc_laddr_group {
	struct xvs_kc_loc loc;
	char *name;
	struct xvs_kc_laddr *entries;
	size_t n_entries;
};

enum xvs_kc_check_type {
	XVS_KC_CHECK_TCP = 0,
	XVS_KC_CHECK_HTTP,
	XVS_KC_CHECK_SSL,
	XVS_KC_CHECK_MISC,
	XVS_KC_CHECK_DNS,
	XVS_KC_CHECK_SMTP,
	XVS_KC_CHECK_BFD,
	XVS_KC_CHECK_MAX,
};

/* HTTP status codes 100..599 as a bitmap. */
#define XVS_KC_STATUS_MIN 100
#define XVS_KC_STATUS_MAX 599

struct xvs_kc_url {
	struct xvs_kc_loc loc;
	char *path;			/* required */
	bool has_digest;
	uint8_t digest[16];		/* MD5 of the body */
	bool status_set;		/* status_code given; else 200-299 */
	uint8_t status[(XVS_KC_STATUS_MAX - XVS_KC_STATUS_MIN + 8) / 8];
	char *virtualhost;		/* per-url override, NULL = checker's */
};

/* Whether url accepts HTTP status code (applies the 200-299 default). */
bool xvs_kc_url_status_ok(const struct xvs_kc_url *url, int code);

enum xvs_kc_http_proto {
	XVS_KC_HTTP_10 = 0,		/* default: "1.0" */
	XVS_KC_HTTP_10C,		/* "1.0C": 1.0 with Connection: close */
	XVS_KC_HTTP_11,			/* "1.1" */
};

struct xvs_kc_check {
	struct xvs_kc_loc loc;
	enum xvs_kc_check_type type;
	/* Generic keys, effective (inherited from real/virtual server). */
	struct xvs_kc_addr connect_ip;	/* default: the real server's address */
	uint16_t connect_port;		/* default: the real server's port */
	struct xvs_kc_addr bindto;	/* af 0 = none */
	uint16_t bind_port;		/* 0 = any */
	char *bind_if;
	uint32_t fwmark;		/* fwmark N on check packets, 0 = none */
	uint64_t connect_timeout_us;	/* 5 s */
	int retry;			/* 1; DNS 3; MISC 0 (nb_get_retry too) */
	uint64_t delay_before_retry_us;	/* HTTP/SSL 3 s, DNS delay_loop, others 1 s */
	uint64_t delay_loop_us;		/* the virtual server's, 60 s */
	uint64_t warmup_us;		/* first check at a random time within
					   it; default delay_loop, 0 = at once */
	/* HTTP_GET / SSL_GET */
	struct xvs_kc_url *urls;
	size_t n_urls;
	char *virtualhost;		/* checker's, else real's, else virtual's */
	enum xvs_kc_http_proto http_protocol;
	bool enable_sni;		/* SSL_GET: SNI from virtualhost */
	/* MISC_CHECK */
	char *misc_path;
	uint64_t misc_timeout_us;	/* 0 = delay_loop */
	bool misc_dynamic;
	char *user;			/* user NAME [GROUP] */
	char *group;
	/* DNS_CHECK */
	char *dns_type;			/* A NS CNAME SOA MX TXT AAAA, default SOA */
	char *dns_name;			/* "." by default */
	/* SMTP_CHECK */
	char *helo_name;
	/* BFD_CHECK */
	char *bfd_name;
};

struct xvs_kc_rs {
	struct xvs_kc_loc loc;
	struct xvs_kc_addr addr;
	uint16_t port;			/* 0 = none given (the virtual's port) */
	int weight;			/* 1 */
	uint8_t fwd;			/* enum xvs_fwd, effective (lvs_method) */
	uint32_t u_threshold;		/* uthreshold, 0 */
	uint32_t l_threshold;		/* lthreshold, 0 */
	bool inhibit_on_failure;	/* effective: real's, else virtual's */
	char *notify_up;
	char *notify_down;
	bool smtp_alert;
	struct xvs_kc_check *checks;	/* no checker: always up */
	size_t n_checks;
};

enum xvs_kc_vs_kind {
	XVS_KC_VS_ADDR = 0,		/* virtual_server IP [PORT] */
	XVS_KC_VS_FWMARK,		/* virtual_server fwmark N */
	XVS_KC_VS_GROUP,		/* virtual_server group NAME */
};

enum xvs_kc_tun_type {
	XVS_KC_TUN_IPIP = 0,
	XVS_KC_TUN_GUE,
	XVS_KC_TUN_GRE,
};

struct xvs_kc_vs {
	struct xvs_kc_loc loc;
	enum xvs_kc_vs_kind kind;
	struct xvs_kc_addr addr;	/* XVS_KC_VS_ADDR */
	uint16_t port;			/* 0 = none given (persistent only) */
	uint32_t fwmark;		/* XVS_KC_VS_FWMARK */
	char *group_name;		/* XVS_KC_VS_GROUP */
	const struct xvs_kc_vsg *group;	/* resolved group_name */
	uint8_t af;			/* ip_family, or the address's; fwmark: 4 */
	uint8_t proto;			/* IPPROTO_TCP (default), UDP, SCTP */
	uint8_t sched;			/* enum xvs_sched, default wlc */
	uint8_t fwd;			/* enum xvs_fwd, default NAT */
	enum xvs_kc_tun_type tun_type;	/* lb_kind TUN type ... */
	uint16_t tun_port;		/* GUE port */
	uint32_t sched_flags;		/* XVS_SVC_F_SCHED1/2/3: flag-N, sh-/mh- */
	bool ops;			/* one-packet scheduling (UDP) */
	bool persistent;		/* persistence_timeout given */
	uint32_t persistence_timeout;	/* seconds, 360 when given bare */
	uint8_t persistence_prefix;	/* granularity as a prefix: 32/128 */
	uint64_t delay_loop_us;		/* 60 s */
	char *virtualhost;
	bool alpha;			/* real servers start down */
	bool omega;			/* run notifiers at shutdown */
	bool inhibit_on_failure;
	uint32_t quorum;		/* 1 */
	uint32_t hysteresis;		/* 0 */
	char *quorum_up;
	char *quorum_down;
	bool has_sorry;
	struct xvs_kc_rs sorry;		/* sorry_server IP PORT, its method */
	bool sorry_server_inhibit;
	bool ha_suspend;
	bool smtp_alert;
	bool syn_proxy;			/* FULLNAT-era flag, accepted */
	char *laddr_group_name;		/* FULLNAT */
	const struct xvs_kc_laddr_group *laddr_group;	/* resolved */
	struct xvs_kc_rs *rs;
	size_t n_rs;
};

/* ---- the whole file ---- */

struct xvs_kconf {
	char **files;			/* every file read, for loc.file */
	size_t n_files;
	struct xvs_kc_global global;
	struct xvs_kc_vrrp_script *vrrp_scripts;
	size_t n_vrrp_scripts;
	struct xvs_kc_vrrp_instance *vrrp_instances;
	size_t n_vrrp_instances;
	struct xvs_kc_vrrp_sync_group *vrrp_sync_groups;
	size_t n_vrrp_sync_groups;
	struct xvs_kc_vsg *vsgs;
	size_t n_vsgs;
	struct xvs_kc_laddr_group *laddr_groups;
	size_t n_laddr_groups;
	struct xvs_kc_vs *vs;
	size_t n_vs;
	/* Diagnostics of the load, each "file:line: text", also logged. */
	char **diags;
	size_t n_diags;
	unsigned int n_warnings;	/* unknown keywords, defaults taken */
	unsigned int n_errors;		/* bad values: that item is skipped */
	bool fatal;			/* cannot run: unreadable, unbalanced */
	bool insecure_scripts;		/* scripts, no enable_script_security,
					   and a script writable by non-root */
};

/*
 * Parse path and everything it includes. Diagnostics go to the log as
 * "file:line: message". Returns a config (check ->fatal and ->n_errors),
 * or NULL with errno set on allocation failure only.
 */
struct xvs_kconf *xvs_kconf_load(const char *path);

/* Parse a config held in memory; name is used in diagnostics. */
struct xvs_kconf *xvs_kconf_load_buf(const char *name, const char *buf, size_t len);

void xvs_kconf_free(struct xvs_kconf *kc);

/*
 * keepalived -t's exit code for a loaded config: 0 fine, 3 cannot run,
 * 4 errors (it would run), 5 scripts without script security.
 */
int xvs_kconf_test_status(const struct xvs_kconf *kc);

/* Lookups by name; NULL if absent. */
const struct xvs_kc_vrrp_script *xvs_kconf_find_script(const struct xvs_kconf *kc,
							const char *name);
const struct xvs_kc_vrrp_instance *xvs_kconf_find_instance(const struct xvs_kconf *kc,
							    const char *name);

#endif
