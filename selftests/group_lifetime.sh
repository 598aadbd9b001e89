#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Group lifetime across network namespaces: deleting a namespace frees its
# groups (and only its groups). Leaks are found by pairing the module's
# "created"/"destroyed" debug messages, WireGuard style.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

netns_deletion_frees_its_groups() {
	local ns inum mark i

	dyndbg_on
	ns=$(new_netns)
	inum=$(netns_inum "$ns")
	mark=$(kmsg_mark)
	for i in 1 2 3 4 5; do
		ip netns exec "$ns" "$PEERGROUP" group add "g$i" identity alice > /dev/null
	done
	ip netns del "$ns"
	wait_until 20 bash -c "dmesg | sed -n '/$mark/,\$p' | grep -c 'netns $inum: group .* destroyed' | grep -qx 5" ||
		die "netns $inum: its 5 groups were not destroyed"
	expect_lifetimes_balanced "$mark" 5
}

other_namespaces_keep_their_groups() {
	local a b

	a=$(new_netns)
	b=$(new_netns)
	ip netns exec "$a" "$PEERGROUP" group add same identity alice > /dev/null
	ip netns exec "$b" "$PEERGROUP" group add same identity bob > /dev/null
	ip netns exec "$b" "$PEERGROUP" group add other identity bob > /dev/null
	ip netns del "$a"
	expect_eq "groups left in $b" "other same" \
		"$(ip netns exec "$b" "$PEERGROUP" -j group show |
		   jq -r '[.[].name] | join(" ")')"
	ip netns del "$b"
}

ktap_header 2
run_test "lifetime: deleting a namespace frees its groups" netns_deletion_frees_its_groups
run_test "lifetime: other namespaces keep their groups" other_namespaces_keep_their_groups
ktap_finish
