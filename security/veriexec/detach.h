/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Taking the manifest out of its PKCS#7 message
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_DETACH_H
#define _SECURITY_VERIEXEC_DETACH_H

#include <linux/types.h>

/**
 * struct veriexec_detached - A signed message split in two
 * @content: The attached content, inside the original message.
 * @content_len: Its length.
 * @sig: The message without its content: a detached signature; kfree() it.
 * @sig_len: Its length.
 */
struct veriexec_detached {
	const u8 *content;
	size_t content_len;
	u8 *sig;
	size_t sig_len;
};

int veriexec_detach(const u8 *msg, size_t len, struct veriexec_detached *out);

#endif /* _SECURITY_VERIEXEC_DETACH_H */
