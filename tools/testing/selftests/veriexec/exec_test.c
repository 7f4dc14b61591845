// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Every route to running code (contract 4.1)
 *
 * Copyright © 2026 The veriexec authors
 *
 * Scripts and their interpreters, ptrace set up before the exec of a
 * no_ptrace program, pidfd_getfd(), /proc, code made in memory, hashing
 * that is interrupted, and reads of monitored files at level 3.  Each
 * rule is tried by its usual route and by the others to the same effect.
 *
 * The level only rises: the variants run in level order (0 to 3), and the
 * binary runs only in a boot of its own (vxtest.raise on the command
 * line, see raise_allowed()).
 */

#define _GNU_SOURCE
#include <libgen.h>
#include <linux/limits.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>

#include "common.h"

#define BASE_SET "exec_base"
#define LABELS "/tmp/vx-labels"
#define LABEL_GOOD "#!/bin/sh\nexit 0\n"
#define LABEL_EVIL "#!/bin/sh\nexit 7\n"

static char srcdir[PATH_MAX];	/* where helper and libvxtest.so are */
static char h_label[65];	/* the path-less entry the labels name */

FIXTURE(exec) {
	char dir[64], bigdir[72], set[32], set2[40];
	char h_prog[65], h_lib[65], h_script[65], h_np[65], h_dump[65];
	char h_npx[65], h_sh[65], h_tr[65], h_via[65], h_xstack[65];
	char h_xtail[65];
	int wronly_fd;
};

FIXTURE_VARIANT(exec) {
	unsigned int level;
};

FIXTURE_VARIANT_ADD(exec, level0) { .level = 0 };
FIXTURE_VARIANT_ADD(exec, level1) { .level = 1 };
FIXTURE_VARIANT_ADD(exec, level2) { .level = 2 };
FIXTURE_VARIANT_ADD(exec, level3) { .level = 3 };

static const char *in(FIXTURE_DATA(exec) *self, const char *name)
{
	static char paths[32][128];
	static int i;
	char *p = paths[i++ % 32];

	snprintf(p, sizeof(paths[0]), "%s/%s", self->dir, name);
	return p;
}

static void script(struct __test_metadata *_metadata,
		   FIXTURE_DATA(exec) *self, const char *name,
		   const char *arg, char hex[65])
{
	char text[256];

	snprintf(text, sizeof(text), "#!%s/interp%s%s\n", self->dir,
		 arg ? " " : "", arg ? arg : "");
	ASSERT_EQ(0, put_text(in(self, name), text));
	ASSERT_EQ(0, chmod(in(self, name), 0755));
	ASSERT_EQ(0, sha256_hex(in(self, name), hex));
}

static void make_files(struct __test_metadata *_metadata,
		       FIXTURE_DATA(exec) *self)
{
	static const char *const helpers[] = {
		"prog", "noptrace", "trusted", "jit", "interp", "interp_trusted",
	};
	static const char *const libs[] = {
		"lib", "lib_fresh", "lib_unlisted", "wronly",
	};
	char helper[PATH_MAX + 16], lib[PATH_MAX + 16], text[256];
	size_t i;

	snprintf(helper, sizeof(helper), "%s/helper", srcdir);
	snprintf(lib, sizeof(lib), "%s/libvxtest.so", srcdir);
	for (i = 0; i < ARRAY_SIZE(helpers); i++)
		ASSERT_EQ(0, copy_file(helper, in(self, helpers[i]), 0755));
	for (i = 0; i < ARRAY_SIZE(libs); i++)
		ASSERT_EQ(0, copy_file(lib, in(self, libs[i]), 0755));
	ASSERT_EQ(0, sha256_hex(helper, self->h_prog));
	ASSERT_EQ(0, sha256_hex(lib, self->h_lib));
	snprintf(helper, sizeof(helper), "%s/helper_xstack", srcdir);
	ASSERT_EQ(0, copy_file(helper, in(self, "xstack"), 0755));
	ASSERT_EQ(0, copy_file(helper, in(self, "xstack_jit"), 0755));
	ASSERT_EQ(0, sha256_hex(helper, self->h_xstack));
	snprintf(helper, sizeof(helper), "%s/helper_xtail", srcdir);
	ASSERT_EQ(0, copy_file(helper, in(self, "xtail"), 0755));
	ASSERT_EQ(0, sha256_hex(helper, self->h_xtail));
	script(_metadata, self, "script", NULL, self->h_script);
	script(_metadata, self, "script_np", "sleep", self->h_np);
	script(_metadata, self, "script_dump", "dumpable", self->h_dump);
	script(_metadata, self, "script_npx", "exit0", self->h_npx);
	script(_metadata, self, "script_trusted", "devmem", self->h_tr);
	/* A script of no trust run by a trusted interpreter. */
	snprintf(text, sizeof(text), "#!%s devmem\n", in(self, "interp_trusted"));
	ASSERT_EQ(0, put_text(in(self, "script_via"), text));
	ASSERT_EQ(0, chmod(in(self, "script_via"), 0755));
	ASSERT_EQ(0, sha256_hex(in(self, "script_via"), self->h_via));
	/* Listed with the fingerprint of "exit 0", holding "exit 7". */
	ASSERT_EQ(0, put_text(in(self, "sh_script"), "exit 0\n"));
	ASSERT_EQ(0, sha256_hex(in(self, "sh_script"), self->h_sh));
	ASSERT_EQ(0, put_text(in(self, "sh_script"), "exit 7\n"));
}

static void load_set(struct __test_metadata *_metadata,
		     FIXTURE_DATA(exec) *self)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "@name %s\n"
		 "%s sha256 %s direct\n%s sha256 %s direct,no_ptrace\n"
		 "%s sha256 %s direct,trusted\n%s sha256 %s direct,execmem\n"
		 "%s sha256 %s indirect\n"
		 "%s sha256 %s indirect\n%s sha256 %s indirect\n"
		 "%s sha256 %s indirect\n"
		 "%s sha256 %s direct\n%s sha256 %s direct,no_ptrace\n"
		 "%s sha256 %s direct,no_ptrace\n%s sha256 %s direct\n"
		 "%s sha256 %s direct,no_ptrace\n- sha256 %s direct\n"
		 "%s sha256 %s indirect,trusted\n%s sha256 %s direct,trusted\n"
		 "%s sha256 %s direct\n%s sha256 %s direct\n"
		 "%s sha256 %s direct,execmem\n%s sha256 %s direct\n",
		 self->set,
		 in(self, "prog"), self->h_prog,
		 in(self, "noptrace"), self->h_prog,
		 in(self, "trusted"), self->h_prog,
		 in(self, "jit"), self->h_prog,
		 in(self, "interp"), self->h_prog,
		 in(self, "lib"), self->h_lib,
		 in(self, "lib_fresh"), self->h_lib,
		 in(self, "wronly"), self->h_lib,
		 in(self, "script"), self->h_script,
		 in(self, "script_np"), self->h_np,
		 in(self, "script_dump"), self->h_dump,
		 in(self, "sh_script"), self->h_sh,
		 in(self, "script_npx"), self->h_npx, h_label,
		 in(self, "interp_trusted"), self->h_prog,
		 in(self, "script_trusted"), self->h_tr,
		 in(self, "script_via"), self->h_via,
		 in(self, "xstack"), self->h_xstack,
		 in(self, "xstack_jit"), self->h_xstack,
		 in(self, "xtail"), self->h_xtail);
	ASSERT_EQ(0, load_text(text)) {
		TH_LOG("cannot load the test set");
	}
}

FIXTURE_SETUP(exec)
{
	/*
	 * Sets other tests leave loaded in a shared boot would list the
	 * image twice: every level runs in the boot made for it.
	 */
	if (!raise_allowed())
		SKIP(return, "raises the level: boot with vxtest.raise");
	if (current_level() > variant->level)
		SKIP(return, "level is %u already", current_level());
	SKIP_WITHOUT_SIGNING();
	ASSERT_EQ(0, load_image_set(BASE_SET));
	snprintf(self->dir, sizeof(self->dir), "/tmp/vx-x%d", getpid());
	snprintf(self->set, sizeof(self->set), "x%d", getpid());
	snprintf(self->set2, sizeof(self->set2), "x%d-more", getpid());
	snprintf(self->bigdir, sizeof(self->bigdir), "%s-big", self->dir);
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, "size=16m"));
	make_files(_metadata, self);
	/* Opened before the load and the raise, as an attacker would. */
	self->wronly_fd = open(in(self, "wronly"), O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, self->wronly_fd);
	load_set(_metadata, self);
	ASSERT_EQ(0, set_level(variant->level));
}

FIXTURE_TEARDOWN(exec)
{
	char text[64];

	if (self->wronly_fd > 0)
		close(self->wronly_fd);
	snprintf(text, sizeof(text), "@name %s\n", self->set);
	load_text(text);
	snprintf(text, sizeof(text), "@name %s\n", self->set2);
	load_text(text);
	/* Refused at level 3, where the scratch filesystem stays. */
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
	umount2(self->bigdir, MNT_DETACH);
	rmdir(self->bigdir);
}

static char *const no_args[] = { "x", NULL };
static char *const env[] = { "PATH=/bin:/usr/bin", NULL };

/* The errno a denied operation gets at @from and above, else 0. */
#define DENIED_FROM(from) (variant->level >= (from) ? EPERM : 0)
/* How much a counter grows for a denial from @from (and level 0 logs). */
#define COUNTED_FROM(from) (variant->level >= (from) || !variant->level)

static int err_of(long rc)
{
	return rc < 0 ? errno : 0;
}

/* Wait until @pid runs the program it was exec'ing (comm is @comm). */
static void wait_comm(pid_t pid, const char *comm)
{
	char path[64], buf[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	for (i = 0; i < 500; i++) {
		if (read_file(path, buf, sizeof(buf)) > 0 &&
		    !strncmp(buf, comm, strlen(comm)))
			return;
		usleep(10000);
	}
}

static pid_t start_sleeper(const char *path)
{
	char *const argv[] = { "x", "sleep", NULL };
	pid_t pid = fork();

	if (!pid) {
		execve(path, argv, env);
		_exit(127);
	}
	wait_comm(pid, basename(strdupa(path)));
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Scripts (4.1): the script's entry is the one that runs. */

TEST_F(exec, script_with_indirect_interpreter)
{
	struct counts c;

	EXPECT_EQ(0, exec_status(in(self, "script"), no_args, env));
	take_counts(&c, "denied_indirect");
	EXPECT_EQ(DENIED_FROM(2), exec_status(in(self, "interp"), no_args, env));
	EXPECT_EQ(c.reason + COUNTED_FROM(2), status_counter("denied_indirect"));
}

TEST_F(exec, script_no_ptrace_holds_for_the_process)
{
	pid_t pid = start_sleeper(in(self, "script_np"));
	struct counts c;

	ASSERT_LT(0, pid);
	take_counts(&c, "denied_ptrace");
	EXPECT_EQ(DENIED_FROM(1), err_of(ptrace(PTRACE_ATTACH, pid, 0, 0)));
	EXPECT_EQ(c.reason + 1, status_counter("denied_ptrace"));
	stop(pid);
	/* Not dumpable either: no core dump of what it holds. */
	if (variant->level >= 1)
		EXPECT_EQ(0, exec_status(in(self, "script_dump"), no_args, env));
}

TEST_F(exec, script_trusted_is_the_scripts_option)
{
	/* The script's trusted reaches the interpreter's process... */
	EXPECT_EQ(0, exec_status(in(self, "script_trusted"), no_args, env));
	/* ...and a trusted interpreter lends nothing to a script. */
	EXPECT_EQ(variant->level >= 1 ? 1000 + EPERM : 0,
		  exec_status(in(self, "script_via"), no_args, env));
}

/* ptrace set up before the exec of a no_ptrace program (3, no_ptrace). */

enum trace_how { TRACEME, ATTACH, SEIZE };

/*
 * Exec @path traced, the tracer attached by @how before the execve.
 * Returns the execve errno, 0 when it ran traced and exited 0, or 1000 +
 * exit status.  A program that runs under TRACEME or ATTACH must show
 * its exec SIGTRAP, which proves it was traced.
 */
static int exec_traced(const char *path, enum trace_how how)
{
	int go[2], res[2], err = 0, status, code = -1;
	bool trapped = false;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) || pipe2(res, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (!pid) {
		char c;

		if (how == TRACEME && ptrace(PTRACE_TRACEME, 0, 0, 0))
			_exit(125);
		if (read(go[0], &c, 1) != 1)
			_exit(124);
		execve(path, no_args, env);
		err = errno;
		if (write(res[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(go[0]);
	close(res[1]);
	if (how == ATTACH) {
		if (ptrace(PTRACE_ATTACH, pid, 0, 0) ||
		    waitpid(pid, &status, 0) != pid ||
		    ptrace(PTRACE_CONT, pid, 0, 0))
			err = 1000 + 200;
	} else if (how == SEIZE && ptrace(PTRACE_SEIZE, pid, 0, 0)) {
		err = 1000 + 201;
	}
	if (write(go[1], "g", 1) != 1 && !err)
		err = 1000 + 202;
	close(go[1]);
	if (read(res[0], &code, sizeof(code)) == sizeof(code) && !err)
		err = code;
	close(res[0]);
	while (waitpid(pid, &status, 0) == pid) {
		if (WIFSTOPPED(status)) {
			int sig = WSTOPSIG(status);

			trapped |= sig == SIGTRAP;
			ptrace(PTRACE_CONT, pid, 0,
			       sig == SIGTRAP || sig == SIGSTOP ? 0 : sig);
			continue;
		}
		if (err)
			return err;
		if (!WIFEXITED(status))
			return 1000 + 128;
		if (WEXITSTATUS(status))
			return 1000 + WEXITSTATUS(status);
		return how == SEIZE || trapped ? 0 : 1000 + 203;
	}
	return err ? err : 1000 + 204;
}

static void traced_exec(struct __test_metadata *_metadata,
			const FIXTURE_VARIANT(exec) *variant,
			FIXTURE_DATA(exec) *self, enum trace_how how)
{
	struct counts c;
	int fd = -1;

	EXPECT_EQ(0, exec_traced(in(self, "prog"), how));
	if (variant->level == 1 && how == TRACEME)
		fd = log_mark();
	take_counts(&c, "denied_ptrace");
	EXPECT_EQ(DENIED_FROM(1), exec_traced(in(self, "noptrace"), how));
	EXPECT_EQ(c.reason + 1, status_counter("denied_ptrace"));
	if (fd >= 0)
		EXPECT_TRUE(log_has(fd, "reason=\"no_ptrace\""));
	/* trusted implies no_ptrace; a script's no_ptrace counts too. */
	EXPECT_EQ(DENIED_FROM(1), exec_traced(in(self, "trusted"), how));
	EXPECT_EQ(c.reason + 2, status_counter("denied_ptrace"));
}

TEST_F(exec, traceme_then_exec)
{
	traced_exec(_metadata, variant, self, TRACEME);
}

TEST_F(exec, attach_then_exec)
{
	traced_exec(_metadata, variant, self, ATTACH);
}

TEST_F(exec, seize_then_exec)
{
	traced_exec(_metadata, variant, self, SEIZE);
}

TEST_F(exec, traced_script_no_ptrace)
{
	/* The interpreter is listed without no_ptrace: the script decides. */
	EXPECT_EQ(DENIED_FROM(1), exec_traced(in(self, "script_npx"), TRACEME));
	EXPECT_EQ(0, exec_traced(in(self, "script"), TRACEME));
}

TEST_F(exec, pidfd_getfd_of_trusted)
{
	pid_t pid = start_sleeper(in(self, "trusted"));
	int pidfd, fd;
	struct counts c;

	ASSERT_LT(0, pid);
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ASSERT_LE(0, pidfd);
	take_counts(&c, "denied_ptrace");
	fd = syscall(SYS_pidfd_getfd, pidfd, 1, 0);
	EXPECT_EQ(DENIED_FROM(1), fd < 0 ? errno : 0);
	EXPECT_EQ(c.reason + 1, status_counter("denied_ptrace"));
	if (fd >= 0)
		close(fd);
	close(pidfd);
	stop(pid);
	/* A program without the option gives its descriptors up. */
	pid = start_sleeper(in(self, "prog"));
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	ASSERT_LE(0, pidfd);
	fd = syscall(SYS_pidfd_getfd, pidfd, 1, 0);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	close(pidfd);
	stop(pid);
}

/* /proc routes to a no_ptrace process's memory, and what ps reads. */
TEST_F(exec, proc_routes)
{
	pid_t pid = start_sleeper(in(self, "noptrace"));
	struct iovec local, remote = { (void *)0x1000, 8 };
	char path[64], buf[4096];
	struct counts c;
	int fd;

	ASSERT_LT(0, pid);
	/* ps reads stat: PTRACE_MODE_NOAUDIT, neither logged nor counted. */
	fd = log_mark();
	take_counts(&c, NULL);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	EXPECT_LT(0, read_file(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	EXPECT_LT(0, read_file(path, buf, sizeof(buf)));
	EXPECT_EQ(c.denials, status_counter("denials"));
	EXPECT_FALSE(log_has(fd, "reason=\"no_ptrace\""));

	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	fd = open(path, O_RDONLY);
	EXPECT_EQ(variant->level >= 1 ? EACCES : 0, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_WRONLY);
	EXPECT_EQ(variant->level >= 1 ? EACCES : 0, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	local.iov_base = buf;
	local.iov_len = 8;
	EXPECT_EQ(variant->level >= 1 ? EPERM : EFAULT,
		  err_of(process_vm_writev(pid, &local, 1, &remote, 1, 0)));
	stop(pid);
}

TEST_F(exec, not_dumpable)
{
	char *const argv[] = { "x", "dumpable", NULL };

	EXPECT_EQ(1001, exec_status(in(self, "prog"), argv, env));
	if (variant->level < 1)
		SKIP(return, "level 0 only logs");
	EXPECT_EQ(0, exec_status(in(self, "noptrace"), argv, env));
	EXPECT_EQ(0, exec_status(in(self, "trusted"), argv, env));
}

/* Nor can it make itself dumpable again. */
TEST_F(exec, set_dumpable_refused)
{
	char *const argv[] = { "x", "set_dumpable", NULL };
	struct counts c;

	EXPECT_EQ(0, exec_status(in(self, "prog"), argv, env));
	take_counts(&c, "denied_ptrace");
	EXPECT_EQ(variant->level >= 1 ? 1000 + EPERM : 0,
		  exec_status(in(self, "noptrace"), argv, env));
	if (variant->level >= 1)
		EXPECT_EQ(c.reason + 1, status_counter("denied_ptrace"));
}

/* Code in memory (4.1). */

static int map_file(const char *path, int prot, void **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	void *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, prot, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		rc = errno;
	close(fd);
	if (out && !rc)
		*out = p;
	else if (!rc)
		munmap(p, 4096);
	return rc;
}

TEST_F(exec, writable_and_executable_file_mapping)
{
	struct counts c;
	int fd = -1;
	void *p;

	if (variant->level == 1)
		fd = log_mark();
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(DENIED_FROM(1), map_file(in(self, "lib"),
			PROT_READ | PROT_WRITE | PROT_EXEC, NULL));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
	if (fd >= 0)
		EXPECT_TRUE(log_has(fd, "reason=\"fingerprint mismatch\""));
	/* R-X, verified, then made writable as well. */
	ASSERT_EQ(0, map_file(in(self, "lib"), PROT_READ | PROT_EXEC, &p));
	EXPECT_EQ(DENIED_FROM(1),
		  err_of(mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC)));
	EXPECT_EQ(c.reason + 2, status_counter("denied_mismatch"));
	munmap(p, 4096);
	/* RW, written, then made executable. */
	ASSERT_EQ(0, map_file(in(self, "lib"), PROT_READ | PROT_WRITE, &p));
	((char *)p)[0] ^= 1;
	EXPECT_EQ(DENIED_FROM(1), err_of(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
	EXPECT_EQ(c.reason + 3, status_counter("denied_mismatch"));
	munmap(p, 4096);
}

TEST_F(exec, mprotect_judges_the_cached_verdict)
{
	/* At level 3 the open itself hashes, and leaves a verdict. */
	bool l3 = variant->level == 3;
	struct counts c;
	void *p;

	/* No verdict yet: not verified, whatever the content. */
	take_counts(&c, NULL);
	ASSERT_EQ(0, map_file(in(self, "lib_fresh"), PROT_READ, &p));
	EXPECT_EQ(l3 ? 0 : DENIED_FROM(1),
		  err_of(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
	EXPECT_EQ(c.denials + !l3, status_counter("denials"));
	if (!l3)
		EXPECT_EQ(c.fingerprints, status_counter("fingerprints"));
	munmap(p, 4096);
	/* Unlisted: at level 3 not even opened. */
	if (l3) {
		EXPECT_EQ(-EPERM, map_file(in(self, "lib_unlisted"), PROT_READ, &p));
	} else {
		ASSERT_EQ(0, map_file(in(self, "lib_unlisted"), PROT_READ, &p));
		EXPECT_EQ(DENIED_FROM(2),
			  err_of(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
		munmap(p, 4096);
	}
	/* Mapped executable once, it has one. */
	ASSERT_EQ(0, map_file(in(self, "lib_fresh"), PROT_READ | PROT_EXEC, NULL));
	ASSERT_EQ(0, map_file(in(self, "lib_fresh"), PROT_READ, &p));
	EXPECT_EQ(0, err_of(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
	munmap(p, 4096);
}

/* Each way to get executable memory with no file behind it. */
static int anon_exec(int route)
{
	const int rw = PROT_READ | PROT_WRITE, anon = MAP_ANONYMOUS;
	void *p = MAP_FAILED;
	int fd, rc = 0;

	switch (route) {
	case 0:
		p = mmap(NULL, 4096, rw | PROT_EXEC, MAP_PRIVATE | anon, -1, 0);
		break;
	case 1:
		p = mmap(NULL, 4096, rw | PROT_EXEC, MAP_SHARED | anon, -1, 0);
		break;
	case 2:
	case 3:
	case 4:
		p = mmap(NULL, 4096, rw, MAP_PRIVATE | anon, -1, 0);
		if (p == MAP_FAILED)
			return 100;
		if (route == 2)
			rc = mprotect(p, 4096, rw | PROT_EXEC);
		else if (route == 3)
			rc = mprotect(p, 4096, PROT_READ | PROT_EXEC);
		else
			rc = syscall(SYS_pkey_mprotect, p, 4096,
				     PROT_READ | PROT_EXEC, -1);
		rc = rc ? errno : 0;
		munmap(p, 4096);
		return rc;
	case 5:
		/* Private /dev/zero is anonymous memory too. */
		fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return 101;
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		close(fd);
		break;
	}
	if (p == MAP_FAILED)
		return errno;
	munmap(p, 4096);
	return 0;
}

/* READ_IMPLIES_EXEC turns PROT_READ into PROT_EXEC: in a child. */
static int implied_exec(void)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		void *p;

		personality(READ_IMPLIES_EXEC);
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		_exit(p == MAP_FAILED ? errno : 0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

TEST_F(exec, execmem)
{
	static const char *const routes[] = {
		"private RWX", "shared RWX", "mprotect RW to RWX",
		"mprotect RW to R-X", "pkey_mprotect",
	};
	int want = DENIED_FROM(3), route, rc, fd = -1;
	char *const argv[] = { "x", "execmem", NULL };
	struct counts c;

	if (variant->level == 3)
		fd = log_mark();
	for (route = 0; route < 5; route++) {
		take_counts(&c, "denied_execmem");
		rc = anon_exec(route);
		/* pkey_mprotect() needs CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS. */
		if (rc == ENOSYS)
			continue;
		EXPECT_EQ(want, rc) {
			TH_LOG("route: %s", routes[route]);
		}
		if (want)
			EXPECT_EQ(c.reason + 1, status_counter("denied_execmem")) {
				TH_LOG("route: %s", routes[route]);
			}
	}
	if (fd >= 0)
		EXPECT_TRUE(log_has(fd, "reason=\"execmem\""));
	EXPECT_EQ(want, implied_exec());
	/*
	 * A private mapping of /dev/zero is anonymous memory, but it is
	 * also a file with no entry mapped executable: refused from level 2.
	 */
	EXPECT_EQ(DENIED_FROM(2), anon_exec(5));
	/* A program whose entry has execmem may; another may not. */
	EXPECT_EQ(0, exec_status(in(self, "jit"), argv, env));
	EXPECT_EQ(want ? 1000 + want : 0,
		  exec_status(in(self, "prog"), argv, env));
}

/*
 * READ_IMPLIES_EXEC makes the heap brk(2) grows executable, with no mmap
 * or mprotect: at level 3 brk() is refused to a program without execmem.
 */
TEST_F(exec, brk_under_read_implies_exec)
{
	char *const argv[] = { "x", "brk_exec", NULL };
	struct counts c;

	take_counts(&c, "denied_execmem");
	EXPECT_EQ(variant->level >= 3 ? 1000 + ENOMEM : 0,
		  exec_status(in(self, "prog"), argv, env));
	if (variant->level >= 3)
		EXPECT_EQ(c.reason + 1, status_counter("denied_execmem"));
	EXPECT_EQ(0, exec_status(in(self, "jit"), argv, env));
}

/*
 * An ELF header asking for an executable stack makes anonymous memory
 * executable with no mmap() or mprotect() to judge: at level 3 that is
 * for execmem programs only, like any other executable anonymous memory.
 */
TEST_F(exec, executable_stack)
{
	char *const argv[] = { "x", "stack", NULL };
	int rc = exec_status(in(self, "xstack"), argv, env);

	EXPECT_EQ(0, exec_status(in(self, "xstack_jit"), argv, env));
	if (variant->level < 3) {
		EXPECT_EQ(0, rc);
		return;
	}
	/* Refused at exec, or run with a stack that is not executable. */
	EXPECT_TRUE(rc == EPERM || rc == 1001) {
		TH_LOG("no execmem, exec_status %d (0: executable stack)", rc);
	}
}

/*
 * So does the tail of an executable segment longer in memory than in the
 * file: binfmt_elf makes it anonymous, writable and executable.  Refused
 * at exec at level 3.  (From level 1 the segment's writable and
 * executable file mapping is refused as a mismatch anyway.)
 */
TEST_F(exec, executable_segment_tail)
{
	char *const argv[] = { "x", NULL };
	struct counts c;
	int rc;

	take_counts(&c, "denied_execmem");
	rc = exec_status(in(self, "xtail"), argv, env);
	if (variant->level >= 3) {
		EXPECT_EQ(EPERM, rc);
		EXPECT_EQ(c.reason + 1, status_counter("denied_execmem"));
		return;
	}
	EXPECT_EQ(c.reason, status_counter("denied_execmem"));
	if (!variant->level)
		EXPECT_EQ(0, rc);
}

/*
 * A memfd is memory, not storage (4.1): like anonymous memory it may be
 * made executable up to level 2, and at level 3 only by an execmem
 * program.  (execve() of one is another matter: see enforce_test.)
 */
TEST_F(exec, memfd_mapped_executable)
{
	int fd = memfd_create("vx", MFD_CLOEXEC), src;
	int want = DENIED_FROM(3);
	char buf[65536];
	struct counts c;
	ssize_t n;
	void *p;

	ASSERT_LE(0, fd);
	src = open(in(self, "lib"), O_RDONLY);
	ASSERT_LE(0, src);
	while ((n = read(src, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(fd, buf, n));
	close(src);
	take_counts(&c, "denied_execmem");
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	EXPECT_EQ(want, p == MAP_FAILED ? errno : 0);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	if (want)
		EXPECT_EQ(c.reason + 1, status_counter("denied_execmem"));
	/* And by mprotect of a read-only mapping. */
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(want, err_of(mprotect(p, 4096, PROT_READ | PROT_EXEC)));
	if (want)
		EXPECT_EQ(c.reason + 2, status_counter("denied_execmem"));
	munmap(p, 4096);
	close(fd);
}

/* Hashing that fails is no verdict (4.1). */

static void make_big(struct __test_metadata *_metadata, const char *path,
		     size_t mib, char hex[65])
{
	static char block[1 << 20];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(block); i++)
		block[i] = (char)(i * 7 + i / 4096);
	for (i = 0; i < mib; i++) {
		block[0] = (char)i;
		ASSERT_EQ((ssize_t)sizeof(block), write(fd, block, sizeof(block)));
	}
	close(fd);
	ASSERT_EQ(0, sha256_hex(path, hex));
}

/* The cached status of the entry for @path, from the entries file. */
static void entry_status(const char *path, char *out, size_t size)
{
	char line[1024], want[160];
	FILE *f = fopen(VERIEXEC_FS "entries", "r");
	char *last;

	snprintf(out, size, "?");
	snprintf(want, sizeof(want), " %s ", path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, want))
			continue;
		line[strcspn(line, "\n")] = '\0';
		last = strrchr(line, ' ');
		snprintf(out, size, "%.31s", last ? last + 1 : line);
	}
	fclose(f);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Map @path executable in a child, killed after @delay s (0: not). */
static int map_in_child(const char *path, double delay)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(map_file(path, PROT_READ | PROT_EXEC, NULL));
	if (delay > 0) {
		usleep(delay * 1e6);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(exec, fatal_signal_during_first_hash)
{
	char hex[3][65], text[1024], status[32], big[3][96];
	long long bytes;
	double t, took;
	int i;

	/* At level 3 the scratch filesystem takes no new files: another. */
	ASSERT_EQ(0, mkdir(self->bigdir, 0755));
	ASSERT_EQ(0, mount("tmpfs", self->bigdir, "tmpfs", 0, "size=80m"));
	for (i = 0; i < 3; i++) {
		snprintf(big[i], sizeof(big[i]), "%s/%d", self->bigdir, i);
		make_big(_metadata, big[i], 24, hex[i]);
	}
	snprintf(text, sizeof(text),
		 "@name %s\n%s sha256 %s indirect\n%s sha256 %s indirect\n"
		 "%s sha256 %s indirect\n", self->set2,
		 big[0], hex[0], big[1], hex[1], big[2], hex[2]);
	ASSERT_EQ(0, load_text(text));
	/* How long one whole first hash takes here. */
	t = now();
	ASSERT_EQ(0, map_in_child(big[0], 0));
	took = now() - t;
	for (i = 1; i < 3; i++) {
		bytes = status_counter("bytes_hashed");
		ASSERT_EQ(128 + SIGKILL,
			  map_in_child(big[i], took / (3 * i)));
		entry_status(big[i], status, sizeof(status));
		EXPECT_STRNE("mismatch", status);
		TH_LOG("killed after %.0f of %.0f ms: %s, %lld bytes hashed",
		       took * 1000 / (3 * i), took * 1000, status,
		       status_counter("bytes_hashed") - bytes);
		/* Whoever comes next gets the file's real verdict. */
		EXPECT_EQ(0, map_in_child(big[i], 0));
		entry_status(big[i], status, sizeof(status));
		EXPECT_STREQ("valid", status);
	}
}

/* A file is never read through a descriptor not opened for reading. */
TEST_F(exec, mmap_exec_of_write_only_descriptor)
{
	struct counts c;
	void *p;

	take_counts(&c, NULL);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE,
		 self->wronly_fd, 0);
	EXPECT_EQ(EACCES, p == MAP_FAILED ? errno : 0);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	EXPECT_EQ(c.fingerprints, status_counter("fingerprints"));
}

/* Reading code at level 3 (4.1). */

TEST_F(exec, level3_reads_check_fingerprints)
{
	const char *argv[] = { "sh", in(self, "sh_script"), NULL };
	struct counts c;
	int fd, rc;

	take_counts(&c, "denied_mismatch");
	fd = open(in(self, "sh_script"), O_RDONLY);
	EXPECT_EQ(DENIED_FROM(3), fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	if (variant->level >= 3)
		EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
	rc = run(argv);
	if (variant->level >= 3) {
		EXPECT_NE(7, rc);
		EXPECT_NE(0, rc);
	} else {
		EXPECT_EQ(7, rc);
	}
	/* A listed script whose content matches is read as usual. */
	fd = open(in(self, "script"), O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

TEST_F(exec, label_never_stands_in_for_the_fingerprint)
{
	int fd;

	fd = open(LABELS "/evil", O_RDONLY);
	EXPECT_EQ(DENIED_FROM(3), fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	fd = open(LABELS "/good", O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	/* Executed: a mismatch from level 1; level 0 runs it (exit 7). */
	EXPECT_EQ(variant->level ? EPERM : 1007,
		  exec_status(LABELS "/evil", no_args, env));
	EXPECT_EQ(0, exec_status(LABELS "/good", no_args, env));
}

/*
 * security.veriexec cannot be set from level 2: label two files now, on
 * a filesystem of their own, for every variant.
 */
static int make_labels(void)
{
	char label[80];

	mkdir(LABELS, 0755);
	if (mount("tmpfs", LABELS, "tmpfs", 0, "size=1m") ||
	    put_text(LABELS "/good", LABEL_GOOD) ||
	    put_text(LABELS "/evil", LABEL_EVIL) ||
	    chmod(LABELS "/good", 0755) || chmod(LABELS "/evil", 0755) ||
	    sha256_hex(LABELS "/good", h_label))
		return -1;
	snprintf(label, sizeof(label), "sha256:%s", h_label);
	if (setxattr(LABELS "/good", "security.veriexec", label,
		     strlen(label), 0) ||
	    setxattr(LABELS "/evil", "security.veriexec", label,
		     strlen(label), 0))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	char self_exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n > 0) {
		self_exe[n] = '\0';
		snprintf(srcdir, sizeof(srcdir), "%s", dirname(self_exe));
	}
	if (!current_level() && make_labels())
		fprintf(stderr, "# cannot label files: %s\n", strerror(errno));
	return test_harness_run(argc, argv);
}
