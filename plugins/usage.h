/* SPDX-License-Identifier: GPL-3.0-or-later */
/* usage.h - the plugin's --help and --version texts. */
#ifndef COS_USAGE_H
#define COS_USAGE_H

void print_help(void);
void print_version(void);

#endif
