// SPDX-License-Identifier: GPL-2.0
/*
 * veriexec test image - init
 *
 * Mounts what the tests need, runs /vm/script with /bin/sh as root with its
 * output on the second serial port, reports its exit status there and
 * reboots (QEMU runs with -no-reboot, so that ends the guest).
 *
 * Nothing is executed after the script: a script may lock the machine down
 * to a manifest that does not list this program or busybox, and the guest
 * must still report and stop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void mnt(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		dprintf(2, "vm-init: mount %s: %s\n", dst, strerror(errno));
}

static int run_script(int out)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 125;
	if (!pid) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		setsid();
		chdir("/root");
		execl("/bin/sh", "sh", "/vm/script", (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 125;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int main(void)
{
	int out, rc;

	mnt("devtmpfs", "/dev", "devtmpfs");
	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	mnt("securityfs", "/sys/kernel/security", "securityfs");
	mnt("tmpfs", "/tmp", "tmpfs");
	mnt("tmpfs", "/run", "tmpfs");
	/* udev would make these; the kselftest runner writes to /dev/stdout. */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	setenv("HOME", "/root", 1);

	out = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (out < 0)
		out = open("/dev/console", O_WRONLY | O_NOCTTY);
	rc = run_script(out);
	dprintf(out, "\n@@VM-EXIT %d@@\n", rc);
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
