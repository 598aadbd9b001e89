#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a container can do to the node (protocol.rst, "What someone on the
# wire can and cannot do"; admin-guide.rst, the sysctls).
# Limits: the root of a network namespace owned by another user namespace
# may lower net.peergroup.*, not raise them above the defaults; the
# machine's root may. Memory: a group created from a memory cgroup with
# little room (its cgroup.procs), and a peer of its (pg_peer) that takes
# the table and then reads nothing while a writer outside the cgroup adds
# records. The frames queued to that peer are charged to the group's
# cgroup: its memory rises, its limit is hit and the connection fails there
# (closed, error ENOMEM, kept for the admin to read), never past the limit;
# a pair of namespaces outside the cgroup replicates meanwhile.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer
PG_LOAD=$(cd "$(dirname "$0")" && pwd)/pg_load
STATE=$(mktemp -d)
CG=

# in_userns CMD...: CMD as root of a new user namespace, in a new network
# namespace it owns.
in_userns() {
	unshare --user --map-root-user --net "$@"
}

limits() {
	local out rc=0

	out=$(in_userns sh -c 'cat /proc/sys/net/peergroup/queue_bytes') ||
		die "no net.peergroup in a user namespace's network namespace"
	expect_eq "queue_bytes in a container" 4194304 "$out"
	for s in queue_bytes=268435456 max_connections=4096 max_handshakes=4096 \
		 max_groups=1000000; do
		rc=0
		in_userns sh -c "echo ${s#*=} > /proc/sys/net/peergroup/${s%%=*}" \
			2> "$STATE/err" || rc=$?
		[ "$rc" -ne 0 ] || die "a container raised ${s%%=*} to ${s#*=}"
	done
	out=$(in_userns sh -c 'echo 1048576 > /proc/sys/net/peergroup/queue_bytes &&
		cat /proc/sys/net/peergroup/queue_bytes') ||
		die "a container cannot lower queue_bytes: $(cat "$STATE/err")"
	expect_eq "queue_bytes lowered in a container" 1048576 "$out"
	# The machine's root raises them in its own namespaces.
	local ns
	ns=$(new_netns)
	in_ns "$ns" sh -c 'echo 268435456 > /proc/sys/net/peergroup/queue_bytes' ||
		die "the machine's root cannot raise queue_bytes"
	expect_eq "queue_bytes raised by the machine's root" 268435456 \
		"$(in_ns "$ns" cat /proc/sys/net/peergroup/queue_bytes)"
	ip netns del "$ns"
}

# cg_setup: a memory cgroup of our own in $CG.
cg_setup() {
	local root

	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	if [ -z "$root" ]; then
		root=$STATE/cgroup
		mkdir -p "$root"
		mount -t cgroup2 none "$root" || die "cannot mount cgroup2"
	fi
	grep -qw memory "$root/cgroup.controllers" || die "no memory controller"
	echo +memory > "$root/cgroup.subtree_control" 2> /dev/null || true
	CG=$root/peergroup-test-$$
	mkdir "$CG"
}

# in_cg NS CMD...: CMD in NS, from a task of the cgroup.
in_cg() {
	local ns=$1

	shift
	bash -c 'echo $BASHPID > "$0/cgroup.procs" && exec ip netns exec "$@"' \
		"$CG" "$ns" "$@"
}

memory() {
	local a b x y gid base pid out max events

	cg_setup
	a=$(new_netns)
	b=$(new_netns)
	x=$(new_netns)
	y=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	link "$x" 192.0.2.17 "$y" 192.0.2.18
	in_cg "$a" "$PEERGROUP" group add office identity alice password "$PW" > /dev/null
	in_cg "$a" "$PEERGROUP" listen add
	in_ns "$a" "$PG_LOAD" office 10 4000 || die "pg_load"
	# The pair outside the cgroup.
	creator "$x"
	joiner "$y" bob
	in_ns "$y" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 20 established "$y" || die "y not established"

	base=$(cat "$CG/memory.current")
	max=$(( (base / 4096 + 512) * 4096 ))	# 2 MiB more
	echo "$max" > "$CG/memory.max"
	gid=$(in_ns "$a" "$PEERGROUP" -j group show office | jq -r .id)
	mkfifo "$STATE/in"
	ip netns exec "$b" "$PG_PEER" -S sync 192.0.2.1 3587 "$gid" dave "$PW" \
		< "$STATE/in" > "$STATE/peer" 2> "$STATE/peer.err" &
	pid=$!
	exec 7> "$STATE/in"	# held open, never written: it reads nothing
	wait_until 20 grep -q connected "$STATE/peer" ||
		die "pg_peer did not connect: $(cat "$STATE/peer.err")"
	# 3000 records of 4000 bytes, from a writer outside the cgroup.
	in_ns "$a" "$PG_LOAD" office 3000 4000 || die "pg_load"
	wait_until 30 bash -c "ip netns exec $a $PEERGROUP -j neighbour show office |
		jq -e '.[] | select(.errno_name == \"ENOMEM\")' > /dev/null" ||
		die "a's connection to the peer did not fail: $(in_ns "$a" "$PEERGROUP" -j neighbour show office)"
	events=$(awk '$1 == "max" { print $2 }' "$CG/memory.events")
	echo "# the cgroup: $base bytes before, limit $max, peak $(cat "$CG/memory.peak"), limit hit $events times"
	[ "$events" -gt 0 ] || die "the cgroup's limit was never hit"
	[ "$(cat "$CG/memory.peak")" -le "$max" ] || die "the cgroup went past its limit"
	out=$(in_ns "$a" "$PEERGROUP" -j neighbour show office |
		jq -r '.[] | select(.errno_name == "ENOMEM") | "\(.direction) \(.state) \(.reason)"')
	expect_eq "a's neighbour" "in closed error" "$out"
	# Outside the cgroup, nothing failed.
	repl_add "$x" outside > /dev/null
	wait_until 20 has_records "$y" 1 || die "x's record did not reach y"
	exec 7>&-
	kill "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	ip netns del "$y"
	ip netns del "$x"
	ip netns del "$b"
	ip netns del "$a"
}

cleanup() {
	[ -n "$CG" ] && rmdir "$CG" 2> /dev/null
	mountpoint -q "$STATE/cgroup" 2> /dev/null && umount "$STATE/cgroup"
	rm -rf "$STATE"
}
trap cleanup EXIT

repl_modules
ktap_header 2
run_test "a container's root lowers the sysctls, never raises them; the machine's root does" limits
run_test "a group's queues charged to its creator's memory cgroup: its limit fails them, no one else's" memory
ktap_finish
