#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An outsider floods a node's listener (protocol.rst, "What someone on the
# wire can and cannot do"). Namespaces joined by veth pairs: a (the
# creator, listening), b (a member that connects to a), c (a member a
# connects to), m (mallory, who knows the group's id but not its password).
# m opens connections from one address far above the rate a source is
# allowed (20 a second, 5 at once), each a well-formed HELLO and then
# silence, so that each would hold one of a's handshake slots for 10 s.
# Meanwhile b and c become a's neighbours and a record a adds reaches both:
# the flood holds at most 8 of a's 32 slots, and no outbound connection of
# a counts against them. a's listener counts what it closed at once; m got
# few challenges; a has no neighbour for a connection still in its
# handshake. Then, kept closed for an admin to read: a wrong password (reason
# auth) and a member that left.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer
STATE=$(mktemp -d)

# listener_count NS FIELD: FIELD of NS's (one) listener.
listener_count() {
	in_ns "$1" "$PEERGROUP" -j listen show | jq -r ".[0].$2"
}

# in_handshake NS: the neighbours of NS in state handshake.
in_handshake() {
	in_ns "$1" "$PEERGROUP" -j neighbour show office |
		jq '[.[] | select(.state == "handshake")] | length'
}

flood() {
	local a b c m gid pid id out secs
	local -a held=()

	a=$(new_netns)
	b=$(new_netns)
	c=$(new_netns)
	m=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	link "$a" 192.0.2.17 "$m" 192.0.2.18
	link "$a" 192.0.2.33 "$c" 192.0.2.34
	creator "$a"
	repl_add "$a" before > /dev/null
	joiner "$b" bob
	joiner "$c" carol
	in_ns "$c" "$PEERGROUP" listen add
	gid=$(in_ns "$a" "$PEERGROUP" -j group show office | jq -r .id)

	# Until the checks below are done (at most 10 minutes), PG_FLOOD_RATE
	# connections a second (default 200; the debug lane, where each costs
	# the kernel ten times as much, 100: five times the rate all the same).
	ip netns exec "$m" "$PG_PEER" flood 192.0.2.17 3587 "$gid" \
		"${PG_FLOOD_RATE:-200}" 600 \
		> "$STATE/flood" 2> "$STATE/flood.err" &
	pid=$!
	# The flood under way: a's listener closes connections at once.
	wait_until 20 bash -c "[ \"\$(ip netns exec $a $PEERGROUP -j listen show |
		jq '.[0].ratelimited')\" -gt 0 ]" ||
		die "a rate-limited nothing: $(in_ns "$a" "$PEERGROUP" -j listen show)"
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	in_ns "$a" "$PEERGROUP" neighbour add office 192.0.2.34 > /dev/null
	wait_until 20 established "$b" ||
		die "b, connecting to a, not established: $(neighbour_state "$b")"
	wait_until 20 established "$c" ||
		die "c, connected to by a, not established: $(neighbour_state "$c")"
	id=$(repl_add "$a" during)
	[ -n "$id" ] || die "a's record add failed"
	wait_until 20 has_records "$b" 2 || die "a's record did not reach b"
	wait_until 20 has_records "$c" 2 || die "a's record did not reach c"
	# Sampled during the flood: a connection still proving itself is no
	# neighbour yet, however many m holds.
	for _ in 1 2 3; do
		held+=("$(in_handshake "$a")")
		sleep 0.5
	done
	expect_eq "a's neighbours in their handshake, three times" "0 0 0" "${held[*]}"
	kill -0 "$pid" 2> /dev/null || die "the flood ended too soon: $(cat "$STATE/flood" "$STATE/flood.err")"
	kill -TERM "$pid"
	wait "$pid" || die "pg_peer flood failed: $(cat "$STATE/flood.err")"
	out=$(cat "$STATE/flood")
	echo "# flood: $out"
	echo "# a's listener: $(in_ns "$a" "$PEERGROUP" -j listen show)"
	# At 20 a second and 5 in a burst, m's HELLOs got at most so many
	# answers (and a second's slack).
	secs=$(jq '.seconds | ceil' <<<"$out")
	[ "$(jq .challenged <<<"$out")" -le $((20 * (secs + 1) + 5)) ] ||
		die "m was answered too often: $out"
	[ "$(jq .opened <<<"$out")" -gt $((2 * $(jq .challenged <<<"$out"))) ] ||
		die "the flood was not far above the rate: $out"
	[ "$(listener_count "$a" ratelimited)" -gt 0 ] || die "a's listener counted nothing"
	[ "$(listener_count "$a" accepted)" -gt 0 ] || die "a's listener accepted nothing"
	ip netns del "$m"
	ip netns del "$c"
	ip netns del "$b"
	ip netns del "$a"
}

# A wrong password, then a member that leaves: an admin of a reads why.
kept() {
	local a b d out id

	a=$(new_netns)
	b=$(new_netns)
	d=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	link "$a" 192.0.2.17 "$d" 192.0.2.18
	creator "$a"
	joiner "$b" bob
	joiner "$d" mallory wrong-password
	in_ns "$d" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 20 bash -c "ip netns exec $a $PEERGROUP -j neighbour show office |
		grep -q '\"reason\": *\"auth'" ||
		die "a keeps no refused connection: $(in_ns "$a" "$PEERGROUP" -j neighbour show office)"
	in_ns "$d" "$PEERGROUP" neighbour del office 192.0.2.17
	out=$(in_ns "$a" "$PEERGROUP" -j neighbour show office |
		jq -r '[.[] | "\(.address) \(.direction) \(.state) \(.reason)"] | unique | join(",")')
	expect_eq "a's neighbours" "192.0.2.18 in closed auth" "$out"
	# At most 8 kept, however often d tried.
	[ "$(in_ns "$a" "$PEERGROUP" -j neighbour show office | jq length)" -le 8 ] ||
		die "a keeps more than 8: $(in_ns "$a" "$PEERGROUP" neighbour show office)"

	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 20 established "$b" || die "b not established"
	in_ns "$b" "$PEERGROUP" neighbour del office 192.0.2.1
	wait_until 20 bash -c "ip netns exec $a $PEERGROUP -j neighbour show office |
		jq -e '.[] | select(.address == \"192.0.2.2\" and .state == \"closed\" and .identity == \"bob\")' > /dev/null" ||
		die "a does not keep bob's closed connection: $(in_ns "$a" "$PEERGROUP" -j neighbour show office)"
	echo "# a: $(in_ns "$a" "$PEERGROUP" -j neighbour show office |
		jq -c '[.[] | {address, state, reason, identity, records_tx}]')"
	# An admin removes one.
	id=$(in_ns "$a" "$PEERGROUP" -j neighbour show office |
		jq -r '.[] | select(.address == "192.0.2.2") | .id')
	in_ns "$a" "$PEERGROUP" neighbour del office id "$id"
	[ -z "$(in_ns "$a" "$PEERGROUP" -j neighbour show office |
		jq -r '.[] | select(.address == "192.0.2.2") | .id')" ] ||
		die "bob's closed neighbour was not removed"
	ip netns del "$d"
	ip netns del "$b"
	ip netns del "$a"
}

repl_modules
ktap_header 2
run_test "a flood from one address: members still connect and replicate, the listener counts it" flood
run_test "a refused and a closed accepted connection are kept, closed, with why" kept
rm -rf "$STATE"
ktap_finish
