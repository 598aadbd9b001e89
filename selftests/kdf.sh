#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The group key is Argon2id of the password (records.rst, psk), derived in
# userspace with the parameters the group records and the CHALLENGE tells:
# an outsider who sends one HELLO gets a proof it can check a guess
# against only at the cost of one Argon2id of the group's parameters, not
# one HMAC (pg_peer challenge checks which key the proof verifies under);
# a group created with the defaults records t=3, 64 MiB, 4 lanes, and an
# independent peer derives the same key from them; a joiner that derived
# its key with other parameters is refused with reason kdf, which both
# sides report and the joiner's status explains.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer

# challenge NS GID: pg_peer's one HELLO from NS to 192.0.2.1, its JSON.
challenge() {
	in_ns "$1" "$PG_PEER" challenge 192.0.2.1 3587 "$2" mallory "$PW"
}

gid_of() {
	in_ns "$1" "$PEERGROUP" -j group show office | jq -r .id
}

# two_nodes: namespaces a and c (the caller's $a and $c), linked.
two_nodes() {
	a=$(new_netns)
	c=$(new_netns)
	link "$a" 192.0.2.1 "$c" 192.0.2.2
}

offline_guess_costs_argon2id() {
	local a c out

	two_nodes
	creator "$a"
	out=$(challenge "$c" "$(gid_of "$a")") || die "no CHALLENGE: $out"
	echo "# $out"
	[ "$(jq -r .v1_hmac <<<"$out")" = false ] ||
		die "a guess costs one HMAC: the responder's proof verifies under HMAC(\"peergroup psk v1 \" + id, password)"
	expect_match "a's status" $'^\tkdf argon2id t=1 m=64 p=1$' \
		"$(in_ns "$a" "$PEERGROUP" group status office)"
	expect_eq "the CHALLENGE's kdf and the key the proof verifies under" \
		"argon2id t=1 m=64 p=1 true" "$(jq -r '"\(.kdf) \(.argon2id)"' <<<"$out")"
	ip netns del "$c"
	ip netns del "$a"
}

# One derivation of the default parameters each side (they are dear under
# TCG: the time each took is reported); pg_peer derives with what the
# CHALLENGE tells.
default_parameters() {
	local a c out start ms

	two_nodes
	start=$(date +%s%N)
	in_ns "$a" env -u PEERGROUP_KDF "$PEERGROUP" group add office identity alice \
		password "$PW" > /dev/null
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	in_ns "$a" "$PEERGROUP" listen add
	expect_match "a's status" $'^\tkdf argon2id t=3 m=65536 p=4$' \
		"$(in_ns "$a" "$PEERGROUP" group status office)"
	expect_eq "a's status -j" '{"alg":"argon2id","time":3,"memory_kib":65536,"lanes":4}' \
		"$(in_ns "$a" "$PEERGROUP" -j group status office | jq -c .kdf)"
	out=$(challenge "$c" "$(gid_of "$a")") || die "no CHALLENGE: $out"
	echo "# group add with the default Argon2id: $ms ms; pg_peer's derivation: $(jq .argon2id_ms <<<"$out") ms"
	expect_eq "the CHALLENGE's kdf, the key, and not the one-HMAC key" \
		"argon2id t=3 m=65536 p=4 true false" \
		"$(jq -r '"\(.kdf) \(.argon2id) \(.v1_hmac)"' <<<"$out")"
	ip netns del "$c"
	ip netns del "$a"
}

# A joiner whose key was derived with other parameters: refused with reason
# kdf before any proof is checked, on both sides, and its status says why;
# the same against pg_peer as initiator (exit status 5) and as responder.
other_parameters_refused() {
	local a b c mark out rc=0

	two_nodes
	b=$(new_netns)
	link "$a" 192.0.2.17 "$b" 192.0.2.18
	creator "$a"
	in_ns "$b" "$PEERGROUP" group add office identity bob creator alice password "$PW" \
		kdf-time 2 kdf-memory 64k kdf-lanes 1 > /dev/null
	mark=$(kmsg_mark)
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 30 bash -c "[ \"\$(ip netns exec $b $PEERGROUP -j neighbour show office | jq -r '.[0].reason')\" = kdf ]" ||
		die "b: no kdf refusal: $(in_ns "$b" "$PEERGROUP" -j neighbour show office)"
	wait_until 10 bash -c "ip netns exec $a $PEERGROUP -j neighbour show office | jq -e 'any(.[]; .reason == \"kdf\")' > /dev/null" ||
		die "a did not see the refusal: $(in_ns "$a" "$PEERGROUP" -j neighbour show office)"
	kmsg_since "$mark" | grep -q "group office: the peer derives its key with argon2id t=1 m=64 p=1, this node with argon2id t=2 m=64 p=1" ||
		die "b did not log both parameter sets: $(kmsg_since "$mark" | tail -5)"
	expect_match "b's status" \
		"not-ready the last connection, to 192\.0\.2\.17 port 3587, failed: the peer's group derives its key with other Argon2id parameters; give the creator's kdf-time, kdf-memory and kdf-lanes \(kdf\)" \
		"$(in_ns "$b" "$PEERGROUP" group status office)"
	expect_failure "b is not ready, and says why" 1 \
		"office is not ready: .*other Argon2id parameters.*\(kdf\)" \
		in_ns "$b" "$PEERGROUP" record list office
	status_has "$b" synchronized && die "b synchronized with other parameters"

	# pg_peer as the initiator, its key derived otherwise: it refuses.
	out=$(in_ns "$c" "$PG_PEER" -k time=2,memory=64k,lanes=1 sync 192.0.2.1 3587 \
		"$(gid_of "$a")" dave "$PW" 2>&1) || rc=$?
	expect_eq "pg_peer with other parameters: exit status" 5 "$rc"
	expect_match "pg_peer's reason" "derives its key with alg 1 t=1 m=64 p=1, we with argon2id t=2 m=64 p=1" "$out"
	ip netns del "$c"
	ip netns del "$b"
	ip netns del "$a"
}

repl_modules
ktap_header 3
run_test "an offline guess costs an Argon2id of the group's parameters, not one HMAC" \
	offline_guess_costs_argon2id
run_test "the default Argon2id (t=3, 64 MiB, 4 lanes): recorded, and an independent peer derives the key" \
	default_parameters
run_test "a joiner with other Argon2id parameters: refused with reason kdf, both sides told, status says why" \
	other_parameters_refused
ktap_finish
