#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replication in larger topologies: five peers, each a network namespace,
# with a veth pair between every two of them (192.0.2.0/24, a /28 each),
# built once. Which pairs are neighbours makes the topology: a ring of
# four, a star of five (its centre a joiner, the fifth peer's first sync
# through it) and a full mesh of five, in that order, each on the tables
# the one before left. In each, every member adds a record, updates it and
# one deletes its own; at the end every member's table (tombstones and
# security data included) is the same, and every member's monitor showed
# an event for every record of the round.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

names=(alice bob carol dave erin)
peers=()	# the namespaces, by index
monitors=()	# each peer's monitor output
monpids=()

# addr I J: the address of peer I on its veth to peer J (edge e of the
# pair gets 192.0.2.16e+1 and +2, the lower index the first).
addr() {
	local i=$1 j=$2 lo hi e

	lo=$(( i < j ? i : j ))
	hi=$(( i < j ? j : i ))
	e=$(( lo * 5 + hi - (lo + 1) * (lo + 2) / 2 ))
	echo "192.0.2.$(( 16 * e + (i == lo ? 1 : 2) ))"
}

build() {
	local i j

	for i in 0 1 2 3 4; do
		peers[i]=$(new_netns)
	done
	for i in 0 1 2 3 4; do
		for (( j = i + 1; j < 5; j++ )); do
			link "${peers[i]}" "$(addr "$i" "$j")" "${peers[j]}" "$(addr "$j" "$i")"
		done
	done
	creator "${peers[0]}"
	for i in 1 2 3 4; do
		joiner "${peers[i]}" "${names[i]}"
		in_ns "${peers[i]}" "$PEERGROUP" listen add
	done
	for i in 0 1 2 3 4; do
		monitors[i]=$(mktemp)
		# Not through in_ns: $! must be the monitor itself.
		ip netns exec "${peers[i]}" "$PEERGROUP" monitor > "${monitors[i]}" 2>&1 &
		monpids[i]=$!
	done
}

# edges add|del EDGE...: each edge "I-J" made a neighbour (J connecting to
# I), or forgotten again.
edges() {
	local cmd=$1 e i j

	shift
	for e in "$@"; do
		i=${e%-*}
		j=${e#*-}
		in_ns "${peers[j]}" "$PEERGROUP" neighbour "$cmd" office "$(addr "$i" "$j")" > /dev/null
	done
}

# connections I N: peer I has N established connections.
connections() {
	[ "$(neighbour_state "${peers[$1]}" | wc -w)" = "$2" ] &&
		! neighbour_state "${peers[$1]}" | grep -qv established
}

# holds I DELETED ID=COLOUR...: peer I's table holds record DELETED as a
# tombstone and each ID with its COLOUR.
holds() {
	local i=$1

	shift
	table "${peers[i]}" | python3 -c '
import json, sys
recs = {r["id"]: r for r in json.load(sys.stdin)}
d = recs.get(sys.argv[1])
ok = d is not None and "deleted" in d["flags"]
for pair in sys.argv[2:]:
    rid, colour = pair.split("=")
    r = recs.get(rid)
    ok = ok and r is not None and "deleted" not in r["flags"] and \
        [a["value"] for a in r["attributes"] if a["name"] == "colour"] == [colour]
sys.exit(0 if ok else 1)' "$@"
}

# converged MEMBERS -- DELETED ID=COLOUR...: the first member holds what
# the round wrote, and every member the same table.
converged() {
	local first=$1 ns=()

	while [ "$1" != -- ]; do
		ns+=("${peers[$1]}")
		shift
	done
	shift
	holds "$first" "$@" 2> /dev/null && same_tables "${ns[@]}"
}

# round NAME DEGREES MEMBERS...: on every member of the topology NAME, whose
# members' connection counts are DEGREES (comma-separated, in the members'
# order), an add and an update of it, and on the first a delete of its
# own, all at once; then every member converges on the same table.
round() {
	local name=$1 degrees=$2 i k ids=() want=()
	local -a deg

	shift 2
	IFS=, read -ra deg <<<"$degrees"
	k=0
	for i in "$@"; do
		wait_until 60 connections "$i" "${deg[k]}" ||
			die "$name: ${names[i]}'s neighbours: $(neighbour_state "${peers[i]}")"
		wait_until 30 status_has "${peers[i]}" synchronized ||
			die "$name: ${names[i]} not synchronized"
		k=$((k + 1))
	done
	for i in "$@"; do
		ids[i]=$(repl_add "${peers[i]}" "$name-${names[i]}")
	done
	for i in "$@"; do
		[ "$i" = "$1" ] && continue
		in_ns "${peers[i]}" "$PEERGROUP" record update office "${ids[i]}" \
			attr "colour=$name-${names[i]}-2" > /dev/null
		want+=("${ids[i]}=$name-${names[i]}-2")
	done
	in_ns "${peers[$1]}" "$PEERGROUP" record del office "${ids[$1]}" > /dev/null
	wait_until 90 converged "$@" -- "${ids[$1]}" "${want[@]}" ||
		die "$name: no convergence; first member: $(holds "$1" "${ids[$1]}" "${want[@]}" && echo right || echo wrong)"
	for i in "$@"; do
		for k in "$@"; do
			grep -q "${ids[k]}" "${monitors[i]}" ||
				die "$name: ${names[i]} saw no event for ${names[k]}'s record"
		done
	done
}

ring_of_four() {
	edges add 0-1 1-2 2-3 0-3
	round ring 2,2,2,2 0 1 2 3
	edges del 0-1 1-2 2-3 0-3
}

star_of_five() {
	# The centre is bob; erin's first sync is through him.
	edges add 0-1 1-2 1-3 1-4
	round star 1,4,1,1,1 0 1 2 3 4
	edges del 0-1 1-2 1-3 1-4
}

mesh_of_five() {
	edges add 0-1 0-2 0-3 0-4 1-2 1-3 1-4 2-3 2-4 3-4
	round mesh 4,4,4,4,4 0 1 2 3 4
}

teardown() {
	local i

	for i in 0 1 2 3 4; do
		kill "${monpids[i]}" 2> /dev/null || true
		wait "${monpids[i]}" 2> /dev/null || true
		rm -f "${monitors[i]}"
	done
	# With every connection of the mesh up.
	for i in 2 0 4 1 3; do
		ip netns del "${peers[i]}"
	done
}

repl_modules
build

ktap_header 3
run_test "a ring of four: changes on every peer reach every peer" ring_of_four
run_test "a star of five: through the centre, a joiner's first sync too" star_of_five
run_test "a full mesh of five: floods end, tables identical" mesh_of_five
teardown
ktap_finish
