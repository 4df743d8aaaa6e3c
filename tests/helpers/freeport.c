/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * freeport - test helper: prints a TCP port free on loopback.
 *
 *   freeport [-6]          the port, then exit
 *   freeport [-6] --hold   the port, then keep it listening without ever
 *                          accepting: a server that never speaks, until
 *                          killed (or 120 s pass)
 *   freeport [-6] --closed the port, then keep it bound but not listening:
 *                          every connection to it is refused, and no other
 *                          server can take it, until killed (or 120 s)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "loopback.h"

int main(int argc, char **argv)
{
	bool six = false, hold = false, closed = false;
	unsigned port;
	int fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-6") == 0)
			six = true;
		else if (strcmp(argv[i], "--hold") == 0)
			hold = true;
		else if (strcmp(argv[i], "--closed") == 0)
			closed = true;
		else {
			fprintf(stderr,
				"usage: freeport [-6] [--hold | --closed]\n");
			return 2;
		}
	}
	fd = loopback_socket(six, hold, &port);
	if (fd < 0)
		return 1;
	printf("%u\n", port);
	fflush(stdout);
	if (hold || closed)
		sleep(120);
	close(fd);
	return 0;
}
