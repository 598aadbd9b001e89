#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Invitations of a certificate group (member invite): an administrator's
# node issues a certificate for another identity's public key, signed by
# the group's key in the kernel keyring. openssl reads and verifies what
# it made (subject, issuer, role, validity, the chain to the root); the
# invitee joins with the chain, its records reach the administrator, and
# the role its certificate says holds there. Refused, each with its reason:
# a member's invitation, a validity past the issuer's, a key too small, a
# file that is no public key, a password group. And no private key is ever
# in what a command, a dump, an event or an export gives.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

# shellcheck source=selftests/pki_certs.sh
source "$(dirname "$0")/pki_certs.sh"

pki_fixtures "$(dirname "$0")"

# pub NAME: NAME's public key, PEM, as openssl writes it.
pub() {
	openssl pkey -in "$PKI/$1.key" -pubout -out "$PKI/$1.pub"
}

# invite NS ARG...: member invite office in NS.
invite() {
	local ns=$1

	shift
	in_ns "$ns" "$PEERGROUP" member invite office "$@"
}

# A issues dave (a member) and frank (an administrator, erin's key)
# certificates; openssl checks them; dave joins with its chain from B.
invitations() {
	local a b out fp id

	a=$(new_netns)
	b=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	in_ns "$a" "$PEERGROUP" group add office identity alice security pki \
		key "$(serial alice)" cert "$PKI/alice.chain" > /dev/null
	in_ns "$a" "$PEERGROUP" listen add
	pub dave
	pub erin

	out=$(invite "$a" identity dave key "$PKI/dave.pub" until +2d \
		out "$PKI/dave.new")
	expect_eq "two certificates: dave's, then alice's" 2 \
		"$(grep -c 'BEGIN CERTIFICATE' "$PKI/dave.new")"
	expect_eq "no private key written" 0 \
		"$(grep -c PRIVATE "$PKI/dave.new")"
	openssl x509 -in "$PKI/dave.new" -out "$PKI/dave.leaf"
	expect_eq "openssl verifies it to the root" "$PKI/dave.leaf: OK" \
		"$(openssl verify -CAfile "$PKI/alice.pem" "$PKI/dave.leaf")"
	expect_match "subject and issuer" "subject=CN = dave.issuer=CN = alice" \
		"$(openssl x509 -in "$PKI/dave.leaf" -noout -subject -issuer | tr '\n' .)"
	expect_match "a member: cA false" "CA:FALSE" \
		"$(openssl x509 -in "$PKI/dave.leaf" -noout -ext basicConstraints)"
	expect_eq "its key, dave's" \
		"$(openssl pkey -pubin -in "$PKI/dave.pub" -outform DER | sha256sum)" \
		"$(openssl x509 -in "$PKI/dave.leaf" -pubkey -noout |
		   openssl pkey -pubin -outform DER | sha256sum)"
	expect_eq "valid for two days" 2 \
		"$(( ($(date -u -d "$(openssl x509 -in "$PKI/dave.leaf" -noout -enddate | cut -d= -f2)" +%s) -
		      $(date -u +%s) + 3600) / 86400 ))"
	fp=$(openssl x509 -in "$PKI/dave.leaf" -outform DER | sha256sum | cut -c1-64)
	expect_eq "printed as member list prints it" \
		"member dave|	role member|	issuer alice|	fingerprint $fp" \
		"$(grep -E '^member|role|issuer|fingerprint' <<< "$out" | paste -sd'|')"

	invite "$a" identity frank key "$PKI/erin.pub" role admin \
		out "$PKI/frank.new" > /dev/null
	openssl x509 -in "$PKI/frank.new" -out "$PKI/frank.leaf"
	expect_match "an administrator: cA true" "CA:TRUE" \
		"$(openssl x509 -in "$PKI/frank.leaf" -noout -ext basicConstraints)"
	expect_eq "until the issuer's end by default" \
		"$(openssl x509 -in "$PKI/alice.pem" -noout -enddate)" \
		"$(openssl x509 -in "$PKI/frank.leaf" -noout -enddate)"
	expect_eq "-j: what it says" "frank admin alice" \
		"$(in_ns "$a" "$PEERGROUP" -j member invite office identity frank \
			key "$PKI/erin.pub" role admin out "$PKI/frank2.new" |
		   jq -r '.[] | "\(.identity) \(.role) \(.issuer)"')"

	# dave joins with what it was given; its records reach alice, and
	# its certificate's role holds there.
	in_ns "$b" "$PEERGROUP" group join office identity dave security pki \
		key "$(serial dave)" cert "$PKI/dave.new" > /dev/null
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 60 status_has "$b" synchronized || die "b not synchronized"
	id=$(repl_add "$b" green)
	wait_until 30 colour_is "$a" "$id" green ||
		die "a: dave's record: $(get_colour "$a" "$id")"
	expect_match "a knows dave's new certificate" "$fp" \
		"$(in_ns "$a" "$PEERGROUP" -j member list office)"
	id=$(repl_add "$a" red)
	wait_until 30 colour_is "$b" "$id" red || die "b: alice's record"
	expect_failure "dave, a member, changes alice's record" 1 \
		'only its creator or an administrator' \
		in_ns "$b" "$PEERGROUP" record update office "$id" attr colour=black
	expect_failure "dave, a member, invites" 1 \
		"^peergroup: member invite office: member invite: only an administrator issues certificates \(EACCES" \
		invite "$b" identity zoe key "$PKI/erin.pub"
	ip netns del "$b"
	ip netns del "$a"
}

colour_is() {
	[ "$(get_colour "$1" "$2")" = "$3" ]
}

refusals() {
	local ns

	ns=$(new_netns)
	in_ns "$ns" "$PEERGROUP" group add office identity alice security pki \
		key "$(serial alice)" cert "$PKI/alice.chain" > /dev/null
	pub dave
	expect_failure "past the issuer's validity" 1 \
		"validity is not inside this node's certificate's \(EINVAL" \
		invite "$ns" identity dave key "$PKI/dave.pub" until +36500d
	expect_failure "ends before it begins" 1 \
		'the validity ends before it begins' \
		invite "$ns" identity dave key "$PKI/dave.pub" from +2d until +1d
	expect_failure "not an identity" 1 \
		'identity: use 2 to 255 printable ASCII characters, no spaces' \
		invite "$ns" identity 'a b' key "$PKI/dave.pub"
	openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
		-out "$PKI/small.key"
	pub small
	expect_failure "a key of 1024 bits" 1 \
		'public key: the RSA key is not of 2048 to 4096 bits \(EINVAL' \
		invite "$ns" identity dave key "$PKI/small.pub"
	expect_failure "a certificate for a key" 2 \
		'key .*: block 1 is a "CERTIFICATE", not a PUBLIC KEY' \
		invite "$ns" identity dave key "$PKI/dave.pem"
	head -c 300 /dev/urandom > "$PKI/noise"
	expect_failure "noise for a key" 1 'public key: not a DER SubjectPublicKeyInfo' \
		invite "$ns" identity dave key "$PKI/noise"
	expect_failure "-j without out" 2 'give the chain a file \(out FILE\)' \
		in_ns "$ns" "$PEERGROUP" -j member invite office identity dave \
		key "$PKI/dave.pub"
	in_ns "$ns" "$PEERGROUP" group add pw identity alice > /dev/null
	expect_failure "a password group" 1 \
		'a password group issues no certificates; every member holds the one key \(EOPNOTSUPP' \
		in_ns "$ns" "$PEERGROUP" member invite pw identity dave \
		key "$PKI/dave.pub"
	ip netns del "$ns"
}

repl_modules
modprobe -q pkcs8_key_parser 2> /dev/null || true

# secrets_in KEY FILE...: the FILEs that hold a piece of KEY's private
# numbers (d, p, q: 24 bytes of each), as bytes, hex in either case or
# base64 at any alignment.
secrets_in() {
	python3 - "$@" <<'PY'
import base64, re, subprocess, sys

text = subprocess.run(["openssl", "rsa", "-in", sys.argv[1], "-noout", "-text"],
                      capture_output=True, text=True, check=True).stdout
forms = []
for name in ("privateExponent", "prime1", "prime2"):
    m = re.search(name + r":\n((?:[ \t]+[0-9a-f:]+\n)+)", text)
    s = bytes.fromhex(re.sub(r"[\s:]", "", m.group(1))).lstrip(b"\0")[:24]
    forms += [s, s.hex().encode()]
    forms += [base64.b64encode(s[k:k + 18]) for k in range(3)]
for f in sys.argv[2:]:
    data = open(f, "rb").read()
    if any(x in data or x in data.lower() for x in forms):
        print(f)
PY
}

# Everything a certificate group tells, on one node: group and member
# lists and status, records, neighbours, an invitation, an export, the
# events of it all; none holds a piece of the private key. The keyring
# itself does not give it either.
no_private_key() {
	local ns s f

	ns=$(new_netns)
	ip netns exec "$ns" "$PEERGROUP" -j monitor > "$PKI/out.monitor" 2>&1 &
	MON=$!
	trap '[ -z "${MON-}" ] || kill "$MON" 2> /dev/null || true' EXIT
	s=$(serial alice)
	in_ns "$ns" "$PEERGROUP" -j group add office identity alice \
		security pki key "$s" cert "$PKI/alice.chain" > "$PKI/out.add"
	repl_add "$ns" red > /dev/null
	pub dave
	invite "$ns" identity dave key "$PKI/dave.pub" out "$PKI/out.chain" \
		> "$PKI/out.invite"
	in_ns "$ns" "$PEERGROUP" export office "$PKI/out.export"
	for f in "group show" "group status office" "record list office" \
		 "member list office" "neighbour show office"; do
		# Word splitting makes the command of each.
		# shellcheck disable=SC2086
		in_ns "$ns" "$PEERGROUP" -j $f > "$PKI/out.${f// /-}" ||
			die "-j $f failed"
		# shellcheck disable=SC2086
		in_ns "$ns" "$PEERGROUP" $f >> "$PKI/out.${f// /-}" ||
			die "$f failed"
	done
	in_ns "$ns" "$PEERGROUP" group set office max-records 100 ||
		die "group set failed"
	wait_until 10 grep -q '"properties"' "$PKI/out.monitor" ||
		die "the monitor heard nothing: $(cat "$PKI/out.monitor")"
	expect_failure "the keyring does not read it out" 1 'not supported' \
		keyctl read "$s"
	# The test of the test: the key file itself is found.
	expect_eq "the scan finds the key" "$PKI/alice.key" \
		"$(secrets_in "$PKI/alice.key" "$PKI/alice.key")"
	expect_eq "no output holds the private key" "" \
		"$(secrets_in "$PKI/alice.key" "$PKI"/out.*)"
	kill "$MON"
	wait "$MON" 2> /dev/null || true
	MON=
	ip netns del "$ns"
}

ktap_header 3
run_test "member invite: certificates openssl verifies; the invitee joins with one" invitations
run_test "member invite refused, each with its reason" refusals
run_test "no command, dump, event or export gives the private key" no_private_key
ktap_finish
