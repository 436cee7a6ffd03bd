/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mtsock - the VM scenario's socket program: a socket with or without
 * SO_MTRACE, for mbuf_trace-vm's selection steps.
 *
 *	mtsock listen ADDR PORT on|off	accept one TCP connection on a
 *					listener with SO_MTRACE on or off,
 *					read it to its end, print what came
 *	mtsock recv ADDR PORT on|off	receive one UDP datagram (for at
 *					most 10 s), print it; an IPv6
 *					multicast ADDR is joined, on any
 *					address
 *	mtsock send ADDR PORT on|off TEXT [COUNT]
 *					send one UDP datagram, or COUNT
 *					(broadcasts allowed)
 *	mtsock hold ADDR PORT on|off SECONDS
 *					bind a UDP socket of a 2 KiB receive
 *					buffer and read nothing for SECONDS:
 *					what more is sent to it overflows
 *	mtsock backlog ADDR PORT on|off SECONDS
 *					listen with a backlog of 0 and accept
 *					nothing for SECONDS: the listen queue
 *					overflows
 *
 * ADDR is IPv4 or IPv6, with a scope for a link-local or multicast one
 * (ff02::1%epair0b).  It prints the value getsockopt(SO_MTRACE) reads
 * back, so the scenario shows the option round trip too.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void) __dead2;

static void
usage(void)
{

	fprintf(stderr, "usage: mtsock listen addr port on|off\n"
	    "       mtsock recv addr port on|off\n"
	    "       mtsock send addr port on|off text [count]\n"
	    "       mtsock hold addr port on|off seconds\n"
	    "       mtsock backlog addr port on|off seconds\n");
	exit(2);
}

static int
mksock(int family, int type, int on)
{
	socklen_t len;
	int s, val;

	if ((s = socket(family, type, 0)) < 0)
		err(1, "socket");
	if (setsockopt(s, SOL_SOCKET, SO_MTRACE, &on, sizeof(on)) != 0)
		err(1, "setsockopt(SO_MTRACE)");
	len = sizeof(val);
	if (getsockopt(s, SOL_SOCKET, SO_MTRACE, &val, &len) != 0)
		err(1, "getsockopt(SO_MTRACE)");
	printf("SO_MTRACE %s\n", val != 0 ? "on" : "off");
	return (s);
}

int
main(int argc, char **argv)
{
	struct addrinfo hints, *ai;
	struct ipv6_mreq mreq;
	struct sockaddr_in6 *sin6;
	char buf[512];
	ssize_t n;
	socklen_t len;
	int c, error, on, s, val;

	if (argc < 5)
		usage();
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = strcmp(argv[1], "listen") == 0 ||
	    strcmp(argv[1], "backlog") == 0 ? SOCK_STREAM : SOCK_DGRAM;
	error = getaddrinfo(argv[2], argv[3], &hints, &ai);
	if (error != 0)
		errx(2, "%s port %s: %s", argv[2], argv[3],
		    gai_strerror(error));
	on = strcmp(argv[4], "on") == 0;
	if (strcmp(argv[1], "listen") == 0 && argc == 5) {
		s = mksock(ai->ai_family, SOCK_STREAM, on);
		if (bind(s, ai->ai_addr, ai->ai_addrlen) != 0)
			err(1, "bind");
		if (listen(s, 1) != 0)
			err(1, "listen");
		printf("listening\n");
		fflush(stdout);
		if ((c = accept(s, NULL, NULL)) < 0)
			err(1, "accept");
		len = sizeof(val);
		if (getsockopt(c, SOL_SOCKET, SO_MTRACE, &val, &len) != 0)
			err(1, "getsockopt(SO_MTRACE)");
		printf("accepted, SO_MTRACE %s\n", val != 0 ? "on" : "off");
		while ((n = read(c, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, n, stdout);
		close(c);
		close(s);
		return (0);
	}
	if (strcmp(argv[1], "recv") == 0 && argc == 5) {
		s = mksock(ai->ai_family, SOCK_DGRAM, on);
		sin6 = (struct sockaddr_in6 *)ai->ai_addr;
		if (ai->ai_family == AF_INET6 &&
		    IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr)) {
			mreq.ipv6mr_multiaddr = sin6->sin6_addr;
			mreq.ipv6mr_interface = sin6->sin6_scope_id;
			if (setsockopt(s, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq,
			    sizeof(mreq)) != 0)
				err(1, "setsockopt(IPV6_JOIN_GROUP)");
			sin6->sin6_addr = in6addr_any;
			sin6->sin6_scope_id = 0;
		}
		if (bind(s, ai->ai_addr, ai->ai_addrlen) != 0)
			err(1, "bind");
		printf("bound\n");
		fflush(stdout);
		alarm(10);
		if ((n = recv(s, buf, sizeof(buf) - 1, 0)) < 0)
			err(1, "recv");
		buf[n] = '\0';
		printf("received: %s\n", buf);
		close(s);
		return (0);
	}
	if (strcmp(argv[1], "send") == 0 && (argc == 6 || argc == 7)) {
		s = mksock(ai->ai_family, SOCK_DGRAM, on);
		val = 1;
		if (ai->ai_family == AF_INET && setsockopt(s, SOL_SOCKET,
		    SO_BROADCAST, &val, sizeof(val)) != 0)
			err(1, "setsockopt(SO_BROADCAST)");
		for (c = argc == 7 ? atoi(argv[6]) : 1; c > 0; c--)
			if (sendto(s, argv[5], strlen(argv[5]), 0, ai->ai_addr,
			    ai->ai_addrlen) < 0)
				err(1, "sendto");
		close(s);
		return (0);
	}
	if ((strcmp(argv[1], "hold") == 0 || strcmp(argv[1], "backlog") == 0) &&
	    argc == 6) {
		s = mksock(ai->ai_family, ai->ai_socktype, on);
		val = 2048;
		if (ai->ai_socktype == SOCK_DGRAM && setsockopt(s, SOL_SOCKET,
		    SO_RCVBUF, &val, sizeof(val)) != 0)
			err(1, "setsockopt(SO_RCVBUF)");
		if (bind(s, ai->ai_addr, ai->ai_addrlen) != 0)
			err(1, "bind");
		if (ai->ai_socktype == SOCK_STREAM && listen(s, 0) != 0)
			err(1, "listen");
		printf("holding\n");
		fflush(stdout);
		sleep(atoi(argv[5]));
		close(s);
		return (0);
	}
	usage();
}
