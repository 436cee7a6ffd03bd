/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mtstats - the counters the reasons of <sys/mbuf_trace_reason.h> name,
 * read from the statistics sysctls netstat -s reads, one "GROUP.COUNTER
 * VALUE" line each (ip.ips_badsum 3).  The reason table names each counter
 * as a member of its struct, so a counter FreeBSD does not have fails to
 * compile here.  pf's and the interfaces' counters are not among them:
 * pfctl -si and netstat -i show those.
 *
 * usage: mtstats
 */
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp_var.h>
#include <netinet/if_ether.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/raw_ip6.h>

#include <err.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mbuf_trace.h>

struct counter {
	const char	*name;		/* "ip.ips_badsum" */
	const char	*sysctl;	/* "net.inet.ip.stats" */
	size_t		 off;		/* in its struct, of uint64_t */
};

#define	STAT(group, counter, mib, type)					\
	{ #group "." #counter, mib, offsetof(struct type, counter) },
#define	STAT_ip(c)	STAT(ip, c, "net.inet.ip.stats", ipstat)
#define	STAT_ip6(c)	STAT(ip6, c, "net.inet6.ip6.stats", ip6stat)
#define	STAT_icmp(c)	STAT(icmp, c, "net.inet.icmp.stats", icmpstat)
#define	STAT_icmp6(c)	STAT(icmp6, c, "net.inet6.icmp6.stats", icmp6stat)
#define	STAT_tcp(c)	STAT(tcp, c, "net.inet.tcp.stats", tcpstat)
#define	STAT_udp(c)	STAT(udp, c, "net.inet.udp.stats", udpstat)
#define	STAT_arp(c)	STAT(arp, c, "net.link.ether.arp.stats", arpstat)
#define	STAT_rip6(c)	STAT(rip6, c, "net.inet6.ip6.rip6stats", rip6stat)
#define	STAT_pf(c)
#define	STAT_if(c)
#define	STAT_none(c)
#define	ROW(name, code, fate, group, counter, text)	STAT_##group(counter)

static const struct counter counters[] = {
	MTRACE_REASONS(ROW)
};

int
main(void)
{
	char buf[65536];
	size_t i, j, len;
	uint64_t v;

	for (i = 0; i < nitems(counters); i++) {
		/* A counter several reasons name is printed once. */
		for (j = 0; j < i; j++)
			if (strcmp(counters[j].name, counters[i].name) == 0)
				break;
		if (j < i)
			continue;
		len = sizeof(buf);
		if (sysctlbyname(counters[i].sysctl, buf, &len, NULL, 0) != 0)
			err(1, "%s", counters[i].sysctl);
		if (counters[i].off + sizeof(v) > len)
			errx(1, "%s: %zu bytes, no %s", counters[i].sysctl, len,
			    counters[i].name);
		memcpy(&v, buf + counters[i].off, sizeof(v));
		printf("%s %ju\n", counters[i].name, (uintmax_t)v);
	}
	return (0);
}
