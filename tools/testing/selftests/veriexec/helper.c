// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - A program to execute, listed or not
 *
 * Copyright © 2026 The veriexec authors
 *
 * No argument: exit 0.  "sleep": wait to be killed (a ptrace target).
 * Otherwise argv[1] names one thing to try, and the exit status is 0 or
 * the errno it got: "devmem" opens /dev/mem for writing, "devmem_ro" and
 * "port_ro" open /dev/mem and /dev/port for reading, "ioperm", "iopl",
 * "msr" (a 4-byte write: EINVAL once allowed) and "kexec_load" try the
 * kernel's lockdown operations, "execmem" makes anonymous memory
 * executable, "brk_exec" runs code from a heap grown by brk(2) under
 * READ_IMPLIES_EXEC (ENOMEM when brk() is refused), "kexec_file PATH"
 * tries kexec_file_load(2) of PATH, "proc_mem" writes a byte of its own
 * code back through /proc/self/mem.  "dumpable" exits with PR_GET_DUMPABLE, "set_dumpable"
 * with the errno of PR_SET_DUMPABLE to 1, "stack" with 0
 * when its stack is executable (helper_xstack is built with -z execstack)
 * and 1 when it is not.  As a script
 * interpreter (#!helper sleep) argv[1] is the word after the path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef VXTEST_XTAIL
/* Two pages the file does not hold, in an executable segment. */
asm(".section .vxtail,\"awx\",@nobits\n.zero 8192\n.previous");
#endif

static int open_errno(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The byte it read, written back: a forced write into its own text. */
static int proc_mem(void)
{
	off_t at = (off_t)(unsigned long)&proc_mem;
	int fd = open("/proc/self/mem", O_RDWR), rc = 0;
	unsigned char byte;

	if (fd < 0)
		return errno;
	if (pread(fd, &byte, 1, at) != 1 || pwrite(fd, &byte, 1, at) != 1)
		rc = errno;
	close(fd);
	return rc;
}

static int msr_write(void)
{
	int fd = open("/dev/cpu/0/msr", O_WRONLY);
	unsigned int half = 0;

	if (fd < 0)
		return errno;
	/* MSR_IA32_ENERGY_PERF_BIAS; 4 bytes is never a whole write. */
	if (pwrite(fd, &half, sizeof(half), 0x1b0) < 0)
		return errno;
	return 0;
}

static int execmem(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 100;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return errno;
	return 0;
}

static int stack_exec(void)
{
	char line[512];
	FILE *maps = fopen("/proc/self/maps", "r");
	int rc = 2;

	if (!maps)
		return 3;
	while (fgets(line, sizeof(line), maps))
		if (strstr(line, "[stack]"))
			rc = strchr(line, ' ')[3] == 'x' ? 0 : 1;
	fclose(maps);
	return rc;
}

/* mov $42, %eax; ret */
static const unsigned char ret42[] = { 0xb8, 0x2a, 0, 0, 0, 0xc3 };

static int brk_exec(void)
{
	unsigned char *p;

	if (personality(PER_LINUX | READ_IMPLIES_EXEC) < 0)
		return errno;
	p = sbrk(8192);
	if (p == (void *)-1)
		return errno;
	memcpy(p, ret42, sizeof(ret42));
	return ((int (*)(void))p)() == 42 ? 0 : 1;
}

static int kexec_file(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	return syscall(SYS_kexec_file_load, fd, -1, 0UL, NULL,
		       (unsigned long)KEXEC_FILE_NO_INITRAMFS) ? errno : 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (!strcmp(what, "sleep")) {
		for (;;)
			pause();
	}
	if (!strcmp(what, "devmem"))
		return open_errno("/dev/mem", O_RDWR);
	if (!strcmp(what, "devmem_ro"))
		return open_errno("/dev/mem", O_RDONLY);
	if (!strcmp(what, "port_ro"))
		return open_errno("/dev/port", O_RDONLY);
	if (!strcmp(what, "ioperm"))
		return ioperm(0x80, 1, 1) ? errno : 0;
	if (!strcmp(what, "iopl"))
		return iopl(3) ? errno : 0;
	if (!strcmp(what, "msr"))
		return msr_write();
	if (!strcmp(what, "kexec_load"))
		return syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL) ? errno : 0;
	if (!strcmp(what, "execmem"))
		return execmem();
	if (!strcmp(what, "proc_mem"))
		return proc_mem();
	if (!strcmp(what, "brk_exec"))
		return brk_exec();
	if (!strcmp(what, "kexec_file") && argc > 2)
		return kexec_file(argv[2]);
	if (!strcmp(what, "stack"))
		return stack_exec();
	if (!strcmp(what, "dumpable"))
		return prctl(PR_GET_DUMPABLE);
	if (!strcmp(what, "set_dumpable"))
		return prctl(PR_SET_DUMPABLE, 1) ? errno : 0;
	return 0;
}
