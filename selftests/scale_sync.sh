#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replication at scale, two peers in network namespaces: a joiner's first
# synchronization from a table of 100 000 records (PG_SYNC_RECORDS), then
# writes at one peer that the other must see, and at the end, with both
# groups deleted, the kernel's unreclaimable slab memory back to what it
# was before the tables were built. Prints the figures: the sync in
# seconds and MB/s, the replicated writes (a twentieth as many) in
# records/s. Nothing here asserts a time (make bench measures, against
# baselines).

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

LOAD=$(dirname "$0")/pg_load
N=${PG_SYNC_RECORDS:-100000}
WRITES=${PG_SYNC_WRITES:-$((N / 20))}
A=
B=

# Unreclaimable slab, kB: where records, frames and connections live.
slab_kb() {
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

first_sync() {
	local start ms bytes

	start=$(now_ms)
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 900 status_has "$B" synchronized || die "b not synchronized"
	ms=$(( $(now_ms) - start ))
	has_records "$B" "$N" || die "b holds $(count_records "$B") of $N records"
	same_tables "$A" "$B" || die "the tables differ"
	bytes=$(neighbour_field "$B" bytes_rx)
	echo "# first sync of $N records: $((ms / 1000)).$(( ms % 1000 / 100 )) s, $bytes bytes, $(( bytes * 1000 / ms / 1000 )) kB/s"
}

replicated_writes() {
	local start ms wrote

	start=$(now_ms)
	in_ns "$A" "$LOAD" office "$WRITES"
	wrote=$(( $(now_ms) - start ))
	wait_until 600 has_records "$B" $((N + WRITES)) ||
		die "b holds $(count_records "$B") of $((N + WRITES))"
	ms=$(( $(now_ms) - start ))
	echo "# $WRITES records written at a in $wrote ms, all held by b after $ms ms: $(( WRITES * 1000 / ms )) records/s"
	same_tables "$A" "$B" || die "the tables differ"
}

# slab_below KB: the unreclaimable slab is under KB.
slab_below() {
	[ "$(slab_kb)" -lt "$1" ]
}

memory_back() {
	local base=$1 after grew limit=$(( TABLE_KB / 10 ))

	in_ns "$A" "$PEERGROUP" group del office
	in_ns "$B" "$PEERGROUP" group del office
	ip netns del "$A"
	ip netns del "$B"
	# Within a tenth of what the two tables held, and 4 MiB. Freeing runs
	# on the module's workqueue (and the debug kernel's KASAN holds freed
	# objects a while): wait for that bound, the one asserted.
	[ "$limit" -le 4096 ] || limit=4096
	wait_until 120 slab_below $(( base + limit )) || true
	after=$(slab_kb)
	grew=$(( after - base ))
	echo "# unreclaimable slab: $base kB before, $after kB after (the tables held $TABLE_KB kB)"
	[ "$grew" -lt "$limit" ] || die "the slab grew by $grew kB, $limit kB or more"
}

# warm_up: a small pair synchronized and deleted before the baseline is
# read: what the first pair after boot leaves in the kernel's caches (and
# the debug kernel's bookkeeping: 2 MB there) is not the tables'.
warm_up() {
	repl_pair 20
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 60 status_has "$B" synchronized || true
	ip netns del "$A"
	ip netns del "$B"
}

repl_modules
warm_up
base=$(slab_kb)
repl_pair "$N"

ktap_header 3
run_test "a first sync of $N records: identical tables" first_sync
run_test "$WRITES writes at one peer reach the other" replicated_writes
TABLE_KB=$(( $(slab_kb) - base ))
run_test "both groups deleted: kernel memory back to where it was" memory_back "$base"
ktap_finish
