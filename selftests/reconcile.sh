#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two synchronized tables reconciled (range-based set reconciliation), on
# one pair of peers in two namespaces: a joiner of PG_RECONCILE_RECORDS
# (10 000) records, not ready until its first sync and identical after it;
# a partition healed, with writes on both sides (adds, updates, the same
# record updated on both sides to the same version, deletes), where every
# write survives, the conflict rule decides, and the bytes on the wire are
# a small part of a full transfer; identical tables in one round trip.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

N=${PG_RECONCILE_RECORDS:-10000}
LOAD=$(dirname "$0")/pg_load
STATE=$(mktemp -d)
NO_ID=00000000-0000-0000-0000-000000000000

# Connects b to a, and waits for the pass (or the first sync) to end.
connect() {
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 120 established "$B" || die "b: neighbour $(neighbour_state "$B")"
	wait_until 30 same_tables "$A" "$B" || die "the tables differ"
}

disconnect() {
	in_ns "$B" "$PEERGROUP" neighbour del office 192.0.2.1
	wait_until 20 bash -c "! ip netns exec $A $PEERGROUP group status office | grep -q has-connections" ||
		die "a still has b"
}

join_large() {
	local polls=0 err

	in_ns "$A" "$LOAD" office "$N" 100 || die "loading $N records on a failed"
	joiner "$B" bob
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	# Not ready (EAGAIN) at every look, until it is synchronized.
	while :; do
		err=$(in_ns "$B" "$PEERGROUP" record get office "$NO_ID" 2>&1 > /dev/null) &&
			die "b holds the record of no id"
		if ! grep -qE 'EAGAIN|not.*ready|synchron' <<<"$err"; then
			status_has "$B" synchronized ||
				die "b answers ($err) but is not synchronized"
			break
		fi
		polls=$((polls + 1))
		[ "$polls" -lt 300 ] || die "b not synchronized"
		sleep 0.5
	done
	wait_until 60 established "$B" || die "b: neighbour $(neighbour_state "$B")"
	has_records "$B" "$N" || die "b holds $(count_records "$B") records, not $N"
	same_tables "$A" "$B" || die "the tables differ"
	neighbour_field "$B" bytes_rx > "$STATE/full"
	echo "# first sync of $N records: $(cat "$STATE/full") bytes to b, $polls looks before it was ready"
}

partition_heal() {
	local r d idb ids=() ida=() i total full

	r=$(repl_add "$B" shared)
	d=$(repl_add "$B" doomed)
	wait_until 20 has_records "$A" "$((N + 2))" || die "b's records did not reach a"
	disconnect

	# Twenty differences: ten on each side.
	for i in 1 2 3 4 5 6 7; do
		ids+=("$(repl_add "$A" "a$i")")
		ids+=("$(repl_add "$B" "b$i")")
	done
	mapfile -t ida < <(table "$A" |
		jq -r '[.[] | select(.creator == "alice" and (.flags | index("deleted")) == null)][:3][].id')
	[ "${#ida[@]}" = 3 ] || die "a: no three records of alice"
	in_ns "$A" "$PEERGROUP" record update office "${ida[0]}" data changed-on-a > /dev/null
	in_ns "$A" "$PEERGROUP" record update office "${ida[1]}" data changed-on-a > /dev/null
	in_ns "$A" "$PEERGROUP" record del office "${ida[2]}" > /dev/null
	# The same record, version 2 on both sides: bob's wins (larger modifier).
	in_ns "$A" "$PEERGROUP" record update office "$r" attr colour=alices > /dev/null
	in_ns "$B" "$PEERGROUP" record update office "$r" attr colour=bobs > /dev/null
	in_ns "$B" "$PEERGROUP" record del office "$d" > /dev/null
	same_tables "$A" "$B" && die "the tables are the same before the heal"

	connect
	for idb in "${ids[@]}"; do
		in_ns "$A" "$PEERGROUP" record get office "$idb" > /dev/null || die "a lost $idb"
		in_ns "$B" "$PEERGROUP" record get office "$idb" > /dev/null || die "b lost $idb"
	done
	expect_eq "a: the tie" bobs "$(get_colour "$A" "$r")"
	expect_eq "b: the tie" bobs "$(get_colour "$B" "$r")"
	in_ns "$A" "$PEERGROUP" record get office "$d" > /dev/null 2>&1 && die "a still has $d"
	in_ns "$A" "$PEERGROUP" record get office "${ida[2]}" > /dev/null 2>&1 && die "a's delete undone"
	in_ns "$B" "$PEERGROUP" record get office "${ida[2]}" > /dev/null 2>&1 && die "b has a's deleted"
	in_ns "$B" "$PEERGROUP" record get office "${ida[0]}" | grep -q changed-on-a ||
		die "a's update did not reach b"

	total=$(( $(neighbour_field "$B" bytes_rx) + $(neighbour_field "$B" bytes_tx) ))
	full=$(cat "$STATE/full")
	echo "# reconciliation of 20 differences in $N records: $total bytes both ways in $(neighbour_field "$B" frames_tx) + $(neighbour_field "$B" frames_rx) frames, $(neighbour_field "$B" records_tx) + $(neighbour_field "$B" records_rx) records; a full transfer $full ($((total * 1000 / full))/1000)"
	[ $((total * 20)) -lt "$full" ] || die "$total bytes is not under 5 % of $full"
}

identical() {
	local frx ftx

	disconnect
	connect
	frx=$(neighbour_field "$B" frames_rx)
	ftx=$(neighbour_field "$B" frames_tx)
	echo "# identical tables: b sent $ftx frames and received $frx, $(neighbour_field "$B" bytes_rx) + $(neighbour_field "$B" bytes_tx) bytes"
	# HELLO, PROOF, WELCOME, PROPERTIES, the pass's START; CHALLENGE,
	# WELCOME, PROPERTIES, DONE: the pass is one round trip.
	expect_eq "frames b sent" 5 "$ftx"
	expect_eq "frames b received" 4 "$frx"
	expect_eq "records b received" 0 "$(neighbour_field "$B" records_rx)"
}

repl_modules
A=$(new_netns)
B=$(new_netns)
link "$A" 192.0.2.1 "$B" 192.0.2.2
creator "$A"

ktap_header 3
run_test "a joiner of $N records: not ready until synchronized, then identical" join_large
run_test "a partition healed: every write kept, the conflict rule, under 5 % of the bytes" partition_heal
run_test "identical tables reconcile in one round trip" identical
ip netns del "$B"
ip netns del "$A"
rm -rf "$STATE"
ktap_finish
