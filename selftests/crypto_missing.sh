#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replication without its AEAD. Debian's kernels have ChaCha20-Poly1305 as
# modules, which the crypto API loads on demand: the module names them as
# soft dependencies, so that modprobe loads them with it (X25519 is the
# curve25519 library, a dependency by symbol, which modinfo names). Where
# the AEAD cannot be loaded (its template removed, and modprobe made to
# fail), a connection cannot work: the initiator's neighbour says error and
# ENOENT, a responder refuses an independent peer with reason error rather
# than just closing, and the kernel log names the missing algorithm, once.
# Needs the algorithms as modules: the debug lane builds them in, and
# leaves this test to the stock lanes.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer
MODPROBE=/proc/sys/kernel/modprobe
SAVED=$(cat "$MODPROBE")

softdeps() {
	local deps m

	deps=$(modinfo -F softdep "$PG_KO")
	for m in crypto-rfc7539 crypto-chacha20 crypto-poly1305; do
		[[ " $deps " == *" $m "* ]] || die "no soft dependency on $m: '$deps'"
	done
	deps=$(modinfo -F depends "$PG_KO")
	[[ ",$deps," == *",curve25519-x86_64,"* ]] ||
		die "no dependency on the curve25519 library: '$deps'"
}

# reasons NS: reason and errno of each neighbour of NS.
reasons() {
	in_ns "$1" "$PEERGROUP" -j neighbour show office |
		jq -r '[.[] | "\(.reason) \(.errno_name)"] | join(",")'
}

missing() {
	local a b mark rc=0 gid err

	echo /bin/false > "$MODPROBE"
	trap 'echo "$SAVED" > "$MODPROBE"; repl_modules' EXIT
	rmmod chacha20poly1305 2> /dev/null || true
	if grep -qx "name *: rfc7539(chacha20,poly1305)" /proc/crypto; then
		die "rfc7539(chacha20,poly1305) is still in the crypto API (built in, or in use)"
	fi
	a=$(new_netns)
	b=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	creator "$a"
	joiner "$b" bob
	mark=$(kmsg_mark)
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 20 bash -c "[ \"\$(ip netns exec $b $PEERGROUP -j neighbour show office |
		jq -r '.[0].reason + \" \" + .[0].errno_name')\" = 'error ENOENT' ]" ||
		die "b's neighbour: $(reasons "$b")"
	# The responder: an independent peer is refused once its proof
	# verifies, in plaintext (it has no keys).
	gid=$(in_ns "$a" "$PEERGROUP" -j group show office | jq -r .id)
	err=$(mktemp)
	in_ns "$b" "$PG_PEER" sync 192.0.2.1 3587 "$gid" dave "$PW" > /dev/null 2> "$err" || rc=$?
	expect_eq "pg_peer's exit status" 3 "$rc"
	expect_match "pg_peer's message" 'refused by the peer: error' "$(cat "$err")"
	expect_eq "the log of the missing algorithm, once" 1 \
		"$(kmsg_since "$mark" | grep -c 'the crypto API has no rfc7539(chacha20,poly1305)')"
	ip netns del "$b"
	ip netns del "$a"
	rm -f "$err"
}

ktap_header 2
run_test "the algorithms replication needs: soft dependencies, the curve25519 library" softdeps
run_test "without them: error and ENOENT, a REFUSE error, the log says which, once" missing
ktap_finish
