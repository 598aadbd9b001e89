#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Certificate groups (security pki): keys in the kernel keyring, chains made
# by openssl. A group made from a root certificate (its id the hash of the
# root's key, its creator the root's subject), refusals of bad keys and
# chains with their messages, the role rule on one node, and three peers:
# handshakes by certificate, records signed and checked on every peer, an
# administrator's change of a member's record accepted everywhere, the
# creator's signed properties followed. And pg_peer, the peer written from
# the documentation alone, with its key and chain in files: as a member it
# takes the table, every record verified by it, its membership and records
# are stored; its update of another's record, a record in another's name
# signed with its key, one outliving its certificate and a bad signature
# are refused, its properties (not signed by the root's key) close the
# connection; as an administrator its update of a member's record reaches
# every peer.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

# shellcheck source=selftests/pki_certs.sh
source "$(dirname "$0")/pki_certs.sh"

# The keys and certificates, made by openssl on the build machine (make
# selftests: pki-fixtures), or here; more can be made with pki_certs.sh's
# functions.

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer

PKI=$(mktemp -d)
trap 'rm -rf "$PKI"' EXIT
export PKI
if [ -d "$(dirname "$0")/pki-fixtures" ]; then
	cp -a "$(dirname "$0")/pki-fixtures/." "$PKI/"
else
	pki_standard
fi

# serial NAME: NAME's private key loaded into root's user keyring.
serial() {
	keyctl padd asymmetric "pg-$1-$RANDOM" @u < "$PKI/$1.p8"
}

# pki_group NS IDENTITY: IDENTITY's "office" in NS, with its key and chain.
pki_group() {
	in_ns "$1" "$PEERGROUP" group add office identity "$2" security pki \
		key "$(serial "$2")" cert "$PKI/$2.chain" > /dev/null
}

# The group id: SHA-256 of the root's SubjectPublicKeyInfo, 40 hex digits.
root_id() {
	openssl x509 -in "$PKI/alice.pem" -pubkey -noout |
		openssl pkey -pubin -outform DER | sha256sum | cut -c1-40
}

create() {
	local ns out id

	ns=$(new_netns)
	pki_group "$ns" alice
	out=$(in_ns "$ns" "$PEERGROUP" group status office)
	expect_match "security" $'\tsecurity pki' "$out"
	expect_match "role" $'\trole admin' "$out"
	expect_match "creator" $'\tcreator alice' "$out"
	expect_match "the id, the hash of the root's key" \
		"$(root_id)\.office" "$(in_ns "$ns" "$PEERGROUP" group show office)"
	# Its membership record: the chain, signed with alice's key.
	expect_eq "the membership record" 1 "$(count_records "$ns")"
	id=$(repl_add "$ns" red)
	expect_eq "a record, signed" red "$(get_colour "$ns" "$id")"
	in_ns "$ns" "$PEERGROUP" record update office "$id" attr colour=blue > /dev/null
	expect_eq "updated" blue "$(get_colour "$ns" "$id")"
	# The key's signature checks with the certificate's key (openssl).
	in_ns "$ns" "$PEERGROUP" -j record get office "$id" |
		jq -r .security > "$PKI/sec.hex"
	expect_match "security data: format 1, the fingerprint, 256 bytes" \
		"^01$(openssl x509 -in "$PKI/alice.pem" -outform DER |
		      sha256sum | cut -c1-64)0100" "$(cat "$PKI/sec.hex")"
	ip netns del "$ns"
}

refusals() {
	local ns s

	ns=$(new_netns)
	expect_failure "another's key" 1 \
		'key: not the private key of the first certificate' \
		in_ns "$ns" "$PEERGROUP" group add office identity alice \
		security pki key "$(serial bob)" cert "$PKI/alice.chain"
	expect_failure "no such key" 1 'key: no such key' \
		in_ns "$ns" "$PEERGROUP" group add office identity alice \
		security pki key 12345 cert "$PKI/alice.chain"
	s=$(keyctl padd user "pg-not-asym-$RANDOM" @u <<< secret)
	expect_failure "not an asymmetric key" 1 'key: not an asymmetric key' \
		in_ns "$ns" "$PEERGROUP" group add office identity alice \
		security pki key "$s" cert "$PKI/alice.chain"
	expect_failure "another identity's certificate" 1 \
		"the first one's subject is not this node's identity" \
		in_ns "$ns" "$PEERGROUP" group add office identity carol \
		security pki key "$(serial bob)" cert "$PKI/bob.chain"
	expect_failure "no root at the end" 1 'the last is not self-signed' \
		in_ns "$ns" "$PEERGROUP" group add office identity bob \
		security pki key "$(serial bob)" cert "$PKI/bob.pem"
	expect_failure "an expired certificate" 1 \
		"this node's certificate is not valid now" \
		in_ns "$ns" "$PEERGROUP" group add office identity old \
		security pki key "$(serial old)" cert "$PKI/old.chain"
	expect_failure "a certificate not yet valid" 1 \
		"this node's certificate is not valid now" \
		in_ns "$ns" "$PEERGROUP" group add office identity early \
		security pki key "$(serial early)" cert "$PKI/early.chain"
	expect_failure "issued by a member" 1 \
		'an issuer is not an administrator' \
		in_ns "$ns" "$PEERGROUP" group add office identity mallory \
		security pki key "$(serial mallory)" cert "$PKI/mallory.chain"
	expect_failure "a chain of another root" 1 \
		"group id: not the hash of the root certificate's public key" \
		in_ns "$ns" "$PEERGROUP" group join office identity zed \
		id "$(root_id).office" security pki key "$(serial zed)" \
		cert "$PKI/zed.chain"
	[ -z "$(in_ns "$ns" "$PEERGROUP" group show)" ] ||
		die "a refused group exists: $(in_ns "$ns" "$PEERGROUP" group show)"
	ip netns del "$ns"
}

# mesh [HOOK]: A (alice, the creator), B (bob, a member), C (carol, an
# administrator), all connected, synchronized; HOOK runs once every group
# exists and A and B listen, before anyone connects.
mesh() {
	A=$(new_netns)
	B=$(new_netns)
	C=$(new_netns)
	link "$A" 192.0.2.1 "$B" 192.0.2.2
	link "$A" 192.0.2.17 "$C" 192.0.2.18
	link "$B" 192.0.2.33 "$C" 192.0.2.34
	pki_group "$A" alice
	pki_group "$B" bob
	pki_group "$C" carol
	in_ns "$A" "$PEERGROUP" listen add
	in_ns "$B" "$PEERGROUP" listen add
	[ $# -eq 0 ] || "$1"
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.33 > /dev/null
	wait_until 60 established "$B" "established established" ||
		die "b: neighbours $(neighbour_state "$B")"
	wait_until 60 established "$C" "established established" ||
		die "c: neighbours $(neighbour_state "$C")"
	wait_until 30 status_has "$B" synchronized || die "b not synchronized"
	wait_until 30 status_has "$C" synchronized || die "c not synchronized"
}

# pg_peer_as NS COMMAND IDENTITY ARG...: pg_peer in NS towards a (mesh) at
# 192.0.2.49, with IDENTITY's key and chain from their files.
pg_peer_as() {
	local ns=$1 cmd=$2 who=$3

	shift 3
	in_ns "$ns" "$PG_PEER" "$cmd" 192.0.2.49 3587 "$(root_id).office" "$who" \
		"pki:$PKI/$who.key:$PKI/$who.chain" "$@"
}

# outcomes: "ACTION OUTCOME" per line of pg_peer send's JSON on stdin.
outcomes() {
	jq -r '"\(.action) \(.outcome)"'
}

modifier_is() {
	[ "$(in_ns "$1" "$PEERGROUP" -j record get office "$2" | jq -r .modifier)" = "$3" ]
}

colour_is() {
	[ "$(get_colour "$1" "$2")" = "$3" ]
}

max_records_is() {
	[ "$(group_value "$1" max-records)" = "$2" ]
}

three_peers() {
	local a b out

	mesh
	# Three memberships everywhere.
	wait_until 30 has_records "$A" 3 || die "a: $(count_records "$A") records"
	wait_until 30 has_records "$B" 3 || die "b: $(count_records "$B") records"
	wait_until 30 has_records "$C" 3 || die "c: $(count_records "$C") records"
	out=$(in_ns "$B" "$PEERGROUP" group status office)
	expect_match "b's role" $'\trole member' "$out"
	expect_match "c's role" $'\trole admin' \
		"$(in_ns "$C" "$PEERGROUP" group status office)"

	a=$(repl_add "$A" red)
	b=$(repl_add "$B" green)
	wait_until 30 has_records "$A" 5 || die "a: $(count_records "$A") records"
	wait_until 30 has_records "$B" 5 || die "b: $(count_records "$B") records"
	wait_until 30 has_records "$C" 5 || die "c: $(count_records "$C") records"

	# The role rule: a member changes only its own records.
	expect_failure "bob changes alice's record" 1 \
		'only its creator or an administrator' \
		in_ns "$B" "$PEERGROUP" record update office "$a" attr colour=black
	# An administrator who is not the creator changes a member's record.
	in_ns "$C" "$PEERGROUP" record update office "$b" attr colour=white > /dev/null
	wait_until 30 colour_is "$A" "$b" white ||
		die "a: bob's record is $(get_colour "$A" "$b")"
	wait_until 30 colour_is "$B" "$b" white ||
		die "b: its record is $(get_colour "$B" "$b")"
	# The creator's properties, signed with the root's key, followed.
	in_ns "$A" "$PEERGROUP" group set office max-records 500
	wait_until 30 max_records_is "$B" 500 ||
		die "b: max records $(group_value "$B" max-records)"
	wait_until 30 max_records_is "$C" 500 ||
		die "c: max records $(group_value "$C" max-records)"
	expect_failure "a member sets the properties" 1 \
		'only its creator may set' \
		in_ns "$B" "$PEERGROUP" group set office max-records 10
	same_tables "$A" "$B" "$C" || die "the tables differ"
	ip netns del "$C"
	ip netns del "$B"
	ip netns del "$A"
}

# cert_member NAME ROLE ISSUER: NAME's certificate as member_lines prints
# a member, from openssl: validity in ns, fingerprint, not revoked.
cert_member() {
	local pem=$PKI/$1.pem from to fp

	from=$(openssl x509 -in "$pem" -noout -startdate | cut -d= -f2)
	to=$(openssl x509 -in "$pem" -noout -enddate | cut -d= -f2)
	fp=$(openssl x509 -in "$pem" -outform DER | sha256sum | cut -c1-64)
	printf '%s %s %s %s000000000 %s000000000 %s false\n' "$1" "$2" "$3" \
		"$(date -u -d "$from" +%s)" "$(date -u -d "$to" +%s)" "$fp"
}

# member_lines NS: NS's members, one line each, sorted by identity.
member_lines() {
	in_ns "$1" "$PEERGROUP" -j member list office |
		jq -r '.[] | [.identity, .role, .issuer, .not_before_ns,
			      .not_after_ns, .fingerprint, .revoked] |
			   map(tostring) | join(" ")' | sort
}

# own_member NS: the identity of NS's own certificate.
own_member() {
	in_ns "$1" "$PEERGROUP" -j member list office |
		jq -r '[.[] | select(.own)] | map(.identity) | join(" ")'
}

# A's monitor, subscribed before anyone connects: it has heard a
# properties event of its own making.
monitor_a() {
	ip netns exec "$A" "$PEERGROUP" -j monitor office > "$PKI/monitor.a" 2>&1 &
	MON=$!
	until grep -q '"properties"' "$PKI/monitor.a"; do
		in_ns "$A" "$PEERGROUP" group set office max-records 100000
		sleep 0.2
	done
}

joined_in_a() {
	[ "$(jq -r 'select(.event == "member") |
			.member_event + " " + .member.identity' "$PKI/monitor.a" |
	     sort | xargs)" = "$1" ]
}

# Every peer lists every member, as openssl reads the certificates, its own
# marked; A's monitor hears bob and carol join; a password group has none.
members() {
	local want ns out from to fp

	trap '[ -z "${MON-}" ] || kill "$MON" 2> /dev/null' EXIT
	mesh monitor_a
	want=$(cert_member alice admin alice
	       cert_member bob member alice
	       cert_member carol admin alice)
	for ns in "$A" "$B" "$C"; do
		expect_eq "members in $ns" "$want" "$(member_lines "$ns")"
	done
	expect_eq "a's own" alice "$(own_member "$A")"
	expect_eq "b's own" bob "$(own_member "$B")"
	expect_eq "c's own" carol "$(own_member "$C")"
	# The text: bob's block, on B, its own.
	read -r _ _ _ from to fp _ <<< "$(cert_member bob member alice)"
	from=$(date -u -d "@${from%000000000}" +%Y-%m-%dT%H:%M:%S.000000000Z)
	to=$(date -u -d "@${to%000000000}" +%Y-%m-%dT%H:%M:%S.000000000Z)
	out=$(in_ns "$B" "$PEERGROUP" member list office |
	      awk '/^member / { f = $2 == "bob"; next } f')
	expect_eq "text: bob's block" "$(printf '\t%s\n' "role member" \
		"issuer alice" "not-before $from" "not-after $to" \
		"fingerprint $fp" "revoked no" "own yes")" "$out"
	wait_until 30 joined_in_a "joined bob joined carol" ||
		die "a's monitor: $(cat "$PKI/monitor.a")"
	expect_match "the event's member, as the list has it" \
		"\"member\":\\{\"identity\":\"bob\",\"issuer\":\"alice\",\"role\":\"member\"" \
		"$(cat "$PKI/monitor.a")"

	ns=$(new_netns)
	in_ns "$ns" "$PEERGROUP" group add pw identity alice > /dev/null
	expect_failure "a password group" 1 \
		'^peergroup: member list pw: members: a password group has no member list; every member holds the one key \(EOPNOTSUPP' \
		in_ns "$ns" "$PEERGROUP" member list pw
	ip netns del "$ns"
	ip netns del "$C"
	ip netns del "$B"
	ip netns del "$A"
}

# A line: A (alice) - B (bob) - C (carol), C joining after A wrote: A's
# records reach C through B, and those that come before A's membership
# (the stream is in id order) are parked until it comes.
line_of_three() {
	local i out

	A=$(new_netns)
	B=$(new_netns)
	C=$(new_netns)
	link "$A" 192.0.2.1 "$B" 192.0.2.2
	link "$B" 192.0.2.17 "$C" 192.0.2.18
	pki_group "$A" alice
	pki_group "$B" bob
	in_ns "$A" "$PEERGROUP" listen add
	in_ns "$B" "$PEERGROUP" listen add
	for i in 1 2 3 4 5 6 7 8; do
		repl_add "$A" "red$i" > /dev/null
	done
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 60 has_records "$B" 10 || die "b: $(count_records "$B") records"
	pki_group "$C" carol
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 60 has_records "$C" 11 || die "c: $(count_records "$C") records"
	wait_until 30 has_records "$A" 11 || die "a: $(count_records "$A") records"
	out=$(in_ns "$C" "$PEERGROUP" group status office)
	expect_match "none left parked" $'\tparked 0\n' "$out"
	expect_match "none dropped" $'\tparked-dropped 0' "$out"
	same_tables "$A" "$B" "$C" || die "the tables differ"
	ip netns del "$C"
	ip netns del "$B"
	ip netns del "$A"
}

independent_peer() {
	local a b d out

	mesh
	d=$(new_netns)
	link "$A" 192.0.2.49 "$d" 192.0.2.50
	a=$(repl_add "$A" red)
	b=$(repl_add "$B" green)
	wait_until 30 has_records "$A" 5 || die "a: $(count_records "$A") records"
	# Every record verified: memberships' chains to the root, signatures.
	out=$(pg_peer_as "$d" sync dave) || die "pg_peer sync: $out"
	expect_eq "the table as pg_peer verified it" "5 true" \
		"$(jq -rs '"\(length) \(all(.verified and .bound))"' <<< "$out")"
	out=$(pg_peer_as "$d" send dave membership create "update=$a" "forge=$a" \
	      outlive bad-signature props=7 | outcomes)
	expect_eq "a member's actions" "membership stored
create stored
update=$a refused
forge=$a refused
outlive refused
bad-signature refused
props=7 closed" "$out"
	# An administrator (cA) changes bob's record; every peer takes it.
	out=$(pg_peer_as "$d" send erin membership "update=$b" | outcomes)
	expect_eq "an administrator's actions" "membership stored
update=$b stored" "$out"
	wait_until 30 modifier_is "$B" "$b" erin ||
		die "b: its record modified by $(in_ns "$B" "$PEERGROUP" -j record get office "$b" | jq -r .modifier)"
	wait_until 30 modifier_is "$C" "$b" erin || die "c: bob's record not erin's"
	wait_until 30 has_records "$C" 8 || die "c: $(count_records "$C") records"
	same_tables "$A" "$B" "$C" || die "the tables differ"
	ip netns del "$d"
	ip netns del "$C"
	ip netns del "$B"
	ip netns del "$A"
}

# An export imports into another member's new group: memberships first.
export_import() {
	local a d

	a=$(new_netns)
	d=$(new_netns)
	pki_group "$a" alice
	repl_add "$a" red > /dev/null
	pki_group "$d" carol
	in_ns "$d" "$PEERGROUP" group status office | grep -q 'not-ready' ||
		die "carol's group is ready before anything came"
	in_ns "$a" "$PEERGROUP" export office "$PKI/office.export"
	in_ns "$d" "$PEERGROUP" import office "$PKI/office.export" ||
		die "the import failed"
	# alice's two, carol's membership written once the import made it ready
	expect_eq "records" 3 "$(count_records "$d")"
	cmp -s <(in_ns "$a" "$PEERGROUP" -j record list office type "$REPL_TYPE") \
		<(in_ns "$d" "$PEERGROUP" -j record list office type "$REPL_TYPE") ||
		die "the record differs"
	ip netns del "$d"
	ip netns del "$a"
}

# fingerprint NAME: the SHA-256 of NAME's certificate, in hex.
fingerprint() {
	openssl x509 -in "$PKI/$1.pem" -outform DER | sha256sum | cut -c1-64
}

# nb_field NS WHO FIELD: FIELD of NS's latest neighbour WHO.
nb_field() {
	in_ns "$1" "$PEERGROUP" -j neighbour show office |
		jq -r --arg who "$2" --arg f "$3" \
			'[.[] | select(.identity == $who)] | max_by(.id) | .[$f] | tostring'
}

nb_gone() {
	[ "$(nb_field "$1" "$2" state)" != established ]
}

has_record() {
	in_ns "$1" "$PEERGROUP" record get office "$2" > /dev/null 2>&1
}

refused_some() {
	[ "$(nb_field "$1" "$2" refused)" -ge 1 ]
}

refused_auth() {
	[[ " $(neighbour_field "$1" reason) " == *" auth "* ]]
}

# Revocation: A (alice) and C (carol, an administrator) on one side; B
# (bob) and D (dave) on the other, apart. Carol revokes bob; bob, not yet
# told, writes on at D; when D meets A, A refuses bob's new record and D
# learns the revocation, closes bob's connection; bob's old record stays
# everywhere; bob cannot connect to A.
revocation() {
	local A B C D old new fp ns

	A=$(new_netns)
	B=$(new_netns)
	C=$(new_netns)
	D=$(new_netns)
	link "$A" 192.0.2.1 "$C" 192.0.2.2
	link "$B" 192.0.2.17 "$D" 192.0.2.18
	link "$A" 192.0.2.33 "$D" 192.0.2.34
	link "$A" 192.0.2.49 "$B" 192.0.2.50
	pki_group "$A" alice
	pki_group "$B" bob
	pki_group "$C" carol
	pki_group "$D" dave
	in_ns "$A" "$PEERGROUP" listen add
	in_ns "$B" "$PEERGROUP" listen add
	# bob writes once while everyone meets everyone through A.
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.49 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 60 established "$B" || die "b: $(neighbour_state "$B")"
	wait_until 60 established "$C" || die "c: $(neighbour_state "$C")"
	old=$(repl_add "$B" green)
	wait_until 30 has_records "$C" 4 || die "c: $(count_records "$C") records"
	in_ns "$B" "$PEERGROUP" neighbour del office 192.0.2.49
	wait_until 30 nb_gone "$A" bob ||
		die "a: bob still connected"

	fp=$(fingerprint bob)
	expect_failure "the root" 1 'the root certificate is the group' \
		in_ns "$C" "$PEERGROUP" member revoke office "$(fingerprint alice)"
	in_ns "$C" "$PEERGROUP" member revoke office "$fp"
	wait_until 30 has_records "$A" 5 || die "a: $(count_records "$A") records"
	expect_eq "bob, revoked, as a's member list says" true \
		"$(in_ns "$A" "$PEERGROUP" -j member list office |
		   jq -r '.[] | select(.identity == "bob") | .revoked')"

	# bob, not told, writes at dave's.
	in_ns "$D" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 60 established "$D" || die "d: $(neighbour_state "$D")"
	expect_failure "a member revokes" 1 \
		'only an administrator revokes a membership' \
		in_ns "$D" "$PEERGROUP" member revoke office "$fp"
	new=$(repl_add "$B" blue)
	wait_until 30 has_record "$D" "$new" ||
		die "d: bob's new record did not come"
	# dave meets alice: bob's new record refused there, the revocation
	# taken here, bob's connection closed.
	in_ns "$D" "$PEERGROUP" neighbour add office 192.0.2.33 > /dev/null
	wait_until 60 refused_some "$A" dave ||
		die "a: nothing refused from dave"
	expect_eq "why a refused it" \
		"security data: signed with a certificate revoked before the record's modification EKEYREVOKED" \
		"$(nb_field "$A" dave refused_why) $(nb_field "$A" dave refused_errno)"
	has_record "$A" "$new" &&
		die "a stored bob's record written after his revocation"
	wait_until 30 nb_gone "$D" bob ||
		die "d: bob still connected"
	for ns in "$A" "$C" "$D"; do
		expect_eq "bob's earlier record" green "$(get_colour "$ns" "$old")"
	done
	# bob cannot come back.
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.49 > /dev/null
	wait_until 30 refused_auth "$B" ||
		die "b: $(neighbour_field "$B" reason)"
	for ns in "$D" "$C" "$B" "$A"; do
		ip netns del "$ns"
	done
}

repl_modules
modprobe -q pkcs8_key_parser 2> /dev/null || true


ktap_header 8
run_test "a certificate group: its id, creator and role from the root; records signed" create
run_test "bad keys and chains refused, each with its reason" refusals
run_test "three peers: handshakes by certificate, the role rule, signed properties" three_peers
run_test "pg_peer, from the documentation: verifies the table; its records judged by the rules" independent_peer
run_test "a line of three: records before their signer's membership parked, then stored" line_of_three
run_test "an export imports into another member's group, memberships first" export_import
run_test "member list: every certificate as openssl reads it, its own marked; joined events" members
run_test "revocation: later records and connections refused everywhere, earlier records stay" revocation
ktap_finish
