#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the test image: busybox userland, glibc (the exec tests need ld.so
# and libc), veriexecctl, the installed selftests and the test keys.
#
# Usage: mkimage.sh OUT_CPIO INIT_BIN KEYS_DIR [BIN...] [-- DIR...]
#	BIN: programs put in /usr/bin with the libraries they need;
#	DIR: trees copied to /opt (e.g. the installed kselftests).
set -eu

out=$1 init=$2 keys=$3
shift 3
root=$(mktemp -d "${TMPDIR:-/tmp}/vm-image.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin \
	"$root"/lib64 "$root"/etc/veriexec/test "$root"/root "$root"/tmp \
	"$root"/proc "$root"/sys "$root"/dev "$root"/run "$root"/mnt/files \
	"$root"/opt "$root"/vm
chmod 1777 "$root/tmp"

# copy_libs BIN: the shared libraries BIN needs, at their own paths.
copy_libs() {
	ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
	done
}

cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
cp "$init" "$root/init"
# The kselftest runner calls coreutils' timeout --foreground.
rm "$root/usr/bin/timeout"
printf '#!/bin/sh\n[ "$1" = --foreground ] && shift\nexec /bin/busybox timeout "$@"\n' \
	> "$root/usr/bin/timeout"
chmod 755 "$root/usr/bin/timeout"
# glibc for dynamically linked test programs, whatever they link.
copy_libs /bin/true
cp "$keys/ca.crt" "$keys/ca.key" "$keys/signing.crt" "$keys/signing.key" \
	"$keys/rogue.crt" "$keys/rogue.key" "$keys/signing.der" "$keys/rogue.der" \
	"$root/etc/veriexec/test/"

while [ $# -gt 0 ] && [ "$1" != -- ]; do
	cp "$1" "$root/usr/bin/"
	# Where the boot hooks expect it.
	[ "$(basename "$1")" = veriexecctl ] &&
		ln -s /usr/bin/veriexecctl "$root/usr/sbin/veriexecctl"
	copy_libs "$1"
	shift
done
[ $# -gt 0 ] && shift
for dir in "$@"; do
	cp -a "$dir" "$root/opt/"
	find "$dir" -type f -perm -u+x | while read -r f; do copy_libs "$f"; done
done

# An ext4 image for the tests that run on both tmpfs and ext4.
mkfs.ext4 -q -F -E root_owner=0:0 "$root/opt/vx-ext4.img" 16M
# And one with fs-verity, for verity_test.sh.
mkfs.ext4 -q -F -O verity -E root_owner=0:0 "$root/opt/vx-verity.img" 16M

printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

(cd "$root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
