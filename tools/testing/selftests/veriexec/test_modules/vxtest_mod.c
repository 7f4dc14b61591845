// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - A kernel module to load, listed or not
 *
 * Copyright © 2026 The veriexec authors
 *
 * Does nothing: kload_test only asks whether the kernel takes it.
 */

#include <linux/init.h>
#include <linux/module.h>

static int __init vxtest_init(void)
{
	return 0;
}

static void __exit vxtest_exit(void)
{
}

module_init(vxtest_init);
module_exit(vxtest_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("veriexec selftest module");
