#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures on the connection paths while records flow, through
# the module's own fault attribute (kmod/fault.h: a DEBUG build on a kernel
# with fault injection, the debug lane): a line a - b - c of network
# namespaces, and one sweep per site (connect, accept, handshake, receive,
# send, record) that arms the site to fail every Ith time, T times, reconnects the
# line and writes at both ends until all T failures have happened. Each
# sweep then expects exactly T failures at its site, and the line settled:
# every neighbour established again, every peer holding the same table with
# every acknowledged write in it. Leaks and splats are the harness' to
# find (kmemleak and the kernel log of the run).

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

N=${PG_CONN_FAULTS_RECORDS:-200}
FAIL=/sys/kernel/debug/fail_peergroup
A=
B=
C=
# The tests run in subshells: what they share is in files.
state=$(mktemp -d)
echo "$N" > "$state/total"

# site_bit NAME: the site's bit in the attribute's "sites".
site_bit() {
	case $1 in
	connect) echo 1 ;;
	accept) echo 2 ;;
	handshake) echo 4 ;;
	receive) echo 8 ;;
	send) echo 16 ;;
	record) echo 32 ;;
	esac
}

# injected NAME: how often the site has failed since load.
injected() {
	awk -v s="$1" '$1 == s { print $2 }' "$FAIL/injected"
}

disarm() {
	echo 0 > "$FAIL/probability"
	echo 0 > "$FAIL/times"
	echo 1 > "$FAIL/interval"
	printf '0x%x\n' 63 > "$FAIL/sites"
}

# arm NAME INTERVAL TIMES: the site fails every INTERVALth time, TIMES times.
arm() {
	printf '0x%x\n' "$(site_bit "$1")" > "$FAIL/sites"
	echo "$2" > "$FAIL/interval"
	echo "$3" > "$FAIL/times"
	echo 100 > "$FAIL/probability"
}

# write NS TAG: one add in NS, counted when acknowledged.
write() {
	repl_add "$1" "$2" > /dev/null || return 1
	echo $(( $(cat "$state/total") + 1 )) > "$state/total"
}

# rejoin: b and c drop their neighbour and add it again: new connections,
# handshakes and a reconciliation on each link.
rejoin() {
	in_ns "$B" "$PEERGROUP" neighbour del office 192.0.2.1
	in_ns "$C" "$PEERGROUP" neighbour del office 192.0.2.17
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
}

# settled: every neighbour established, every table the same, holding
# every write acknowledged.
settled() {
	established "$A" && established "$B" "established established" &&
		established "$C" && has_records "$A" "$(cat "$state/total")" &&
		same_tables "$A" "$B" "$C"
}

line() {
	[ -d "$FAIL" ] || die "no $FAIL: a DEBUG build (PG_DEBUG=y) on a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS"
	disarm
	C=$(new_netns)
	echo "$C" > "$state/c"
	link "$B" 192.0.2.17 "$C" 192.0.2.18
	in_ns "$B" "$PEERGROUP" listen add
	joiner "$C" carol
	in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	in_ns "$C" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 120 settled ||
		die "the line did not settle: a $(count_records "$A"), b $(count_records "$B"), c $(count_records "$C")"
}

# sweep NAME INTERVAL TIMES
sweep() {
	local site=$1 times=$3 before after k=0 deadline start

	[ -n "$C" ] || die "no line"
	start=$(date +%s)
	before=$(injected "$site")
	arm "$@"
	deadline=$(( start + 180 ))
	while [ "$(cat "$FAIL/times")" != 0 ]; do
		[ "$(date +%s)" -lt "$deadline" ] ||
			{ disarm; die "$site: $(cat "$FAIL/times") of $times failures still to come after 180 s"; }
		case $site in
		connect | accept | handshake) rejoin ;;
		esac
		k=$((k + 1))
		# A write refused (the group not ready, say) is no failure of
		# the test: it was never acknowledged.
		write "$A" "$site-a-$k" || true
		write "$C" "$site-c-$k" || true
		sleep 0.2
	done
	disarm
	after=$(injected "$site")
	expect_eq "$site: failures injected" "$times" "$((after - before))"
	wait_until 120 settled ||
		die "$site: no convergence: a $(count_records "$A"), b $(count_records "$B"), c $(count_records "$C"), total $(cat "$state/total"); b's neighbours $(neighbour_state "$B")"
	echo "# $site: $times failures, $k rounds of writes, settled in $(( $(date +%s) - start )) s"
}

cleanup() {
	[ -e "$FAIL/probability" ] && disarm
	for ns in "$A" "$B" "$(cat "$state/c" 2> /dev/null)"; do
		[ -n "$ns" ] && ip netns del "$ns" 2> /dev/null
	done
	rm -rf "$state"
}

repl_modules
repl_pair "$N"

ktap_header 7
run_test "a line of three settles" line
C=$(cat "$state/c" 2> /dev/null)
run_test "connect fails: the neighbour retries, the line settles" sweep connect 2 3
run_test "accept fails: the peer retries, the line settles" sweep accept 1 3
run_test "the handshake fails: closed, retried, the line settles" sweep handshake 3 4
run_test "receiving fails: closed, reconciled, nothing lost" sweep receive 5 4
run_test "sending fails: closed, reconciled, nothing lost" sweep send 5 4
# A received record's strings, then its attributes: every third fails.
run_test "a received record's allocations fail: closed, reconciled, nothing lost" sweep record 3 4
cleanup
ktap_finish
