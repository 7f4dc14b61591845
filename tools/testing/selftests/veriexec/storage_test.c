// SPDX-License-Identifier: GPL-2.0
/*
 * Veriexec selftests - Writes no write(2) shows, storage below a
 * filesystem, paths and mounts (contract 4.1)
 *
 * Copyright © 2026 The veriexec authors
 *
 * Shared writable mappings, block and loop devices and their backing
 * files, directories on the path of an entry, mounts over them, identity
 * ioctls and unmounts that would detach a monitored filesystem.
 *
 * The level only rises: the variants run in level order (0 to 3), each
 * on tmpfs and on ext4, and the binary runs only in a boot of its own
 * (vxtest.raise on the command line, see raise_allowed()).  At level 3
 * no block device can be opened for writing, so the ext4 filesystems
 * are attached to loop devices at level 0, before the first test (each
 * image twice: writing the second device writes the first's files).
 */

#define _GNU_SOURCE
#include <libgen.h>
#include <linux/blkpg.h>
#include <linux/ext4.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/loop.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/sysmacros.h>

#include "common.h"

#define BASE_SET "storage_base"
#define POOL "/tmp/vx-pool"
#define CLAIMS "/tmp/vx-claims"
#define POOL_SIZE 96

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef MOVE_MOUNT_SET_GROUP
#define MOVE_MOUNT_SET_GROUP 0x00000100
#endif
#ifndef MOVE_MOUNT_BENEATH
#define MOVE_MOUNT_BENEATH 0x00000200
#endif
#ifndef FSCONFIG_CMD_CREATE
#define FSCONFIG_CMD_CREATE 6
#endif

static char srcdir[PATH_MAX];	/* where helper and libvxtest.so are */
/* Loop devices attached at level 0: ext4 images, and one bare device. */
static char pool_dev[POOL_SIZE][32], pool_img[POOL_SIZE][64];
/* A second, writable loop device over each image, kept attached. */
static char pool_dev2[POOL_SIZE][32];
/* Each device opened for writing at level 0, before any load or raise. */
static int pool_fd[POOL_SIZE];
static int pool_n;
static char bare_dev[32];
/* A loop device in use as swap, and a descriptor opened before the raise. */
static char swap_dev[32];
static int swap_fd = -1;
/* /dev/port, opened for writing at level 0. */
static int port_fd = -1;
/* The tmpfs file behind a loop device attached at level 0. */
static char tmpfs_img[64], tmpfs_dev[32];

FIXTURE(storage) {
	char dir[64], other[64], pivot[64], set[32];
	char dev[32], img[64], dev2[32];
	int dev_fd;
	char h_prog[65], h_lib[65];
	int pre_fd, under_fd;
	char *premap;
	size_t premap_len;
	int img_fd;
	char *devmap;
};

FIXTURE_VARIANT(storage) {
	unsigned int level;
	bool ext4;
};

#define LEVEL_VARIANTS(n)						\
FIXTURE_VARIANT_ADD(storage, level##n##_tmpfs) { .level = n };		\
FIXTURE_VARIANT_ADD(storage, level##n##_ext4) { .level = n, .ext4 = true }

LEVEL_VARIANTS(0);
LEVEL_VARIANTS(1);
LEVEL_VARIANTS(2);
LEVEL_VARIANTS(3);

static const char *in(FIXTURE_DATA(storage) *self, const char *name)
{
	static char paths[32][128];
	static int i;
	char *p = paths[i++ % 32];

	snprintf(p, sizeof(paths[0]), "%s/%s", self->dir, name);
	return p;
}

/* Attach @img to a free loop device, read-write; its path in @dev. */
static int attach_loop(const char *img, char *dev, size_t size)
{
	struct loop_config cfg = { 0 };
	int ctl, n, lfd, rc = -1;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -1;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return -1;
	snprintf(dev, size, "/dev/loop%d", n);
	lfd = open(dev, O_RDWR | O_CLOEXEC);
	cfg.fd = open(img, O_RDWR | O_CLOEXEC);
	if (lfd >= 0 && cfg.fd >= 0)
		rc = ioctl(lfd, LOOP_CONFIGURE, &cfg);
	if (lfd >= 0)
		close(lfd);
	if (cfg.fd >= 0)
		close(cfg.fd);
	return rc;
}

/* Give @img to a free loop device, read-only, and detach it again. */
static int second_loop(const char *img)
{
	struct loop_config cfg = { .info.lo_flags = LO_FLAGS_READ_ONLY };
	char dev[32];
	int ctl, n, lfd, rc;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return 1000 + errno;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return 1000 + errno;
	snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	lfd = open(dev, O_RDONLY | O_CLOEXEC);
	if (lfd < 0)
		return 1000 + errno;
	cfg.fd = open(img, O_RDONLY | O_CLOEXEC);
	if (cfg.fd < 0) {
		close(lfd);
		return 1000 + errno;
	}
	rc = ioctl(lfd, LOOP_CONFIGURE, &cfg) ? errno : 0;
	if (!rc && ioctl(lfd, LOOP_CLR_FD))
		rc = 2000 + errno;
	close(cfg.fd);
	close(lfd);
	return rc;
}

/* Copy an image leaving its zero blocks as holes: the pool is large. */
static int copy_sparse(const char *from, const char *to)
{
	static const char zero[4096];
	char buf[4096];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	off_t size = 0;
	ssize_t n;
	int rc = 0;

	if (in < 0 || out < 0)
		rc = -1;
	while (!rc && (n = read(in, buf, sizeof(buf))) > 0) {
		if (memcmp(buf, zero, n) &&
		    pwrite(out, buf, n, size) != n)
			rc = -1;
		size += n;
	}
	if (!rc && ftruncate(out, size))
		rc = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/*
 * A 1 MiB swap area on a loop device, swapped on: its header is what
 * mkswap(8) writes (version 1, the last page, the magic at the page end).
 */
static int make_swap(void)
{
	unsigned int header[3] = { 1, 255, 0 };
	char img[64], page[4096] = { 0 };
	int fd, rc;

	snprintf(img, sizeof(img), "%s/swap.img", POOL);
	fd = open(img, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	memcpy(page + 1024, header, sizeof(header));
	memcpy(page + sizeof(page) - 10, "SWAPSPACE2", 10);
	rc = pwrite(fd, page, sizeof(page), 0) != sizeof(page) ||
	     ftruncate(fd, 1 << 20);
	close(fd);
	if (rc || attach_loop(img, swap_dev, sizeof(swap_dev)))
		return -1;
	if (swapon(swap_dev, 0)) {
		swap_dev[0] = 0;
		return errno == ENOSYS ? 0 : -1;
	}
	swap_fd = open(swap_dev, O_RDWR | O_CLOEXEC);
	return swap_fd < 0 ? -1 : 0;
}

static int make_pool(void)
{
	char img[64];
	int i;

	if (mkdir(POOL, 0755) || mount("tmpfs", POOL, "tmpfs", 0, "size=256m") ||
	    mkdir(CLAIMS, 0755))
		return -1;
	snprintf(img, sizeof(img), "%s/bare.img", POOL);
	if (copy_sparse("/opt/vx-ext4.img", img) ||
	    attach_loop(img, bare_dev, sizeof(bare_dev)))
		return -1;
	snprintf(tmpfs_img, sizeof(tmpfs_img), "%s/tmpfs.img", POOL);
	if (copy_sparse("/opt/vx-ext4.img", tmpfs_img) ||
	    attach_loop(tmpfs_img, tmpfs_dev, sizeof(tmpfs_dev)))
		return -1;
	for (i = 0; i < POOL_SIZE; i++) {
		snprintf(pool_img[i], sizeof(pool_img[i]), "%s/%d.img", POOL, i);
		if (copy_sparse("/opt/vx-ext4.img", pool_img[i]) ||
		    attach_loop(pool_img[i], pool_dev[i], sizeof(pool_dev[i])) ||
		    attach_loop(pool_img[i], pool_dev2[i], sizeof(pool_dev2[i])))
			return -1;
		pool_fd[i] = open(pool_dev[i], O_RDWR | O_CLOEXEC);
		if (pool_fd[i] < 0)
			return -1;
		pool_n = i + 1;
	}
	return 0;
}

/* One pool device per fixture: tests run in children, so claim by mkdir. */
static void claim_ext4(struct __test_metadata *_metadata,
		       FIXTURE_DATA(storage) *self)
{
	char claim[64];
	int i;

	for (i = 0; i < pool_n; i++) {
		snprintf(claim, sizeof(claim), "%s/%d", CLAIMS, i);
		if (!mkdir(claim, 0700))
			break;
	}
	ASSERT_GT(pool_n, i) {
		TH_LOG("no loop device left in the pool");
	}
	snprintf(self->dev, sizeof(self->dev), "%s", pool_dev[i]);
	snprintf(self->img, sizeof(self->img), "%s", pool_img[i]);
	snprintf(self->dev2, sizeof(self->dev2), "%s", pool_dev2[i]);
	self->dev_fd = pool_fd[i];
	ASSERT_EQ(0, mount(self->dev, self->dir, "ext4", 0, NULL)) {
		TH_LOG("mount %s: %s", self->dev, strerror(errno));
	}
}

static void make_files(struct __test_metadata *_metadata,
		       FIXTURE_DATA(storage) *self)
{
	static const char *const helpers[] = { "prog", "d1/d2/deep" };
	static const char *const libs[] = { "target", "premapped", "shared" };
	char helper[PATH_MAX + 16], lib[PATH_MAX + 16];
	size_t i;

	snprintf(helper, sizeof(helper), "%s/helper", srcdir);
	snprintf(lib, sizeof(lib), "%s/libvxtest.so", srcdir);
	ASSERT_EQ(0, mkdir(in(self, "d1"), 0755));
	ASSERT_EQ(0, mkdir(in(self, "d1/d2"), 0755));
	ASSERT_EQ(0, mkdir(in(self, "empty"), 0755));
	ASSERT_EQ(0, mkdir(in(self, "free"), 0755));
	for (i = 0; i < ARRAY_SIZE(helpers); i++)
		ASSERT_EQ(0, copy_file(helper, in(self, helpers[i]), 0755));
	for (i = 0; i < ARRAY_SIZE(libs); i++)
		ASSERT_EQ(0, copy_file(lib, in(self, libs[i]), 0755));
	ASSERT_EQ(0, sha256_hex(helper, self->h_prog));
	ASSERT_EQ(0, sha256_hex(lib, self->h_lib));
	/* Outside the monitored filesystem: what gets mounted over it. */
	ASSERT_EQ(0, put_text(self->other, "other\n"));
}

static void load_set(struct __test_metadata *_metadata,
		     FIXTURE_DATA(storage) *self)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "@name %s\n%s sha256 %s direct\n%s sha256 %s direct\n"
		 "%s sha256 %s indirect\n%s sha256 %s indirect\n"
		 "%s sha256 %s indirect\n",
		 self->set, in(self, "prog"), self->h_prog,
		 in(self, "d1/d2/deep"), self->h_prog,
		 in(self, "target"), self->h_lib,
		 in(self, "premapped"), self->h_lib,
		 in(self, "shared"), self->h_lib);
	ASSERT_EQ(0, load_text(text)) {
		TH_LOG("cannot load the test set");
	}
}

/* A shared writable mapping of the whole file, fd closed: a writer. */
static char *map_shared(const char *path, size_t *len)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct stat st;
	char *p;

	if (fd < 0 || fstat(fd, &st))
		return MAP_FAILED;
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	*len = st.st_size;
	return p;
}

FIXTURE_SETUP(storage)
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
	if (variant->ext4 && access("/opt/vx-ext4.img", R_OK))
		SKIP(return, "no /opt/vx-ext4.img");
	ASSERT_EQ(0, load_image_set(BASE_SET));
	snprintf(self->dir, sizeof(self->dir), "/tmp/vx-s%d", getpid());
	snprintf(self->other, sizeof(self->other), "/tmp/vx-s%d-other", getpid());
	snprintf(self->set, sizeof(self->set), "s%d", getpid());
	snprintf(self->pivot, sizeof(self->pivot), "/tmp/vx-s%d-pivot", getpid());
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	/* Made now: at level 3 the root filesystem takes no new files. */
	ASSERT_EQ(0, mkdir(self->pivot, 0755));
	/* The directory below the scratch mount, as a descriptor keeps it. */
	self->under_fd = open(self->dir, O_PATH | O_CLOEXEC);
	ASSERT_LE(0, self->under_fd);
	if (variant->ext4)
		claim_ext4(_metadata, self);
	else
		ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, "size=16m"));
	make_files(_metadata, self);
	/* Made before the load and the raise, as an attacker would. */
	self->pre_fd = open(in(self, "target"), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->pre_fd);
	self->premap = map_shared(in(self, "premapped"), &self->premap_len);
	ASSERT_NE(MAP_FAILED, self->premap);
	/* One more loop device over the image before the load, gone again. */
	if (variant->ext4)
		ASSERT_EQ(0, second_loop(self->img));
	/* The image behind the device, and (for one test) the device mapped. */
	self->img_fd = -1;
	if (variant->ext4) {
		self->img_fd = open(self->img, O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, self->img_fd);
	}
	self->devmap = NULL;
	/* Refused from level 2, which the level 3 variant finds reached. */
	if (variant->ext4 && current_level() < 2 &&
	    !strcmp(_metadata->name, "device_mapped_before_raise")) {
		self->devmap = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED, self->dev_fd, 0);
		ASSERT_NE(MAP_FAILED, self->devmap);
	}
	load_set(_metadata, self);
	ASSERT_EQ(0, set_level(variant->level));
}

FIXTURE_TEARDOWN(storage)
{
	char text[64];

	if (self->pre_fd > 0)
		close(self->pre_fd);
	if (self->under_fd > 0)
		close(self->under_fd);
	if (self->premap && self->premap != MAP_FAILED)
		munmap(self->premap, self->premap_len);
	if (self->devmap && self->devmap != MAP_FAILED)
		munmap(self->devmap, 4096);
	if (self->img_fd > 0)
		close(self->img_fd);
	snprintf(text, sizeof(text), "@name %s\n", self->set);
	load_text(text);
	/* Refused at level 3, where the scratch filesystem stays. */
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
	rmdir(self->pivot);
	unlink(self->other);
}

static char *const no_args[] = { "x", NULL };
static char *const env[] = { "PATH=/bin:/usr/bin", NULL };

/* The errno a denied operation gets at @from and above, else 0. */
#define DENIED_FROM(from) (variant->level >= (from) ? EPERM : 0)

static int err_of(long rc)
{
	return rc < 0 ? errno : 0;
}

static int open_err(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
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

/* Writes no write(2) shows (4.1). */

TEST_F(storage, shared_writable_mapping)
{
	struct counts c;
	void *p;

	take_counts(&c, NULL);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->pre_fd, 0);
	EXPECT_EQ(DENIED_FROM(2), p == MAP_FAILED ? errno : 0);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	/* Read-only first, then made writable. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->pre_fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(DENIED_FROM(2), err_of(mprotect(p, 4096, PROT_READ | PROT_WRITE)));
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 2, status_counter("denials"));
	munmap(p, 4096);
	/* A private writable mapping writes nothing back: allowed. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->pre_fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* Every write path through a descriptor opened before the load. */
TEST_F(storage, writes_through_fd_opened_before_load)
{
	int want = DENIED_FROM(2), src;
	char head[64];
	struct iovec iov = { head, sizeof(head) };
	loff_t off_in = 0, off_out = 0;
	struct stat st;

	/* Where allowed they write what is there, or the head of prog. */
	ASSERT_EQ((ssize_t)sizeof(head), pread(self->pre_fd, head, sizeof(head), 0));
	ASSERT_EQ(0, fstat(self->pre_fd, &st));
	EXPECT_EQ(want, err_of(pwrite(self->pre_fd, head, sizeof(head), 0)));
	EXPECT_EQ(want, err_of(pwritev(self->pre_fd, &iov, 1, 0)));
	EXPECT_EQ(want, err_of(ftruncate(self->pre_fd, st.st_size)));
	EXPECT_EQ(want, err_of(fallocate(self->pre_fd, FALLOC_FL_KEEP_SIZE,
					 st.st_size, 4096)));
	src = open(in(self, "prog"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, src);
	EXPECT_EQ(want, err_of(copy_file_range(src, &off_in, self->pre_fd,
					       &off_out, sizeof(head), 0)));
	lseek(self->pre_fd, 0, SEEK_SET);
	EXPECT_EQ(want, err_of(sendfile(self->pre_fd, src, NULL, sizeof(head))));
	close(src);
}

TEST_F(storage, written_through_shared_mapping_then_used)
{
	struct counts c;
	size_t len;
	char *p;

	if (variant->level >= 2)
		SKIP(return, "write opens of monitored files fail from level 2");
	ASSERT_EQ(0, map_exec(in(self, "shared")));
	p = map_shared(in(self, "shared"), &len);
	ASSERT_NE(MAP_FAILED, p);
	/* While the mapping lives no verdict may be cached. */
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "shared")));
	p[len - 1] ^= 1;
	munmap(p, len);
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "shared")));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
	EXPECT_EQ(c.fingerprints + 1, status_counter("fingerprints"));
}

TEST_F(storage, mapping_made_before_raise)
{
	struct counts c;

	take_counts(&c, "denied_open_for_write");
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "premapped")));
	EXPECT_EQ(c.reason + 1, status_counter("denied_open_for_write"));
	/* Written through it, which no hook sees, then gone: hashed again. */
	self->premap[self->premap_len - 1] ^= 1;
	munmap(self->premap, self->premap_len);
	self->premap = NULL;
	take_counts(&c, "denied_mismatch");
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "premapped")));
	EXPECT_EQ(c.reason + 1, status_counter("denied_mismatch"));
}

/* Storage below a filesystem (4.1). */

/* A second device node for @dev, made where nothing is monitored. */
static int alias_of(const char *dev, char *node, size_t size)
{
	struct stat st;

	snprintf(node, size, "/tmp/vx-node%d", getpid());
	unlink(node);
	if (stat(dev, &st))
		return -1;
	return mknod(node, S_IFBLK | 0600, st.st_rdev);
}

/* Open a character device node made for @dev, or its errno. */
static int raw_char_open(dev_t dev, int flags)
{
	char node[64];
	int rc;

	snprintf(node, sizeof(node), "/tmp/vx-chr%d", getpid());
	unlink(node);
	if (mknod(node, S_IFCHR | 0600, dev))
		return 1000 + errno;
	rc = open_err(node, flags);
	unlink(node);
	return rc;
}

TEST_F(storage, block_device_writes)
{
	char node[64];
	struct counts c;

	if (variant->ext4)
		SKIP(return, "the bare device does not depend on the filesystem");
	ASSERT_NE(0, bare_dev[0]);
	take_counts(&c, NULL);
	EXPECT_EQ(DENIED_FROM(3), open_err(bare_dev, O_WRONLY));
	if (variant->level >= 3)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	EXPECT_EQ(DENIED_FROM(3), open_err(bare_dev, O_RDWR));
	EXPECT_EQ(0, open_err(bare_dev, O_RDONLY));
	ASSERT_EQ(0, alias_of(bare_dev, node, sizeof(node)));
	EXPECT_EQ(DENIED_FROM(3), open_err(node, O_WRONLY));
	unlink(node);
	/*
	 * SCSI generic and MTD character devices write disks too.  The
	 * test kernel has neither driver: allowed, the open finds none.
	 */
	EXPECT_EQ(variant->level >= 3 ? EPERM : ENXIO,
		  raw_char_open(makedev(21, 0), O_WRONLY));
	EXPECT_EQ(variant->level >= 3 ? EPERM : ENXIO,
		  raw_char_open(makedev(90, 0), O_RDWR));
	EXPECT_EQ(ENXIO, raw_char_open(makedev(21, 0), O_RDONLY));
}

TEST_F(storage, loop_device_and_backing_file)
{
	char node[64];
	struct counts c;
	struct stat st;

	if (!variant->ext4)
		SKIP(return, "ext4 on a loop device only");
	ASSERT_EQ(0, stat(self->img, &st));
	take_counts(&c, "denied_immutable");
	/* The device that holds monitored files. */
	EXPECT_EQ(DENIED_FROM(2), open_err(self->dev, O_WRONLY));
	if (variant->level >= 2)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	EXPECT_EQ(0, open_err(self->dev, O_RDONLY));
	ASSERT_EQ(0, alias_of(self->dev, node, sizeof(node)));
	EXPECT_EQ(DENIED_FROM(2), open_err(node, O_RDWR));
	unlink(node);
	/* Another loop device over the same image, attached before. */
	EXPECT_EQ(DENIED_FROM(2), open_err(self->dev2, O_WRONLY));
	/* The file behind it is monitored (immutable). */
	take_counts(&c, "denied_immutable");
	EXPECT_EQ(DENIED_FROM(2), open_err(self->img, O_WRONLY));
	EXPECT_EQ(DENIED_FROM(2), err_of(truncate(self->img, st.st_size)));
	EXPECT_EQ(DENIED_FROM(2), err_of(chmod(self->img, 0644)));
	if (variant->level >= 2)
		EXPECT_EQ(c.reason + 3, status_counter("denied_immutable"));
}

/*
 * Stores through a shared mapping write the device, or the image behind
 * it, with no write(2): descriptors opened before the raise must not map
 * them writable, nor make a mapping writable later.
 */
static int map_err(int fd, int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, 4096);
	return 0;
}

static int mprotect_err(int fd)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	int rc;

	if (p == MAP_FAILED)
		return 1000 + errno;
	rc = mprotect(p, 4096, PROT_READ | PROT_WRITE) ? errno : 0;
	munmap(p, 4096);
	return rc;
}

TEST_F(storage, device_and_image_mapped_writable)
{
	if (!variant->ext4)
		SKIP(return, "ext4 on a loop device only");
	EXPECT_EQ(DENIED_FROM(2), map_err(self->dev_fd, PROT_READ | PROT_WRITE));
	EXPECT_EQ(DENIED_FROM(2), mprotect_err(self->dev_fd));
	EXPECT_EQ(DENIED_FROM(2), map_err(self->img_fd, PROT_READ | PROT_WRITE));
	EXPECT_EQ(DENIED_FROM(2), mprotect_err(self->img_fd));
	EXPECT_EQ(0, map_err(self->dev_fd, PROT_READ));
}

/* Mapped shared and writable before the load: a writer of every file. */
TEST_F(storage, device_mapped_before_raise)
{
	struct counts c;

	if (!variant->ext4)
		SKIP(return, "ext4 on a loop device only");
	if (!self->devmap)
		SKIP(return, "level 2 was reached before the setup");
	take_counts(&c, "denied_open_for_write");
	EXPECT_EQ(DENIED_FROM(1), map_exec(in(self, "shared")));
	if (variant->level >= 1)
		EXPECT_EQ(c.reason + 1, status_counter("denied_open_for_write"));
	munmap(self->devmap, 4096);
	self->devmap = NULL;
	EXPECT_EQ(0, map_exec(in(self, "shared")));
}

/*
 * Swap holds memory of processes and tmpfs pages.  The kernel refuses
 * writes and writable mappings of an active swap device (-ETXTBSY), but
 * not zeroing or discarding it, nor writing the whole disk of a swap
 * partition: from level 2 its disk is guarded like a monitored one.
 */
TEST_F(storage, swap_device_writes)
{
	uint64_t range[2] = { 255 * 4096, 4096 };
	int own = variant->level >= 2 ? EPERM : ETXTBSY;
	char page[4096];
	int fd;

	if (variant->ext4)
		SKIP(return, "swap does not depend on the filesystem");
	if (!swap_dev[0])
		SKIP(return, "no swap in this kernel");
	ASSERT_EQ(4096, pread(swap_fd, page, sizeof(page), range[0]));
	EXPECT_EQ(own, err_of(pwrite(swap_fd, page, sizeof(page), range[0])));
	/* The last page of the area: swap fills it last. */
	EXPECT_EQ(DENIED_FROM(2), err_of(ioctl(swap_fd, BLKZEROOUT, range)));
	EXPECT_EQ(DENIED_FROM(2), err_of(ioctl(swap_fd, BLKDISCARD, range)) == EPERM ?
		  EPERM : 0);
	fd = open(swap_dev, O_RDWR | O_CLOEXEC);
	if (variant->level >= 3) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EPERM, errno);
	}
	if (fd >= 0) {
		EXPECT_EQ(own, map_err(fd, PROT_READ | PROT_WRITE));
		close(fd);
	}
}

static long unevictable_kb(void)
{
	char buf[4096], *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "Unevictable:");
	return p ? atol(p + strlen("Unevictable:")) : -1;
}

/*
 * A loop device's filesystem reads its blocks from the backing file's
 * pages: on tmpfs they never go to swap, where they could be rewritten.
 * Pages written to it after the attach are counted unevictable.
 */
TEST_F(storage, tmpfs_loop_backing_stays_in_memory)
{
	static char mb[1 << 20];
	long before, after;
	int fd;

	if (variant->ext4)
		SKIP(return, "the backing file is on tmpfs in every variant");
	ASSERT_NE(0, tmpfs_img[0]);
	fd = open(tmpfs_img, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, sizeof(mb)));
	before = unevictable_kb();
	memset(mb, 0x5a, sizeof(mb));
	ASSERT_EQ((ssize_t)sizeof(mb), pwrite(fd, mb, sizeof(mb), 0));
	after = unevictable_kb();
	close(fd);
	EXPECT_LE(before + 512, after) {
		TH_LOG("Unevictable: %ld kB, then %ld kB", before, after);
	}
}

/* Only trusted programs write /dev/port, whenever they opened it. */
TEST_F(storage, port_written_through_fd_opened_before_raise)
{
	unsigned char post = 0;

	if (variant->ext4)
		SKIP(return, "ports do not depend on the filesystem");
	ASSERT_LE(0, port_fd);
	/* Port 0x80, the POST code port: written by every BIOS. */
	EXPECT_EQ(DENIED_FROM(1), err_of(pwrite(port_fd, &post, 1, 0x80)));
}

/* What a loop device serves, and a second one over the same image. */
TEST_F(storage, loop_ioctls)
{
	struct blkpg_partition part = { .pno = 1 };
	struct blkpg_ioctl_arg pg = {
		.op = BLKPG_DEL_PARTITION,
		.datalen = sizeof(part),
		.data = &part,
	};
	unsigned long long zero_range[2] = { 0, 0 };
	struct loop_info64 info;
	int want = DENIED_FROM(2), fd, rc;
	struct counts c;

	if (!variant->ext4)
		SKIP(return, "ext4 on a loop device only");
	fd = open(self->dev, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, LOOP_GET_STATUS64, &info));
	take_counts(&c, "denied_immutable");
	/* The same status again: where allowed, nothing changes. */
	EXPECT_EQ(want, err_of(ioctl(fd, LOOP_SET_STATUS64, &info)));
	EXPECT_EQ(want, err_of(ioctl(fd, LOOP_SET_CAPACITY, 0)));
	/* A loop device has no partition 1: refused before it is found. */
	rc = err_of(ioctl(fd, BLKPG, &pg));
	EXPECT_EQ(!!want, rc == EPERM);
	if (want)
		EXPECT_EQ(c.reason + 3, status_counter("denied_immutable"));
	close(fd);
	/* A second superblock over the same bytes would hold no entries. */
	EXPECT_EQ(want, second_loop(self->img));
	/*
	 * Writes with no write(2), through a descriptor opened before the
	 * load.  An empty range: where allowed, the kernel refuses it.
	 */
	EXPECT_EQ(!!want, err_of(ioctl(self->dev_fd, BLKZEROOUT,
				       zero_range)) == EPERM);
	EXPECT_EQ(!!want, err_of(ioctl(self->dev_fd, BLKDISCARD,
				       zero_range)) == EPERM);
}

/* Paths and mounts (4.1). */

static long vx_open_tree(const char *path)
{
	return syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE);
}

static long vx_move_mount(int fd, const char *to)
{
	return syscall(SYS_move_mount, fd, "", AT_FDCWD, to,
		       MOVE_MOUNT_F_EMPTY_PATH);
}

/* A detached tmpfs from the new mount API, or -errno. */
static int new_tmpfs(void)
{
	int fs = syscall(SYS_fsopen, "tmpfs", 0), mnt;

	if (fs < 0)
		return -errno;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0)) {
		close(fs);
		return -errno;
	}
	mnt = syscall(SYS_fsmount, fs, 0, 0);
	close(fs);
	return mnt < 0 ? -errno : mnt;
}

/* @rc: a call's return, -1 with errno set, or an errno. */
static int mounted_over(const char *target, int rc)
{
	if (rc)
		return rc < 0 ? errno : rc;
	umount2(target, MNT_DETACH);
	return 0;
}

TEST_F(storage, mounts_over_monitored_paths)
{
	int want = DENIED_FROM(2), fd;
	char moved[80];
	struct counts c;

	take_counts(&c, NULL);
	EXPECT_EQ(want, mounted_over(in(self, "prog"),
		  mount(self->other, in(self, "prog"), NULL, MS_BIND, NULL)));
	if (want)
		EXPECT_EQ(c.denials + 1, status_counter("denials"));
	EXPECT_EQ(want, mounted_over(in(self, "d1"),
		  mount("tmpfs", in(self, "d1"), "tmpfs", 0, "size=1m")));
	EXPECT_EQ(want, mounted_over(self->dir,
		  mount("tmpfs", self->dir, "tmpfs", 0, "size=1m")));
	/* The new mount API: open_tree() and fsmount(), then move_mount(). */
	fd = vx_open_tree(self->other);
	ASSERT_LE(0, fd);
	EXPECT_EQ(want, mounted_over(in(self, "prog"),
				     vx_move_mount(fd, in(self, "prog"))));
	close(fd);
	fd = new_tmpfs();
	ASSERT_LE(0, fd);
	EXPECT_EQ(want, mounted_over(in(self, "d1/d2"),
				     vx_move_mount(fd, in(self, "d1/d2"))));
	close(fd);
	/* mount(MS_MOVE) of a mount made elsewhere. */
	snprintf(moved, sizeof(moved), "%s-moved", self->dir);
	ASSERT_EQ(0, mkdir(moved, 0755));
	ASSERT_EQ(0, mount("tmpfs", moved, "tmpfs", 0, "size=1m"));
	EXPECT_EQ(want, mounted_over(in(self, "d1"),
		  mount(moved, in(self, "d1"), NULL, MS_MOVE, NULL)));
	umount2(moved, MNT_DETACH);
	rmdir(moved);
	/* A directory on no entry's path takes mounts. */
	if (variant->level < 3)
		EXPECT_EQ(0, mounted_over(in(self, "free"),
			  mount("tmpfs", in(self, "free"), "tmpfs", 0, "size=1m")));
}

/*
 * A target reached without walking into mounts: the kernel mounts on the
 * top of what is stacked there, here the root of the scratch filesystem.
 */
TEST_F(storage, mounts_through_descriptors)
{
	int want = DENIED_FROM(2), fd;
	char magic[64];

	snprintf(magic, sizeof(magic), "/proc/self/fd/%d", self->under_fd);
	EXPECT_EQ(want, mounted_over(self->dir,
		  mount("tmpfs", magic, "tmpfs", 0, "size=1m")));
	fd = new_tmpfs();
	ASSERT_LE(0, fd);
	EXPECT_EQ(want, mounted_over(self->dir,
		  syscall(SYS_move_mount, fd, "", self->under_fd, "",
			  MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH)));
	close(fd);
	EXPECT_EQ(0, exec_status(in(self, "prog"), no_args, env));
}

/* pivot_root(2) onto a fresh tmpfs, in a mount namespace of its own. */
static int pivot_in_new_ns(const char *dir)
{
	char old[96];
	int status;
	pid_t pid = fork();

	if (!pid) {
		snprintf(old, sizeof(old), "%s/old", dir);
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tmpfs", dir, "tmpfs", 0, "size=1m") ||
		    mkdir(old, 0755))
			_exit(200);
		_exit(syscall(SYS_pivot_root, dir, old) ? errno : 0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 201;
}

/* mount(2) MS_MOVE of @dir onto "/", in a mount namespace of its own. */
static int move_onto_root_in_new_ns(const char *dir)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    chdir("/"))
			_exit(200);
		_exit(mount(dir, "/", NULL, MS_MOVE, NULL) ? errno : 0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 201;
}

/*
 * A namespace of its own, its mounts private: nothing moved there changes
 * a path of the namespace the entries were loaded in (the initramfs's
 * init is the one that moves a filesystem over the initial root).
 */
TEST_F(storage, move_onto_own_root)
{
	EXPECT_EQ(DENIED_FROM(3), move_onto_root_in_new_ns(self->dir));
}

enum ns_op {
	NS_BIND_OVER_PROG, NS_TMPFS_OVER_D1, NS_MOVE_ONTO_FREE, NS_BENEATH_D1,
};

/*
 * Below a mount of this namespace's own, on d1 of a copy of the scratch
 * mount made a peer of the loader's again (MOVE_MOUNT_SET_GROUP from
 * @outer, opened before unshare()): it would land on d1 there too.
 */
static int beneath_d1(FIXTURE_DATA(storage) *self, int outer)
{
	int here, fd, rc;

	if (mount(NULL, self->dir, NULL, MS_PRIVATE, NULL) ||
	    mount("tmpfs", in(self, "d1"), "tmpfs", 0, "size=1m"))
		return 202;
	here = open(self->dir, O_PATH | O_CLOEXEC);
	if (here < 0 ||
	    syscall(SYS_move_mount, outer, "", here, "",
		    MOVE_MOUNT_SET_GROUP | MOVE_MOUNT_F_EMPTY_PATH |
		    MOVE_MOUNT_T_EMPTY_PATH))
		return 203;
	fd = new_tmpfs();
	if (fd < 0)
		return 204;
	rc = syscall(SYS_move_mount, fd, "", AT_FDCWD, in(self, "d1"),
		     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_BENEATH);
	return rc ? errno : 0;
}

static int ns_op(FIXTURE_DATA(storage) *self, enum ns_op op, int outer)
{
	char moved[96];

	switch (op) {
	case NS_BENEATH_D1:
		return beneath_d1(self, outer);
	case NS_BIND_OVER_PROG:
		return mount(self->other, in(self, "prog"), NULL, MS_BIND,
			     NULL) ? errno : 0;
	case NS_TMPFS_OVER_D1:
		return mount("tmpfs", in(self, "d1"), "tmpfs", 0, "size=1m") ?
		       errno : 0;
	case NS_MOVE_ONTO_FREE:
		/* systemd's credentials: made privately, moved into place. */
		snprintf(moved, sizeof(moved), "%s-moved", self->dir);
		if (mount("tmpfs", moved, "tmpfs", 0, "size=1m"))
			return 202;
		return mount(moved, in(self, "free"), NULL, MS_MOVE, NULL) ?
		       errno : 0;
	}
	return 203;
}

/* @op in a mount namespace of its own, its mounts private or as they are. */
static int in_new_ns(FIXTURE_DATA(storage) *self, bool private,
		     enum ns_op op)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		int outer = open(self->dir, O_PATH | O_CLOEXEC);

		if (outer < 0 || unshare(CLONE_NEWNS) ||
		    (private &&
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)))
			_exit(200);
		_exit(ns_op(self, op, outer));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 201;
}

/*
 * Below level 3 a private namespace (a service's sandbox, a container)
 * mounts what it likes; what propagates to the loader's namespace, from
 * a shared mount, is judged as if mounted there.
 */
TEST_F(storage, mounts_in_other_namespaces)
{
	int want = DENIED_FROM(3);
	char moved[96];

	/* At level 3 the root filesystem takes no new directory. */
	snprintf(moved, sizeof(moved), "%s-moved", self->dir);
	if (variant->level < 3)
		ASSERT_EQ(0, mkdir(moved, 0755));
	EXPECT_EQ(want, in_new_ns(self, true, NS_BIND_OVER_PROG));
	EXPECT_EQ(want, in_new_ns(self, true, NS_TMPFS_OVER_D1));
	if (variant->level < 3)
		EXPECT_EQ(0, in_new_ns(self, true, NS_MOVE_ONTO_FREE));
	/* Now every copy of the scratch mount is a peer of this one. */
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_SHARED, NULL));
	want = DENIED_FROM(2);
	EXPECT_EQ(want, mounted_over(in(self, "prog"),
				     in_new_ns(self, false, NS_BIND_OVER_PROG)));
	EXPECT_EQ(want, mounted_over(in(self, "d1"),
				     in_new_ns(self, false, NS_TMPFS_OVER_D1)));
	if (variant->level < 3) {
		EXPECT_EQ(0, mounted_over(in(self, "free"),
			  in_new_ns(self, false, NS_MOVE_ONTO_FREE)));
		EXPECT_EQ(want, mounted_over(in(self, "d1"),
			  in_new_ns(self, false, NS_BENEATH_D1)));
	}
	/* A bind of a shared mount's guarded directory is a peer of it. */
	EXPECT_EQ(want, mounted_over(in(self, "free"),
		  mount(in(self, "d1"), in(self, "free"), NULL, MS_BIND, NULL)));
	ASSERT_EQ(0, mount(NULL, self->dir, NULL, MS_PRIVATE, NULL));
	rmdir(moved);
	EXPECT_EQ(0, exec_status(in(self, "d1/d2/deep"), no_args, env));
}

/* ioctls that swap or move blocks change content with no write(2). */
TEST_F(storage, block_swapping_ioctls)
{
	struct move_extent me = { .len = 1 };
	char block[4096] = { 1 };
	int a, b, rc;

	if (!variant->ext4)
		SKIP(return, "ext4 ioctls");
	/* The content of a monitored file swapped with inode 5's. */
	rc = err_of(ioctl(self->pre_fd, EXT4_IOC_SWAP_BOOT));
	EXPECT_EQ(variant->level >= 2, rc == EPERM) {
		TH_LOG("EXT4_IOC_SWAP_BOOT: %s", strerror(rc));
	}
	/* At level 3 no unlisted file there can even be opened. */
	if (variant->level >= 3)
		return;
	a = open(in(self, "free/a"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	b = open(in(self, "free/b"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(sizeof(block), write(a, block, sizeof(block)));
	ASSERT_EQ(sizeof(block), write(b, block, sizeof(block)));
	ASSERT_EQ(0, fsync(a) || fsync(b));
	/*
	 * Which files the filesystem moves blocks between is read from user
	 * memory after the hook: refused on the whole filesystem.
	 */
	me.donor_fd = b;
	rc = err_of(ioctl(a, EXT4_IOC_MOVE_EXT, &me));
	EXPECT_EQ(variant->level >= 2, rc == EPERM) {
		TH_LOG("EXT4_IOC_MOVE_EXT: %s", strerror(rc));
	}
	close(a);
	close(b);
}

/*
 * The root every entry's path starts from cannot be swapped either; in a
 * private namespace only at level 3.
 */
TEST_F(storage, pivot_root_away_from_monitored_paths)
{
	struct counts c;

	take_counts(&c, "denied_immutable");
	/*
	 * Level 3 guards every namespace.  Where allowed, pivot_root(2)
	 * itself may refuse an initramfs root.
	 */
	EXPECT_EQ(variant->level >= 3, pivot_in_new_ns(self->pivot) == EPERM);
	if (variant->level >= 3)
		EXPECT_EQ(c.reason + 1, status_counter("denied_immutable"));
}

/* rename(2) @from to @to; puts back what went through. */
static int renamed(const char *from, const char *to, unsigned int flags)
{
	int rc = err_of(syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
				flags));

	if (!rc && syscall(SYS_renameat2, AT_FDCWD, flags ? from : to,
			   AT_FDCWD, flags ? to : from, flags))
		return 1000 + errno;
	return rc;
}

TEST_F(storage, directories_on_monitored_paths)
{
	int want = DENIED_FROM(2);
	struct counts c;

	take_counts(&c, "denied_immutable");
	EXPECT_EQ(want, renamed(in(self, "d1"), in(self, "d1x"), 0));
	if (want)
		EXPECT_EQ(c.reason + 1, status_counter("denied_immutable"));
	EXPECT_EQ(want, renamed(in(self, "d1/d2"), in(self, "d2x"), 0));
	EXPECT_EQ(want, renamed(in(self, "d1"), in(self, "empty"),
				RENAME_EXCHANGE));
	/* Refused before the filesystem sees the directory is not empty. */
	EXPECT_EQ(want ? want : ENOTEMPTY, err_of(rmdir(in(self, "d1/d2"))));
	EXPECT_EQ(want ? want : ENOTEMPTY,
		  err_of(rename(in(self, "empty"), in(self, "d1"))));
	/* A directory on no entry's path can move. */
	if (variant->level < 3)
		EXPECT_EQ(0, err_of(rename(in(self, "free"), in(self, "free2"))));
	EXPECT_EQ(0, exec_status(in(self, "d1/d2/deep"), no_args, env));
}

TEST_F(storage, identity_and_flag_ioctls)
{
	int want = DENIED_FROM(2), flags = 0, fd = -1, fd_log = -1;
	struct fsxattr fsx;
	struct counts c;
	unsigned int gen = 0;

	if (variant->level == 2 && !variant->ext4)
		fd_log = log_mark();
	/* Any descriptor will do for an ioctl: read-only here. */
	fd = open(in(self, "prog"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	take_counts(&c, "denied_immutable");
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	EXPECT_EQ(want, err_of(ioctl(fd, FS_IOC_SETFLAGS, &flags)));
	ASSERT_EQ(0, ioctl(fd, FS_IOC_FSGETXATTR, &fsx));
	EXPECT_EQ(want, err_of(ioctl(fd, FS_IOC_FSSETXATTR, &fsx)));
	/*
	 * tmpfs has no generation to set, and ext4 sets none with
	 * metadata_csum (mkfs.ext4's default): ENOTTY, after the refusal.
	 */
	if (variant->ext4)
		ASSERT_EQ(0, ioctl(fd, FS_IOC_GETVERSION, &gen));
	EXPECT_EQ(want ? want : ENOTTY,
		  err_of(ioctl(fd, FS_IOC_SETVERSION, &gen)));
	if (want)
		EXPECT_EQ(c.reason + 3, status_counter("denied_immutable"));
	if (fd_log >= 0)
		EXPECT_TRUE(log_has(fd_log, "reason=\"immutable\""));
	close(fd);
	EXPECT_EQ(0, exec_status(in(self, "prog"), no_args, env));
}

/* Unmount, in a private mount namespace, of a copy of @target. */
static int umount_in_new_ns(const char *target)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(200);
		_exit(umount2(target, MNT_DETACH) ? errno : 0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 201;
}

TEST_F(storage, unmounts_that_detach_monitored_files)
{
	int want = DENIED_FROM(3);
	char parent[80], sub[96];

	/* Another mount of the monitored filesystem, below a plain one. */
	snprintf(parent, sizeof(parent), "%s-parent", self->dir);
	snprintf(sub, sizeof(sub), "%s/sub", parent);
	ASSERT_EQ(0, mkdir(parent, 0755));
	ASSERT_EQ(0, mount("tmpfs", parent, "tmpfs", 0, "size=1m"));
	ASSERT_EQ(0, mkdir(sub, 0755));
	ASSERT_EQ(0, mount(self->dir, sub, NULL, MS_BIND, NULL));
	EXPECT_EQ(want, umount_in_new_ns(self->dir));
	EXPECT_EQ(want, err_of(umount2(parent, MNT_DETACH)));
	if (want && !access(sub, F_OK)) {
		EXPECT_EQ(EPERM, err_of(umount2(sub, MNT_DETACH)));
		EXPECT_EQ(EPERM, err_of(umount2(self->dir, MNT_DETACH)));
	} else {
		/* Detached with its parent. */
		rmdir(parent);
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
	if (!current_level() && make_pool())
		fprintf(stderr, "# cannot attach the loop devices: %s\n",
			strerror(errno));
	if (!current_level())
		port_fd = open("/dev/port", O_RDWR | O_CLOEXEC);
	if (!current_level() && make_swap())
		fprintf(stderr, "# cannot swap on a loop device: %s\n",
			strerror(errno));
	return test_harness_run(argc, argv);
}
