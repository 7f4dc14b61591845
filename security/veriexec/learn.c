// SPDX-License-Identifier: GPL-2.0-only
/*
 * Veriexec LSM - Learning mode: what level 0 would have denied
 *
 * Copyright © 2026 The veriexec authors
 *
 * At level 0 every "would deny" of an exec, a mapping, an interpreter or
 * an open is remembered once per file and use, up to a fixed number of
 * records, for `veriexecctl learn` to turn into a manifest.  Records are
 * never freed: the table only grows, and only while the level is 0.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/kdev_t.h>
#include <linux/list.h>
#include <linux/path.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "eval.h"
#include "learn.h"
#include "limits.h"

/**
 * struct learned - One file and how it would have been denied
 * @hnode: In @learned_table, under @learn_lock.
 * @node: In @learned_list, in the order learned; never removed.
 * @dev: The file's device.
 * @ino: The file's inode number.
 * @op: An &enum veriexec_learn_op value.
 * @path: The file's path when it was learned.
 */
struct learned {
	struct hlist_node hnode;
	struct list_head node;
	dev_t dev;
	unsigned long ino;
	u8 op;
	char path[];
};

/*
 * @learn_lock guards @learned_table, @learned_list and @learned_count;
 * it is taken in any context (mprotect holds the mmap lock, some
 * lockdown checks run atomic), so it is a spinlock and allocation under
 * it does not sleep.
 */
static DEFINE_SPINLOCK(learn_lock);
static DEFINE_HASHTABLE(learned_table, 10);
static LIST_HEAD(learned_list);
static unsigned int learned_count;

static const char *const op_names[] = {
	[VERIEXEC_LEARN_EXEC] = "exec",
	[VERIEXEC_LEARN_MMAP] = "mmap",
	[VERIEXEC_LEARN_INTERP] = "interp",
	[VERIEXEC_LEARN_OPEN] = "open",
};

static u32 learned_hash(dev_t dev, unsigned long ino, u8 op)
{
	return hash_long(ino ^ ((unsigned long)dev << 3) ^ op, 32);
}

static struct learned *find(dev_t dev, unsigned long ino, u8 op, u32 hash)
{
	struct learned *l;

	lockdep_assert_held(&learn_lock);
	hash_for_each_possible(learned_table, l, hnode, hash)
		if (l->dev == dev && l->ino == ino && l->op == op)
			return l;
	return NULL;
}

static void add(struct learned *l, u32 hash)
{
	unsigned long flags;
	bool dup;

	spin_lock_irqsave(&learn_lock, flags);
	dup = learned_count >= VERIEXEC_LEARNED_MAX ||
	      find(l->dev, l->ino, l->op, hash);
	if (!dup) {
		hash_add(learned_table, &l->hnode, hash);
		list_add_tail(&l->node, &learned_list);
		learned_count++;
	}
	spin_unlock_irqrestore(&learn_lock, flags);
	if (dup)
		kfree(l);
}

static bool known(dev_t dev, unsigned long ino, u8 op, u32 hash)
{
	unsigned long flags;
	bool seen;

	spin_lock_irqsave(&learn_lock, flags);
	seen = learned_count >= VERIEXEC_LEARNED_MAX ||
	       find(dev, ino, op, hash);
	spin_unlock_irqrestore(&learn_lock, flags);
	return seen;
}

/**
 * veriexec_learn() - Remember a level-0 "would deny" of a file
 * @t: What was (not) denied; @t->learn says how the file was used.
 *
 * Context: Any context; does not sleep.
 */
void veriexec_learn(const struct veriexec_target *t)
{
	struct inode *inode = t->dentry ? d_backing_inode(t->dentry) : NULL;
	char *buf, *name;
	struct learned *l;
	u32 hash;

	if (!inode || !t->path || t->learn == VERIEXEC_LEARN_NONE)
		return;
	hash = learned_hash(inode->i_sb->s_dev, inode->i_ino, t->learn);
	if (known(inode->i_sb->s_dev, inode->i_ino, t->learn, hash))
		return;
	buf = kmalloc(PATH_MAX, GFP_ATOMIC | __GFP_NOWARN);
	if (!buf)
		return;
	name = d_path(t->path, buf, PATH_MAX);
	if (!IS_ERR(name)) {
		size_t len = strlen(name) + 1;

		l = kmalloc(struct_size(l, path, len), GFP_ATOMIC | __GFP_NOWARN);
		if (l) {
			l->dev = inode->i_sb->s_dev;
			l->ino = inode->i_ino;
			l->op = t->learn;
			memcpy(l->path, name, len);
			add(l, hash);
		}
	}
	kfree(buf);
}

/**
 * veriexec_show_learned() - Print the learned file's lines
 * @m: The seq_file.
 *
 * One line per record: "OP PATH DEV:INO", the path escaped as in
 * manifests.
 *
 * Return: 0.
 */
int veriexec_show_learned(struct seq_file *m)
{
	unsigned long flags;
	struct learned *l;

	spin_lock_irqsave(&learn_lock, flags);
	list_for_each_entry(l, &learned_list, node) {
		seq_printf(m, "%s ", op_names[l->op]);
		seq_escape(m, l->path, " \t\n\\");
		seq_printf(m, " %u:%u:%lu\n", MAJOR(l->dev), MINOR(l->dev),
			   l->ino);
	}
	spin_unlock_irqrestore(&learn_lock, flags);
	return 0;
}
