#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make the test CA and a signing certificate it issues.  The CA becomes a
# builtin trusted key of the test kernel only; none of this is for real use.
#
# Usage: mkkeys.sh OUTDIR
set -eu

out=${1:?usage: mkkeys.sh OUTDIR}
mkdir -p "$out"
cd "$out"
[ -s rogue.der ] && exit 0

cat > ca.cnf <<'CNF'
[ req ]
distinguished_name = dn
prompt = no
x509_extensions = ca_ext
[ dn ]
CN = veriexec test CA
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ signing_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

openssl req -new -x509 -nodes -newkey rsa:2048 -sha256 -days 36500 \
	-config ca.cnf -keyout ca.key -out ca.crt 2>/dev/null
openssl req -new -nodes -newkey rsa:2048 -sha256 \
	-subj "/CN=veriexec test signing key" \
	-keyout signing.key -out signing.csr 2>/dev/null
openssl x509 -req -in signing.csr -CA ca.crt -CAkey ca.key \
	-CAcreateserial -days 36500 -sha256 \
	-extfile ca.cnf -extensions signing_ext -out signing.crt 2>/dev/null

# A second, unrelated CA and signer: the kernel does not trust them.
openssl req -new -x509 -nodes -newkey rsa:2048 -sha256 -days 36500 \
	-config ca.cnf -subj "/CN=veriexec rogue CA" \
	-keyout rogue.key -out rogue.crt 2>/dev/null
openssl x509 -in signing.crt -outform DER -out signing.der
openssl x509 -in rogue.crt -outform DER -out rogue.der
rm -f signing.csr ca.srl
