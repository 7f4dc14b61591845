/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Veriexec LSM - Manifest signatures and the .veriexec keyring
 *
 * Copyright © 2026 The veriexec authors
 */

#ifndef _SECURITY_VERIEXEC_SIGNATURE_H
#define _SECURITY_VERIEXEC_SIGNATURE_H

#include <linux/types.h>

/**
 * struct veriexec_content - The manifest text inside a signed message
 * @data: The text, inside the message: valid as long as the message is.
 * @len: Its length.
 */
struct veriexec_content {
	const char *data;
	size_t len;
};

int veriexec_verify_manifest(const u8 *msg, size_t len,
			     struct veriexec_content *content);

#endif /* _SECURITY_VERIEXEC_SIGNATURE_H */
