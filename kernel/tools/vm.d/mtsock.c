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
 *	mtsock send ADDR PORT on|off TEXT
 *					send one UDP datagram
 *
 * It prints the value getsockopt(SO_MTRACE) reads back, so the scenario
 * shows the option round trip too.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void) __dead2;

static void
usage(void)
{

	fprintf(stderr, "usage: mtsock listen addr port on|off\n"
	    "       mtsock send addr port on|off text\n");
	exit(2);
}

static int
mksock(int type, int on)
{
	socklen_t len;
	int s, val;

	if ((s = socket(AF_INET, type, 0)) < 0)
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
	struct sockaddr_in sin;
	char buf[512];
	ssize_t n;
	socklen_t len;
	int c, on, s, val;

	if (argc < 5)
		usage();
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(atoi(argv[3]));
	if (inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1)
		errx(2, "%s: not an IPv4 address", argv[2]);
	on = strcmp(argv[4], "on") == 0;
	if (strcmp(argv[1], "listen") == 0 && argc == 5) {
		s = mksock(SOCK_STREAM, on);
		if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0)
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
	if (strcmp(argv[1], "send") == 0 && argc == 6) {
		s = mksock(SOCK_DGRAM, on);
		if (sendto(s, argv[5], strlen(argv[5]), 0,
		    (struct sockaddr *)&sin, sizeof(sin)) < 0)
			err(1, "sendto");
		close(s);
		return (0);
	}
	usage();
}
