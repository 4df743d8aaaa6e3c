/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * loopback.h - what the test servers share: a TCP socket on loopback.
 */
#ifndef COS_TEST_LOOPBACK_H
#define COS_TEST_LOOPBACK_H

#include <stdbool.h>

/* A TCP socket bound to a free port of 127.0.0.1 (::1 with six),
 * listening when listen_too is set; its port goes to *port. -1 on failure,
 * said on stderr. */
int loopback_socket(bool six, bool listen_too, unsigned *port);

#endif
