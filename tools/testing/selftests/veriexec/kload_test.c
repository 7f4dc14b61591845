// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Kernel code and data from files, and the
 * kernel-integrity lockdown reasons (contract 4.1)
 *
 * Copyright © 2026 The veriexec authors
 *
 * Kernel modules (finit_module, init_module), firmware (through
 * test_firmware's trigger), kexec (kexec_file_load, kexec_load), and
 * port I/O, MSRs, /dev/mem and /dev/port for programs listed trusted or
 * not.
 *
 * The level only rises: the variants run in level order (0 to 3), and the
 * binary runs only in a boot of its own (vxtest.raise on the command
 * line, see raise_allowed()).
 */

#define _GNU_SOURCE
#include <libgen.h>
#include <linux/kexec.h>
#include <linux/limits.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "common.h"

#define BASE_SET "kload_base"
#define MODULE_NAME "vxtest_mod"
#define FW_PATH "/sys/module/firmware_class/parameters/path"
#define FW_TRIGGER "/sys/devices/virtual/misc/test_firmware/trigger_request"
#define MSR_DEV "/dev/cpu/0/msr"
#define X86_IOC_WRMSR_REGS _IOWR('c', 0xA1, __u32[8])

static char srcdir[PATH_MAX];	/* helper, test_modules/vxtest_mod.ko */

FIXTURE(kload) {
	char dir[64], set[32];
	char h_mod[65], h_fw[65], h_kimg[65], h_prog[65];
	bool have_mod;
};

FIXTURE_VARIANT(kload) {
	unsigned int level;
};

FIXTURE_VARIANT_ADD(kload, level0) { .level = 0 };
FIXTURE_VARIANT_ADD(kload, level1) { .level = 1 };
FIXTURE_VARIANT_ADD(kload, level2) { .level = 2 };
FIXTURE_VARIANT_ADD(kload, level3) { .level = 3 };

static const char *in(FIXTURE_DATA(kload) *self, const char *name)
{
	static char paths[32][128];
	static int i;
	char *p = paths[i++ % 32];

	snprintf(p, sizeof(paths[0]), "%s/%s", self->dir, name);
	return p;
}

static int append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = -errno;
	close(fd);
	return rc;
}

/* Three of each: listed, unlisted, and listed but changed. */
static void make_three(struct __test_metadata *_metadata,
		       FIXTURE_DATA(kload) *self, const char *from,
		       const char *name, char hex[65])
{
	char path[32];

	snprintf(path, sizeof(path), "%s_unlisted", name);
	ASSERT_EQ(0, copy_file(from, in(self, name), 0644));
	ASSERT_EQ(0, copy_file(from, in(self, path), 0644));
	snprintf(path, sizeof(path), "%s_changed", name);
	ASSERT_EQ(0, copy_file(from, in(self, path), 0644));
	ASSERT_EQ(0, append(in(self, path), "!"));
	ASSERT_EQ(0, sha256_hex(from, hex));
}

static void make_files(struct __test_metadata *_metadata,
		       FIXTURE_DATA(kload) *self)
{
	char from[PATH_MAX + 32];
	char junk[4096];

	snprintf(from, sizeof(from), "%s/test_modules/%s.ko", srcdir,
		 MODULE_NAME);
	self->have_mod = !access(from, R_OK);
	if (self->have_mod)
		make_three(_metadata, self, from, "mod", self->h_mod);
	ASSERT_EQ(0, put_text(in(self, "src_fw"), "vxtest firmware\n"));
	make_three(_metadata, self, in(self, "src_fw"), "fw", self->h_fw);
	/* Not a kernel: a listed one gets as far as the format probe. */
	memset(junk, 'k', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = '\0';
	ASSERT_EQ(0, put_text(in(self, "src_kimg"), junk));
	make_three(_metadata, self, in(self, "src_kimg"), "kimg", self->h_kimg);
	snprintf(from, sizeof(from), "%s/helper", srcdir);
	ASSERT_EQ(0, copy_file(from, in(self, "trusted"), 0755));
	ASSERT_EQ(0, sha256_hex(from, self->h_prog));
}

static void load_set(struct __test_metadata *_metadata,
		     FIXTURE_DATA(kload) *self)
{
	char text[4096], mod[512] = "";

	/* Any option qualifies: the module as generate lists it, indirect. */
	if (self->have_mod)
		snprintf(mod, sizeof(mod), "%s sha256 %s indirect\n"
			 "%s sha256 %s indirect\n",
			 in(self, "mod"), self->h_mod,
			 in(self, "mod_changed"), self->h_mod);
	/*
	 * Not `file`, which is checked on every open: the kernel's own read
	 * must judge these.
	 */
	snprintf(text, sizeof(text),
		 "@name %s\n%s%s sha256 %s indirect\n%s sha256 %s indirect\n"
		 "%s sha256 %s direct\n%s sha256 %s direct\n"
		 "%s sha256 %s direct,trusted\n",
		 self->set, mod,
		 in(self, "fw"), self->h_fw, in(self, "fw_changed"), self->h_fw,
		 in(self, "kimg"), self->h_kimg,
		 in(self, "kimg_changed"), self->h_kimg,
		 in(self, "trusted"), self->h_prog);
	ASSERT_EQ(0, load_text(text)) {
		TH_LOG("cannot load the test set");
	}
}

FIXTURE_SETUP(kload)
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
	snprintf(self->dir, sizeof(self->dir), "/tmp/vx-k%d", getpid());
	snprintf(self->set, sizeof(self->set), "k%d", getpid());
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, "size=8m"));
	make_files(_metadata, self);
	load_set(_metadata, self);
	ASSERT_EQ(0, set_level(variant->level));
}

FIXTURE_TEARDOWN(kload)
{
	char text[64];

	syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	snprintf(text, sizeof(text), "@name %s\n", self->set);
	load_text(text);
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
}

static char *const env[] = { "PATH=/bin:/usr/bin", NULL };

/* The errno a denied operation gets at @from and above, else @ok. */
#define DENIED_FROM_ELSE(from, ok) (variant->level >= (from) ? EPERM : (ok))
#define DENIED_FROM(from) DENIED_FROM_ELSE(from, 0)

static int err_of(long rc)
{
	return rc < 0 ? errno : 0;
}

/* finit_module() of @path; unloads what it loaded. */
static int finit(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno;
	rc = err_of(syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	if (!rc)
		syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	return rc;
}

TEST_F(kload, finit_module)
{
	struct counts c;
	int fd = -1;

	if (!self->have_mod)
		SKIP(return, "no test module (test_modules/%s.ko)", MODULE_NAME);
	/* Listed and unsigned: no lockdown "module signature" refusal. */
	EXPECT_EQ(0, finit(in(self, "mod")));
	if (variant->level == 2)
		fd = log_mark();
	take_counts(&c, "denied_no_entry");
	EXPECT_EQ(DENIED_FROM(2), finit(in(self, "mod_unlisted")));
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	if (variant->level == 2)
		EXPECT_EQ(c.reason + 1, status_counter("denied_no_entry"));
	if (fd >= 0)
		EXPECT_TRUE(log_has(fd, "reason=\"no entry\""));
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(DENIED_FROM(1), finit(in(self, "mod_changed")));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
}

TEST_F(kload, init_module_from_memory)
{
	static char image[4 << 20];
	struct counts c;
	ssize_t len;
	int fd, rc;

	if (!self->have_mod)
		SKIP(return, "no test module (test_modules/%s.ko)", MODULE_NAME);
	fd = open(in(self, "mod"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, image, sizeof(image));
	close(fd);
	ASSERT_LT(0, len);
	take_counts(&c, "denied_no_entry");
	rc = err_of(syscall(SYS_init_module, image, (unsigned long)len, ""));
	if (!rc)
		syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK);
	EXPECT_EQ(DENIED_FROM(2), rc);
	if (variant->level >= 2)
		EXPECT_EQ(c.reason + 1, status_counter("denied_no_entry"));
}

static int trigger_firmware(const char *name)
{
	return -write_file(FW_TRIGGER, name, strlen(name));
}

TEST_F(kload, firmware)
{
	struct counts c;

	if (access(FW_TRIGGER, W_OK))
		SKIP(return, "no test_firmware trigger (CONFIG_TEST_FIRMWARE)");
	ASSERT_EQ(0, write_file(FW_PATH, self->dir, strlen(self->dir)));
	EXPECT_EQ(0, trigger_firmware("fw"));
	/*
	 * A refused file is skipped like a missing one: the loader goes on
	 * to the default paths and reports ENOENT.  The counters tell.
	 */
	take_counts(&c, "denied_no_entry");
	EXPECT_EQ(variant->level >= 2 ? ENOENT : 0,
		  trigger_firmware("fw_unlisted"));
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(variant->level >= 1 ? ENOENT : 0,
		  trigger_firmware("fw_changed"));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
	write_file(FW_PATH, "\n", 1);
}

static int kexec_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno;
	rc = err_of(syscall(SYS_kexec_file_load, fd, -1, 0UL, NULL,
			    (unsigned long)KEXEC_FILE_NO_INITRAMFS));
	close(fd);
	return rc;
}

/* kexec_file_load(2) of @path by the trusted program, as exec_status(). */
static int kexec_file_trusted(FIXTURE_DATA(kload) *self, const char *path)
{
	char *const argv[] = { "x", "kexec_file", (char *)path, NULL };
	int rc = exec_status(in(self, "trusted"), argv, env);

	return rc >= 1000 ? rc - 1000 : rc;
}

/*
 * The image must be listed; and since the command line it is given is
 * vouched for by nothing ("veriexec.level=0"), from level 2 only trusted
 * programs may load one at all.
 */
TEST_F(kload, kexec_file_load)
{
	struct counts c;

	take_counts(&c, "denied_devmem");
	EXPECT_EQ(DENIED_FROM_ELSE(2, ENOEXEC), kexec_file(in(self, "kimg")));
	if (variant->level >= 2)
		EXPECT_EQ(c.reason + 1, status_counter("denied_devmem"));
	EXPECT_EQ(ENOEXEC, kexec_file_trusted(self, in(self, "kimg")));
	take_counts(&c, NULL);
	EXPECT_EQ(DENIED_FROM_ELSE(2, ENOEXEC),
		  kexec_file_trusted(self, in(self, "kimg_unlisted")));
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(DENIED_FROM_ELSE(1, ENOEXEC),
		  kexec_file_trusted(self, in(self, "kimg_changed")));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
}

TEST_F(kload, kexec_load_has_no_file)
{
	char *const argv[] = { "x", "kexec_load", NULL };
	struct counts c;

	take_counts(&c, "denied_no_entry");
	/* No segments: unloads what is loaded, when allowed. */
	EXPECT_EQ(DENIED_FROM(2),
		  err_of(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0UL)));
	if (variant->level >= 2) {
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
		EXPECT_EQ(c.reason + 1, status_counter("denied_no_entry"));
	}
	/* trusted does not help: there is no file to vouch for. */
	EXPECT_EQ(variant->level >= 2 ? 1000 + EPERM : 0,
		  exec_status(in(self, "trusted"), argv, env));
}

static int open_err(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int msr_write(void)
{
	int fd = open(MSR_DEV, O_WRONLY | O_CLOEXEC), rc;
	unsigned int half = 0;

	if (fd < 0)
		return 1000 + errno;
	/* Four bytes: EINVAL once past the lockdown check, nothing written. */
	rc = pwrite(fd, &half, sizeof(half), 0x1b0) < 0 ? errno : 0;
	close(fd);
	return rc;
}

static int msr_ioctl(void)
{
	__u32 regs[8] = { 0, 0x1b0 };
	int fd = open(MSR_DEV, O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return 1000 + errno;
	rc = err_of(ioctl(fd, X86_IOC_WRMSR_REGS, regs));
	close(fd);
	return rc;
}

TEST_F(kload, lockdown_reasons_untrusted)
{
	int want = DENIED_FROM(2), fd = -1;
	struct counts c;

	if (variant->level == 2)
		fd = log_mark();
	take_counts(&c, "denied_devmem");
	EXPECT_EQ(want, err_of(ioperm(0x80, 1, 1)));
	if (fd >= 0)
		EXPECT_TRUE(log_has(fd, "reason=\"not trusted\""));
	if (want)
		EXPECT_EQ(c.reason + 1, status_counter("denied_devmem"));
	ioperm(0x80, 1, 0);
	EXPECT_EQ(want, err_of(iopl(3)));
	iopl(0);
	EXPECT_EQ(want ? want : EINVAL, msr_write());
	/* Allowed, this one would write: only where it must be refused. */
	if (want)
		EXPECT_EQ(EPERM, msr_ioctl());
	EXPECT_EQ(want, open_err("/dev/mem", O_RDONLY));
	EXPECT_EQ(want, open_err("/dev/port", O_RDONLY));
	if (want)
		EXPECT_EQ(c.reason + 6, status_counter("denied_devmem"));
}

TEST_F(kload, lockdown_reasons_trusted)
{
	static const char *const ops[] = {
		"ioperm", "iopl", "msr", "devmem_ro", "port_ro", "devmem",
	};
	char *argv[] = { "x", NULL, NULL };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		argv[1] = (char *)ops[i];
		EXPECT_EQ(strcmp(ops[i], "msr") ? 0 : 1000 + EINVAL,
			  exec_status(in(self, "trusted"), argv, env)) {
			TH_LOG("trusted program: %s", ops[i]);
		}
	}
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
