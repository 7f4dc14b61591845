// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Opens, and keeping monitored files from changing
 *
 * Copyright © 2026 The veriexec authors
 *
 * Every open of a file comes here: the write opens and writes judged as
 * changes, the read opens that level 3 and `file` entries check, the
 * last writer's close.
 *
 * Every way a monitored file's content, name or attributes can change:
 * refused at level 2 and up ("immutable"), logged below, and the cached
 * verdict dropped whenever the change goes ahead.  The storage below
 * (block devices, loop backing files) and the directories and mounts that
 * lead to monitored files are guarded the same way.  At level 3
 * (lockdown) a filesystem holding monitored files also takes no new
 * files, opens of unlisted regular files, or unmounting.
 */

#include <linux/blkdev.h>
#include <linux/blkpg.h>
#include <linux/dcache.h>
#include <linux/fs_struct.h>
#include <linux/fs.h>
#include <linux/io_uring/cmd.h>
#include <linux/kdev_t.h>
#include <linux/loop.h>
#include <linux/major.h>
#include <linux/lsm_hooks.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>
#include <linux/shmem_fs.h>
#include <scsi/sg.h>
#include <uapi/linux/ext4.h>
#include <uapi/linux/f2fs.h>
#include <uapi/linux/nvme_ioctl.h>
#include <uapi/linux/mount.h>
#include <linux/uaccess.h>
#include <linux/xattr.h>

#include "cache.h"
#include "eval.h"
#include "fingerprint.h"
#include "fs.h"
#include "hooks.h"
#include "level.h"
#include "loopmark.h"
#include "resolve.h"
#include "setup.h"
#include "store.h"
#include "task.h"
#include "verify.h"

/* ext4's own SETVERSION, which 6.12 keeps beside FS_IOC_SETVERSION. */
#define EXT4_SETVERSION		_IOW('f', 4, long)
#define EXT4_SETVERSION32	_IOW('f', 4, int)

static bool monitored(struct dentry *dentry)
{
	struct inode *inode = d_is_positive(dentry) ?
			      veriexec_real_inode(dentry) : NULL;
	u8 opts;

	if (!inode || !S_ISREG(inode->i_mode))
		return false;
	/* Few files back a loop device: test the pointer before calling. */
	return veriexec_listed(dentry, inode, &opts) ||
	       (rcu_access_pointer(veriexec_inode(inode)->backing) &&
		veriexec_backs_monitored_loop(inode));
}

/* A directory on the path of an entry, mount points included. */
static bool guarded(struct dentry *dentry)
{
	struct inode *inode = d_backing_inode(dentry);
	struct veriexec_key key;

	if (!inode || !S_ISDIR(inode->i_mode) || !veriexec_active())
		return false;
	veriexec_inode_key(inode, &key);
	guard(rcu)();
	return veriexec_store_guards(veriexec_live_store(), &key);
}

/* Judge a change; the cached verdict goes whenever it is allowed. */
static int change(enum veriexec_op op, const struct path *path,
		  struct dentry *dentry)
{
	struct veriexec_target t = { .op = op, .path = path, .dentry = dentry };
	int rc;

	rc = veriexec_refuse(VERIEXEC_REASON_IMMUTABLE, veriexec_level(), &t);
	if (!rc && d_is_positive(dentry))
		veriexec_cache_forget(veriexec_real_inode(dentry));
	return rc;
}

/*
 * A new label, or a new i_generation (part of the inode key), can make an
 * unlisted file listed: its cached absence goes too.
 */
static void forget(struct dentry *dentry)
{
	if (d_is_positive(dentry))
		veriexec_cache_forget(veriexec_real_inode(dentry));
}

static int check_change(enum veriexec_op op, struct dentry *dentry)
{
	if (!monitored(dentry) && !guarded(dentry))
		return 0;
	return change(op, NULL, dentry);
}

/*
 * Which layers an overlay (or ecryptfs) stands on cannot be seen from
 * outside it, and one on a monitored layer would otherwise create and
 * serve files there unchecked.  (s_stack_depth would not do: procfs sets
 * it too, to keep anything from stacking on it.)
 */
static bool layered(const struct super_block *sb)
{
	return sb->s_magic == OVERLAYFS_SUPER_MAGIC ||
	       sb->s_magic == ECRYPTFS_SUPER_MAGIC;
}

/* Lockdown: the filesystem of @sb holds monitored files, or may. */
static bool locked_down(const struct super_block *sb, unsigned int level)
{
	if (!veriexec_lockdown_level(level) || !veriexec_active())
		return false;
	return layered(sb) || veriexec_sb_monitored(sb);
}

static int lockdown(enum veriexec_op op, const struct path *path,
		    struct dentry *dentry, unsigned int level)
{
	struct veriexec_target t = { .op = op, .path = path, .dentry = dentry };

	return veriexec_refuse(VERIEXEC_REASON_LOCKDOWN, level, &t);
}

/*
 * Writing the device below a monitored filesystem changes its files with
 * no hook to see it: refused from level 2, and every block device write
 * at level 3, as NetBSD does for raw disks.
 */
static bool dev_holds_monitored(dev_t devt)
{
	u32 dev = new_encode_dev(devt);

	if (MAJOR(devt) == LOOP_MAJOR && veriexec_loop_shares_monitored(dev))
		return true;
	guard(rcu)();
	return veriexec_store_has_dev(veriexec_live_store(), dev);
}

/*
 * Once blkdev_open() ran, the file's mapping is the block device's own:
 * a partition is judged by its disk too, a loop device's partition as
 * that loop device.  At file_open time only the device number is known.
 */
static struct gendisk *opened_disk(struct file *file)
{
	if (file->f_mapping->host == file_inode(file))
		return NULL;
	return file_bdev(file)->bd_disk;
}

/*
 * Swap holds pages of processes (trusted and no_ptrace ones too) and of
 * tmpfs files while they are out of memory: a disk any partition of which
 * is in use as swap is guarded like one holding monitored files.
 */
static bool disk_holds_swap(struct gendisk *disk)
{
	struct block_device *part;
	unsigned long idx;

	guard(rcu)();
	xa_for_each(&disk->part_tbl, idx, part)
		if (IS_SWAPFILE(part->bd_mapping->host))
			return true;
	return false;
}

static bool holds_monitored(struct file *file)
{
	struct gendisk *disk = opened_disk(file);

	return dev_holds_monitored(file_inode(file)->i_rdev) ||
	       (disk && (dev_holds_monitored(disk_devt(disk)) ||
			 disk_holds_swap(disk)));
}

static int blkdev_change(enum veriexec_op op, struct file *file,
			 unsigned int level)
{
	if (veriexec_lockdown_level(level))
		return lockdown(op, &file->f_path, file->f_path.dentry, level);
	if (!holds_monitored(file))
		return 0;
	return change(op, &file->f_path, file->f_path.dentry);
}

/*
 * Set once a block device, or a file that backs a loop device, is mapped
 * shared through a descriptor open for writing: stores to such a mapping
 * change a filesystem's storage with no write to judge, and it may have
 * been made before the load or the raise.  Until then no use pays for
 * looking at the storage's mappings.
 */
static bool raw_mapped __read_mostly;

/**
 * veriexec_note_shared_map() - Take note of a shared mapping of storage
 * @file: A file being mapped shared, open for writing.
 *
 * Context: Process context.
 */
void veriexec_note_shared_map(struct file *file)
{
	struct inode *inode = file_inode(file);

	if (S_ISBLK(inode->i_mode) ||
	    (S_ISREG(inode->i_mode) &&
	     veriexec_loop_note_mapped(veriexec_file_inode(file))))
		WRITE_ONCE(raw_mapped, true);
}

/**
 * veriexec_storage_mapped() - Whether a filesystem's storage is mapped
 * shared and writable
 * @sb: The filesystem of a listed file.
 *
 * Such a mapping is a writer of every file on @sb: their content cannot
 * be vouched for while it lasts.  The device and its whole disk have page
 * caches of their own; a loop device's backing file counts once it was
 * mapped so.
 *
 * Context: Any context.
 * Return: True when stores through a mapping may change @sb's files.
 */
bool veriexec_storage_mapped(const struct super_block *sb)
{
	struct block_device *bdev = sb->s_bdev;

	if (likely(!READ_ONCE(raw_mapped)) || !bdev)
		return false;
	if (mapping_writably_mapped(bdev->bd_mapping) ||
	    mapping_writably_mapped(bdev_whole(bdev)->bd_mapping))
		return true;
	return MAJOR(disk_devt(bdev->bd_disk)) == LOOP_MAJOR &&
	       veriexec_loop_mapped(new_encode_dev(disk_devt(bdev->bd_disk)));
}

/**
 * veriexec_check_shared_write() - Judge a shared writable mapping
 * @file: The file mapped shared, or whose shared mapping gains PROT_WRITE.
 * @op: %VERIEXEC_OP_MMAP or %VERIEXEC_OP_MPROTECT.
 * @may_sleep: False under the mmap lock: no hashing, no label read.
 *
 * Stores through it change the file, or the storage below a monitored
 * filesystem (its block device, a loop device's backing file), unseen.
 *
 * Context: Process context.
 * Return: 0, or -EPERM.
 */
int veriexec_check_shared_write(struct file *file, enum veriexec_op op,
				bool may_sleep)
{
	struct inode *inode = file_inode(file);
	struct veriexec_verdict v;
	struct inode *real;
	bool listed;
	u8 opts;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	if (S_ISBLK(inode->i_mode))
		return blkdev_change(op, file, veriexec_level());
	if (S_ISCHR(inode->i_mode))
		return veriexec_check_devmem(file);
	if (!S_ISREG(inode->i_mode))
		return 0;
	real = veriexec_file_inode(file);
	if (may_sleep) {
		listed = veriexec_listed(file->f_path.dentry, real, &opts);
	} else {
		veriexec_verdict_nosleep(real, &v);
		listed = v.match != VERIEXEC_MATCH_NONE;
	}
	if (!listed && !(rcu_access_pointer(veriexec_inode(real)->backing) &&
			 veriexec_backs_monitored_loop(real)))
		return 0;
	return change(op, &file->f_path, file->f_path.dentry);
}

/**
 * veriexec_check_blkdev_write() - Judge a write to a block device
 * @file: The block device, open for writing.
 *
 * Also for writes and shared writable mappings through a descriptor
 * opened before the load or the raise.
 *
 * Context: Process context.
 * Return: 0, or -EPERM.
 */
int veriexec_check_blkdev_write(struct file *file)
{
	return blkdev_change(VERIEXEC_OP_WRITE, file, veriexec_level());
}

/*
 * Character devices whose writes reach a disk below its filesystem: SCSI
 * generic (write(2) takes a command) and raw MTD flash.  Which disk is
 * not known here, so like passthrough ioctls they are refused at level 3.
 */
static bool raw_storage(const struct inode *inode)
{
	return S_ISCHR(inode->i_mode) &&
	       (imajor(inode) == SCSI_GENERIC_MAJOR ||
		imajor(inode) == MTD_CHAR_MAJOR);
}

static int raw_storage_write(struct file *file, unsigned int level)
{
	if (!veriexec_lockdown_level(level) || !veriexec_active())
		return 0;
	return lockdown(VERIEXEC_OP_WRITE, &file->f_path, file->f_path.dentry,
			level);
}

static int hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct dentry *dentry = file->f_path.dentry;
	unsigned int level;

	if (raw_storage(inode) && (file->f_mode & FMODE_WRITE))
		return raw_storage_write(file, veriexec_level());
	if (S_ISCHR(inode->i_mode))
		return veriexec_check_devmem(file);
	level = veriexec_level();
	if (S_ISBLK(inode->i_mode))
		return file->f_mode & FMODE_WRITE ?
		       blkdev_change(VERIEXEC_OP_WRITE, file, level) : 0;
	if (!S_ISREG(inode->i_mode))
		return 0;
	/* change() drops the verdict when the write open goes ahead. */
	if ((file->f_mode & FMODE_WRITE) && monitored(dentry))
		return change(VERIEXEC_OP_WRITE, &file->f_path, dentry);
	if (veriexec_lockdown_level(level) &&
	    (locked_down(inode->i_sb, level) ||
	     locked_down(veriexec_file_inode(file)->i_sb, level)) &&
	    !monitored(dentry))
		return lockdown(VERIEXEC_OP_OPEN, &file->f_path, dentry, level);
	return 0;
}

/* `file` entries, and at level 3 every monitored file, on read opens. */
static int hook_file_post_open(struct file *file, int mask)
{
	struct veriexec_target t = {
		.op = VERIEXEC_OP_OPEN,
		.path = &file->f_path,
		.dentry = file->f_path.dentry,
	};
	unsigned int level = veriexec_level();
	struct veriexec_verdict v;
	u8 opts;

	/* An exec's own open: bprm_check_security judges it. */
	if (!S_ISREG(file_inode(file)->i_mode) ||
	    !(file->f_mode & FMODE_READ) || (mask & MAY_EXEC))
		return 0;
	if (!veriexec_lockdown_level(level) &&
	    !veriexec_store_checks_opens(veriexec_live_store()))
		return 0;
	if (!veriexec_listed(file->f_path.dentry, veriexec_file_inode(file),
			     &opts) ||
	    !veriexec_open_checked(opts, level))
		return 0;
	return veriexec_check_file(file, VERIEXEC_USE_OPEN, &t, level, &v);
}

/* The last writer gone, the next use hashes again. */
static void hook_file_release(struct file *file)
{
	struct inode *inode = file_inode(file);

	if ((file->f_mode & FMODE_WRITE) && S_ISREG(inode->i_mode))
		veriexec_cache_drop(inode);
}

/* Also catches writes through a descriptor opened before the load. */
static int hook_file_permission(struct file *file, int mask)
{
	struct inode *inode = file_inode(file);

	if (!(mask & MAY_WRITE))
		return 0;
	if (S_ISBLK(inode->i_mode))
		return veriexec_check_blkdev_write(file);
	if (raw_storage(inode))
		return raw_storage_write(file, veriexec_level());
	/* /dev/mem and /dev/port, open for writing before the level rose. */
	if (S_ISCHR(inode->i_mode))
		return veriexec_check_devmem(file);
	if (!S_ISREG(inode->i_mode))
		return 0;
	if (unlikely(inode->i_sb->s_magic == PROC_SUPER_MAGIC))
		return veriexec_check_proc_mem(file);
	/*
	 * Below level 2 writes go ahead: drop the verdict, no lookup needed.
	 * From level 2 ask first, from the cached verdict when there is one:
	 * writes to listed files are refused, and an unlisted file's cached
	 * absence is worth keeping.
	 */
	if (!veriexec_changes_refused(veriexec_level())) {
		veriexec_cache_drop(inode);
		return 0;
	}
	if (!monitored(file->f_path.dentry))
		return 0;
	return change(VERIEXEC_OP_WRITE, &file->f_path, file->f_path.dentry);
}

static bool changes_identity(unsigned int cmd)
{
	switch (cmd) {
	case FS_IOC_SETVERSION:
	case FS_IOC32_SETVERSION:
	case FS_IOC_SETFLAGS:
	case FS_IOC32_SETFLAGS:
	case FS_IOC_FSSETXATTR:
	case EXT4_SETVERSION:
	case EXT4_SETVERSION32:
	/* Swaps the content with the boot inode's, new generation too. */
	case EXT4_IOC_SWAP_BOOT:
	/* The commit replaces the content with no write(2) nor setattr. */
	case F2FS_IOC_START_ATOMIC_WRITE:
	case F2FS_IOC_START_ATOMIC_REPLACE:
		return true;
	default:
		return false;
	}
}

/*
 * ioctls that move blocks between two files: the content changes with no
 * write(2), on descriptors opened before the raise.  The other file is
 * named by a descriptor in user memory, which the filesystem reads again
 * after this hook: judge the filesystem, not the descriptor read here.
 */
static bool swaps_blocks(unsigned int cmd)
{
	switch (cmd) {
	case EXT4_IOC_MOVE_EXT:
	case F2FS_IOC_MOVE_RANGE:
		return true;
	default:
		/* xfs_fs.h is not UAPI; 'X' 109 is struct xfs_swapext. */
		return _IOC_TYPE(cmd) == 'X' && _IOC_NR(cmd) == 109;
	}
}

/* The backing file given to a loop device: its fd is the first word. */
static int loop_backing_fd(unsigned int cmd, unsigned long arg)
{
	u32 fd;

	switch (cmd) {
	case LOOP_SET_FD:
	case LOOP_CHANGE_FD:
		return arg;
	case LOOP_CONFIGURE:
		if (get_user(fd, (u32 __user *)arg))
			return -EFAULT;
		return fd;
	default:
		return -ENOENT;
	}
}

/*
 * Remember which loop device a file backs, so that writes to it are
 * judged as writes to the filesystem it holds; and refuse a second loop
 * device over the backing file of a monitored one, which would be a
 * second, unmonitored superblock over the same bytes.
 */
static int mark_file(struct file *backing, u32 dev)
{
	static const u32 none[2];

	if (monitored(backing->f_path.dentry)) {
		int rc = change(VERIEXEC_OP_WRITE, &backing->f_path,
				backing->f_path.dentry);

		if (rc)
			return rc;
	}
	/*
	 * The filesystem the device will hold reads its blocks from this
	 * file's pages: on tmpfs they could go to swap and come back
	 * rewritten, as a listed tmpfs file's could (veriexec_verdict()).
	 */
	if (shmem_mapping(backing->f_mapping))
		mapping_set_unevictable(backing->f_mapping);
	return veriexec_loop_mark(veriexec_file_inode(backing), dev, none);
}

/* A loop device over a block device writes that device's filesystem. */
static int mark_blkdev(struct file *backing, u32 dev)
{
	struct block_device *bdev = file_bdev(backing);
	u32 under[2] = {
		new_encode_dev(bdev->bd_dev),
		new_encode_dev(disk_devt(bdev->bd_disk)),
	};

	if (holds_monitored(backing)) {
		int rc = change(VERIEXEC_OP_WRITE, &backing->f_path,
				backing->f_path.dentry);

		if (rc)
			return rc;
	}
	return veriexec_loop_mark(backing->f_mapping->host, dev, under);
}

/* The loop driver acts on the whole device, whichever node is used. */
static bool is_loop(struct file *file)
{
	struct gendisk *disk = opened_disk(file);

	return disk ? MAJOR(disk_devt(disk)) == LOOP_MAJOR :
		      imajor(file_inode(file)) == LOOP_MAJOR;
}

static u32 loop_dev(struct file *loop)
{
	struct gendisk *disk = opened_disk(loop);

	return new_encode_dev(disk ? disk_devt(disk) :
				     file_inode(loop)->i_rdev);
}

static int loop_ioctl(struct file *loop, unsigned int cmd, unsigned long arg)
{
	u32 dev = loop_dev(loop);
	int fd = loop_backing_fd(cmd, arg);
	struct file *backing;
	int rc = 0;

	if (fd < 0)
		return 0;
	backing = fget(fd);
	if (!backing)
		return 0;
	if (S_ISREG(file_inode(backing)->i_mode))
		rc = mark_file(backing, dev);
	else if (S_ISBLK(file_inode(backing)->i_mode) && opened_disk(backing))
		rc = mark_blkdev(backing, dev);
	fput(backing);
	return rc;
}

/*
 * ioctls that write a disk, repartition it or change what a loop device
 * serves, below the filesystem and the page cache.  Passthrough commands
 * also come through character devices (/dev/sg*, /dev/ng*), whose disk
 * is not known here: those are refused at level 3.
 */
static bool changes_storage(unsigned int cmd)
{
	switch (cmd) {
	case BLKPG:
	case SG_IO:
	case NVME_IOCTL_SUBMIT_IO:
	case NVME_IOCTL_IO_CMD:
	case NVME_IOCTL_IO64_CMD:
	case NVME_IOCTL_IO64_CMD_VEC:
	case NVME_IOCTL_ADMIN_CMD:
	case NVME_IOCTL_ADMIN64_CMD:
	case LOOP_CHANGE_FD:
	case LOOP_SET_STATUS:
	case LOOP_SET_STATUS64:
	case LOOP_SET_CAPACITY:
	/* Writes without write(2), on a descriptor opened before the raise. */
	case BLKZEROOUT:
	case BLKDISCARD:
	case BLKSECDISCARD:
		return true;
	default:
		return false;
	}
}

static bool passthrough(unsigned int cmd)
{
	return cmd == SG_IO || _IOC_TYPE(cmd) == 'N';
}

static int storage_ioctl(struct file *file, unsigned int cmd,
			 unsigned int level)
{
	struct inode *inode = file_inode(file);

	if (S_ISBLK(inode->i_mode) && holds_monitored(file))
		return change(VERIEXEC_OP_IOCTL, &file->f_path,
			      file->f_path.dentry);
	if (!passthrough(cmd) || !veriexec_lockdown_level(level))
		return 0;
	return lockdown(VERIEXEC_OP_IOCTL, &file->f_path, file->f_path.dentry,
			level);
}

#ifdef CONFIG_IO_URING
/* NVMe passthrough, and block discards, also come as io_uring commands. */
static int hook_uring_cmd(struct io_uring_cmd *ioucmd)
{
	struct file *file = ioucmd->file;
	struct inode *inode = file_inode(file);

	if (S_ISBLK(inode->i_mode) && ioucmd->cmd_op == BLOCK_URING_CMD_DISCARD)
		return veriexec_check_blkdev_write(file);
	if (!passthrough(ioucmd->cmd_op) || !veriexec_active() ||
	    !(S_ISBLK(inode->i_mode) || S_ISCHR(inode->i_mode)))
		return 0;
	return storage_ioctl(file, ioucmd->cmd_op, veriexec_level());
}
#endif

static int hook_file_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct inode *inode = file_inode(file);
	int rc;

	if (changes_storage(cmd) && veriexec_active() &&
	    (S_ISBLK(inode->i_mode) || S_ISCHR(inode->i_mode))) {
		rc = storage_ioctl(file, cmd, veriexec_level());
		if (rc)
			return rc;
	}
	if (S_ISBLK(inode->i_mode) && is_loop(file))
		return loop_ioctl(file, cmd, arg);
	if (swaps_blocks(cmd) && S_ISREG(inode->i_mode) &&
	    (monitored(file->f_path.dentry) ||
	     veriexec_sb_monitored(veriexec_file_inode(file)->i_sb)))
		return change(VERIEXEC_OP_IOCTL, &file->f_path,
			      file->f_path.dentry);
	if (!changes_identity(cmd))
		return 0;
	if (!monitored(file->f_path.dentry)) {
		forget(file->f_path.dentry);
		return 0;
	}
	return change(VERIEXEC_OP_IOCTL, &file->f_path, file->f_path.dentry);
}

static int hook_inode_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			      struct iattr *attr)
{
	const unsigned int changes = ATTR_SIZE | ATTR_MODE | ATTR_UID |
				     ATTR_GID;

	if (!(attr->ia_valid & changes) || !monitored(dentry)) {
		if (d_is_positive(dentry))
			veriexec_cache_drop(veriexec_real_inode(dentry));
		return 0;
	}
	return change(attr->ia_valid & ATTR_SIZE ? VERIEXEC_OP_TRUNCATE :
		      VERIEXEC_OP_SETATTR, NULL, dentry);
}

static int hook_inode_unlink(struct inode *dir, struct dentry *dentry)
{
	return check_change(VERIEXEC_OP_UNLINK, dentry);
}

static int hook_inode_rmdir(struct inode *dir, struct dentry *dentry)
{
	return check_change(VERIEXEC_OP_RMDIR, dentry);
}

static int hook_inode_rename(struct inode *old_dir, struct dentry *old_dentry,
			     struct inode *new_dir, struct dentry *new_dentry)
{
	int rc = check_change(VERIEXEC_OP_RENAME, old_dentry);

	/* Renaming over a monitored path replaces it; exchanging moves it. */
	if (!rc && d_is_positive(new_dentry))
		rc = check_change(VERIEXEC_OP_RENAME, new_dentry);
	return rc;
}

static int hook_inode_link(struct dentry *old_dentry, struct inode *dir,
			   struct dentry *new_dentry)
{
	unsigned int level = veriexec_level();
	int rc = check_change(VERIEXEC_OP_LINK, old_dentry);

	if (!rc && locked_down(dir->i_sb, level))
		rc = lockdown(VERIEXEC_OP_CREATE, NULL, new_dentry, level);
	return rc;
}

/* Any xattr of a monitored file; the label of any file from level 2. */
static int xattr_change(enum veriexec_op op, struct dentry *dentry,
			const char *name)
{
	if (!strcmp(name, VERIEXEC_XATTR) &&
	    veriexec_changes_refused(veriexec_level()))
		return change(op, NULL, dentry);
	return check_change(op, dentry);
}

static int hook_inode_setxattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       const char *name, const void *value,
			       size_t size, int flags)
{
	return xattr_change(VERIEXEC_OP_SETXATTR, dentry, name);
}

/*
 * overlayfs copies a lower file up before changing it, even its times or
 * owner alone: the path then serves a new upper inode that no entry
 * lists.  A monitored file is not copied up from level 2.
 */
static int hook_inode_copy_up(struct dentry *src, struct cred **new)
{
	if (!monitored(src))
		return 0;
	return change(VERIEXEC_OP_WRITE, NULL, src);
}

/* Once the label changed: an absence cached before it could be stale. */
static void hook_inode_post_setxattr(struct dentry *dentry, const char *name,
				     const void *value, size_t size, int flags)
{
	if (!strcmp(name, VERIEXEC_XATTR))
		forget(dentry);
}

static void hook_inode_post_removexattr(struct dentry *dentry,
					const char *name)
{
	if (!strcmp(name, VERIEXEC_XATTR))
		forget(dentry);
}

static int hook_inode_removexattr(struct mnt_idmap *idmap,
				  struct dentry *dentry, const char *name)
{
	return xattr_change(VERIEXEC_OP_REMOVEXATTR, dentry, name);
}

static int hook_inode_set_acl(struct mnt_idmap *idmap, struct dentry *dentry,
			      const char *acl_name, struct posix_acl *kacl)
{
	return check_change(VERIEXEC_OP_SETXATTR, dentry);
}

static int hook_inode_remove_acl(struct mnt_idmap *idmap,
				 struct dentry *dentry, const char *acl_name)
{
	return check_change(VERIEXEC_OP_REMOVEXATTR, dentry);
}

static int create(struct inode *dir, struct dentry *dentry)
{
	unsigned int level = veriexec_level();

	return locked_down(dir->i_sb, level) ?
	       lockdown(VERIEXEC_OP_CREATE, NULL, dentry, level) : 0;
}

static int hook_inode_create(struct inode *dir, struct dentry *dentry,
			     umode_t mode)
{
	return create(dir, dentry);
}

static int hook_inode_mknod(struct inode *dir, struct dentry *dentry,
			    umode_t mode, dev_t dev)
{
	return create(dir, dentry);
}

static int hook_inode_mkdir(struct inode *dir, struct dentry *dentry,
			    umode_t mode)
{
	return create(dir, dentry);
}

static int hook_inode_symlink(struct inode *dir, struct dentry *dentry,
			      const char *old_name)
{
	return create(dir, dentry);
}

/* Mounting over a monitored file or a guarded directory swaps its path. */
static int mount_over(const struct path *path)
{
	if (!monitored(path->dentry) && !guarded(path->dentry))
		return 0;
	return change(VERIEXEC_OP_MOUNT, path, path->dentry);
}

/*
 * What is mounted on a shared mount is mounted on its peers too, and they
 * may be in any namespace: on the same directory, so the same check holds.
 */
static bool propagates(const struct vfsmount *target)
{
	return READ_ONCE(target->mnt_flags) & MNT_SHARED;
}

/*
 * The source mount(2) names in @dev_name, judged as a mount over it: moving
 * a mount away changes the paths of what it holds.  With @peers_only, only
 * a source on a shared mount (see bind_from()).
 */
static int mount_from(const char *dev_name, bool peers_only)
{
	struct path from;
	int rc = 0;

	if (!dev_name || kern_path(dev_name, LOOKUP_FOLLOW, &from))
		return 0;
	if (!peers_only || propagates(from.mnt))
		rc = mount_over(&from);
	path_put(&from);
	return rc;
}

/*
 * The initramfs's init moves /dev, /proc, /sys and /run into the real root
 * and the real root over "/" (switch_root): allowed, as it must be.
 */
static bool initramfs_init(void)
{
	struct path root;
	bool ret;

	if (!is_global_init(current))
		return false;
	get_fs_root(current->fs, &root);
	ret = !strcmp(root.mnt->mnt_sb->s_type->name, "rootfs");
	path_put(&root);
	return ret;
}

/*
 * Entries' paths resolved in their loaders' mount namespaces, and the
 * initial one holds the system's.  A mount change in another namespace
 * (systemd's service sandboxes, a container) changes none of those paths
 * unless it propagates to them; level 3 guards every namespace anyway.
 */
static bool guarded_ns(void)
{
	bool ret;

	if (current->nsproxy &&
	    current->nsproxy->mnt_ns == init_task.nsproxy->mnt_ns)
		return true;
	if (veriexec_lockdown_level(veriexec_level()))
		return true;
	rcu_read_lock();
	ret = veriexec_store_paths_ns(veriexec_live_store(),
				      veriexec_mnt_ns());
	rcu_read_unlock();
	return ret;
}

/*
 * The kernel mounts on whatever is mounted on the target by the time it
 * holds the namespace lock (do_lock_mount()): a target reached without
 * walking into mounts (/proc/self/fd/N, an O_PATH descriptor) may lie
 * below a mount of a guarded directory.  Judge the top of the stack.
 * MOVE_MOUNT_BENEATH, which the move_mount hook is not told of, mounts
 * below that top instead, on the directory it covers: with @beneath, that
 * is judged too.
 */
static int mount_onto(const struct path *target, bool home, bool beneath)
{
	struct path top = *target;
	int rc = 0;

	path_get(&top);
	while (follow_down_one(&top))
		;
	if (home || propagates(top.mnt))
		rc = mount_over(&top);
	if (!rc && beneath && top.dentry == top.mnt->mnt_root &&
	    follow_up(&top) && (home || propagates(top.mnt)))
		rc = mount_over(&top);
	path_put(&top);
	return rc;
}

/*
 * A bind of a shared mount is a peer of it.  Were a guarded directory the
 * root of such a bind, a mount that lands on that root through a climb
 * no hook sees (a bind made between the hook and do_lock_mount()) would
 * land on the guarded directory in every peer.  Judged by name, as the
 * kernel looks the source up again after the hook.
 */
static int bind_from(const char *dev_name)
{
	return mount_from(dev_name, true);
}

/*
 * mount(2) looks @dev_name up again after the hook: a symbolic link
 * swapped in between would move a guarded mount.  From level 2 only
 * move_mount(2), whose hook sees both paths resolved, moves mounts in a
 * guarded namespace.  Elsewhere the kernel moves nothing from below a
 * shared mount, so the move itself is seen by no guarded namespace.
 */
static int move_by_name(const char *dev_name, const struct path *path)
{
	struct veriexec_target t = {
		.op = VERIEXEC_OP_MOUNT, .path = path, .dentry = path->dentry,
	};
	unsigned int level = veriexec_level();
	int rc = mount_from(dev_name, false);

	if (!rc && veriexec_changes_refused(level))
		rc = veriexec_refuse(VERIEXEC_REASON_IMMUTABLE, level, &t);
	return rc;
}

/*
 * In path_mount()'s order: a remount changes no path, a bind mounts
 * whatever propagation flags come with it, a propagation change alone
 * mounts nothing.
 */
static int hook_sb_mount(const char *dev_name, const struct path *path,
			 const char *type, unsigned long flags, void *data)
{
	bool home;
	int rc;

	if (flags & MS_REMOUNT)
		return 0;
	if (!(flags & MS_BIND) &&
	    (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)))
		return 0;
	if ((flags & MS_MOVE) && initramfs_init())
		return 0;
	home = guarded_ns();
	rc = mount_onto(path, home, false);
	if (!rc && (flags & MS_BIND) && home)
		rc = bind_from(dev_name);
	if (!rc && (flags & MS_MOVE) && home)
		rc = move_by_name(dev_name, path);
	return rc;
}

/*
 * A new root serves every path anew, as a mount over "/" would.  The
 * kernel pivots no shared mount: only the caller's namespace sees it.
 */
static int hook_sb_pivotroot(const struct path *old_path,
			     const struct path *new_path)
{
	struct path root;
	int rc;

	if (!guarded_ns())
		return 0;
	get_fs_root(current->fs, &root);
	rc = mount_over(&root);
	path_put(&root);
	return rc;
}

/*
 * MOVE_MOUNT_SET_GROUP may make the target a peer of a shared mount of
 * any namespace; it mounts nothing, and what is mounted on the target
 * later is judged as propagating then.
 */
static int hook_move_mount(const struct path *from_path,
			   const struct path *to_path)
{
	bool home = guarded_ns();
	int rc = mount_onto(to_path, home, true);

	return rc || !home ? rc : mount_over(from_path);
}

static int mount_holds_monitored(struct vfsmount *mnt, void *arg)
{
	return veriexec_sb_monitored(mnt->mnt_sb);
}

/*
 * A lazy unmount of any mount above a monitored filesystem detaches it
 * too: look at the whole tree below @mnt, not only its own superblock.
 */
static int hook_sb_umount(struct vfsmount *mnt, int flags)
{
	struct path root = { .mnt = mnt, .dentry = mnt->mnt_root };
	unsigned int level = veriexec_level();
	struct vfsmount *tree;
	bool holds;

	if (!veriexec_lockdown_level(level) || !veriexec_active())
		return 0;
	holds = locked_down(mnt->mnt_sb, level);
	if (!holds) {
		tree = collect_mounts(&root);
		/* No copy of the tree to look at: refuse rather than guess. */
		holds = IS_ERR(tree) ||
			iterate_mounts(mount_holds_monitored, NULL, tree);
		if (!IS_ERR(tree))
			drop_collected_mounts(tree);
	}
	return holds ? lockdown(VERIEXEC_OP_UMOUNT, &root, mnt->mnt_root,
				level) : 0;
}

static struct security_hook_list fs_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_open, hook_file_open),
	LSM_HOOK_INIT(file_post_open, hook_file_post_open),
	LSM_HOOK_INIT(file_release, hook_file_release),
	LSM_HOOK_INIT(file_permission, hook_file_permission),
	LSM_HOOK_INIT(file_ioctl, hook_file_ioctl),
	LSM_HOOK_INIT(file_ioctl_compat, hook_file_ioctl),
	LSM_HOOK_INIT(inode_setattr, hook_inode_setattr),
	LSM_HOOK_INIT(inode_unlink, hook_inode_unlink),
	LSM_HOOK_INIT(inode_rmdir, hook_inode_rmdir),
	LSM_HOOK_INIT(inode_rename, hook_inode_rename),
	LSM_HOOK_INIT(inode_link, hook_inode_link),
	LSM_HOOK_INIT(inode_setxattr, hook_inode_setxattr),
	LSM_HOOK_INIT(inode_copy_up, hook_inode_copy_up),
	LSM_HOOK_INIT(inode_post_setxattr, hook_inode_post_setxattr),
	LSM_HOOK_INIT(inode_removexattr, hook_inode_removexattr),
	LSM_HOOK_INIT(inode_post_removexattr, hook_inode_post_removexattr),
	LSM_HOOK_INIT(inode_set_acl, hook_inode_set_acl),
	LSM_HOOK_INIT(inode_remove_acl, hook_inode_remove_acl),
	LSM_HOOK_INIT(inode_create, hook_inode_create),
	LSM_HOOK_INIT(inode_mknod, hook_inode_mknod),
	LSM_HOOK_INIT(inode_mkdir, hook_inode_mkdir),
	LSM_HOOK_INIT(inode_symlink, hook_inode_symlink),
	LSM_HOOK_INIT(sb_mount, hook_sb_mount),
	LSM_HOOK_INIT(move_mount, hook_move_mount),
	LSM_HOOK_INIT(sb_pivotroot, hook_sb_pivotroot),
	LSM_HOOK_INIT(sb_umount, hook_sb_umount),
#ifdef CONFIG_IO_URING
	LSM_HOOK_INIT(uring_cmd, hook_uring_cmd),
#endif
};

/**
 * veriexec_add_fs_hooks() - Register the change and lockdown hooks
 */
void __init veriexec_add_fs_hooks(void)
{
	security_add_hooks(fs_hooks, ARRAY_SIZE(fs_hooks), &veriexec_lsmid);
}
