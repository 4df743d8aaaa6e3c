/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * runner.h - every unit test binary runs its one suite the same way.
 */
#ifndef COS_TEST_RUNNER_H
#define COS_TEST_RUNNER_H

#include <check.h>

/* Runs s (and frees it); EXIT_SUCCESS when no test failed. */
int run_suite(Suite *s);

#endif
