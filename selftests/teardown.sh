#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown while records flow: a writer adds records at a as fast as it can
# while they are flooded to its neighbours, and meanwhile a receiving
# peer's group is deleted, a receiving peer's namespace is deleted, the
# writer's own group is deleted under it, and the module is unloaded. Each
# time the writer is still writing when the teardown happens (else the test
# says so and fails), the peers left converge on a's table, and every group
# created is destroyed (the module's lifetime messages). The kernel log is
# judged after the run (no splat; kmemleak on the debug lane). Needs PG_KO
# (the module is unloaded and loaded again); leaves the module loaded.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

LOAD=$(dirname "$0")/pg_load
WRITER=

if [ -z "${PG_KO:-}" ] || [ ! -r "$PG_KO" ]; then
	echo "# PG_KO must name a readable peergroup.ko"
	exit 1
fi

# writer NS: pg_load in NS in the background, adding far more records than
# the test waits for, as fast as it can or PG_TEARDOWN_RATE a second (the
# debug lane: the same paths, smaller tables to compare); WRITER is its pid.
writer() {
	# Not through in_ns: $! must be pg_load's own process.
	ip netns exec "$1" "$LOAD" office 1000000 100 "${PG_TEARDOWN_RATE:-0}" \
		2> "$STATE/writer" &
	WRITER=$!
}

# writing: the writer is still at it.
writing() {
	kill -0 "$WRITER" 2> /dev/null
}

# stop_writer: ends the writer, which must have been writing.
stop_writer() {
	writing || die "the writer stopped early: $(cat "$STATE/writer")"
	kill "$WRITER"
	wait "$WRITER" 2> /dev/null || true
	WRITER=
}

# more_than NS N: NS holds more than N records.
more_than() {
	local n

	n=$(count_records "$1") && [ "$n" -gt "$2" ]
}

# flowing NS N...: records flow into each NS: it holds more than N
# records, and more than a moment later.
flowing() {
	local ns n

	for ns in "$@"; do
		wait_until 60 more_than "$ns" 20 || die "nothing reaches $ns"
		n=$(count_records "$ns")
		wait_until 60 more_than "$ns" "$((n + 20))" ||
			die "records stopped reaching $ns at $n"
	done
}

# cleanup: what a test leaves, also when it fails (each test runs in a
# subshell of its own, with this as its EXIT trap).
cleanup() {
	local ns

	[ -z "$WRITER" ] || kill "$WRITER" 2> /dev/null
	for ns in $A $B $C; do
		ip netns del "$ns" 2> /dev/null
	done
	true
}

# The writer a and its neighbours b and c, both synchronized.
three() {
	trap cleanup EXIT
	A=$(new_netns)
	B=$(new_netns)
	C=$(new_netns)
	link "$A" 192.0.2.1 "$B" 192.0.2.2
	link "$A" 192.0.2.17 "$C" 192.0.2.18
	creator "$A"
	joiner "$B" bob
	joiner "$C" carol
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 60 status_has "$B" synchronized || die "b not synchronized"
	wait_until 60 status_has "$C" synchronized || die "c not synchronized"
}

# converged NS...: every NS holds a's table.
converged() {
	local n ns

	n=$(count_records "$A")
	for ns in "$@"; do
		has_records "$ns" "$n" || return 1
	done
	same_tables "$A" "$@"
}

# connected NS N: NS has N established connections.
connected() {
	[ "$(neighbour_state "$1" | tr ' ' '\n' | grep -c established)" = "$2" ]
}

# gone NS...: the namespaces deleted (their groups with them).
gone() {
	local ns

	for ns in "$@"; do
		ip netns del "$ns"
	done
}

receiver_group_deleted() {
	local mark

	mark=$(kmsg_mark)
	three
	writer "$A"
	flowing "$B" "$C"
	in_ns "$B" "$PEERGROUP" group del office
	flowing "$C"
	stop_writer
	wait_until 60 converged "$C" || die "c does not hold a's table"
	wait_until 30 connected "$A" 1 || die "a: neighbours $(neighbour_state "$A")"
	gone "$A" "$B" "$C"
	A='' B='' C=''
	wait_until 30 expect_lifetimes_balanced "$mark" 3
}

receiver_netns_deleted() {
	local mark

	mark=$(kmsg_mark)
	three
	writer "$A"
	flowing "$B" "$C"
	gone "$C"
	C=''
	flowing "$B"
	stop_writer
	wait_until 60 converged "$B" || die "b does not hold a's table"
	wait_until 30 connected "$A" 1 || die "a: neighbours $(neighbour_state "$A")"
	gone "$A" "$B"
	A='' B=''
	wait_until 30 expect_lifetimes_balanced "$mark" 3
}

writer_group_deleted() {
	local rc=0 mark

	mark=$(kmsg_mark)
	three
	writer "$A"
	flowing "$B" "$C"
	in_ns "$A" "$PEERGROUP" group del office
	wait "$WRITER" || rc=$?
	WRITER=
	expect_eq "the writer fails once its group is gone" 1 "$rc"
	expect_match "and says why" 'office|group' "$(cat "$STATE/writer")"
	# b and c keep what reached them.
	more_than "$B" 20 || die "b lost its table"
	more_than "$C" 20 || die "c lost its table"
	wait_until 30 connected "$B" 0 || die "b: neighbours $(neighbour_state "$B")"
	gone "$A" "$B" "$C"
	A='' B='' C=''
	wait_until 30 expect_lifetimes_balanced "$mark" 3
}

module_unloaded() {
	local mark rc=0

	mark=$(kmsg_mark)
	three
	writer "$A"
	flowing "$B" "$C"
	rmmod peergroup || die "rmmod failed while records flowed"
	wait "$WRITER" || rc=$?
	WRITER=
	# Load it again first: the tests after this one need it.
	insmod "$PG_KO" || die "the module does not load again"
	dyndbg_on
	[ "$rc" -ne 0 ] || die "the writer did not notice the module going"
	expect_lifetimes_balanced "$mark" 3
	# The namespaces are as they were; a group starts from nothing.
	creator "$A"
	expect_eq "a new group holds nothing" 0 "$(count_records "$A")"
	gone "$A" "$B" "$C"
	A='' B='' C=''
}

STATE=$(mktemp -d)
trap 'rm -rf "$STATE"' EXIT
repl_modules
A='' B='' C=''

ktap_header 4
run_test "a receiver's group deleted while records flow: the others converge" receiver_group_deleted
run_test "a receiver's namespace deleted while records flow: the writer goes on" receiver_netns_deleted
run_test "the writer's own group deleted under it: the writer fails, the others keep theirs" writer_group_deleted
run_test "the module unloaded while records flow: everything freed, it loads again" module_unloaded
ktap_finish
