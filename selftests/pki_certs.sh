#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keys and certificates for the certificate-group tests (pki.sh), made with
# openssl into the directory $PKI: NAME.key (PEM), NAME.p8 (PKCS#8 DER, for
# keyctl padd), NAME.pem, NAME.chain (NAME's certificate first, the root
# last). Sourced by pki.sh for its functions; run as
#   pki_certs.sh DIR
# it makes the standard set in DIR (make selftests does, on the build
# machine, where RSA key generation is not emulated).

# pki_init: $PKI ready for openssl ca, which sets validity dates as given
# (x509 cannot).
pki_init() {
	cat > "$PKI/ca.cnf" <<'CNF'
[ca]
default_ca = pg
[pg]
database = $ENV::PKI/index.txt
new_certs_dir = $ENV::PKI
serial = $ENV::PKI/serial
default_md = sha256
policy = cn_only
unique_subject = no
email_in_dn = no
[cn_only]
commonName = supplied
[admin]
basicConstraints = critical, CA:TRUE
[member]
basicConstraints = CA:FALSE
CNF
	: > "$PKI/index.txt"
	echo 01 > "$PKI/serial"
}

# key NAME: an RSA key NAME.key (PEM) and NAME.p8 (PKCS#8 DER) for keyctl.
key() {
	openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$PKI/$1.key"
	openssl pkcs8 -topk8 -nocrypt -in "$PKI/$1.key" -outform DER \
		-out "$PKI/$1.p8"
}

# root NAME: NAME's self-signed root certificate, NAME.pem and NAME.chain,
# valid from 2020 to 2099 (its members' certificates lie inside it).
root() {
	openssl req -new -key "$PKI/$1.key" -subj "/CN=$1" -out "$PKI/$1.csr"
	openssl ca -batch -notext -selfsign -config "$PKI/ca.cnf" \
		-extensions admin -keyfile "$PKI/$1.key" \
		-startdate 20200101000000Z -enddate 20991231235959Z \
		-in "$PKI/$1.csr" -out "$PKI/$1.pem" 2> /dev/null
	cp "$PKI/$1.pem" "$PKI/$1.chain"
}

# issue NAME ISSUER ROLE [START END]: NAME.pem issued by ISSUER, its chain
# NAME.chain (NAME's first, the root last); a week from now by default.
issue() {
	local dates=(-days 7)

	[ $# -eq 5 ] && dates=(-startdate "$4" -enddate "$5")
	openssl req -new -key "$PKI/$1.key" -subj "/CN=$1" -out "$PKI/$1.csr"
	openssl ca -batch -notext -config "$PKI/ca.cnf" -extensions "$3" \
		-cert "$PKI/$2.pem" -keyfile "$PKI/$2.key" "${dates[@]}" \
		-in "$PKI/$1.csr" -out "$PKI/$1.pem" 2> /dev/null
	cat "$PKI/$1.pem" "$PKI/$2.chain" > "$PKI/$1.chain"
}

# The standard set: alice's root; bob and dave members and carol and erin
# administrators of it; mallory issued by bob, a member; old and early outside the present;
# zed another root.
pki_standard() {
	local k

	pki_init
	for k in alice bob carol dave erin mallory old early zed; do
		key "$k"
	done
	root alice
	root zed
	issue bob alice member
	issue carol alice admin
	issue dave alice member
	issue erin alice admin
	issue mallory bob admin
	issue old alice member 20200101000000Z 20200201000000Z
	issue early alice member 20990101000000Z 20990201000000Z
}

# pki_fixtures DIR: $PKI, a directory of its own removed at exit, holding
# the standard set: copied from DIR/pki-fixtures (made at build time), or
# made here.
pki_fixtures() {
	PKI=$(mktemp -d)
	# Expanded now: $PKI is this directory for good.
	# shellcheck disable=SC2064
	trap "rm -rf '$PKI'" EXIT
	export PKI
	if [ -d "$1/pki-fixtures" ]; then
		cp -a "$1/pki-fixtures/." "$PKI/"
	else
		pki_standard
	fi
}

# serial NAME: NAME's private key loaded into root's user keyring.
serial() {
	keyctl padd asymmetric "pg-$1-$RANDOM" @u < "$PKI/$1.p8"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -e
	[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
	rm -rf "$1"
	mkdir -p "$1"
	PKI=$(cd "$1" && pwd)
	export PKI
	pki_standard
fi
