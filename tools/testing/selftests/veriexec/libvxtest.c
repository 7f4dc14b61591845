// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - A shared object to map, dlopen and preload
 *
 * Copyright © 2026 The veriexec authors
 */
#include <stdlib.h>
#include <unistd.h>

int vxtest_answer(void);

/* Tells a test that the library was loaded: exit with VXTEST_EXIT. */
__attribute__((constructor)) static void vxtest_init(void)
{
	const char *code = getenv("VXTEST_EXIT");

	if (code)
		_exit(atoi(code));
}

int vxtest_answer(void)
{
	return 42;
}
