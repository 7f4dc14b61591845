#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of veriexecctl: generate, sign, verify, convert, boot, and
# every error path's message and exit status.  Prints TAP.
#
# Usage: run.sh PATH_TO_VERIEXECCTL
set -u

ctl=${1:?usage: run.sh VERIEXECCTL}
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/veriexecctl-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %s %s\n' "$n" "$2"
	else
		printf 'not ok %s %s\n' "$n" "$2"
		failed=$((failed + 1))
	fi
	# So that "ok $? DESC || diff ..." shows what went wrong.
	return "$1"
}

# expect STATUS PATTERN DESC -- CMD...: exit status and a stderr line.
expect() {
	status=$1 pattern=$2 desc=$3
	shift 4
	"$@" > "$t/out" 2> "$t/err"
	rc=$?
	if [ "$rc" = "$status" ] && grep -q -- "$pattern" "$t/err"; then
		ok 0 "$desc"
	else
		echo "# exit $rc (want $status), stderr:" && sed 's/^/#   /' "$t/err"
		ok 1 "$desc"
	fi
}

"$here/../../testing/veriexec/mkkeys.sh" "$t/keys" || exit 1
K=$t/keys

# A tree with every kind of file generate must tell apart.
tree=$t/root/opt/app
mkdir -p "$tree/bin" "$tree/lib" "$tree/share" "$tree/odd"
cp /bin/true "$tree/bin/pie"
printf 'int main(void){return 0;}\n' > "$t/s.c"
gcc -static -o "$tree/bin/static" "$t/s.c" 2>/dev/null
printf 'int f(void){return 1;}\n' > "$t/l.c"
gcc -shared -fPIC -o "$tree/lib/libf.so" "$t/l.c"
chmod 644 "$tree/lib/libf.so"
# A shared object that also runs as a program, without execute bits.
cp /bin/true "$tree/lib/librun.so.1"
chmod 644 "$tree/lib/librun.so.1"
printf '#!/bin/sh\necho hi\n' > "$tree/bin/script"
chmod 755 "$tree/bin/script"
printf '#!/bin/sh\n' > "$tree/share/not-executable"
echo data > "$tree/share/data.txt"
ln -s ../bin/pie "$tree/share/link"
ln "$tree/bin/pie" "$tree/bin/zz-hardlink"
cp /bin/true "$tree/odd/with space"
cp /bin/true "$tree/odd/tab	and\\back"
cp /bin/true "$tree/odd/new
line"
cp /bin/true "$tree/odd/ünïcode"

"$ctl" generate --name app --version 3 -r "$t/root" "$t/root/opt" > "$t/gen" 2> "$t/err"
ok $? "generate exits 0"
grep -q '^@name app$' "$t/gen" && grep -q '^@version 3$' "$t/gen"
ok $? "generate writes @name and @version"
grep -q '^/opt/app/bin/pie sha256 [0-9a-f]\{64\} direct$' "$t/gen"
ok $? "PIE executable is direct, root stripped"
grep -q '^/opt/app/bin/static sha256 .* direct$' "$t/gen"
ok $? "static ET_EXEC is direct"
grep -q '^/opt/app/lib/libf.so sha256 .* indirect$' "$t/gen"
ok $? "shared object is indirect"
grep -q '^/opt/app/lib/librun.so.1 sha256 .* indirect$' "$t/gen"
ok $? "non-executable shared object with an interpreter is indirect"
grep -q '^/opt/app/bin/script sha256 .* direct$' "$t/gen"
ok $? "executable script is direct"
! grep -q 'data.txt\|not-executable\|share/link' "$t/gen"
ok $? "data, non-executable script and symlink left out"
! grep -q 'zz-hardlink' "$t/gen"
ok $? "a hard link is listed once"
grep -q '^/opt/app/odd/with\\040space ' "$t/gen" &&
	grep -q '^/opt/app/odd/tab\\011and\\134back ' "$t/gen" &&
	grep -q '^/opt/app/odd/new\\012line ' "$t/gen" &&
	grep -q '^/opt/app/odd/ünïcode ' "$t/gen"
ok $? "odd file names escaped, UTF-8 kept"
want=$(sha256sum "$tree/bin/pie" | cut -d' ' -f1)
grep -q "^/opt/app/bin/pie sha256 $want " "$t/gen"
ok $? "fingerprint equals sha256sum"
"$ctl" generate --name app --version 3 -r "$t/root" "$t/root/opt" | cmp -s - "$t/gen"
ok $? "generate is deterministic"
sort -c "$t/gen" 2>/dev/null || [ "$(sed 1,2d "$t/gen" | LC_ALL=C sort)" = "$(sed 1,2d "$t/gen")" ]
ok $? "generate output is sorted"
"$ctl" generate --all -a sha512 -o no_ptrace "$tree/share/data.txt" "$tree/bin/pie" > "$t/gen2"
grep -q 'data.txt sha512 [0-9a-f]\{128\} file,no_ptrace$' "$t/gen2" &&
	grep -q 'pie sha512 .* direct,no_ptrace$' "$t/gen2"
ok $? "--all, -a sha512 and -o"

# Kernel modules by suffix, as stored; firmware only with --all, as data.
kt=$t/ktree
mkdir -p "$kt/lib/modules/6.12.0/kernel" "$kt/lib/firmware/vendor" \
	"$kt/usr/lib/firmware"
gcc -c -o "$kt/lib/modules/6.12.0/kernel/plain.ko" "$t/l.c"
printf 'xz-compressed module\n' > "$kt/lib/modules/6.12.0/kernel/small.ko.xz"
printf 'zstd-compressed module\n' > "$kt/lib/modules/6.12.0/kernel/small.ko.zst"
printf 'not a module\n' > "$kt/lib/modules/6.12.0/kernel/notes.ko.txt"
printf 'firmware blob\n' > "$kt/lib/firmware/vendor/fw.bin"
cp /bin/true "$kt/lib/firmware/vendor/elf-fw"
cp "$kt/lib/modules/6.12.0/kernel/plain.ko" "$kt/usr/lib/firmware/looks.ko"
sum() { sha256sum "$kt$1" | cut -d' ' -f1; }
{
	echo "/lib/modules/6.12.0/kernel/plain.ko sha256 $(sum /lib/modules/6.12.0/kernel/plain.ko) indirect"
	echo "/lib/modules/6.12.0/kernel/small.ko.xz sha256 $(sum /lib/modules/6.12.0/kernel/small.ko.xz) indirect"
	echo "/lib/modules/6.12.0/kernel/small.ko.zst sha256 $(sum /lib/modules/6.12.0/kernel/small.ko.zst) indirect"
} > "$t/kwant"
"$ctl" generate -r "$kt" "$kt" > "$t/kgen" 2> "$t/err"
[ $? = 0 ] && cmp -s "$t/kgen" "$t/kwant" && [ ! -s "$t/err" ]
ok $? "modules (.ko, .ko.xz, .ko.zst) indirect; firmware left out" ||
	diff "$t/kwant" "$t/kgen" | sed 's/^/# /'
{
	echo "/lib/firmware/vendor/elf-fw sha256 $(sum /lib/firmware/vendor/elf-fw) file"
	echo "/lib/firmware/vendor/fw.bin sha256 $(sum /lib/firmware/vendor/fw.bin) file"
	echo "/lib/modules/6.12.0/kernel/notes.ko.txt sha256 $(sum /lib/modules/6.12.0/kernel/notes.ko.txt) file"
	cat "$t/kwant"
	echo "/usr/lib/firmware/looks.ko sha256 $(sum /usr/lib/firmware/looks.ko) file"
} > "$t/kwant-all"
"$ctl" generate --all -r "$kt" "$kt" > "$t/kgen" 2> "$t/err"
[ $? = 0 ] && cmp -s "$t/kgen" "$t/kwant-all"
ok $? "--all lists firmware (even ELF, even .ko) as file" ||
	diff "$t/kwant-all" "$t/kgen" | sed 's/^/# /'
mkdir -p "$t/lib/firmware/img/bin"
cp /bin/true "$t/lib/firmware/img/bin/true"
"$ctl" generate -r "$t/lib/firmware/img" "$t/lib/firmware/img" > "$t/kgen"
[ "$(cat "$t/kgen")" = "/bin/true sha256 $(sha256sum < /bin/true | cut -d' ' -f1) direct" ]
ok $? "firmware is judged below -r ROOT, not in ROOT's own path"
"$ctl" generate -o no_ptrace "$kt/lib/modules/6.12.0/kernel/small.ko.zst" > "$t/kgen"
[ "$(cat "$t/kgen")" = "$kt/lib/modules/6.12.0/kernel/small.ko.zst sha256 $(sum /lib/modules/6.12.0/kernel/small.ko.zst) indirect,no_ptrace" ]
ok $? "a module named on the command line, with -o"

# fs-verity digests as `fsverity digest` prints them: around a block, one
# level, more levels; pseudo-random content so that padding shows.
prng() { openssl enc -aes-128-ctr -K 00112233445566778899aabbccddeeff \
	-iv 0 -in /dev/zero 2>/dev/null | head -c "$1"; }
fv=$t/fv
mkdir -p "$fv"
for size in 0 1 4096 4097 524288 524289 5000000; do
	prng "$size" > "$fv/f$size"
done
have_fsverity=0
command -v fsverity > /dev/null && have_fsverity=1
[ $have_fsverity = 1 ] || echo "# fsverity(1) missing: run tools/testing/veriexec/deps.sh"
for alg in sha256 sha512; do
	for size in 0 1 4096 4097 524288 524289 5000000; do
		want=$(fsverity digest --hash-alg=$alg --block-size=4096 \
			"$fv/f$size" 2>/dev/null | cut -d' ' -f1)
		got=$("$ctl" generate --all -a fsverity-$alg "$fv/f$size" |
			cut -d' ' -f2,3 | tr ' ' :)
		[ $have_fsverity = 1 ] && [ "$got" = "fsverity-$want" ]
		ok $? "fsverity-$alg of $size bytes equals fsverity digest" ||
			echo "# got $got, want fsverity-$want"
	done
done
want=$(fsverity digest --hash-alg=sha256 --block-size=4096 "$tree/bin/pie" | cut -d' ' -f1 | cut -d: -f2)
"$ctl" generate --fsverity -r "$t/root" "$tree/bin/pie" "$tree/lib/libf.so" > "$t/out"
[ "$(cat "$t/out")" = "/opt/app/bin/pie fsverity-sha256 $want direct
/opt/app/lib/libf.so fsverity-sha256 $(fsverity digest --hash-alg=sha256 "$tree/lib/libf.so" | cut -d' ' -f1 | cut -d: -f2) indirect" ]
ok $? "generate --fsverity writes fsverity-sha256 fingerprints"
"$ctl" generate --fsverity -a sha512 "$fv/f1" > /dev/null 2>&1
[ $? = 0 ] && "$ctl" generate --all --fsverity -a sha512 "$fv/f1" | grep -q " fsverity-sha512 [0-9a-f]\{128\} file$"
ok $? "generate --fsverity -a sha512 writes fsverity-sha512"
expect 2 "fs-verity has no sha384 tree" "generate --fsverity -a sha384 is a usage error" -- \
	"$ctl" generate --fsverity -a sha384 "$fv/f1"
shm=/dev/shm
if [ "$(stat -f -c %T "$shm" 2>/dev/null)" = tmpfs ] && f=$(mktemp "$shm/veriexecctl.XXXXXX"); then
	expect 1 "^veriexecctl: $f: cannot enable fs-verity: fs-verity is not supported on this filesystem\$" \
		"fsverity-enable on tmpfs fails, naming the file" -- "$ctl" fsverity-enable "$f"
	rm -f "$f"
else
	n=$((n + 1)); echo "ok $n # SKIP no tmpfs at $shm"
fi
expect 1 "nonexistent: No such file" "fsverity-enable names a missing file" -- \
	"$ctl" fsverity-enable "$t/nonexistent"
expect 2 "usage: veriexecctl fsverity-enable" "fsverity-enable without a file is a usage error" -- \
	"$ctl" fsverity-enable

"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/gen.p7s" "$t/gen"
ok $? "sign exits 0"
openssl cms -verify -binary -inform DER -in "$t/gen.p7s" -CAfile "$K/ca.crt" \
	-purpose any -out "$t/content" 2>/dev/null && cmp -s "$t/content" "$t/gen"
ok $? "openssl cms -verify accepts it and yields the manifest"
[ "$(head -c 1 "$t/gen.p7s" | od -An -tx1 | tr -d ' ')" = 30 ]
ok $? "output is DER"
"$ctl" verify --cert "$K/ca.crt" "$t/gen.p7s" > /dev/null
ok $? "verify with the CA"
"$ctl" verify --cert "$K/signing.crt" "$t/gen.p7s" > /dev/null
ok $? "verify with the signer's certificate"
expect 1 "signature does not verify" "verify refuses an untrusted CA" -- \
	"$ctl" verify --cert "$K/rogue.crt" "$t/gen.p7s"
grep -q "veriexec test signing key" "$t/gen.p7s"
ok $? "the signer's certificate is in the message"
"$ctl" sign --no-certs --key "$K/signing.key" --cert "$K/signing.crt" \
	-o "$t/nocerts.p7s" "$t/gen" &&
	! grep -q "veriexec test signing key" "$t/nocerts.p7s"
ok $? "sign --no-certs leaves it out"
"$ctl" verify --cert "$K/signing.crt" "$t/nocerts.p7s" > /dev/null
ok $? "verify --no-certs output with the signer's certificate"
expect 1 "signature does not verify" "verify --no-certs output needs the signer's certificate" -- \
	"$ctl" verify --cert "$K/ca.crt" "$t/nocerts.p7s"
cp "$t/gen.p7s" "$t/bad.p7s"
size=$(wc -c < "$t/gen.p7s")
printf 'X' | dd of="$t/bad.p7s" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect 1 "gen.p7s\|bad.p7s" "verify refuses a tampered file" -- \
	"$ctl" verify --cert "$K/ca.crt" "$t/bad.p7s"
openssl cms -sign -nodetach -binary -noattr -outform DER -in "$t/gen" \
	-signer "$K/signing.crt" -inkey "$K/signing.key" -out "$t/ossl.p7s"
"$ctl" verify --cert "$K/ca.crt" "$t/ossl.p7s" > /dev/null
ok $? "verify accepts what openssl cms -sign makes"

printf '/a sha256 00\n' > "$t/malformed"
printf '# c\n/a sha256 00\n' > "$t/malformed2"
openssl cms -sign -nodetach -binary -noattr -outform DER -in "$t/malformed2" \
	-signer "$K/signing.crt" -inkey "$K/signing.key" -out "$t/malformed.p7s"
expect 1 "malformed.p7s: line 2: bad fingerprint" \
	"verify names the line of a malformed manifest" -- \
	"$ctl" verify --cert "$K/ca.crt" "$t/malformed.p7s"
expect 1 "malformed: line 1: bad fingerprint" "sign refuses a malformed manifest" -- \
	"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/x.p7s" "$t/malformed"
[ ! -e "$t/x.p7s" ] && ! ls "$t"/x.p7s.* >/dev/null 2>&1
ok $? "no partial output file left behind"
expect 1 "nonexistent: No such file" "sign names a missing manifest" -- \
	"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" "$t/nonexistent"
expect 1 "nokey.pem: cannot open key" "sign names an unreadable key" -- \
	"$ctl" sign --key "$t/nokey.pem" --cert "$K/signing.crt" "$t/gen"
expect 1 "does not match the key" "sign refuses a certificate that does not match" -- \
	"$ctl" sign --key "$K/signing.key" --cert "$K/rogue.crt" "$t/gen"
openssl pkey -in "$K/signing.key" -aes256 -passout pass:right -out "$t/enc.key"
VERIEXEC_KEY_PASS=wrong expect 1 "enc.key: cannot read private key" \
	"sign reports a wrong passphrase" -- \
	env VERIEXEC_KEY_PASS=wrong "$ctl" sign --key "$t/enc.key" --cert "$K/signing.crt" "$t/gen"
env VERIEXEC_KEY_PASS=right "$ctl" sign --key "$t/enc.key" --cert "$K/signing.crt" \
	-o "$t/enc.p7s" "$t/gen"
ok $? "sign with the right passphrase"

"$ctl" convert --from netbsd "$here/netbsd.signatures" > "$t/nb" 2> "$t/err"
ok $? "convert --from netbsd exits 0"
cmp -s "$t/nb" "$here/netbsd.expected"
ok $? "convert --from netbsd output" || diff "$t/nb" "$here/netbsd.expected" | sed 's/^/# /'
"$ctl" convert --from freebsd -C /opt/img "$here/freebsd.manifest" > "$t/fb" 2> "$t/err"
ok $? "convert --from freebsd exits 0"
cmp -s "$t/fb" "$here/freebsd.expected"
ok $? "convert --from freebsd output" || diff "$t/fb" "$here/freebsd.expected" | sed 's/^/# /'
printf '%s\n' "veriexecctl: $here/freebsd.manifest:7: a line for manifest version 9 (this reads version 1); left out" \
	"veriexecctl: $here/freebsd.manifest:8: label=foo has no equivalent; ignored" > "$t/want"
cmp -s "$t/err" "$t/want"
ok $? "label= and a #>9 line named on stderr" || diff "$t/want" "$t/err" | sed 's/^/# /'
h=cb30d69b24245bf2ecdc9e7f53bbad19159999970b6d82c0c00c7d32d9e37aa4
printf '%s\n' "#>2 bin/a sha256=$h" "#>x bin/b sha256=$h" "#>1 bin/c sha256=$h" \
	"#>1 # a comment for version 1 parsers" "#> bin/d sha256=$h" \
	"#>99999999999999999999999 bin/e sha256=$h" "# #>2 bin/f" > "$t/gated"
"$ctl" convert --from freebsd "$t/gated" > "$t/out" 2> "$t/err"
ok $? "convert --from freebsd exits 0 with lines for newer parsers"
[ "$(cat "$t/out")" = "/bin/c sha256 $h direct" ]
ok $? "#>1 lines are read, #>N lines for N > 1 are not"
printf '%s\n' "veriexecctl: $t/gated:1: a line for manifest version 2 (this reads version 1); left out" \
	"veriexecctl: $t/gated:2: a #> line without a readable version; left out" \
	"veriexecctl: $t/gated:5: a #> line without a readable version; left out" \
	"veriexecctl: $t/gated:6: a #> line without a readable version; left out" > "$t/want"
cmp -s "$t/err" "$t/want"
ok $? "each #> line left out is named on stderr" || diff "$t/want" "$t/err" | sed 's/^/# /'
printf '/a RMD160 00\n/b SHA256 cb30d69b24245bf2ecdc9e7f53bbad19159999970b6d82c0c00c7d32d9e37aa4\n' > "$t/nb2"
expect 1 "nb2:1: RMD160 has no equivalent" "unsupported NetBSD algorithm named" -- \
	"$ctl" convert --from netbsd "$t/nb2"
grep -q '^/b sha256' "$t/out"
ok $? "the other entries are still converted"
printf '%s\n' "/a SHA256 $h program, untrusted #c" "/b SHA256 $h library#c" \
	"/c SHA256 $h program,	untrusted bogus" > "$t/nb4"
expect 1 "^veriexecctl: $t/nb4:3: bogus has no equivalent; entry left out\$" \
	"NetBSD flags after a space are read, not dropped" -- \
	"$ctl" convert --from netbsd "$t/nb4"
[ "$(cat "$t/out")" = "/a sha256 $h program,untrusted
/b sha256 $h library" ]
ok $? "NetBSD flags spread over words, comments after them"
"$ctl" convert --from netbsd "$t/nb" > "$t/nb3" && cmp -s "$t/nb3" "$t/nb"
ok $? "converted NetBSD output round-trips"

expect 2 "usage: veriexecctl sign" "sign without arguments is a usage error" -- "$ctl" sign
expect 2 "unknown command" "unknown command is a usage error" -- "$ctl" frobnicate
expect 2 "usage:" "no command is a usage error" -- "$ctl"
"$ctl" generate --help > "$t/out" && grep -q 'usage: veriexecctl generate' "$t/out"
ok $? "--help prints the command's usage"
expect 2 "is not a level" "level 7 is a usage error" -- "$ctl" level 7

mkdir -p "$t/fs" "$t/conf"
expect 1 "has no veriexec" "load on a kernel without veriexec" -- \
	env VERIEXEC_SECURITYFS="$t/nofs" "$ctl" load "$t/gen.p7s"
: > "$t/fs/manifest"; : > "$t/fs/level"; : > "$t/fs/lock"
cp "$t/gen.p7s" "$t/conf/10-base.p7s"
echo 2 > "$t/conf/level"
echo 1 > "$t/conf/lock"
VERIEXEC_SECURITYFS="$t/fs" VERIEXEC_CONFDIR="$t/conf" "$ctl" boot
ok $? "boot exits 0"
cmp -s "$t/fs/manifest" "$t/gen.p7s" && [ "$(cat "$t/fs/level")" = 2 ] &&
	[ "$(cat "$t/fs/lock")" = 1 ]
ok $? "boot loads the manifests, then sets the level and the lock"
# From an initramfs, level 2 would refuse its own mount and run-init.
: > "$t/fs/manifest"; : > "$t/fs/level"; : > "$t/fs/lock"
VERIEXEC_SECURITYFS="$t/fs" VERIEXEC_CONFDIR="$t/conf" "$ctl" boot --max-level 1
ok $? "boot --max-level 1 exits 0"
cmp -s "$t/fs/manifest" "$t/gen.p7s" && [ "$(cat "$t/fs/level")" = 1 ] &&
	[ ! -s "$t/fs/lock" ]
ok $? "boot --max-level 1 loads, sets level 1 for 2 and leaves the lock"
: > "$t/fs/level"
echo 1 > "$t/conf/level"
VERIEXEC_SECURITYFS="$t/fs" VERIEXEC_CONFDIR="$t/conf" "$ctl" boot --max-level 2 &&
	[ "$(cat "$t/fs/level")" = 1 ] && [ "$(cat "$t/fs/lock")" = 1 ]
ok $? "boot --max-level above the level sets it and the lock as configured"
echo 2 > "$t/conf/level"
expect 2 "usage: veriexecctl boot" "boot --max-level 5 is a usage error" -- \
	env VERIEXEC_SECURITYFS="$t/fs" VERIEXEC_CONFDIR="$t/conf" "$ctl" boot --max-level 5

# learn: a fake learned file through VERIEXEC_SECURITYFS.
L=$t/learn
mkdir -p "$L/fs" "$L/bin"
for f in exec exec-open exec-mmap mmap-open mmap interp open "odd name	x\\y" link1 replaced; do
	printf '%s\n' "$f" > "$L/bin/$f"
done
ln "$L/bin/link1" "$L/bin/link2"
lsum() { sha256sum < "$L/bin/$1" | cut -d" " -f1; }
# DEV:INO of a file, as the kernel writes it (the device is not compared).
key() { echo "8:1:$(stat -c %i "$L/bin/$1")"; }
cat > "$L/fs/learned" <<EOF2
open $L/bin/open $(key open)
exec $L/bin/exec-open $(key exec-open)
mmap $L/bin/mmap $(key mmap)
exec $L/bin/exec $(key exec)
open $L/bin/exec-open $(key exec-open)
exec $L/bin/exec-mmap $(key exec-mmap)
mmap $L/bin/exec-mmap $(key exec-mmap)
mmap $L/bin/mmap-open $(key mmap-open)
open $L/bin/mmap-open $(key mmap-open)
interp $L/bin/interp $(key interp)
exec $L/bin/gone 8:1:7
exec $L/bin/odd\040name\011x\134y $(key "odd name	x\\y")
exec $L/bin/exec $(key exec)
open $L/bin/link2 $(key link2)
exec $L/bin/link1 $(key link1)
exec $L/bin/replaced 8:1:1
EOF2
cat > "$t/lwant" <<EOF2
$L/bin/exec sha256 $(lsum exec) direct
$L/bin/exec-mmap sha256 $(lsum exec-mmap) direct
$L/bin/exec-open sha256 $(lsum exec-open) direct,file
$L/bin/interp sha256 $(lsum interp) indirect
$L/bin/link1 sha256 $(lsum link1) direct,file
$L/bin/mmap sha256 $(lsum mmap) indirect
$L/bin/mmap-open sha256 $(lsum mmap-open) file,indirect
$L/bin/odd\040name\011x\134y sha256 $(lsum "odd name	x\\y") direct
$L/bin/open sha256 $(lsum open) file
EOF2
printf '%s\n' "veriexecctl: $L/bin/gone: no longer exists; left out" \
	"veriexecctl: $L/bin/replaced: is another file than the one used; left out" \
	"veriexecctl: $L/bin/link2: same file as $L/bin/link1; listed once" > "$t/lwant-err"
VERIEXEC_SECURITYFS=$L/fs "$ctl" learn > "$t/lgot" 2> "$t/err"
ok $? "learn exits 0 when files are gone"
cmp -s "$t/lgot" "$t/lwant"
ok $? "learn: direct, indirect, file combined per path, sorted, escaped" ||
	diff "$t/lwant" "$t/lgot" | sed 's/^/# /'
cmp -s "$t/err" "$t/lwant-err"
ok $? "learn names gone or replaced files and hard links on stderr" ||
	diff "$t/lwant-err" "$t/err" | sed 's/^/# /'
VERIEXEC_SECURITYFS=$L/fs "$ctl" learn -o "$t/lout" 2> /dev/null &&
	cmp -s "$t/lout" "$t/lwant" && [ "$(stat -c %a "$t/lout")" = 644 ]
ok $? "learn -o writes the manifest to a file"
"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/lout.p7s" "$t/lout"
ok $? "learn output is a manifest the kernel's parser accepts"
cp "$L/fs/learned" "$t/learned.good"
printf 'write /bin/sh 8:1:1\n' >> "$L/fs/learned"
expect 1 "^veriexecctl: $L/fs/learned: line 17: unknown operation\$" \
	"learn names the line with an unknown operation" -- \
	env VERIEXEC_SECURITYFS="$L/fs" "$ctl" learn -o "$t/lbad"
[ ! -s "$t/out" ] && [ ! -e "$t/lbad" ]
ok $? "a refused learn writes no manifest"
for esc in '\x' '\12' '\400' '\000sh'; do
	printf 'exec /bin/a%s 8:1:1\n' "$esc" > "$L/fs/learned"
	expect 1 "learned: line 1: bad escape in path" "learn refuses the escape $esc" -- \
		env VERIEXEC_SECURITYFS="$L/fs" "$ctl" learn
done
printf 'mmap anon_inode:[io_uring] 0:15:7\nexec %s %s\n' "$L/bin/exec" "$(key exec)" > "$L/fs/learned"
VERIEXEC_SECURITYFS=$L/fs "$ctl" learn > "$t/out" 2> "$t/err"
[ $? = 0 ] && [ "$(cat "$t/out")" = "$L/bin/exec sha256 $(lsum exec) direct" ] &&
	[ "$(cat "$t/err")" = "veriexecctl: $L/fs/learned: line 1: anon_inode:[io_uring] is not a path; left out" ]
ok $? "learn names and leaves out what is not a path"
printf 'exec /bin/sh\n' > "$L/fs/learned"
expect 1 "learned: line 1: not OP PATH DEV:INO" "learn refuses a short line" -- \
	env VERIEXEC_SECURITYFS="$L/fs" "$ctl" learn
printf 'exec %s %s\n' "$L/bin/exec" "$(key exec)" > "$L/fs/learned"
chmod 000 "$L/bin/exec"
if [ "$(id -u)" != 0 ]; then
	expect 1 "$L/bin/exec: Permission denied" "learn fails on an unreadable file" -- \
		env VERIEXEC_SECURITYFS="$L/fs" "$ctl" learn
else
	n=$((n + 1)); echo "ok $n # SKIP root reads unreadable files"
fi
chmod 644 "$L/bin/exec"
mkfifo "$L/bin/fifo"
printf 'open %s 8:1:1\n' "$L/bin/fifo" > "$L/fs/learned"
expect 1 "^veriexecctl: $L/bin/fifo: not a regular file\$" \
	"learn refuses a FIFO rather than block on it" -- \
	env VERIEXEC_SECURITYFS="$L/fs" "$ctl" learn
: > "$L/fs/learned"
VERIEXEC_SECURITYFS=$L/fs "$ctl" learn > "$t/out" && [ ! -s "$t/out" ]
ok $? "nothing learned: an empty manifest"
expect 1 "^veriexecctl: $t/nofs/learned: No such file or directory\$" \
	"learn names a missing learned file" -- \
	env VERIEXEC_SECURITYFS="$t/nofs" "$ctl" learn
expect 2 "usage: veriexecctl learn" "learn with an argument is a usage error" -- \
	"$ctl" learn extra

# check against a fake entries file: by inode, as the kernel finds entries.
C=$t/check
mkdir -p "$C/fs"
for f in sha fv-right fv-wrong none; do
	prng 10000 > "$C/$f"
done
printf x >> "$C/fv-wrong"
devino() { stat -c '%Hd:%Ld:%i' "$1"; }
fvd() { "$ctl" generate --all --fsverity "$C/fv-right" | cut -d' ' -f3; }
{
	echo "base $C/sha sha256 $(sha256sum < "$C/sha" | cut -d' ' -f1) direct $(devino "$C/sha") unevaluated"
	echo "base $C/fv-right fsverity-sha256 $(fvd) direct $(devino "$C/fv-right") unevaluated"
	echo "base $C/fv-wrong fsverity-sha256 $(fvd) direct $(devino "$C/fv-wrong") unevaluated"
} > "$C/fs/entries"
VERIEXEC_SECURITYFS=$C/fs "$ctl" check "$C/sha" > "$t/out" 2> "$t/err"
[ $? = 0 ] && [ "$(cat "$t/out")" = "$C/sha: ok" ] && [ ! -s "$t/err" ]
ok $? "check: a sha256 entry that matches is ok"
VERIEXEC_SECURITYFS=$C/fs "$ctl" check "$C/fv-right" > "$t/out" 2> "$t/err"
[ $? = 1 ] && [ "$(cat "$t/out")" = "$C/fv-right: mismatch" ] &&
	[ "$(cat "$t/err")" = "veriexecctl: $C/fv-right: fs-verity is not enabled on it, a mismatch to the kernel" ]
ok $? "check: right fs-verity digest without fs-verity is a mismatch, and says why"
VERIEXEC_SECURITYFS=$C/fs "$ctl" check "$C/fv-wrong" > "$t/out" 2> "$t/err"
[ $? = 1 ] && [ "$(cat "$t/out")" = "$C/fv-wrong: mismatch" ] && [ ! -s "$t/err" ]
ok $? "check: wrong content under an fsverity-sha256 entry is a mismatch"
VERIEXEC_SECURITYFS=$C/fs "$ctl" check "$C/none" "$C/sha" > "$t/out" 2> "$t/err"
[ $? = 1 ] && [ "$(cat "$t/out")" = "$C/none: no entry
$C/sha: ok" ]
ok $? "check: no entry, and the status of the worst"
mkfifo "$C/fifo"
expect 1 "^veriexecctl: $C/fifo: not a regular file\$" "check refuses a FIFO rather than block on it" -- \
	env VERIEXEC_SECURITYFS="$C/fs" "$ctl" check "$C/fifo"
expect 1 "^veriexecctl: $C/fifo: not a regular file\$" "label refuses a FIFO rather than block on it" -- \
	"$ctl" label "$C/fifo"
printf '%s\n' "/bin/true fsverity-sha512 $("$ctl" generate --fsverity -a sha512 /bin/true | cut -d' ' -f3) direct" \
	"/bin/false fsverity-sha256 $(fvd) indirect" > "$t/fvman"
"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/fvman.p7s" "$t/fvman" &&
	[ "$("$ctl" verify --cert "$K/ca.crt" "$t/fvman.p7s")" = "$t/fvman.p7s: signature and manifest OK" ]
ok $? "sign and verify take fsverity-* entries"
printf '/bin/true fsverity-sha512 %s direct\n' "$(fvd)" > "$t/fvbad"
openssl cms -sign -nodetach -binary -noattr -outform DER -in "$t/fvbad" \
	-signer "$K/signing.crt" -inkey "$K/signing.key" -out "$t/fvbad.p7s"
expect 1 "fvbad.p7s: line 1: bad fingerprint" "verify checks fsverity-* digest lengths" -- \
	"$ctl" verify --cert "$K/ca.crt" "$t/fvbad.p7s"

# load -e: parse first, then the verify file, then load and name the set.
E=$t/loade
mkdir -p "$E/fs" "$E/old"
: > "$E/fs/manifest"; : > "$E/fs/verify"; : > "$E/old/manifest"
VERIEXEC_SECURITYFS=$E/fs "$ctl" load -e "$t/gen.p7s" 2> "$t/err"
ok $? "load -e exits 0"
cmp -s "$E/fs/manifest" "$t/gen.p7s" && [ "$(cat "$E/fs/verify")" = app ] &&
	[ "$(od -An -c "$E/fs/verify" | tr -d ' ')" = 'app\n' ]
ok $? "load -e loads, then writes the set name and a newline to verify"
printf '/bin/true sha256 %s direct\n' "$(sha256sum < /bin/true | cut -d' ' -f1)" > "$t/noname"
"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/noname.p7s" "$t/noname" &&
	: > "$E/fs/verify" &&
	VERIEXEC_SECURITYFS=$E/fs "$ctl" load -e "$t/noname.p7s" &&
	[ "$(cat "$E/fs/verify")" = default ]
ok $? "load -e of a manifest without @name verifies the set default"
printf '@name gone\n' > "$t/empty"
"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/empty.p7s" "$t/empty" &&
	: > "$E/fs/verify" &&
	VERIEXEC_SECURITYFS=$E/fs "$ctl" load -e "$t/empty.p7s" && [ ! -s "$E/fs/verify" ]
ok $? "load -e of an empty manifest (an unload) verifies nothing"
printf '@name raw\n/bin/true sha256 %s\n' "$(sha256sum < /bin/true | cut -d' ' -f1)" > "$t/raw"
: > "$E/fs/verify"
VERIEXEC_SECURITYFS=$E/fs "$ctl" load -e "$t/raw" && [ "$(cat "$E/fs/verify")" = raw ]
ok $? "load -e of an unsigned manifest (for development kernels) names its set"
expect 1 "^veriexecctl: $E/old/verify: missing: this kernel cannot verify sets in the background\$" \
	"load -e names the missing verify file" -- \
	env VERIEXEC_SECURITYFS="$E/old" "$ctl" load -e "$t/gen.p7s"
[ ! -s "$E/old/manifest" ]
ok $? "load -e without a verify file loads nothing"
: > "$E/fs/manifest"; : > "$E/fs/verify"
expect 1 "^veriexecctl: $t/malformed.p7s: line 2: bad fingerprint\$" \
	"load -e parses the signed content first" -- \
	env VERIEXEC_SECURITYFS="$E/fs" "$ctl" load -e "$t/malformed.p7s"
printf '0garbage' > "$t/garbage.p7s"
expect 1 "garbage.p7s: not a PKCS#7 signed manifest (bad DER)" \
	"load -e refuses bad DER before loading" -- \
	env VERIEXEC_SECURITYFS="$E/fs" "$ctl" load -e "$t/garbage.p7s"
[ ! -s "$E/fs/manifest" ] && [ ! -s "$E/fs/verify" ]
ok $? "nothing loaded or verified after a parse failure"
expect 2 "usage: veriexecctl load \[-e\] SIGNED" "load -e without a file is a usage error" -- \
	"$ctl" load -e
expect 2 "usage: veriexecctl load" "load with two files is a usage error" -- \
	"$ctl" load -e "$t/gen.p7s" "$t/gen.p7s"
expect 2 "usage: veriexecctl load" "load -x is a usage error" -- \
	"$ctl" load -x "$t/gen.p7s"

# The kernel-API shim the tool builds the kernel's parser with answers
# as the kernel does; what the kernel refuses to compile, it refuses too.
src=$here/..
if ${CC:-cc} -O2 -D_GNU_SOURCE -I"$src/include" -o "$t/kshim_test" \
	"$here/kshim_test.c" "$src/kshim.c" 2> "$t/err"; then
	"$t/kshim_test" > "$t/out"
	rc=$?
	while read -r word rest; do
		if [ "$word" = ok ]; then ok 0 "shim: $rest"; else ok 1 "shim: ${rest#ok }"; fi
	done < "$t/out"
	ok $rc "shim test exits 0"
else
	sed 's/^/# /' "$t/err"
	ok 1 "shim test builds"
fi
# The KUnit parser cases (manifest_cases.h), through the tool's parser.
if ${CC:-cc} -O2 -D_GNU_SOURCE -I"$src/include" -o "$t/parse_cases_test" \
	"$here/parse_cases_test.c" "$src/../../security/veriexec/manifest.c" \
	"$src/kshim.c" 2> "$t/err"; then
	"$t/parse_cases_test" > "$t/out"
	rc=$?
	while read -r word rest; do
		case $word in
		ok) ok 0 "parser case: $rest" ;;
		not) ok 1 "parser case: ${rest#ok }" ;;
		*) echo "$word $rest" ;;
		esac
	done < "$t/out"
	ok $rc "parser cases test exits 0"
else
	sed 's/^/# /' "$t/err"
	ok 1 "parser cases test builds"
fi
${CC:-cc} -O2 -D_GNU_SOURCE -DSHIM_BAD_MAX -I"$src/include" -c -o "$t/bad.o" \
	"$here/kshim_test.c" 2> "$t/err"
[ $? != 0 ] && grep -q 'max(a, b) signedness error' "$t/err"
ok $? "shim: max() of int and unsigned int does not compile"
${CC:-cc} -O2 -D_GNU_SOURCE -DSHIM_BAD_STRSCPY -I"$src/include" -c -o "$t/bad.o" \
	"$here/kshim_test.c" 2> "$t/err"
[ $? != 0 ] && grep -q 'negative width in bit-field' "$t/err"
ok $? "shim: two-argument strscpy() into a pointer does not compile"
# So the tool's parser takes the versions the kernel takes.
printf '@version 18446744073709551615\n' > "$t/maxv"
"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" -o "$t/maxv.p7s" "$t/maxv"
ok $? "sign accepts the largest @version"
for v in +7 0x7 18446744073709551616; do
	printf '@version %s\n' "$v" > "$t/badv"
	expect 1 "badv: line 1: bad version" "sign refuses @version $v, as the kernel does" -- \
		"$ctl" sign --key "$K/signing.key" --cert "$K/signing.crt" "$t/badv"
done

echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
