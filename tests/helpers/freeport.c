/*
 * freeport - test helper: prints a TCP port free on loopback.
 *
 *   freeport [-6]          the port, then exit
 *   freeport [-6] --hold   the port, then keep it listening without ever
 *                          accepting: a server that never speaks, until
 *                          killed (or 120 s pass)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int six = 0, hold = 0, fd, one = 1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-6") == 0)
			six = 1;
		else if (strcmp(argv[i], "--hold") == 0)
			hold = 1;
		else {
			fprintf(stderr, "usage: freeport [-6] [--hold]\n");
			return 2;
		}
	}
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
	    bind(fd, (struct sockaddr *)&ss,
		 six ? sizeof(struct sockaddr_in6)
		     : sizeof(struct sockaddr_in)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) ||
	    (hold && listen(fd, 16))) {
		perror("freeport");
		return 1;
	}
	printf("%u\n", six ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
			   : ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	if (hold)
		sleep(120);
	close(fd);
	return 0;
}
