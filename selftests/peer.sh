#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The protocol against a peer of the test's own: pg_peer, written from
# Documentation/protocol.rst and records.rst alone. Namespaces joined by
# veth pairs (192.0.2.0/24): a (the creator), b (a kernel peer joined to
# it), c (pg_peer's), d (a kernel peer behind a relay in a). The
# independent peer takes the table (the same records, every signature and
# id binding verified, its digests and fingerprints agree: a reconciliation
# in one round trip); a's neighbour is syncing, not established, until it
# has asked for the table and the stream has ended; its own valid records are stored and flooded on to b;
# a bad signature, an id not bound to its creator and an update by a member
# not entitled are dropped and counted, the table unchanged and the
# connection up, and so are updates signed in the creator's name that change
# what never changes (type, creation time, flags), are
# dated an hour ahead with the version that age would allow, or have the
# last version; the creator's max lifetime reaches b, and a record living a
# second longer than it is dropped and counted, one living exactly that
# long stored; a version at the limit of its age is taken and the creator
# passes it two seconds later; PROPERTIES of the last version are ignored,
# at the limit of the peer time they are taken and the creator's set passes
# them; a neighbour that reads
# nothing while records and properties flood is not closed, and takes them
# when it reads again; a record whose attribute name is not ASCII closes the
# connection; a wrong password is refused with reason auth, both ways, and
# a responder (pg_peer respond) refusing a's PROOF in plaintext is reported
# as auth. A
# relay between a and d flips a byte, replays, truncates or cuts a frame:
# the connection closes, nothing is stored, and then they converge.
# Peer time: pg_peer says in its WELCOME a time 10 s ahead, and a steps one
# second toward it (the bound), and no further when it says so twice more; a first-time joiner, e, adopts a's time;
# 10 s behind steps a back.
# PG_PEER_FRAMES (100000) random and mutated frames, seed PG_PEER_SEED
# (random): nothing stored, the kernel still answers, b's connection still
# works.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

PG_PEER=$(cd "$(dirname "$0")" && pwd)/pg_peer
FRAMES=${PG_PEER_FRAMES:-100000}
SEED=${PG_PEER_SEED:-random}
STATE=$(mktemp -d)
RELAY_PORT=4000

# peer NS [OPTION...] COMMAND ARGS...: pg_peer in NS, towards a at
# 192.0.2.1; its stderr in $STATE/err.
peer() {
	local ns=$1 opts=()

	shift
	while [[ $1 == -* ]]; do
		opts+=("$1")
		shift
	done
	local cmd=$1

	shift
	in_ns "$ns" "$PG_PEER" "${opts[@]}" "$cmd" 192.0.2.1 3587 "$GID" "$@" 2> "$STATE/err"
}

# A test's background processes (monitors, relays, a peer) end with it,
# even when it fails half-way: they would hold the runner's output open.
kill_strays() {
	local ns

	for ns in "$A" "$B" "$C" "$D" "$E"; do
		ip netns pids "$ns" | xargs -r kill 2> /dev/null
	done
	return 0
}

with_cleanup() {
	trap kill_strays EXIT
	"$@"
}

# nb_of NS IDENTITY FIELD...: the FIELDs of NS's latest neighbour whose
# peer is IDENTITY (one that went before may not be gone yet).
nb_of() {
	local ns=$1 who=$2

	shift 2
	in_ns "$ns" "$PEERGROUP" -j neighbour show office |
		jq -r --arg who "$who" --arg fields "$*" '[.[] | select(.identity == $who)] |
			if length == 0 then "" else max_by(.id) as $n |
				[$fields | split(" ")[] | $n[.] | tostring] | join(" ") end'
}

# jfield LINE KEY: a string or number of one of pg_peer's JSON lines
# (python costs most of a second to start in the VM).
jfield() {
	sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$1"
}

# monitor NS FILE: events of NS, as JSON, into FILE; prints the pid once
# the monitor hears (a properties event it caused itself).
monitor() {
	ip netns exec "$1" "$PEERGROUP" -j monitor > "$2" 2>&1 &
	echo $!
	until grep -q '"properties"' "$2"; do
		in_ns "$1" "$PEERGROUP" group set office max-records 100000
		sleep 0.2
	done
}

stop() {
	kill "$1" 2> /dev/null
	wait "$1" 2> /dev/null || true
}

# neighbour_events FILE EVENT: the reasons of EVENT neighbour events in
# FILE, the JSON lines of "peergroup -j monitor".
neighbour_events() {
	grep "\"neighbour_event\":\"$2\"" "$1" | sed -n 's/.*"reason":"\([a-z-]*\)".*/\1/p'
}

# The peer's copy (JSON lines on stdin) against NS's table: every field.
same_as_table() {
	python3 -c '
import json, sys
flags = {"autorefresh": 1, "deleted": 2}
mine = sorted((json.loads(l) for l in sys.stdin), key=lambda r: r["id"])
theirs = json.loads(sys.argv[1])
def norm_kernel(r):
    return (r["id"], r["type"], r["version"], sum(flags[f] for f in r["flags"]),
            r["creator"], r["modifier"], r["created_ns"], r["modified_ns"],
            r["expires_ns"], [(a["name"], a["type"], a["value_ns"] if a["type"] == "date" else a["value"])
                              for a in r["attributes"]], r["data"], r["security"])
def norm_peer(r):
    return (r["id"], r["type"], r["version"], r["flags"], r["creator"],
            r["modifier"], r["created_ns"], r["modified_ns"], r["expires_ns"],
            [(a["name"], a["type"], a["value"]) for a in r["attributes"]],
            r["data"], r["security"])
bad = [r["id"] for r in mine if not (r["verified"] and r["bound"])]
if bad:
    sys.exit("not verified or not bound: %s" % bad)
a = [norm_peer(r) for r in mine]
b = sorted((norm_kernel(r) for r in theirs), key=lambda r: r[0])
if a != b:
    sys.exit("the copy differs: %d records against %d; first difference %s" %
             (len(a), len(b), next(((x, y) for x, y in zip(a, b) if x != y), None)))
' "$(table "$1")"
}

# sync_all: pg_peer takes a's table three ways, each copy a's table: by
# SOLICIT; then reconciled with a, which must answer DONE at once; and by a
# pass from an empty table.
sync_all() {
	local out

	out=$(peer "$C" sync dave "$PW") || die "pg_peer sync failed: $(cat "$STATE/err")"
	same_as_table "$A" <<<"$out" || die "pg_peer's copy is not a's table"
	echo "# pg_peer took $(grep -c . <<<"$out") records, each verified"
	peer "$C" -r sync dave "$PW" > /dev/null ||
		die "the reconciliation of an identical copy: $(cat "$STATE/err")"
	grep -q "DONE in one round trip, 0 records differ" "$STATE/err" ||
		die "not one round trip: $(cat "$STATE/err")"
	out=$(peer "$C" -s sync dave "$PW") || die "pg_peer -s sync failed: $(cat "$STATE/err")"
	same_as_table "$A" <<<"$out" || die "the copy of a pass from an empty list is not a's table"
}

# Records of every kind: attributes of the three kinds, an update, a
# tombstone. At most 32: a pass lists them.
independent_sync() {
	local id

	repl_add "$A" red > /dev/null
	id=$(repl_add "$A" blue)
	in_ns "$A" "$PEERGROUP" record update office "$id" attr colour=navy \
		attr when=2030-01-01T00:00:00Z:date > /dev/null
	id=$(repl_add "$A" green)
	in_ns "$A" "$PEERGROUP" record del office "$id" > /dev/null
	sync_all
}

# dave_is STATE: a's neighbour dave (the latest) is in STATE.
dave_is() {
	[ "$(nb_of "$A" dave state)" = "$1" ]
}

# The uapi header: established (and the synced event) once the tables
# converged. A peer not synchronized that has asked for nothing is not.
quiet_joiner() {
	local line fd

	coproc PEER { peer "$C" -S sync dave "$PW"; }
	read -r -t 60 line <&"${PEER[0]}" || die "pg_peer did not connect"
	expect_match "pg_peer" '"connected":"alice"' "$line"
	sleep 1
	expect_eq "a's neighbour dave, who asked for nothing" syncing "$(nb_of "$A" dave state)"
	echo >&"${PEER[1]}"
	wait_until 20 dave_is established || die "dave: $(nb_of "$A" dave state) after the stream"
	echo >&"${PEER[1]}"
	fd=${PEER[1]}
	exec {fd}>&-
	wait "$PEER_PID" || die "pg_peer sync failed: $(cat "$STATE/err")"
}

# More than 32 records: a pass cuts the table into 16 fingerprinted buckets.
large_table() {
	in_ns "$A" "$(dirname "$0")/pg_load" office 60 20 || die "pg_load failed"
	sync_all
}

# outcome JSON: the outcome of one action of pg_peer send.
outcome() {
	jfield "$1" outcome
}

valid_records() {
	local out id

	wait_until 30 same_tables "$A" "$B" || die "b is not in sync with a"
	out=$(peer "$C" send dave "$PW" create) || die "pg_peer send create failed: $(cat "$STATE/err")"
	expect_eq "a fresh record of dave" stored "$(outcome "$out")"
	id=$(jfield "$out" id)
	wait_until 20 same_tables "$A" "$B" || die "dave's record did not reach b"
	expect_match "b's copy" '"creator": *"dave"' "$(in_ns "$B" "$PEERGROUP" -j record get office "$id")"
	out=$(peer "$C" send dave "$PW" "update=$id") ||
		die "pg_peer send update failed: $(cat "$STATE/err")"
	expect_eq "dave's update of his record" stored "$(outcome "$out")"
	wait_until 20 bash -c "ip netns exec $B $PEERGROUP -j record get office $id | grep -q '\"version\":2'" ||
		die "dave's update did not reach b"
	wait_until 20 same_tables "$A" "$B" || die "the tables differ"
}

# records.rst: attribute names are letters and digits; protocol.rst: a
# record whose names are not valid does not parse, and closes the
# connection. A Latin-1 letter (0xf6) is not one.
non_ascii_name() {
	local before out got id

	before=$(table "$A")
	out=$(peer "$C" send dave "$PW" non-ascii-name) || true
	got=$(outcome "$out")
	id=$(jfield "$out" id)
	if in_ns "$A" "$PEERGROUP" record get office "$id" > /dev/null 2>&1; then
		# Out of the table again (a tombstone has no attributes), or no
		# later table would parse (nor be UTF-8 as JSON).
		in_ns "$A" "$PEERGROUP" record del office "$id" > /dev/null
		wait_until 20 same_tables "$A" "$B"
		die "a stored the record (pg_peer: $got, $(cat "$STATE/err"))"
	fi
	expect_eq "a record named c\\xf6lour" closed "$got"
	expect_eq "a's table" "$before" "$(table "$A")"
}

# why ACTION: what the kernel says of the record pg_peer send ACTION sent.
why() {
	case $1 in
	bad-signature) echo "security data: the record does not verify under the group's key EINVAL" ;;
	unbound) echo "record id: not bound to the record's creator EINVAL" ;;
	update=*) echo "record modifier: neither the record's creator nor an administrator EACCES" ;;
	retype=*) echo "record type: differs from the stored one; a record's type never changes EINVAL" ;;
	recreate=*) echo "creation time: differs from the stored one; it never changes EINVAL" ;;
	reflag=*) echo "record flags: differ from the stored ones; they never change EINVAL" ;;
	ahead=* | version-max=*) echo "record version: ahead of the record's age (65536 versions, then one a second) EOVERFLOW" ;;
	forever) echo "expiration: more than the group's max lifetime after the modification time EINVAL" ;;
	esac
}

# refused_each ACTION...: pg_peer sends each, stepped; each is refused and
# counted, the table unchanged, the connection up.
refused_each() {
	local before line action n=0 fd

	before=$(table "$A")
	coproc PEER { peer "$C" -S send dave "$PW" "$@"; }
	read -r -t 60 line <&"${PEER[0]}" || die "pg_peer did not connect"
	expect_match "pg_peer" '"connected":"alice"' "$line"
	for action in "$@"; do
		n=$((n + 1))
		echo >&"${PEER[1]}"
		read -r -t 60 line <&"${PEER[0]}" || die "no outcome of $action"
		expect_eq "$action" refused "$(outcome "$line")"
		expect_eq "a's table after $action" "$before" "$(table "$A")"
		expect_eq "a's neighbour dave after $action" "$n 0 established" \
			"$(nb_of "$A" dave refused records_rx state)"
		expect_eq "why a refused it" "$(why "$action")" \
			"$(nb_of "$A" dave refused_why refused_errno)"
	done
	fd=${PEER[1]}
	exec {fd}>&-
	wait "$PEER_PID" || die "pg_peer send failed: $(cat "$STATE/err")"
	expect_eq "b's table" "$before" "$(table "$B")"
}

# alice_record: the id of one of alice's live records at a.
alice_record() {
	table "$A" | jq -r '[.[] | select(.creator == "alice" and .flags == [])][0].id'
}

refused_records() {
	refused_each bad-signature unbound "update=$(alice_record)"
}

# records.rst: a newer copy of a stored record, even signed in its
# creator's name, may change only what an update may.
hostile_updates() {
	local alice

	alice=$(alice_record)
	refused_each "retype=$alice" "recreate=$alice" "reflag=$alice" \
		"ahead=$alice" "version-max=$alice"
}

lifetime_is() {
	[ "$(group_value "$1" max-lifetime)" = "$2" ]
}

# records.rst, "Lifetime": the creator's max lifetime replicates (b takes
# it, pg_peer reads it in a's PROPERTIES); a record living longer than it
# from its modification is refused by a, counted, never reaches b.
max_lifetime() {
	local out id

	in_ns "$A" "$PEERGROUP" group set office max-lifetime 2h
	wait_until 20 lifetime_is "$B" 7200 ||
		die "b did not take a's max lifetime: $(group_value "$B" max-lifetime)"
	refused_each forever
	out=$(peer "$C" send dave "$PW" longest) ||
		die "pg_peer send longest failed: $(cat "$STATE/err")"
	expect_eq "a record living exactly the max lifetime" stored "$(outcome "$out")"
	id=$(jfield "$out" id)
	wait_until 20 same_tables "$A" "$B" || die "dave's record did not reach b"
	expect_match "b's copy" '"creator": *"dave"' "$(in_ns "$B" "$PEERGROUP" -j record get office "$id")"
	in_ns "$A" "$PEERGROUP" group set office max-lifetime 30d
	wait_until 20 lifetime_is "$B" 2592000 ||
		die "b did not take a's max lifetime back: $(group_value "$B" max-lifetime)"
}

# records.rst, "Versions": a member may push a record's version no further
# than its creator can pass a second later, nor the properties'; nothing
# wraps.
version_limit() {
	local alice out v peer_s max_records got

	alice=$(alice_record)
	out=$(peer "$C" send dave "$PW" "version-limit=$alice") ||
		die "pg_peer send version-limit failed: $(cat "$STATE/err")"
	expect_eq "a version at the limit of its age" stored "$(outcome "$out")"
	v=$(jfield "$out" version)
	(( v >= 65536 )) || die "version-limit sent version $v"
	# The creator passes it once a second more has gone.
	sleep 2
	out=$(in_ns "$A" "$PEERGROUP" record update office "$alice" data "alice again") ||
		die "alice could not update her record after a member's version $v"
	expect_eq "alice's update" "record $alice version $((v + 1))" "$out"
	wait_until 20 same_tables "$A" "$B" || die "b did not follow"
	# The properties: the end of the range is ignored.
	max_records=$(group_value "$A" max-records)
	out=$(peer "$C" send dave "$PW" props=4294967295) ||
		die "pg_peer send props failed: $(cat "$STATE/err")"
	expect_eq "PROPERTIES of version 2^32 - 1" kept "$(outcome "$out")"
	expect_eq "a's max records" "$max_records" "$(group_value "$A" max-records)"
	# At the limit of the peer time they are taken (a member may send
	# them in a psk group); the creator's next set passes them.
	peer_s=$(( $(in_ns "$A" "$PEERGROUP" -j group time office |
		sed -n 's/.*"peer_ns":\([0-9]*\).*/\1/p') / 1000000000 ))
	out=$(peer "$C" send dave "$PW" "props=$((65536 + peer_s))") ||
		die "pg_peer send props failed: $(cat "$STATE/err")"
	expect_eq "PROPERTIES at the limit" kept "$(outcome "$out")"
	expect_eq "a's max records after them" 4242 "$(group_value "$A" max-records)"
	wait_until 5 in_ns "$A" "$PEERGROUP" group set office max-records "$max_records" ||
		die "the creator could not set the properties again"
	got=$(group_value "$A" max-records)
	expect_eq "a's max records set again" "$max_records" "$got"
	wait_until 20 bash -c "[ \"\$(ip netns exec $B $PEERGROUP group status office |
		awk '\$1 == \"max-records\" { print \$2 }')\" = $max_records ]" ||
		die "b did not take the creator's set"
}

# A neighbour that reads nothing while records and then properties flood:
# its queue fills, it misses them, and takes them once it reads again; it
# is not closed (properties.c). a's queue at its least, and small socket
# buffers at both ends: large records fill it to within a large frame,
# small ones to within a small one, then six sets of the properties overflow
# it. The last test: the table is too large after it for the others.
slow_neighbour() {
	in_ns "$A" sysctl -n net.peergroup.queue_bytes > "$STATE/queue"
	in_ns "$A" sysctl -n net.ipv4.tcp_wmem > "$STATE/wmem"
	in_ns "$C" sysctl -n net.ipv4.tcp_rmem > "$STATE/rmem"
	# However the test ends, the namespaces are as they were after it.
	trap 'kill_strays; slow_restore' EXIT
	in_ns "$A" sysctl -qw net.peergroup.queue_bytes=262144
	in_ns "$A" sysctl -qw net.ipv4.tcp_wmem="4096 4096 4096"
	in_ns "$C" sysctl -qw net.ipv4.tcp_rmem="4096 4096 4096"
	slow_flood
}

slow_restore() {
	in_ns "$A" sysctl -qw net.peergroup.queue_bytes="$(cat "$STATE/queue")"
	in_ns "$A" sysctl -qw net.ipv4.tcp_wmem="$(cat "$STATE/wmem")"
	in_ns "$C" sysctl -qw net.ipv4.tcp_rmem="$(cat "$STATE/rmem")"
}

slow_flood() {
	local line i fd n id start

	coproc PEER { peer "$C" -S send dave "$PW" create; }
	read -r -t 60 line <&"${PEER[0]}" || die "pg_peer did not connect"
	# Within a's TCP_USER_TIMEOUT (15 s) of a window that stays shut.
	start=$SECONDS
	in_ns "$A" "$(dirname "$0")/pg_load" office 5 60000 || die "pg_load failed"
	in_ns "$A" "$(dirname "$0")/pg_load" office 13 5000 || die "pg_load failed"
	in_ns "$A" "$(dirname "$0")/pg_load" office 40 10 || die "pg_load failed"
	for i in 1 2 3 4 5 6; do
		in_ns "$A" "$PEERGROUP" group set office max-records $((99990 + i)) ||
			die "set $i was refused"
	done
	sleep 1
	echo "# the queue filled and the sets made in $((SECONDS - start)) s"
	expect_eq "a's neighbour dave, its queue full" established "$(nb_of "$A" dave state)"
	echo >&"${PEER[1]}"
	read -r -t 120 line <&"${PEER[0]}" || die "no outcome of create"
	# "changed", not "stored": the table pg_peer took first lacked the
	# records of pg_load.
	expect_eq "dave's record once he reads again" changed "$(outcome "$line")"
	id=$(jfield "$line" id)
	in_ns "$A" "$PEERGROUP" record get office "$id" > /dev/null ||
		die "a did not store dave's record"
	n=$(jfield "$line" properties)
	[ "$n" -ge 2 ] || die "dave got $n PROPERTIES, not the sets' after his own"
	fd=${PEER[1]}
	exec {fd}>&-
	wait "$PEER_PID" || die "pg_peer send failed: $(cat "$STATE/err")"
	wait_until 120 same_tables "$A" "$B" || die "b did not take the records"
}

wrong_password() {
	local mon pid mark rc=0 out

	mon=$STATE/mon-auth
	pid=$(monitor "$A" "$mon")
	mark=$(kmsg_mark)
	# pg_peer sees the responder fail, and refuses it.
	out=$(peer "$C" sync dave wrong-password) || rc=$?
	expect_eq "pg_peer's exit status" 4 "$rc"
	expect_match "pg_peer's message" 'failed to prove membership' "$(cat "$STATE/err")"
	expect_eq "records received" "" "$out"
	# Forced to send its proof: the kernel checks it, and refuses.
	rc=0
	out=$(peer "$C" -f sync dave wrong-password) || rc=$?
	expect_eq "pg_peer -f's exit status" 3 "$rc"
	expect_match "pg_peer -f's message" 'refused by the peer: auth' "$(cat "$STATE/err")"
	expect_eq "records received" "" "$out"
	wait_until 10 bash -c "[ \"\$(grep -c '\"failed\"' $mon)\" -ge 2 ]" ||
		die "no two failed events: $(cat "$mon")"
	stop "$pid"
	expect_eq "the kernel's reasons" "auth auth" \
		"$(neighbour_events "$mon" failed | tr '\n' ' ' | sed 's/ $//')"
	[ -z "$(neighbour_events "$mon" connected)" ] || die "a connection came up: $(cat "$mon")"
	kmsg_since "$mark" | grep -q "failed to prove membership" ||
		die "a did not log the refusal of the forced proof"
}

# first_reason PORT: a's neighbour at PORT has failed; its reason into
# $STATE/reason.
first_reason() {
	local r

	r=$(in_ns "$A" "$PEERGROUP" -j neighbour show office |
		jq -r --argjson p "$1" '.[] | select(.port == $p) | .reason')
	[ -n "$r" ] && [ "$r" != none ] && echo "$r" > "$STATE/reason"
}

# protocol.rst: a responder that refuses the PROOF does so in plaintext,
# and the initiator, which holds its keys by then, takes that REFUSE for
# what it says (auth), not for a frame too short to be sealed (protocol).
refused_proof() {
	local out pid

	ip netns exec "$C" "$PG_PEER" respond 4001 "$GID" dave "$PW" > "$STATE/respond" 2>&1 &
	pid=$!
	wait_until 10 grep -q listening "$STATE/respond" || die "pg_peer respond did not listen"
	in_ns "$A" "$PEERGROUP" neighbour add office 192.0.2.2 port 4001 > /dev/null
	wait_until 30 grep -q "refused alice" "$STATE/respond" ||
		die "pg_peer respond: $(cat "$STATE/respond")"
	# Every attempt is refused so: the reason stays what the last says.
	wait_until 10 first_reason 4001 || die "a's neighbour at port 4001 did not fail"
	out=$(cat "$STATE/reason")
	in_ns "$A" "$PEERGROUP" neighbour del office 192.0.2.2 port 4001
	stop "$pid"
	expect_eq "a's reason for the refused PROOF" auth "$out"
}

# relay MODE N: the relay in a's namespace, its output in $STATE/relay.
relay() {
	ip netns exec "$A" "$PG_PEER" relay "$RELAY_PORT" 127.0.0.1 3587 "$1" "$2" \
		> "$STATE/relay" 2>&1 &
	RELAY=$!
	wait_until 10 grep -q listening "$STATE/relay" || die "the relay did not start"
}

relay_pass() {
	# A fresh pair: d joins a through the relay.
	joiner "$D" erin
	relay pass 1
	in_ns "$D" "$PEERGROUP" neighbour add office 192.0.2.17 port "$RELAY_PORT" > /dev/null
	wait_until 30 established "$D" || die "d: neighbour $(neighbour_state "$D")"
	wait_until 30 same_tables "$A" "$D" || die "d did not take a's table through the relay"
	in_ns "$D" "$PEERGROUP" neighbour del office 192.0.2.17 port "$RELAY_PORT"
	stop "$RELAY"
	# Kept, closed, for an admin to read: no longer connected.
	wait_until 20 bash -c "! ip netns exec $A $PEERGROUP -j neighbour show office |
		jq -e '.[] | select(.identity == \"erin\" and .state != \"closed\")' > /dev/null" ||
		die "a is still connected to erin"
}

# tamper MODE N WHAT REASON: d, which holds a record a lacks, connects
# through the relay; frame N goes wrong, a closes with REASON, stores
# nothing; then the relay lets every frame pass and the two converge.
tamper() {
	local mode=$1 n=$2 what=$3 reason=$4 before id mon pid

	before=$(table "$A")
	id=$(repl_add "$D" "$mode")
	mon=$STATE/mon-$mode
	pid=$(monitor "$A" "$mon")
	relay "$mode" "$n"
	in_ns "$D" "$PEERGROUP" neighbour add office 192.0.2.17 port "$RELAY_PORT" > /dev/null
	wait_until 30 grep -q "waiting for SIGUSR1" "$STATE/relay" ||
		die "the relay did not tamper: $(cat "$STATE/relay")"
	expect_match "the frame tampered with" "sealed frame $n: $what" "$(cat "$STATE/relay")"
	wait_until 10 bash -c "grep -q '\"disconnected\"' $mon" || die "a saw no disconnection"
	expect_eq "a's reason" "$reason" "$(neighbour_events "$mon" disconnected)"
	expect_eq "a's table" "$before" "$(table "$A")"
	in_ns "$A" "$PEERGROUP" record get office "$id" > /dev/null 2>&1 && die "a stored $id"
	kill -USR1 "$RELAY"
	wait_until 60 same_tables "$A" "$D" || die "a and d did not converge after the $mode"
	stop "$pid"
	in_ns "$D" "$PEERGROUP" neighbour del office 192.0.2.17 port "$RELAY_PORT"
	stop "$RELAY"
}

# offset NS: NS's peer time less its UTC, in ns, read at one instant (the
# kernel converts one clock reading). Not through jq: its numbers are
# doubles, too coarse for nanoseconds since the epoch.
offset() {
	local out utc peer

	out=$(in_ns "$1" "$PEERGROUP" -j group time office)
	utc=$(sed -n 's/.*"utc_ns":\([0-9]*\).*/\1/p' <<<"$out")
	peer=$(sed -n 's/.*"peer_ns":\([0-9]*\).*/\1/p' <<<"$out")
	echo $(( peer - utc ))
}

# skewed MS: pg_peer, synchronized, connects to a with a WELCOME MS off.
skewed() {
	peer "$C" -s "-T$1" sync dave "$PW" > /dev/null ||
		die "pg_peer -T$1 failed: $(cat "$STATE/err")"
}

peer_time() {
	local before after e_off

	before=$(offset "$A")
	# 10 s ahead: half the difference, at most a second.
	skewed 10000
	after=$(offset "$A")
	expect_eq "a's step toward a peer 10 s ahead (ns)" 1000000000 $(( after - before ))
	# Again and again, within the minute: no further (group.h).
	skewed 10000
	skewed 10000
	expect_eq "a's clock after two more connections ahead (ns)" "$after" "$(offset "$A")"
	# A first-time joiner takes a's peer time from its WELCOME: a's
	# offset, less the WELCOME's time in flight.
	joiner "$E" erin
	in_ns "$E" "$PEERGROUP" neighbour add office 192.0.2.49 > /dev/null
	wait_until 60 status_has "$E" synchronized || die "e not synchronized"
	e_off=$(offset "$E")
	(( e_off > after - 500000000 && e_off <= after )) ||
		die "e's offset $e_off ns is not a's $after ns less under 0.5 s"
	echo "# e adopted a's peer time $(( (after - e_off) / 1000000 )) ms behind"
	# 10 s behind: a second back.
	skewed -10000
	expect_eq "a's step toward a peer 10 s behind (ns)" "$before" "$(offset "$A")"
	in_ns "$E" "$PEERGROUP" neighbour del office 192.0.2.49
}

fuzz() {
	local before out start id rc=0

	before=$(table "$A")
	established "$B" || die "b is not connected before the fuzz"
	start=$(date +%s)
	out=$(peer "$C" fuzz fuzzer "$PW" "$FRAMES" "$SEED") || rc=$?
	grep -E "seed|DEVIATION|fuzz:   " <<<"$out" | head -60 | sed 's/^/# /'
	echo "# $FRAMES frames in $(( $(date +%s) - start )) s"
	[ "$rc" -eq 0 ] || die "pg_peer fuzz failed ($rc): $(tail -3 "$STATE/err")"
	expect_eq "a's table" "$before" "$(table "$A")"
	in_ns "$A" "$PEERGROUP" group status office > /dev/null || die "a does not answer"
	established "$B" || die "b's connection did not survive: $(neighbour_state "$B")"
	id=$(repl_add "$A" after-fuzz)
	wait_until 20 bash -c "ip netns exec $B $PEERGROUP record get office $id > /dev/null 2>&1" ||
		die "a's record after the fuzz did not reach b"
	out=$(peer "$C" sync dave "$PW") || die "pg_peer sync after the fuzz failed: $(cat "$STATE/err")"
	same_as_table "$A" <<<"$out" || die "the copy after the fuzz is not a's table"
}

repl_modules
A=$(new_netns)
B=$(new_netns)
C=$(new_netns)
D=$(new_netns)
E=$(new_netns)
link "$A" 192.0.2.1 "$C" 192.0.2.2
link "$A" 192.0.2.17 "$D" 192.0.2.18
link "$A" 192.0.2.33 "$B" 192.0.2.34
link "$A" 192.0.2.49 "$E" 192.0.2.50
creator "$A"
GID=$(in_ns "$A" "$PEERGROUP" -j group show office | jq -r .id)
joiner "$B" bob
in_ns "$B" "$PEERGROUP" neighbour add office 192.0.2.33 > /dev/null

ktap_header 19
t() {
	run_test "$1" with_cleanup "${@:2}"
}
t "an independent peer takes the table, verifies it, reconciles in one round trip" independent_sync
t "a peer not synchronized that asks for nothing: syncing until its stream has ended" quiet_joiner
t "its valid records are stored and flooded to a second kernel peer" valid_records
t "a bad signature, an unbound id, an update not entitled: dropped, counted" refused_records
t "an update in the creator's name changing what never changes: dropped, counted" hostile_updates
t "the max lifetime replicates; a record living longer: dropped, counted" max_lifetime
t "the last version: a record refused, properties ignored; at the limit: the creator passes them" version_limit
t "a record with an attribute name not ASCII closes the connection" non_ascii_name
t "a wrong password is refused with reason auth, both ways, nothing exchanged" wrong_password
t "a PROOF refused in plaintext: the initiator reports auth" refused_proof
t "$FRAMES random and mutated frames: nothing stored, the kernel answers" fuzz
t "a relay that passes every frame: a joiner takes the table through it" relay_pass
t "a byte flipped: closed (protocol), nothing stored, then converged" tamper flip 4 RECORD protocol
t "a frame replayed: closed (protocol), nothing stored, then converged" tamper replay 3 RECONCILE protocol
t "a frame truncated: closed (protocol), nothing stored, then converged" tamper truncate 4 RECORD protocol
t "a frame cut off with the connection: closed, nothing stored, then converged" tamper cut 4 RECORD closed
t "more than 32 records: the peer's fingerprints agree" large_table
t "peer time: a steps a second toward a peer 10 s off, no more however often; a joiner adopts a's" peer_time
t "a neighbour that reads nothing: floods of records and properties wait, it stays" slow_neighbour
ip netns del "$E"
ip netns del "$D"
ip netns del "$C"
ip netns del "$B"
ip netns del "$A"
rm -rf "$STATE"
ktap_finish
