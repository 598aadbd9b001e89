#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the module with groups present frees everything, 50 times over
# (PG_RELOADS). Needs PG_KO, the path of peergroup.ko; leaves the module
# loaded.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

if [ -z "${PG_KO:-}" ] || [ ! -r "$PG_KO" ]; then
	echo "# PG_KO must name a readable peergroup.ko"
	exit 1
fi

# loaded: whether the module is in, without starting a process (processes
# are dear in the VM).
loaded() {
	local line

	while read -r line; do
		[[ $line != "peergroup "* ]] || return 0
	done < /proc/modules
	return 1
}

load() {
	loaded || insmod "$PG_KO"
	dyndbg_on
}

# populate NS COUNT: COUNT groups in this namespace, one in NS.
populate() {
	local ns=$1 i

	for i in $(seq "$2"); do
		"$PEERGROUP" group add "init-$i" identity alice > /dev/null
	done
	ip netns exec "$ns" "$PEERGROUP" group add "ns-1" identity bob > /dev/null
}

unload_with_groups_present() {
	local ns mark

	load
	ns=$(new_netns)
	mark=$(kmsg_mark)
	populate "$ns" 3
	rmmod peergroup
	expect_lifetimes_balanced "$mark" 4
	ip netns del "$ns"
	load
}

reloads=${PG_RELOADS:-50}

reload_many_times() {
	local ns mark i

	ns=$(new_netns)
	mark=$(kmsg_mark)
	# A group in each of two namespaces per cycle (the test above has
	# more): the cycles' time goes to starting processes.
	for i in $(seq "$reloads"); do
		load
		populate "$ns" 1
		rmmod peergroup || die "rmmod failed in round $i"
	done
	expect_lifetimes_balanced "$mark" $((2 * reloads))
	ip netns del "$ns"
	load
}

ktap_header 2
run_test "module: unload with groups in two namespaces frees them all" unload_with_groups_present
run_test "module: $reloads load/unload cycles with groups present" reload_many_times
ktap_finish
