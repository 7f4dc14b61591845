// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Enforcement: every cell of the level table
 *
 * Copyright © 2026 The veriexec authors
 *
 * The level only rises, so the variants run in level order (0 to 3), each
 * on tmpfs and on ext4, and the variants above level 0 need a boot of
 * their own: they skip unless the command line holds
 * "vxtest.boot=enforce_test" (run-tests.sh adds it).  From level 2 a base
 * set lists the whole image, so that the harness, the shell and
 * veriexecctl keep working at levels 2 and 3.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <linux/limits.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/xattr.h>

#include "common.h"

#define BASE_SET "enf_base"

static char srcdir[PATH_MAX];	/* where helper and libvxtest.so are */

static int load_base(void)
{
	const char *argv[] = { "sh", "-c",
		"veriexecctl generate --all --name " BASE_SET " /bin /sbin /usr "
		"/lib /lib64 /etc /opt /init > /tmp/vx-base.txt && "
		"veriexecctl sign --key " SIGNING_KEY " --cert " SIGNING_CERT
		" -o /tmp/vx-base.p7s /tmp/vx-base.txt && "
		"veriexecctl load /tmp/vx-base.p7s", NULL };
	return run(argv);
}

static bool base_loaded(void)
{
	char buf[65536];

	return read_file(VERIEXEC_FS "sets", buf, sizeof(buf)) > 0 &&
	       strstr(buf, BASE_SET " ");
}

/* "#!/bin/sh\nexit 0\n", the content of s384 and s512. */
#define SHA384_EXIT0 "1083f7d8e6c11c62fc861218adbc9c4ce0c4bfb6dacfa382" \
		     "8f523515e0eb9d3ff304a57b153a12e688edeae09264c709"
#define SHA512_EXIT0 "69f097faa9ccb981e78c3a914ad68a51771637d9aecd2dbc" \
		     "807003ac30663e6d921091a48ff529dfff27a6cd55b0808f" \
		     "91683118acf7acdf406d37266e622b17"

FIXTURE(enforce) {
	char dir[64], mnt[64], set[32];
	char h_prog[65], h_script[65], h_lib[65], h_data[65];
	char h_static[65], h_label[65];
	off_t static_size;
	int pre_fd;
};

FIXTURE_VARIANT(enforce) {
	unsigned int level;
	bool ext4;
};

#define LEVEL_VARIANTS(n)						\
FIXTURE_VARIANT_ADD(enforce, level##n##_tmpfs) { .level = n };		\
FIXTURE_VARIANT_ADD(enforce, level##n##_ext4) { .level = n, .ext4 = true }

LEVEL_VARIANTS(0);
LEVEL_VARIANTS(1);
LEVEL_VARIANTS(2);
LEVEL_VARIANTS(3);

static const char *in(FIXTURE_DATA(enforce) *self, const char *name)
{
	static char paths[32][128];	/* load_set() needs 11 at once */
	static int i;
	char *p = paths[i++ % 32];

	snprintf(p, sizeof(paths[0]), "%s/%s", self->dir, name);
	return p;
}

/* A path-less entry lists LABELLED; LABELLED_BAD only carries its label. */
#define LABELLED "#!/bin/sh\nexit 0\n# path-less\n"
#define LABELLED_BAD "#!/bin/sh\nexit 0\n# not what was listed\n"

static int put_script(const char *path, const char *text)
{
	return put_text(path, text) ?: chmod(path, 0755) ? -errno : 0;
}

static void make_files(struct __test_metadata *_metadata,
		       FIXTURE_DATA(enforce) *self)
{
	static const char *const helpers[] = {
		"prog", "unlisted", "tampered", "indirect", "noptrace",
		"trusted", "untrusted",
	};
	char helper[PATH_MAX + 16], lib[PATH_MAX + 16];
	char helper_static[PATH_MAX + 16];
	struct stat st;
	size_t i;
	int fd;

	snprintf(helper, sizeof(helper), "%s/helper", srcdir);
	snprintf(helper_static, sizeof(helper_static), "%s/helper_static", srcdir);
	snprintf(lib, sizeof(lib), "%s/libvxtest.so", srcdir);
	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		ASSERT_EQ(0, copy_file(helper, in(self, helpers[i]), 0755));
	ASSERT_EQ(0, copy_file(lib, in(self, "lib"), 0755));
	ASSERT_EQ(0, copy_file(lib, in(self, "lib_unlisted"), 0755));
	ASSERT_EQ(0, put_text(in(self, "script"), "#!/bin/sh\nexit 0\n"));
	ASSERT_EQ(0, put_text(in(self, "script_unlisted"), "#!/bin/sh\nexit 0\n"));
	chmod(in(self, "script"), 0755);
	chmod(in(self, "script_unlisted"), 0755);
	ASSERT_EQ(0, put_text(in(self, "data"), "hello\n"));
	ASSERT_EQ(0, put_text(in(self, "data_bad"), "not hello\n"));
	ASSERT_EQ(0, put_text(in(self, "target"), "x\n"));
	ASSERT_EQ(0, copy_file(helper_static, in(self, "counted"), 0755));
	ASSERT_EQ(0, stat(in(self, "counted"), &st));
	self->static_size = st.st_size;
	ASSERT_EQ(0, sha256_hex(helper_static, self->h_static));
	ASSERT_EQ(0, put_script(in(self, "s384"), "#!/bin/sh\nexit 0\n"));
	ASSERT_EQ(0, put_script(in(self, "s512"), "#!/bin/sh\nexit 0\n"));
	ASSERT_EQ(0, put_script(in(self, "bad512"), "#!/bin/sh\nexit 1\n"));
	ASSERT_EQ(0, put_script(in(self, "labelled"), LABELLED));
	ASSERT_EQ(0, put_script(in(self, "labelled_bad"), LABELLED_BAD));
	ASSERT_EQ(0, put_script(in(self, "unlabelled_bad"), LABELLED_BAD));
	ASSERT_EQ(0, sha256_hex(in(self, "labelled"), self->h_label));
	fd = open(in(self, "tampered"), O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "!", 1));
	close(fd);
	ASSERT_EQ(0, sha256_hex(helper, self->h_prog));
	ASSERT_EQ(0, sha256_hex(lib, self->h_lib));
	ASSERT_EQ(0, sha256_hex(in(self, "script"), self->h_script));
	ASSERT_EQ(0, sha256_hex(in(self, "data"), self->h_data));
}

/*
 * One ext4 image serves every ext4 variant, mounted once at the first:
 * from level 3 no block device can be opened for writing, so no loop
 * device could be set up there.  Each test gets a directory in it.
 */
#define SHARED_EXT4 "/tmp/vx-ext4"

static void mount_shared_ext4(struct __test_metadata *_metadata)
{
	const char *argv[] = { "mount", "-o", "loop", SHARED_EXT4 ".img",
			       SHARED_EXT4, NULL };
	struct stat st;

	if (!stat(SHARED_EXT4 "/lost+found", &st))
		return;
	ASSERT_EQ(0, mkdir(SHARED_EXT4, 0755));
	ASSERT_EQ(0, copy_file("/opt/vx-ext4.img", SHARED_EXT4 ".img", 0600));
	ASSERT_EQ(0, run(argv));
}

static void mount_scratch(struct __test_metadata *_metadata,
			  FIXTURE_DATA(enforce) *self, bool ext4)
{
	if (ext4) {
		mount_shared_ext4(_metadata);
		snprintf(self->mnt, sizeof(self->mnt), "%s", SHARED_EXT4);
		ASSERT_EQ(0, mkdir(self->dir, 0755));
		return;
	}
	snprintf(self->mnt, sizeof(self->mnt), "%s", self->dir);
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, "size=32m"));
}

static void load_set(struct __test_metadata *_metadata,
		     FIXTURE_DATA(enforce) *self)
{
	char text[8192];
	int n;

	n = snprintf(text, sizeof(text),
		 "@name %s\n"
		 "%s sha256 %s direct\n%s sha256 %s direct\n"
		 "%s sha256 %s indirect\n%s sha256 %s direct,no_ptrace\n"
		 "%s sha256 %s direct,trusted\n%s sha256 %s direct,untrusted\n"
		 "%s sha256 %s direct\n%s sha256 %s indirect\n"
		 "%s sha256 %s file\n%s sha256 %s file\n%s sha256 %s file\n",
		 self->set,
		 in(self, "prog"), self->h_prog, in(self, "tampered"), self->h_prog,
		 in(self, "indirect"), self->h_prog, in(self, "noptrace"), self->h_prog,
		 in(self, "trusted"), self->h_prog, in(self, "untrusted"), self->h_prog,
		 in(self, "script"), self->h_script, in(self, "lib"), self->h_lib,
		 in(self, "data"), self->h_data, in(self, "data_bad"), self->h_data,
		 in(self, "target"), self->h_data);
	snprintf(text + n, sizeof(text) - n,
		 "%s sha256 %s direct\n%s sha384 %s direct\n"
		 "%s sha512 %s direct\n%s sha512 %s direct\n"
		 "- sha256 %s direct\n",
		 in(self, "counted"), self->h_static, in(self, "s384"), SHA384_EXIT0,
		 in(self, "s512"), SHA512_EXIT0, in(self, "bad512"), SHA512_EXIT0,
		 self->h_label);
	ASSERT_EQ(0, load_text(text)) {
		TH_LOG("cannot load the test set");
	}
}

FIXTURE_SETUP(enforce)
{
	SKIP_WITHOUT_SIGNING();
	if (variant->level > 0 && !booted_for("enforce_test"))
		SKIP(return, "raises the level: needs " BOOT_MARKER "enforce_test");
	if (current_level() > variant->level)
		SKIP(return, "level is %u already", current_level());
	if (variant->ext4 && access("/opt/vx-ext4.img", R_OK))
		SKIP(return, "no /opt/vx-ext4.img");
	if (variant->level >= 2 && !base_loaded())
		ASSERT_EQ(0, load_base());
	snprintf(self->dir, sizeof(self->dir), "%s/vx-e%d",
		 variant->ext4 ? SHARED_EXT4 : "/tmp", getpid());
	snprintf(self->set, sizeof(self->set), "e%d", getpid());
	mount_scratch(_metadata, self, variant->ext4);
	make_files(_metadata, self);
	/* Open before the load: writes through it must still be caught. */
	self->pre_fd = open(in(self, "target"), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->pre_fd);
	load_set(_metadata, self);
	ASSERT_EQ(0, set_level(variant->level));
}

FIXTURE_TEARDOWN(enforce)
{
	char text[64];

	if (self->pre_fd > 0)
		close(self->pre_fd);
	snprintf(text, sizeof(text), "@name %s\n", self->set);
	load_text(text);
	if (variant->ext4) {
		const char *argv[] = { "rm", "-rf", self->dir, NULL };

		run(argv);
		return;
	}
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
}

static char *const no_args[] = { "x", NULL };
static char *const env[] = { "PATH=/bin:/usr/bin", NULL };

/* The errno a denied operation gets at @from and above, else 0. */
#define DENIED_FROM(from) (variant->level >= (from) ? EPERM : 0)

TEST_F(enforce, exec_listed)
{
	EXPECT_EQ(0, exec_status(in(self, "prog"), no_args, env));
}

TEST_F(enforce, exec_unlisted)
{
	EXPECT_EQ(DENIED_FROM(2), exec_status(in(self, "unlisted"), no_args, env));
}

TEST_F(enforce, exec_tampered)
{
	EXPECT_EQ(DENIED_FROM(1), exec_status(in(self, "tampered"), no_args, env));
}

TEST_F(enforce, exec_indirect_entry)
{
	EXPECT_EQ(DENIED_FROM(2), exec_status(in(self, "indirect"), no_args, env));
}

TEST_F(enforce, exec_copy_of_listed)
{
	ASSERT_EQ(0, copy_file(in(self, "prog"), "/tmp/vx-copy", 0755));
	EXPECT_EQ(DENIED_FROM(2), exec_status("/tmp/vx-copy", no_args, env));
	unlink("/tmp/vx-copy");
}

TEST_F(enforce, script_and_interpreter)
{
	EXPECT_EQ(0, exec_status(in(self, "script"), no_args, env));
	EXPECT_EQ(DENIED_FROM(2),
		  exec_status(in(self, "script_unlisted"), no_args, env));
}

/* ld.so is listed indirect by the base set: `ld.so ./prog` is refused. */
TEST_F(enforce, ldso_direct)
{
	char *const argv[] = { "ld.so", (char *)in(self, "prog"), NULL };

	EXPECT_EQ(DENIED_FROM(2),
		  exec_status("/lib64/ld-linux-x86-64.so.2", argv, env));
}

TEST_F(enforce, memfd_exec)
{
	char buf[65536], path[64];
	int fd = memfd_create("vx", MFD_CLOEXEC), src, ro;
	ssize_t n;

	ASSERT_LE(0, fd);
	src = open(in(self, "prog"), O_RDONLY);
	ASSERT_LE(0, src);
	while ((n = read(src, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(fd, buf, n));
	close(src);
	/* execve() refuses a file open for writing: keep a read-only fd. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = open(path, O_RDONLY);
	ASSERT_LE(0, ro);
	close(fd);
	fd = ro;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* The child inherits the memfd: /proc/self/fd names it there too. */
	EXPECT_EQ(DENIED_FROM(2), exec_status(path, no_args, env));
	close(fd);
}

static int map_exec(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	void *p;

	if (fd < 0)
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		rc = errno;
	else
		munmap(p, 4096);
	close(fd);
	return rc;
}

TEST_F(enforce, mmap_exec)
{
	EXPECT_EQ(0, map_exec(in(self, "lib")));
	EXPECT_EQ(DENIED_FROM(2), map_exec(in(self, "lib_unlisted")));
	/* A `file` entry alone is never executable. */
	EXPECT_EQ(DENIED_FROM(2), map_exec(in(self, "data")));
}

static int protect_exec(const char *path, bool write_first)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	char *p;

	if (fd < 0)
		return errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	if (write_first)
		p[0] ^= 1;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		rc = errno;
	munmap(p, 4096);
	return rc;
}

TEST_F(enforce, mprotect_exec)
{
	/*
	 * mprotect() never hashes: a file with no verdict is not verified.
	 * At level 3 the open in protect_exec() already hashed it.
	 */
	EXPECT_EQ(variant->level >= 3 ? 0 : DENIED_FROM(1),
		  protect_exec(in(self, "lib"), false));
	EXPECT_EQ(0, map_exec(in(self, "lib")));
	EXPECT_EQ(0, protect_exec(in(self, "lib"), false));
	EXPECT_EQ(DENIED_FROM(2), protect_exec(in(self, "lib_unlisted"), false));
	/* Written pages of a private mapping are not what was fingerprinted. */
	EXPECT_EQ(DENIED_FROM(1), protect_exec(in(self, "lib"), true));
}

TEST_F(enforce, dlopen)
{
	void *h = dlopen(in(self, "lib"), RTLD_NOW);

	EXPECT_NE(NULL, h);
	if (h)
		dlclose(h);
	h = dlopen(in(self, "lib_unlisted"), RTLD_NOW);
	EXPECT_EQ(variant->level >= 2, h == NULL);
	if (h)
		dlclose(h);
}

TEST_F(enforce, ld_preload_unlisted)
{
	char preload[160];
	char *const penv[] = { "PATH=/bin", "VXTEST_EXIT=42", preload, NULL };

	/*
	 * The library's constructor exits 42 when it is loaded; ld.so goes
	 * on without a preload it cannot map.
	 */
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", in(self, "lib_unlisted"));
	EXPECT_EQ(variant->level >= 2 ? 0 : 1042,
		  exec_status(in(self, "prog"), no_args, penv));
	snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", in(self, "lib"));
	EXPECT_EQ(1042, exec_status(in(self, "prog"), no_args, penv));
}

static int err_of(int rc)
{
	return rc < 0 ? errno : 0;
}

TEST_F(enforce, changes_to_monitored_files)
{
	int want = DENIED_FROM(2), fd;

	EXPECT_EQ(want, err_of(link(in(self, "prog"), in(self, "prog-link"))));
	EXPECT_EQ(want, err_of(truncate(in(self, "prog"), 0)));
	EXPECT_EQ(want, err_of(chmod(in(self, "noptrace"), 0700)));
	EXPECT_EQ(want, err_of(chown(in(self, "trusted"), 1, 1)));
	fd = open(in(self, "indirect"), O_WRONLY);
	EXPECT_EQ(want, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(want, err_of(setxattr(in(self, "script"), "trusted.vx", "1", 1, 0)));
	EXPECT_EQ(want, err_of(rename(in(self, "lib"), in(self, "lib-renamed"))));
	/* Renaming a file over a monitored path replaces that file. */
	EXPECT_EQ(want, err_of(rename(in(self, "unlisted"), in(self, "data_bad"))));
	EXPECT_EQ(want, err_of(unlink(in(self, "untrusted"))));
}

TEST_F(enforce, write_through_fd_opened_before_load)
{
	EXPECT_EQ(DENIED_FROM(2), err_of(write(self->pre_fd, "x", 1)));
}

TEST_F(enforce, label_xattr)
{
	static const char label[] = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

	EXPECT_EQ(DENIED_FROM(2), err_of(setxattr(in(self, "unlisted"), "security.veriexec",
						  label, sizeof(label) - 1, 0)));
}

TEST_F(enforce, level_1_logs_changes)
{
	long long before = status_counter("denials");
	int fd;

	if (variant->level != 1)
		SKIP(return, "level 1 only");
	fd = open(in(self, "prog"), O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_LT(before, status_counter("denials"));
}

TEST_F(enforce, file_entries_checked_on_open)
{
	int fd = open(in(self, "data"), O_RDONLY);

	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	fd = open(in(self, "data_bad"), O_RDONLY);
	EXPECT_EQ(DENIED_FROM(1), fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
}

TEST_F(enforce, mapped_while_open_for_write)
{
	int fd;

	if (variant->level >= 2)
		SKIP(return, "write opens of monitored files fail from level 2");
	fd = open(in(self, "lib"), O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "lib")));
	close(fd);
}

static pid_t start_sleeper(const char *path)
{
	char *const argv[] = { "x", "sleep", NULL };
	pid_t pid = fork();

	if (!pid) {
		execve(path, argv, env);
		_exit(127);
	}
	usleep(300000);
	return pid;
}

TEST_F(enforce, no_ptrace)
{
	pid_t pid = start_sleeper(in(self, "noptrace"));
	char buf[16], mem[64];
	struct iovec local = { buf, sizeof(buf) }, remote = { (void *)0x400000, 16 };
	int fd;

	ASSERT_LT(0, pid);
	EXPECT_EQ(DENIED_FROM(1), err_of(ptrace(PTRACE_ATTACH, pid, 0, 0)));
	if (!DENIED_FROM(1))
		ptrace(PTRACE_DETACH, pid, 0, 0);
	EXPECT_EQ(DENIED_FROM(1),
		  process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 &&
		  errno == EPERM ? EPERM : 0);
	snprintf(mem, sizeof(mem), "/proc/%d/mem", pid);
	fd = open(mem, O_RDONLY);
	EXPECT_EQ(variant->level >= 1 ? EACCES : 0, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* A program without the option can be traced. */
	pid = start_sleeper(in(self, "prog"));
	EXPECT_EQ(0, err_of(ptrace(PTRACE_ATTACH, pid, 0, 0)));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST_F(enforce, devmem_needs_trusted)
{
	char *const argv[] = { "x", "devmem", NULL };
	int fd = open("/dev/mem", O_RDWR);

	EXPECT_EQ(DENIED_FROM(1), fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(0, exec_status(in(self, "trusted"), argv, env));
}

/*
 * Writes to /proc/PID/mem are forced into read-only code and, on one's own
 * process, checked by no ptrace hook: from level 2 only trusted programs
 * write there.  Each write puts back the byte it read.
 */
static int write_own_code(int fd)
{
	off_t at = (off_t)(unsigned long)&write_own_code;
	unsigned char byte;

	if (pread(fd, &byte, 1, at) != 1)
		return -1;
	return pwrite(fd, &byte, 1, at) == 1 ? 0 : errno;
}

TEST_F(enforce, proc_mem_write_needs_trusted)
{
	char *const argv[] = { "x", "proc_mem", NULL };
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	EXPECT_EQ(DENIED_FROM(2), write_own_code(fd));
	/* dd's way: a descriptor its parent opened on itself. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(write_own_code(fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(DENIED_FROM(2), WEXITSTATUS(status));
	close(fd);
	/* exec_status(): 1000 + the helper's exit status, its errno. */
	EXPECT_EQ(DENIED_FROM(2) ? 1000 + EPERM : 0,
		  exec_status(in(self, "prog"), argv, env));
	EXPECT_EQ(0, exec_status(in(self, "trusted"), argv, env));
}

TEST_F(enforce, lockdown)
{
	int want = DENIED_FROM(3), fd;

	fd = open(in(self, "new"), O_WRONLY | O_CREAT, 0644);
	EXPECT_EQ(want, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(want, err_of(mkdir(in(self, "newdir"), 0755)));
	fd = open(in(self, "lib_unlisted"), O_RDONLY);
	EXPECT_EQ(want, fd < 0 ? errno : 0);
	if (fd >= 0)
		close(fd);
	if (want)
		EXPECT_EQ(EPERM, err_of(umount2(self->mnt, 0)));
}

TEST_F(enforce, verdict_cache)
{
	long long before;

	ASSERT_EQ(0, exec_status(in(self, "prog"), no_args, env));
	before = status_counter("fingerprints");
	ASSERT_EQ(0, exec_status(in(self, "prog"), no_args, env));
	EXPECT_EQ(before, status_counter("fingerprints"));
	/* untrusted: hashed on every use. */
	ASSERT_EQ(0, exec_status(in(self, "untrusted"), no_args, env));
	before = status_counter("fingerprints");
	ASSERT_EQ(0, exec_status(in(self, "untrusted"), no_args, env));
	EXPECT_LT(before, status_counter("fingerprints"));
}

TEST_F(enforce, change_then_exec_rehashes)
{
	long long before;
	int fd;

	if (variant->level != 1)
		SKIP(return, "level 1 only: changes allowed, mismatches denied");
	ASSERT_EQ(0, exec_status(in(self, "prog"), no_args, env));
	fd = open(in(self, "prog"), O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "!", 1));
	close(fd);
	before = status_counter("fingerprints");
	EXPECT_EQ(EPERM, exec_status(in(self, "prog"), no_args, env));
	EXPECT_LT(before, status_counter("fingerprints"));
}

/* The line of the entries file for @name of this test's set. */
static void entry_line(struct __test_metadata *_metadata,
		       FIXTURE_DATA(enforce) *self, const char *name,
		       const char *alg, const char *hex, const char *status,
		       char *line, size_t size)
{
	struct stat st;

	ASSERT_EQ(0, stat(in(self, name), &st));
	snprintf(line, size, "%s %s %s %s direct %u:%u:%lu %s", self->set,
		 in(self, name), alg, hex, major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino, status);
}

#define EXPECT_ENTRY(name, alg, hex, status)				\
	do {								\
		char __l[512];						\
		entry_line(_metadata, self, name, alg, hex, status,	\
			   __l, sizeof(__l));				\
		EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", __l)) {	\
			TH_LOG("no line '%s'", __l);			\
		}							\
	} while (0)

TEST_F(enforce, entries_show_verdict)
{
	EXPECT_ENTRY("prog", "sha256", self->h_prog, "unevaluated");
	EXPECT_ENTRY("tampered", "sha256", self->h_prog, "unevaluated");
	EXPECT_EQ(0, exec_status(in(self, "prog"), no_args, env));
	EXPECT_EQ(DENIED_FROM(1), exec_status(in(self, "tampered"), no_args, env));
	EXPECT_ENTRY("prog", "sha256", self->h_prog, "valid");
	EXPECT_ENTRY("tampered", "sha256", self->h_prog, "mismatch");
}

TEST_F(enforce, sha384_and_sha512)
{
	EXPECT_EQ(0, exec_status(in(self, "s384"), no_args, env));
	EXPECT_EQ(0, exec_status(in(self, "s512"), no_args, env));
	/* At level 0 it runs, and exits 1. */
	EXPECT_EQ(variant->level >= 1 ? EPERM : 1001,
		  exec_status(in(self, "bad512"), no_args, env));
	EXPECT_ENTRY("s384", "sha384", SHA384_EXIT0, "valid");
	EXPECT_ENTRY("s512", "sha512", SHA512_EXIT0, "valid");
	EXPECT_ENTRY("bad512", "sha512", SHA512_EXIT0, "mismatch");
}

/*
 * One first exec of a static program, then one cached exec.  The first
 * looks the file up in the store once when execve() opens it (is it a
 * `file` entry?), once more at level 3 (may it be opened at all?), and
 * once for the verdict, which hashes it whole and caches the result; the
 * kernel's own mapping of it during the exec is not judged again.  The
 * second is answered from the cache: one hit, no lookup, no hashing.
 * Reading the status file may count too: what two reads in a row add is
 * taken off.
 */
TEST_F(enforce, counters_of_first_and_cached_exec)
{
	struct counters c0, c1, c2, c3;
	long long rl, rh;

	read_counters(&c0);
	read_counters(&c1);
	ASSERT_LE(0, c0.lookups);
	rl = c1.lookups - c0.lookups;
	rh = c1.cache_hits - c0.cache_hits;
	ASSERT_EQ(0, exec_status(in(self, "counted"), no_args, env));
	read_counters(&c2);
	ASSERT_EQ(0, exec_status(in(self, "counted"), no_args, env));
	read_counters(&c3);
	/* One lookup for the exec; at level 3 the open asks once more. */
	EXPECT_EQ(variant->level >= 3 ? 2 : 1, c2.lookups - c1.lookups - rl);
	EXPECT_EQ(0, c2.cache_hits - c1.cache_hits - rh);
	EXPECT_EQ(1, c2.fingerprints - c1.fingerprints);
	EXPECT_EQ(self->static_size, c2.bytes_hashed - c1.bytes_hashed);
	EXPECT_EQ(0, c3.lookups - c2.lookups - rl);
	EXPECT_EQ(1, c3.cache_hits - c2.cache_hits - rh);
	EXPECT_EQ(0, c3.fingerprints - c2.fingerprints);
	EXPECT_EQ(0, c3.bytes_hashed - c2.bytes_hashed);
	EXPECT_EQ(0, c3.denials - c1.denials);
}

/* Found through security.veriexec only; the content must still match. */
TEST_F(enforce, pathless_entry_through_xattr)
{
	char label[80], line[256];
	struct counters c0, c1;

	snprintf(label, sizeof(label), "sha256:%s", self->h_label);
	if (variant->level >= 2) {
		/* Labels are frozen from level 2. */
		EXPECT_EQ(EPERM, err_of(setxattr(in(self, "labelled"), "security.veriexec",
						  label, strlen(label), 0)));
		return;
	}
	/* Run unlabelled first: the "no entry" it caches ends with the label. */
	EXPECT_EQ(0, exec_status(in(self, "labelled"), no_args, env));
	ASSERT_EQ(0, setxattr(in(self, "labelled"), "security.veriexec", label,
			      strlen(label), 0));
	ASSERT_EQ(0, setxattr(in(self, "labelled_bad"), "security.veriexec", label,
			      strlen(label), 0));
	read_counters(&c0);
	EXPECT_EQ(0, exec_status(in(self, "labelled"), no_args, env));
	read_counters(&c1);
	/*
	 * It was found: hashed, and valid.  The one "no entry" at level 0 is
	 * the interpreter's (busybox, unlisted), a "would deny".
	 */
	EXPECT_EQ(1, c1.fingerprints - c0.fingerprints);
	EXPECT_EQ(strlen(LABELLED), c1.bytes_hashed - c0.bytes_hashed);
	EXPECT_EQ(variant->level ? 0 : 1, c1.denied_no_entry - c0.denied_no_entry);
	snprintf(line, sizeof(line), "%s - sha256 %s direct - valid", self->set,
		 self->h_label);
	EXPECT_TRUE(file_has_line(VERIEXEC_FS "entries", line)) {
		TH_LOG("no line '%s'", line);
	}
	/* A label on other content: a mismatch, refused from level 1. */
	EXPECT_EQ(DENIED_FROM(1), exec_status(in(self, "labelled_bad"), no_args, env));
	read_counters(&c0);
	EXPECT_EQ(1, c0.denied_mismatch - c1.denied_mismatch);
	/* The same content without the label has no entry: allowed below 2. */
	EXPECT_EQ(0, exec_status(in(self, "unlabelled_bad"), no_args, env));
}

/*
 * The kernel log line of a denial: an exec with no entry (a "would deny"
 * at level 0).  At level 3 execve() is stopped before, when it opens a
 * file with no entry on a filesystem that holds monitored files.
 */
TEST_F(enforce, denial_log_line)
{
	char want[512];
	struct stat st;
	pid_t pid;
	int fd, rc;

	if (variant->ext4 || variant->level == 1)
		SKIP(return, "levels 0, 2 and 3, on tmpfs");
	fd = kmsg_open();
	ASSERT_LE(0, fd);
	/* Log lines are rate-limited (10 per 5 s): start a new interval. */
	usleep(5100000);
	rc = exec_status_pid(in(self, "unlisted"), no_args, env, &pid);
	EXPECT_EQ(DENIED_FROM(2), rc);
	ASSERT_EQ(0, stat(in(self, "unlisted"), &st));
	snprintf(want, sizeof(want),
		 ";veriexec: %s path=\"%s\" dev=%u:%u ino=%lu comm=\"enforce_test\" pid=%d level=%u reason=\"%s\"\n",
		 variant->level == 0 ? "would deny exec" :
		 variant->level == 2 ? "denied exec" : "denied open",
		 in(self, "unlisted"), major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino, pid, variant->level,
		 variant->level == 3 ? "lockdown" : "no entry");
	EXPECT_TRUE(kmsg_find(fd, want)) {
		TH_LOG("no log line '%s'", want);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	char self_exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

	if (n > 0) {
		self_exe[n] = '\0';
		snprintf(srcdir, sizeof(srcdir), "%s", dirname(self_exe));
	}
	return test_harness_run(argc, argv);
}
