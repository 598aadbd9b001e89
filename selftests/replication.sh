#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replication between peers, each a network namespace, joined by veth
# pairs on documentation addresses (192.0.2.0/24): listeners, neighbours,
# the handshake (a wrong password refused, reported on both sides, nothing
# exchanged), a joiner's first synchronization, flooding of adds, updates
# and deletes both ways and along a line of three, identical tables at the
# end (security data included), events with their origin, and teardown
# with connections up (group delete, namespace delete); two peers over
# IPv6 (2001:db8::/64), through a listener on an IPv6 address; and joins by
# the group id alone, the joiner learning the creator and the properties
# from its first neighbour (and later changes of them), directly from the
# creator and through a member; and neighbour events for administrators
# only.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

# lost NS: the neighbour of NS has a reason for its last disconnection.
lost() {
	[ "$(neighbour_field "$1" reason)" != none ]
}

listen_commands() {
	local ns out

	ns=$(new_netns)
	in_ns "$ns" ip link set lo up
	in_ns "$ns" "$PEERGROUP" group add office identity alice > /dev/null
	status_has "$ns" listening && die "listening before any listener"
	in_ns "$ns" "$PEERGROUP" listen add 127.0.0.1 port 4000
	in_ns "$ns" "$PEERGROUP" listen add
	out=$(in_ns "$ns" "$PEERGROUP" -j listen show)
	expect_eq "two listeners" 2 "$(jq length <<<"$out")"
	expect_match "the default port" '3587' "$out"
	status_has "$ns" listening || die "not listening"
	expect_failure "the same again" 1 'listen already' \
		in_ns "$ns" "$PEERGROUP" listen add 127.0.0.1 port 4000
	expect_failure "an address not here" 1 'no interface' \
		in_ns "$ns" "$PEERGROUP" listen add 192.0.2.99
	in_ns "$ns" "$PEERGROUP" listen del 127.0.0.1 port 4000
	in_ns "$ns" "$PEERGROUP" listen del
	expect_failure "none left" 1 'none on this' \
		in_ns "$ns" "$PEERGROUP" listen del
	status_has "$ns" listening && die "still listening"
	ip netns del "$ns"
}

two_peers() {
	local a b id1 id2 id3 mon out mark

	a=$(new_netns)
	b=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	creator "$a"
	id1=$(repl_add "$a" before)
	joiner "$b" bob
	expect_failure "not ready before its first sync" 1 'EAGAIN|not.*ready|synchron' \
		in_ns "$b" "$PEERGROUP" record list office
	expect_failure "why, before its first neighbour" 1 \
		'^peergroup: office is not ready: no neighbour: add one \(peergroup neighbour add office ADDR\)$' \
		in_ns "$b" "$PEERGROUP" record list office

	mon=$(mktemp)
	# Not through in_ns: $! must be the monitor itself, to kill it.
	ip netns exec "$b" "$PEERGROUP" monitor > "$mon" 2>&1 &
	local monpid=$!
	sleep 0.5
	mark=$(kmsg_mark)
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 30 established "$b" || die "b: neighbour $(neighbour_state "$b")"
	wait_until 10 status_has "$b" synchronized || die "b not synchronized"
	# The first connection is the one: b sends no properties it has not
	# learned (a joiner told the creator has none yet), which a would
	# refuse and close for.
	expect_eq "b's connections" 1 "$(neighbour_field "$b" connects)"
	if kmsg_since "$mark" | grep -q "PROPERTIES"; then
		die "a complained of b's PROPERTIES: $(kmsg_since "$mark" | grep PROPERTIES)"
	fi
	status_has "$b" has-connections || die "b: no connections"
	wait_until 10 status_has "$a" has-connections || die "a: no connections"
	expect_eq "a's neighbour" "in" "$(neighbour_field "$a" direction)"
	expect_eq "b's neighbour" "out" "$(neighbour_field "$b" direction)"
	expect_eq "b's peer" "alice" "$(neighbour_field "$b" identity)"
	expect_eq "a's peer" "bob" "$(neighbour_field "$a" identity)"
	wait_until 10 has_records "$b" 1 || die "the first record did not reach b"

	# Both ways: adds, an update, a delete.
	id2=$(repl_add "$a" red)
	id3=$(repl_add "$b" green)
	wait_until 20 has_records "$b" 3 || die "a's add did not reach b"
	wait_until 20 has_records "$a" 3 || die "b's add did not reach a"
	in_ns "$b" "$PEERGROUP" record update office "$id3" attr colour=teal > /dev/null
	in_ns "$a" "$PEERGROUP" record del office "$id1" > /dev/null
	wait_until 20 bash -c "ip netns exec $a $PEERGROUP record get office $id3 | grep -q teal" ||
		die "b's update did not reach a"
	wait_until 20 bash -c "! ip netns exec $b $PEERGROUP record get office $id1 >/dev/null 2>&1" ||
		die "a's delete did not reach b"
	wait_until 20 same_tables "$a" "$b" || die "the tables differ"

	out=$(in_ns "$b" "$PEERGROUP" -j neighbour show office)
	[ "$(jq '.[0].records_rx' <<<"$out")" -ge 3 ] || die "b: records_rx $out"
	[ "$(jq '.[0].records_tx' <<<"$out")" -ge 2 ] || die "b: records_tx $out"
	kill "$monpid"
	wait "$monpid" 2> /dev/null || true
	grep -q "connected" "$mon" || die "no connected event: $(head -5 "$mon")"
	grep -q "$id2.*origin peer" "$mon" || die "no peer-origin event: $(head -5 "$mon")"
	rm -f "$mon"

	# Teardown with the connection up: the group on a, then b's namespace.
	in_ns "$a" "$PEERGROUP" group del office
	wait_until 20 lost "$b" || die "b did not see a go"
	ip netns del "$b"
	ip netns del "$a"
}

wrong_password() {
	local a b mark

	a=$(new_netns)
	b=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	creator "$a"
	repl_add "$a" secret > /dev/null
	joiner "$b" mallory wrong-password
	mark=$(kmsg_mark)
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 30 bash -c "ip netns exec $b $PEERGROUP -j neighbour show office | grep -q '\"reason\": *\"auth'" ||
		die "b: no auth refusal: $(in_ns "$b" "$PEERGROUP" -j neighbour show office)"
	kmsg_since "$mark" | grep -q "failed to prove membership" ||
		die "a did not report the refusal"
	status_has "$b" synchronized && die "b synchronized with a wrong password"
	# Why b is not ready, where a user looks: the error and the status.
	expect_failure "b's records" 1 \
		'^peergroup: office is not ready: the last connection, to 192\.0\.2\.1 port 3587, was refused: wrong password \(auth\)$' \
		in_ns "$b" "$PEERGROUP" record list office
	expect_match "b's status" \
		'not-ready the last connection, to 192\.0\.2\.1 port 3587, was refused: wrong password \(auth\)' \
		"$(in_ns "$b" "$PEERGROUP" group status office)"
	status_has "$a" has-connections && die "a counts a refused peer"
	expect_failure "b learnt nothing" 1 'EAGAIN|not.*ready|synchron' \
		in_ns "$b" "$PEERGROUP" record list office
	ip netns del "$b"
	ip netns del "$a"
}

line_of_three() {
	local a b c id

	a=$(new_netns)
	b=$(new_netns)
	c=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	link "$b" 192.0.2.17 "$c" 192.0.2.18
	creator "$a"
	joiner "$b" bob
	joiner "$c" carol
	in_ns "$b" "$PEERGROUP" listen add
	# c meets b before b has synchronized: b tells it once it has.
	in_ns "$c" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	repl_add "$a" one > /dev/null
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 30 status_has "$c" synchronized || die "c not synchronized"
	wait_until 20 has_records "$c" 1 || die "a's record did not reach c"
	id=$(repl_add "$c" three)
	repl_add "$a" two > /dev/null
	wait_until 20 has_records "$a" 3 || die "c's record did not reach a"
	wait_until 20 has_records "$c" 3 || die "a's second did not reach c"
	in_ns "$a" "$PEERGROUP" record del office "$id" > /dev/null
	wait_until 20 bash -c "! ip netns exec $c $PEERGROUP record get office $id >/dev/null 2>&1" ||
		die "a's delete of c's record did not reach c"
	wait_until 20 same_tables "$a" "$b" "$c" || die "the tables differ"
	# The middle one goes with both its connections up.
	ip netns del "$b"
	ip netns del "$a"
	ip netns del "$c"
}

over_ipv6() {
	local a b dev_a dev_b id out

	a=$(new_netns)
	b=$(new_netns)
	dev_a="v$RANDOM"
	dev_b="v$RANDOM"
	ip link add "$dev_a" netns "$a" type veth peer name "$dev_b" netns "$b"
	in_ns "$a" ip addr add 2001:db8::1/64 dev "$dev_a" nodad
	in_ns "$b" ip addr add 2001:db8::2/64 dev "$dev_b" nodad
	in_ns "$a" ip link set "$dev_a" up
	in_ns "$b" ip link set "$dev_b" up
	in_ns "$a" "$PEERGROUP" group add office identity alice password "$PW" > /dev/null
	in_ns "$a" "$PEERGROUP" listen add 2001:db8::1 port 4001
	out=$(in_ns "$a" "$PEERGROUP" -j listen show)
	expect_eq "a's listener" "2001:db8::1 4001" "$(jq -r '.[0] | "\(.address) \(.port)"' <<<"$out")"
	id=$(repl_add "$a" v6-a)
	joiner "$b" bob
	in_ns "$b" "$PEERGROUP" neighbour add office 2001:db8::1 port 4001 > /dev/null
	wait_until 30 established "$b" || die "b: neighbour $(neighbour_state "$b")"
	wait_until 20 status_has "$b" synchronized || die "b not synchronized"
	expect_eq "b's neighbour" "2001:db8::1 4001" \
		"$(neighbour_field "$b" address) $(neighbour_field "$b" port)"
	expect_eq "a's neighbour's address" "2001:db8::2" "$(neighbour_field "$a" address)"
	in_ns "$b" "$PEERGROUP" record get office "$id" > /dev/null || die "b lacks a's record"
	repl_add "$b" v6-b > /dev/null
	wait_until 20 has_records "$a" 2 || die "b's record did not reach a"
	wait_until 20 same_tables "$a" "$b" || die "the tables differ"
	ip netns del "$b"
	ip netns del "$a"
}

# props NS: creator, max record size and flags of NS's group.
props() {
	in_ns "$1" "$PEERGROUP" -j group status office |
		jq -r '"\(.creator) \(.max_record_size) \(.max_lifetime) \(.flags | join(","))"'
}

props_are() {
	[ "$(props "$1")" = "$2" ]
}

# reason_is NS REASON: NS's neighbour's last reason.
reason_is() {
	[ "$(neighbour_field "$1" reason)" = "$2" ]
}

# data_of N: N bytes of record data.
data_of() {
	head -c "$1" /dev/zero | tr '\0' x
}

join_by_id() {
	local a b c d gid id

	a=$(new_netns)
	b=$(new_netns)
	c=$(new_netns)
	d=$(new_netns)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	link "$b" 192.0.2.17 "$c" 192.0.2.18
	link "$a" 192.0.2.33 "$d" 192.0.2.34
	creator "$a"
	in_ns "$a" "$PEERGROUP" group set office max-record-size 2000 defer-expiration on \
		max-lifetime 2h
	gid=$(in_ns "$a" "$PEERGROUP" -j group show office | jq -r .id)
	id=$(repl_add "$a" by-id)
	expect_failure "a group id whose classifier is not the name" 1 'group id' \
		in_ns "$b" "$PEERGROUP" group join other id "$gid" identity bob password "$PW"
	in_ns "$b" "$PEERGROUP" group join office id "$gid" identity bob password "$PW" > /dev/null
	expect_eq "b's group id" "$gid" "$(in_ns "$b" "$PEERGROUP" -j group show office | jq -r .id)"
	expect_eq "b's creator, before it meets a" "null" \
		"$(in_ns "$b" "$PEERGROUP" -j group status office | jq -r .creator)"
	expect_failure "b not ready" 1 'EAGAIN|not.*ready|synchron' \
		in_ns "$b" "$PEERGROUP" record list office
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 30 status_has "$b" synchronized || die "b not synchronized: $(neighbour_state "$b")"
	expect_eq "b learned from a" "alice 2000 7200 defer-expiration" "$(props "$b")"
	in_ns "$b" "$PEERGROUP" record get office "$id" > /dev/null || die "b lacks a's record"
	# The learned max record size and max lifetime hold at b.
	expect_failure "a record over the learned max record size" 1 'EMSGSIZE|size|bytes' \
		in_ns "$b" "$PEERGROUP" record add office type "$REPL_TYPE" expires +1h data "$(data_of 2100)"
	expect_failure "a record over the learned max lifetime" 1 \
		"expiration: more than the group's max lifetime after the modification time .*\\(EINVAL" \
		in_ns "$b" "$PEERGROUP" record add office type "$REPL_TYPE" expires +3h
	# A change on the creator reaches the connected member.
	in_ns "$a" "$PEERGROUP" group set office max-record-size 4000 defer-expiration off \
		max-lifetime 1d
	wait_until 20 props_are "$b" "alice 4000 86400 " ||
		die "a's new properties did not reach b: $(props "$b")"
	expect_eq "b's properties after a's change" "alice 4000 86400 " "$(props "$b")"
	in_ns "$b" "$PEERGROUP" record add office type "$REPL_TYPE" expires +3h data "$(data_of 3000)" > /dev/null
	wait_until 20 has_records "$a" 2 || die "b's large record did not reach a"
	# c joins by id through b, a member: it learns the same.
	in_ns "$b" "$PEERGROUP" listen add
	in_ns "$c" "$PEERGROUP" group join office id "$gid" identity carol password "$PW" > /dev/null
	in_ns "$c" "$PEERGROUP" neighbour add office 192.0.2.17 > /dev/null
	wait_until 30 status_has "$c" synchronized || die "c not synchronized: $(neighbour_state "$c")"
	expect_eq "c learned through b" "alice 4000 86400 " "$(props "$c")"
	wait_until 20 same_tables "$a" "$b" "$c" || die "the tables differ"
	# An id nobody's: refused by a, reported, nothing learned.
	in_ns "$d" "$PEERGROUP" group join office id "$(printf '%040d' 0).office" identity dave \
		password "$PW" > /dev/null
	in_ns "$d" "$PEERGROUP" neighbour add office 192.0.2.33 > /dev/null
	wait_until 30 reason_is "$d" unknown-group ||
		die "d: $(in_ns "$d" "$PEERGROUP" -j neighbour show office)"
	expect_eq "d's creator" "null" "$(in_ns "$d" "$PEERGROUP" -j group status office | jq -r .creator)"
	ip netns del "$d"
	ip netns del "$c"
	ip netns del "$b"
	ip netns del "$a"
}

# seen FILE PATTERN: a line of FILE matches.
seen() {
	grep -q -- "$2" "$1"
}

# Neighbour events tell what "neighbour show" tells, and reach only those
# who may run it: root's monitor gets them whole, one run as nobody (no
# CAP_NET_ADMIN) gets none, and is told why, and the rest of the events.
neighbour_events_for_admins() {
	local a b dir pids=() line

	a=$(new_netns)
	b=$(new_netns)
	dir=$(mktemp -d)
	link "$a" 192.0.2.1 "$b" 192.0.2.2
	creator "$a"
	joiner "$b" bob
	expect_match "the family's multicast groups" 'name: events.*name: neighbours' \
		"$(genl ctrl get name peergroup | tr '\n' ' ')"
	# Not through in_ns: each pid must be the monitor itself.
	ip netns exec "$a" "$PEERGROUP" -j monitor > "$dir/root" 2> "$dir/root.err" &
	pids+=("$!")
	ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$PEERGROUP" -j monitor > "$dir/nobody" 2> "$dir/nobody.err" &
	pids+=("$!")
	# The test's subshell ends with them, failed or not; its locals are
	# gone by then: the values go into the trap now.
	# shellcheck disable=SC2064
	trap "kill ${pids[*]} 2> /dev/null || true; rm -rf '$dir'" EXIT
	# Both subscribed: each caught a properties event.
	until seen "$dir/root" properties && seen "$dir/nobody" properties; do
		kill -0 "${pids[@]}" || die "a monitor ended: $(cat "$dir"/*.err)"
		in_ns "$a" "$PEERGROUP" group set office max-records 100000
		sleep 0.2
	done
	in_ns "$b" "$PEERGROUP" neighbour add office 192.0.2.1 > /dev/null
	wait_until 30 status_has "$b" synchronized || die "b: $(neighbour_state "$b")"
	wait_until 20 seen "$dir/root" '"neighbour_event":"synced"' ||
		die "root's monitor saw no synced: $(cat "$dir/root")"
	# A record event after them: once a monitor has it, it has had
	# every neighbour event it was sent (one socket, in order).
	repl_add "$a" after > /dev/null
	wait_until 20 seen "$dir/nobody" '"event":"record"' ||
		die "the unprivileged monitor saw no record event: $(cat "$dir/nobody")"
	wait_until 20 seen "$dir/root" '"event":"record"' ||
		die "root's monitor saw no record event"
	kill "${pids[@]}"
	wait "${pids[@]}" 2> /dev/null || true
	line=$(grep '"neighbour_event":"connected"' "$dir/root") ||
		die "root's monitor saw no connected: $(cat "$dir/root")"
	expect_match "root's connected event, whole" \
		'"id":[0-9]+,"address":"192\.0\.2\.2","port":[0-9]+,"direction":"in",.*"identity":"bob",.*"frames_rx":[0-9]+' \
		"$line"
	expect_eq "root's monitor, on stderr" "" "$(cat "$dir/root.err")"
	! seen "$dir/nobody" '"event":"neighbour"' ||
		die "the unprivileged monitor got neighbour events: $(grep neighbour "$dir/nobody")"
	! grep -qE 'bob|192\.0\.2\.2' "$dir/nobody" ||
		die "the unprivileged monitor learned the neighbour: $(cat "$dir/nobody")"
	expect_eq "the unprivileged monitor, on stderr" \
		'peergroup: monitor: no neighbour events: they need CAP_NET_ADMIN, as "neighbour show" does' \
		"$(cat "$dir/nobody.err")"
	ip netns del "$b"
	ip netns del "$a"
}

repl_modules

ktap_header 7
run_test "listen add, show and del; the LISTENING status" listen_commands
run_test "two peers: sync on join, adds, updates and deletes both ways" two_peers
run_test "a wrong password is refused, reported, and nothing crosses" wrong_password
run_test "a line of three: records cross the middle both ways" line_of_three
run_test "two peers over IPv6: a listener on an IPv6 address, sync and flooding" over_ipv6
run_test "joins by group id: the creator and properties learned, changes followed" join_by_id
run_test "neighbour events reach only who may read neighbours (CAP_NET_ADMIN)" \
	neighbour_events_for_admins
ktap_finish
