// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Keeping monitored files from changing
 *
 * Copyright © 2026 The veriexec authors
 *
 * Every way a monitored file's content, name or attributes can change:
 * refused at level 2 and up ("immutable"), logged below, and the cached
 * verdict dropped whenever the change goes ahead.  At level 3 (lockdown)
 * a filesystem holding monitored files also takes no new files, opens of
 * unlisted regular files, or unmounting.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/mount.h>
#include <linux/xattr.h>

#include "audit.h"
#include "cache.h"
#include "eval.h"
#include "fingerprint.h"
#include "fs.h"
#include "level.h"
#include "setup.h"
#include "store.h"
#include "task.h"
#include "verify.h"

static bool monitored(struct dentry *dentry)
{
	struct inode *inode = d_backing_inode(dentry);
	u8 opts;

	if (!inode || !S_ISREG(inode->i_mode))
		return false;
	return veriexec_listed(dentry, inode, &opts);
}

/* Judge a change; the cached verdict goes whenever it is allowed. */
static int change(enum veriexec_op op, const struct path *path,
		  struct dentry *dentry)
{
	struct veriexec_decision d;

	d = veriexec_judge(VERIEXEC_REASON_IMMUTABLE, veriexec_level());
	if (d.report)
		veriexec_audit_deny(op, d.reason, path, dentry, d.deny);
	if (d.deny)
		return -EPERM;
	veriexec_cache_drop(d_backing_inode(dentry));
	return 0;
}

static int check_change(enum veriexec_op op, struct dentry *dentry)
{
	if (!monitored(dentry))
		return 0;
	return change(op, NULL, dentry);
}

/* Lockdown: the filesystem of @sb holds monitored files. */
static bool locked_down(const struct super_block *sb)
{
	if (veriexec_level() < VERIEXEC_LOCKDOWN)
		return false;
	guard(rcu)();
	return veriexec_store_has_sb(veriexec_sb_id(sb));
}

static int lockdown(enum veriexec_op op, const struct path *path,
		    struct dentry *dentry)
{
	veriexec_audit_deny(op, VERIEXEC_REASON_LOCKDOWN, path, dentry, true);
	return -EPERM;
}

static int hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct dentry *dentry = file->f_path.dentry;

	if (S_ISCHR(inode->i_mode))
		return veriexec_check_devmem(file);
	if (!S_ISREG(inode->i_mode))
		return 0;
	/* change() drops the verdict when the write open goes ahead. */
	if ((file->f_mode & FMODE_WRITE) && monitored(dentry))
		return change(VERIEXEC_OP_WRITE, &file->f_path, dentry);
	if (locked_down(inode->i_sb) && !monitored(dentry))
		return lockdown(VERIEXEC_OP_OPEN, &file->f_path, dentry);
	return 0;
}

/* Also catches writes through a descriptor opened before the load. */
static int hook_file_permission(struct file *file, int mask)
{
	struct inode *inode = file_inode(file);

	if (!(mask & MAY_WRITE) || !S_ISREG(inode->i_mode))
		return 0;
	/*
	 * Below level 2 writes go ahead: drop the verdict, no lookup needed.
	 * From level 2 ask first, from the cached verdict when there is one:
	 * writes to listed files are refused, and an unlisted file's cached
	 * absence is worth keeping.
	 */
	if (veriexec_level() < VERIEXEC_IPS) {
		veriexec_cache_drop(inode);
		return 0;
	}
	if (!monitored(file->f_path.dentry))
		return 0;
	return change(VERIEXEC_OP_WRITE, &file->f_path, file->f_path.dentry);
}

static int hook_file_truncate(struct file *file)
{
	if (!monitored(file->f_path.dentry))
		return 0;
	return change(VERIEXEC_OP_TRUNCATE, &file->f_path, file->f_path.dentry);
}

static int hook_inode_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			      struct iattr *attr)
{
	const unsigned int changes = ATTR_SIZE | ATTR_MODE | ATTR_UID |
				     ATTR_GID;

	if (!(attr->ia_valid & changes) || !monitored(dentry)) {
		if (d_backing_inode(dentry))
			veriexec_cache_drop(d_backing_inode(dentry));
		return 0;
	}
	return change(attr->ia_valid & ATTR_SIZE ? VERIEXEC_OP_TRUNCATE :
		      VERIEXEC_OP_SETATTR, NULL, dentry);
}

static int hook_inode_unlink(struct inode *dir, struct dentry *dentry)
{
	return check_change(VERIEXEC_OP_UNLINK, dentry);
}

static int hook_inode_rename(struct inode *old_dir, struct dentry *old_dentry,
			     struct inode *new_dir, struct dentry *new_dentry)
{
	int rc = check_change(VERIEXEC_OP_RENAME, old_dentry);

	/* Renaming a file over a monitored path replaces that file. */
	if (!rc && d_is_positive(new_dentry))
		rc = check_change(VERIEXEC_OP_RENAME, new_dentry);
	return rc;
}

static int hook_inode_link(struct dentry *old_dentry, struct inode *dir,
			   struct dentry *new_dentry)
{
	int rc = check_change(VERIEXEC_OP_LINK, old_dentry);

	if (!rc && locked_down(dir->i_sb))
		rc = lockdown(VERIEXEC_OP_CREATE, NULL, new_dentry);
	return rc;
}

/* Any xattr of a monitored file; the label of any file from level 2. */
static int xattr_change(enum veriexec_op op, struct dentry *dentry,
			const char *name)
{
	if (!strcmp(name, VERIEXEC_XATTR) &&
	    veriexec_level() >= VERIEXEC_IPS)
		return change(op, NULL, dentry);
	return check_change(op, dentry);
}

static int hook_inode_setxattr(struct mnt_idmap *idmap, struct dentry *dentry,
			       const char *name, const void *value,
			       size_t size, int flags)
{
	return xattr_change(VERIEXEC_OP_SETXATTR, dentry, name);
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
	return locked_down(dir->i_sb) ?
	       lockdown(VERIEXEC_OP_CREATE, NULL, dentry) : 0;
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

static int hook_sb_umount(struct vfsmount *mnt, int flags)
{
	struct path root = { .mnt = mnt, .dentry = mnt->mnt_root };

	return locked_down(mnt->mnt_sb) ?
	       lockdown(VERIEXEC_OP_UMOUNT, &root, mnt->mnt_root) : 0;
}

static struct security_hook_list fs_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(file_open, hook_file_open),
	LSM_HOOK_INIT(file_permission, hook_file_permission),
	LSM_HOOK_INIT(file_truncate, hook_file_truncate),
	LSM_HOOK_INIT(inode_setattr, hook_inode_setattr),
	LSM_HOOK_INIT(inode_unlink, hook_inode_unlink),
	LSM_HOOK_INIT(inode_rename, hook_inode_rename),
	LSM_HOOK_INIT(inode_link, hook_inode_link),
	LSM_HOOK_INIT(inode_setxattr, hook_inode_setxattr),
	LSM_HOOK_INIT(inode_removexattr, hook_inode_removexattr),
	LSM_HOOK_INIT(inode_set_acl, hook_inode_set_acl),
	LSM_HOOK_INIT(inode_remove_acl, hook_inode_remove_acl),
	LSM_HOOK_INIT(inode_create, hook_inode_create),
	LSM_HOOK_INIT(inode_mknod, hook_inode_mknod),
	LSM_HOOK_INIT(inode_mkdir, hook_inode_mkdir),
	LSM_HOOK_INIT(inode_symlink, hook_inode_symlink),
	LSM_HOOK_INIT(sb_umount, hook_sb_umount),
};

/**
 * veriexec_add_fs_hooks() - Register the change and lockdown hooks
 */
void __init veriexec_add_fs_hooks(void)
{
	security_add_hooks(fs_hooks, ARRAY_SIZE(fs_hooks), &veriexec_lsmid);
}
