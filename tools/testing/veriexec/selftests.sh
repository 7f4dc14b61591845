#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the veriexec kselftests against the test kernel's headers and
# install them, with the kselftest runner, in DIR.
set -eu

out=${1:?usage: selftests.sh DIR}
make -s -C "$KTREE/tools/testing/selftests" TARGETS=veriexec \
	O="$KOUT/kselftest-build" \
	KHDR_INCLUDES="-isystem $KOUT/usr/include" KDIR="$KOUT" \
	INSTALL_PATH="$out" install >/dev/null
