/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mtracectl - show and set which packets mbuf_trace(4) traces.
 *
 * Everything it sets is a sysctl under net.mbuf_trace (per VNET), an
 * interface group, or a procctl(2) flag; see mtracectl(8).  The filter is
 * compiled here, with libpcap, into the two classic BPF programs the
 * kernel runs: one for packets that begin with an Ethernet header and one
 * for packets that begin with the IP header.
 *
 * Off FreeBSD only "compile" exists: it needs libpcap and nothing of the
 * kernel, and the test suite builds it on Linux that way.
 */

#include <sys/param.h>
#ifdef __FreeBSD__
#include <sys/ioctl.h>
#include <sys/procctl.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <sys/wait.h>

#include <net/if.h>
#endif

#include <err.h>
#include <errno.h>
#include <pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * struct mtrace_filter needs it.  <net/bpf.h> defines it, but hides
 * libpcap's bpf_image() when included first; <pcap.h> does not.
 */
#ifndef BPF_MAXINSNS
#define	BPF_MAXINSNS	512		/* FreeBSD's net/bpf.h */
#endif
#include <sys/mbuf_trace.h>

#define	MTRACE_GROUP	"mtrace"	/* the interface group selected */
#define	MTRACE_SYSCTL	"net.mbuf_trace."

#ifndef __dead2
#define	__dead2	__attribute__((__noreturn__))
#endif

static void usage(void) __dead2;

/*
 * Compile expr for one link type.  Returns false, with pcap's message in
 * msg, when the expression means nothing there (an Ethernet address for a
 * packet that has no Ethernet header).
 */
static bool
compile_one(int dlt, const char *expr, struct bpf_program *prog, char *msg,
    size_t msglen)
{
	pcap_t *p;
	bool ok;

	p = pcap_open_dead(dlt, 65535);
	if (p == NULL)
		errx(1, "pcap_open_dead failed");
	ok = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
	if (!ok)
		snprintf(msg, msglen, "%s", pcap_geterr(p));
	pcap_close(p);
	return (ok);
}

/* A program that accepts nothing: for where an expression cannot match. */
static void
reject_all(struct bpf_program *prog)
{
	static struct bpf_insn ret0 = BPF_STMT(BPF_RET | BPF_K, 0);

	prog->bf_len = 1;
	prog->bf_insns = &ret0;
}

/*
 * The struct mtrace_filter for expr, and its length in *lenp.  An expression
 * that only one of the two link types can compile (a link-layer test) gets
 * a program that rejects everything for the other, and a warning.
 */
static struct mtrace_filter *
filter_compile(const char *expr, size_t *lenp)
{
	struct bpf_program ether, ip;
	struct mtrace_filter *mf;
	char emsg[PCAP_ERRBUF_SIZE], imsg[PCAP_ERRBUF_SIZE];
	bool eok, iok;
	size_t len;

	if (strlen(expr) >= MTRACE_FILTER_TEXT)
		errx(1, "filter: the expression is longer than %d characters",
		    MTRACE_FILTER_TEXT - 1);
	eok = compile_one(DLT_EN10MB, expr, &ether, emsg, sizeof(emsg));
	iok = compile_one(DLT_RAW, expr, &ip, imsg, sizeof(imsg));
	if (!eok && !iok)
		errx(1, "filter: %s", emsg);
	if (!eok) {
		warnx("filter: packets with an Ethernet header never match: %s",
		    emsg);
		reject_all(&ether);
	}
	if (!iok) {
		warnx("filter: packets without an Ethernet header never "
		    "match: %s", imsg);
		reject_all(&ip);
	}
	if (ether.bf_len > BPF_MAXINSNS || ip.bf_len > BPF_MAXINSNS)
		errx(1, "filter: the program has more than %d instructions",
		    BPF_MAXINSNS);
	len = sizeof(*mf) + (ether.bf_len + ip.bf_len) *
	    sizeof(struct bpf_insn);
	if ((mf = calloc(1, len)) == NULL)
		err(1, "calloc");
	snprintf(mf->mf_text, sizeof(mf->mf_text), "%s", expr);
	mf->mf_ether_len = ether.bf_len;
	mf->mf_ip_len = ip.bf_len;
	memcpy(mf->mf_insns, ether.bf_insns,
	    ether.bf_len * sizeof(struct bpf_insn));
	memcpy(mf->mf_insns + ether.bf_len, ip.bf_insns,
	    ip.bf_len * sizeof(struct bpf_insn));
	if (eok)
		pcap_freecode(&ether);
	if (iok)
		pcap_freecode(&ip);
	*lenp = len;
	return (mf);
}

static void
print_program(const char *what, const struct bpf_insn *insns, uint32_t n)
{
	uint32_t i;

	printf("%s: %u instructions\n", what, n);
	for (i = 0; i < n; i++)
		printf("%s\n", bpf_image(&insns[i], (int)i));
}

/* mtracectl compile EXPR: the programs "filter" would install. */
static int
cmd_compile(const char *expr)
{
	struct mtrace_filter *mf;
	size_t len;

	mf = filter_compile(expr, &len);
	printf("filter: %s\n", mf->mf_text);
	print_program("ether", mf->mf_insns, mf->mf_ether_len);
	print_program("ip", mf->mf_insns + mf->mf_ether_len, mf->mf_ip_len);
	free(mf);
	return (0);
}

#ifdef __FreeBSD__
static const char *switches[] = {
	"enable", "start_points", "source_position", "start_anywhere"
};

static bool
onoff(const char *s)
{

	if (strcmp(s, "on") == 0 || strcmp(s, "1") == 0)
		return (true);
	if (strcmp(s, "off") == 0 || strcmp(s, "0") == 0)
		return (false);
	usage();
}

static void
set_sysctl(const char *name, const void *val, size_t len)
{
	char oid[128];

	snprintf(oid, sizeof(oid), MTRACE_SYSCTL "%s", name);
	if (sysctlbyname(oid, NULL, NULL, val, len) != 0) {
		if (errno == ENOENT)
			errx(1, "%s: no such sysctl (is the kernel built with "
			    "options MBUF_TRACE?)", oid);
		err(1, "%s", oid);
	}
}

/* The members of group mtrace, or "none". */
static void
show_interfaces(void)
{
	struct ifgroupreq ifgr;
	struct ifg_req *ifg;
	u_int i, n;
	int s;

	printf("%-16s", "interfaces");
	if ((s = socket(AF_LOCAL, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	memset(&ifgr, 0, sizeof(ifgr));
	strlcpy(ifgr.ifgr_name, MTRACE_GROUP, sizeof(ifgr.ifgr_name));
	if (ioctl(s, SIOCGIFGMEMB, &ifgr) != 0) {
		if (errno != ENOENT)
			err(1, "SIOCGIFGMEMB");
		printf("none (no interface is in group %s)\n", MTRACE_GROUP);
		close(s);
		return;
	}
	if ((ifgr.ifgr_groups = calloc(1, ifgr.ifgr_len)) == NULL)
		err(1, "calloc");
	if (ioctl(s, SIOCGIFGMEMB, &ifgr) != 0)
		err(1, "SIOCGIFGMEMB");
	n = ifgr.ifgr_len / sizeof(struct ifg_req);
	for (i = 0, ifg = ifgr.ifgr_groups; i < n; i++, ifg++)
		printf("%s%s", i == 0 ? "" : " ", ifg->ifgrq_member);
	printf("%s(group %s)\n", n == 0 ? "" : " ", MTRACE_GROUP);
	free(ifgr.ifgr_groups);
	close(s);
}

/* Every counter under net.mbuf_trace.stats, on one line each. */
static void
show_stats(void)
{
	int mib[CTL_MAXNAME + 2], next[CTL_MAXNAME + 2], qoid[CTL_MAXNAME + 2];
	size_t len, nlen, plen, vlen;
	char name[256];
	uint64_t v64;
	u_int v32;

	plen = CTL_MAXNAME;
	if (sysctlnametomib(MTRACE_SYSCTL "stats", mib, &plen) != 0)
		return;
	memcpy(next, mib, plen * sizeof(int));
	len = plen;
	for (;;) {
		qoid[0] = CTL_SYSCTL;
		qoid[1] = CTL_SYSCTL_NEXT;
		memcpy(qoid + 2, next, len * sizeof(int));
		nlen = sizeof(next);
		if (sysctl(qoid, len + 2, next, &nlen, NULL, 0) != 0)
			break;
		len = nlen / sizeof(int);
		if (len <= plen || memcmp(next, mib, plen * sizeof(int)) != 0)
			break;
		qoid[1] = CTL_SYSCTL_NAME;
		memcpy(qoid + 2, next, len * sizeof(int));
		nlen = sizeof(name);
		if (sysctl(qoid, len + 2, name, &nlen, NULL, 0) != 0)
			continue;
		vlen = sizeof(v64);
		v64 = 0;
		if (sysctl(next, len, &v64, &vlen, NULL, 0) != 0)
			continue;
		if (vlen == sizeof(v32)) {
			memcpy(&v32, &v64, sizeof(v32));
			v64 = v32;
		}
		/* At least one space, however long the name. */
		printf("%-15s %ju\n", name + strlen(MTRACE_SYSCTL),
		    (uintmax_t)v64);
	}
}

/* mtracectl: the whole selection. */
static int
cmd_show(void)
{
	struct mtrace_filter *mf;
	char oid[128], tag[128];
	size_t i, len;
	int val;

	for (i = 0; i < nitems(switches); i++) {
		snprintf(oid, sizeof(oid), MTRACE_SYSCTL "%s", switches[i]);
		len = sizeof(val);
		if (sysctlbyname(oid, &val, &len, NULL, 0) != 0)
			err(1, "%s", oid);
		printf("%-16s%d\n", switches[i], val);
	}
	len = 0;
	if (sysctlbyname(MTRACE_SYSCTL "filter", NULL, &len, NULL, 0) != 0)
		err(1, MTRACE_SYSCTL "filter");
	mf = NULL;
	if (len >= sizeof(*mf)) {
		if ((mf = malloc(len)) == NULL)
			err(1, "malloc");
		if (sysctlbyname(MTRACE_SYSCTL "filter", mf, &len, NULL,
		    0) != 0)
			err(1, MTRACE_SYSCTL "filter");
	}
	if (mf == NULL || len < sizeof(*mf) ||
	    (mf->mf_ether_len == 0 && mf->mf_ip_len == 0))
		printf("%-16snone\n", "filter");
	else
		printf("%-16s%.*s (%u + %u instructions)\n", "filter",
		    (int)sizeof(mf->mf_text), mf->mf_text, mf->mf_ether_len,
		    mf->mf_ip_len);
	free(mf);
	len = sizeof(tag);
	if (sysctlbyname(MTRACE_SYSCTL "pf_tag", tag, &len, NULL, 0) != 0)
		err(1, MTRACE_SYSCTL "pf_tag");
	tag[sizeof(tag) - 1] = '\0';
	printf("%-16s%s\n", "pf_tag", tag[0] != '\0' ? tag : "none");
	show_interfaces();
	show_stats();
	return (0);
}

/* mtracectl filter EXPR; an empty one clears the filter. */
static int
cmd_filter(const char *expr)
{
	struct mtrace_filter *mf, none;
	size_t len;

	if (expr[0] == '\0') {
		memset(&none, 0, sizeof(none));
		set_sysctl("filter", &none, sizeof(none));
		return (0);
	}
	mf = filter_compile(expr, &len);
	set_sysctl("filter", mf, len);
	free(mf);
	return (0);
}

/* mtracectl interface IF on|off: its membership of group mtrace. */
static int
cmd_interface(const char *ifname, bool on)
{
	struct ifgroupreq ifgr;
	int s;

	if ((s = socket(AF_LOCAL, SOCK_DGRAM, 0)) < 0)
		err(1, "socket");
	memset(&ifgr, 0, sizeof(ifgr));
	if (strlcpy(ifgr.ifgr_name, ifname, sizeof(ifgr.ifgr_name)) >=
	    sizeof(ifgr.ifgr_name))
		errx(1, "%s: interface name too long", ifname);
	strlcpy(ifgr.ifgr_group, MTRACE_GROUP, sizeof(ifgr.ifgr_group));
	if (ioctl(s, on ? SIOCAIFGROUP : SIOCDIFGROUP, &ifgr) != 0) {
		/* Already (not) a member: nothing to do. */
		if (!((on && errno == EEXIST) || (!on && errno == ENOENT)))
			err(1, "%s", ifname);
	}
	close(s);
	return (0);
}

/* mtracectl process PID on|off: the process's new sockets are traced. */
static int
cmd_process(const char *spid, bool on)
{
	char *end;
	long pid;
	int arg;

	errno = 0;
	pid = strtol(spid, &end, 10);
	if (errno != 0 || *end != '\0' || pid <= 0)
		errx(1, "%s: not a process ID", spid);
	arg = on ? PROC_MTRACE_CTL_ENABLE : PROC_MTRACE_CTL_DISABLE;
	if (procctl(P_PID, (id_t)pid, PROC_MTRACE_CTL, &arg) != 0)
		err(1, "procctl(%ld)", pid);
	return (0);
}

/* mtracectl exec CMD ARGS...: CMD with the flag, and so its children. */
static int
cmd_exec(char **argv)
{
	int arg;

	arg = PROC_MTRACE_CTL_ENABLE;
	if (procctl(P_PID, getpid(), PROC_MTRACE_CTL, &arg) != 0)
		err(1, "procctl");
	execvp(argv[0], argv);
	err(127, "%s", argv[0]);
}
#endif /* __FreeBSD__ */

static void
usage(void)
{

#ifdef __FreeBSD__
	fprintf(stderr, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n",
	    "usage: mtracectl",
	    "       mtracectl enable|start_points|source_position|start_anywhere on|off",
	    "       mtracectl filter expression",
	    "       mtracectl compile expression",
	    "       mtracectl interface ifname on|off",
	    "       mtracectl pf_tag tagname",
	    "       mtracectl process pid on|off",
	    "       mtracectl exec command [argument ...]");
#else
	fprintf(stderr, "usage: mtracectl compile expression\n"
	    "(only compile on this system: the rest needs FreeBSD's "
	    "net.mbuf_trace sysctls)\n");
#endif
	exit(1);
}

int
main(int argc, char **argv)
{
#ifdef __FreeBSD__
	size_t i;
	int val;
#endif

	if (argc == 3 && strcmp(argv[1], "compile") == 0)
		return (cmd_compile(argv[2]));
#ifdef __FreeBSD__
	if (argc == 1)
		return (cmd_show());
	for (i = 0; i < nitems(switches); i++) {
		if (argc == 3 && strcmp(argv[1], switches[i]) == 0) {
			val = onoff(argv[2]);
			set_sysctl(switches[i], &val, sizeof(val));
			return (0);
		}
	}
	if (argc == 3 && strcmp(argv[1], "filter") == 0)
		return (cmd_filter(argv[2]));
	if (argc == 4 && strcmp(argv[1], "interface") == 0)
		return (cmd_interface(argv[2], onoff(argv[3])));
	if (argc == 3 && strcmp(argv[1], "pf_tag") == 0) {
		set_sysctl("pf_tag", argv[2], strlen(argv[2]) + 1);
		return (0);
	}
	if (argc == 4 && strcmp(argv[1], "process") == 0)
		return (cmd_process(argv[2], onoff(argv[3])));
	if (argc >= 3 && strcmp(argv[1], "exec") == 0)
		return (cmd_exec(argv + 2));
#endif
	usage();
}
