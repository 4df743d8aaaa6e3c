/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * loopback.c - a TCP socket on loopback, for the test servers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

int loopback_socket(bool six, bool listen_too, unsigned *port)
{
	struct sockaddr_storage ss;
	socklen_t len =
		six ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (six) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, len) ||
	    (listen_too && listen(fd, 16)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		perror("loopback socket");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = six ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
		    : ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}
