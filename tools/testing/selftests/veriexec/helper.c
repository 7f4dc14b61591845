// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - A program to execute, listed or not
 *
 * Copyright © 2026 The veriexec authors
 *
 * No argument: exit 0.  "sleep": wait to be killed (a ptrace target).
 * "devmem": open /dev/mem for writing, exit with 0 or the errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sleep")) {
		for (;;)
			pause();
	}
	if (argc > 1 && !strcmp(argv[1], "devmem")) {
		int fd = open("/dev/mem", O_RDWR);

		return fd < 0 ? errno : 0;
	}
	return 0;
}
