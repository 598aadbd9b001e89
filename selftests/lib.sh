# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the peergroup shell tests: KTAP output, assertions,
# namespaces and kernel-log checks. Each test is a shell function run in a
# subshell with `set -e`; its result is one KTAP line.

PEERGROUP=${PEERGROUP:-peergroup}
# The group key's Argon2id, cheap: the tests create hundreds of groups under
# TCG emulation, where the default (t=3, 64 MiB, 4 lanes) takes seconds.
# The tool and pg_peer both read it; a test that wants the default unsets
# it. The groups record what was used (group status), so nothing is hidden.
export PEERGROUP_KDF=${PEERGROUP_KDF-time=1,memory=64k,lanes=1}
ktap_num=0
ktap_failures=0

ktap_header() {
	echo "TAP version 13"
	echo "1..$1"
}

# run_test "description" function [args...]
run_test() {
	local desc=$1 rc start=$SECONDS

	shift
	( set -e; "$@" )
	rc=$?
	ktap_num=$((ktap_num + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $ktap_num $desc"
	else
		ktap_failures=$((ktap_failures + 1))
		echo "not ok $ktap_num $desc"
	fi
	# Where a run's time goes: read off the logs, never asserted.
	echo "# took $((SECONDS - start)) s"
}

ktap_finish() {
	[ "$ktap_failures" -eq 0 ]
	exit $?
}

# Prints a diagnostic (KTAP comment) and fails the current test.
die() {
	echo "# $*"
	return 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || die "$1: expected '$2', got '$3'"
}

# expect_match WHAT PATTERN TEXT (grep -E pattern)
expect_match() {
	grep -qE -- "$2" <<<"$3" || die "$1: '$3' does not match /$2/"
}

# expect_failure WHAT RC STDERR-PATTERN CMD...: CMD exits with RC and its
# stderr matches STDERR-PATTERN.
expect_failure() {
	local what=$1 rc=$2 pattern=$3 err got=0

	shift 3
	err=$("$@" 2>&1 > /dev/null) || got=$?
	expect_eq "$what: exit status" "$rc" "$got"
	expect_match "$what: message" "$pattern" "$err"
}

# pg ARGS...: the tool, in the current namespace.
pg() {
	"$PEERGROUP" "$@"
}

# A network namespace for this test, removed when the test's subshell ends.
new_netns() {
	local ns="pgt-$$-$BASHPID-$RANDOM"

	ip netns add "$ns" || return 1
	echo "$ns"
}

# in_ns NS CMD...: the tool (or anything) in network namespace NS.
in_ns() {
	local ns=$1

	shift
	ip netns exec "$ns" "$@"
}

# pyjson EXPR: EXPR over the JSON document on stdin (v), printed.
pyjson() {
	python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

netns_inum() {
	ip netns exec "$1" stat -L -c %i /proc/self/ns/net
}

# Writes a unique marker into the kernel log and prints it.
kmsg_mark() {
	local mark="pg-selftest-mark-$$-$BASHPID-$RANDOM"

	echo "$mark" > /dev/kmsg
	echo "$mark"
}

# The kernel log after MARK.
kmsg_since() {
	dmesg | sed -n "/$1/,\$p"
}

dyndbg_on() {
	local ctl=/sys/kernel/debug/dynamic_debug/control

	[ -w "$ctl" ] || die "$ctl is not writable: debugfs is needed"
	echo 'module peergroup +p' > "$ctl"
}

# The module's lifetime messages after MARK, as sorted lists of objects.
lifetime_lines() {
	kmsg_since "$1" | grep -oE "netns [0-9]+: group [0-9]+ \([^)]*\) $2" |
		sed "s/ $2\$//" | sort
}

# Every group created after MARK was also destroyed after it (and at least
# EXPECTED were created).
expect_lifetimes_balanced() {
	local mark=$1 expected=$2 created destroyed n

	created=$(lifetime_lines "$mark" created)
	destroyed=$(lifetime_lines "$mark" destroyed)
	n=$(grep -c . <<<"$created" || true)
	[ "$n" -ge "$expected" ] || die "only $n groups created, expected $expected"
	[ "$created" = "$destroyed" ] ||
		die "created and destroyed differ: $(diff <(echo "$created") <(echo "$destroyed") | head -5 | tr '\n' ' ')"
}

# wait_until SECONDS COMMAND...: polls COMMAND, after 0.2 s and then every
# second (a poll costs process starts, and those cost much CPU in the VM).
wait_until() {
	local deadline=$(( $(date +%s) + $1 )) pause=0.2

	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep "$pause"
		pause=1
	done
}

# Replication: peers in namespaces, the group "office" of alice.
REPL_TYPE=5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5
PW=open-sesame

# link NS1 ADDR1 NS2 ADDR2: a veth pair between two namespaces, up.
link() {
	local a="v$RANDOM" b="v$RANDOM"

	ip link add "$a" netns "$1" type veth peer name "$b" netns "$3"
	in_ns "$1" ip link set lo up
	in_ns "$3" ip link set lo up
	in_ns "$1" ip addr add "$2/28" dev "$a"
	in_ns "$3" ip addr add "$4/28" dev "$b"
	in_ns "$1" ip link set "$a" up
	in_ns "$3" ip link set "$b" up
}

# creator NS: the group "office" of alice in NS, listening.
creator() {
	in_ns "$1" "$PEERGROUP" group add office identity alice password "$PW" > /dev/null
	in_ns "$1" "$PEERGROUP" listen add
}

# joiner NS IDENTITY [PASSWORD]: NS prepares to join alice's "office".
joiner() {
	in_ns "$1" "$PEERGROUP" group add office identity "$2" creator alice \
		password "${3:-$PW}" > /dev/null
}

# The helpers below are polled: they read the tool's text output with awk,
# not its JSON with python, whose start costs a VM under TCG far more.

# group_value NS KEY: KEY's value in the text of "group status office".
group_value() {
	in_ns "$1" "$PEERGROUP" group status office |
		awk -v k="$2" '$1 == k { print $2; exit }'
}

status_has() {
	[[ ",$(group_value "$1" status)," == *",$2,"* ]]
}

# neighbour_state NS: the state of each neighbour, space-separated; but
# accepted connections kept once closed, which are history.
neighbour_state() {
	in_ns "$1" "$PEERGROUP" neighbour show office |
		awk '$1 == "state" && $2 != "closed" { printf "%s%s", sep, $2; sep = " " }'
}

# neighbour_field NS FIELD: FIELD of each neighbour, space-separated.
neighbour_field() {
	in_ns "$1" "$PEERGROUP" -j neighbour show office |
		jq -r --arg f "$2" '[.[][$f] | tostring] | join(" ")'
}

established() {
	[ "$(neighbour_state "$1")" = "${2:-established}" ]
}

# repl_add NS COLOUR: a record added in NS; prints its id. Read off the
# tool's text ("record ID version N") by the shell itself: tests write in
# loops, and a JSON reader's start costs a second each on the debug kernel.
repl_add() {
	local out id

	out=$(in_ns "$1" "$PEERGROUP" record add office type "$REPL_TYPE" expires +1h \
		attr "colour=$2" attr count=3:int data "hello $2") || return 1
	read -r _ id _ <<< "$out"
	echo "$id"
}

# get_colour NS ID: the colour attribute of record ID in NS.
get_colour() {
	in_ns "$1" "$PEERGROUP" -j record get office "$2" |
		jq -r '.attributes[] | select(.name == "colour") | .value'
}

# The whole table, tombstones and security data included.
table() {
	in_ns "$1" "$PEERGROUP" -j record list office tombstones
}

# The records NS holds, tombstones too, as its status counts them.
count_records() {
	group_value "$1" records
}

has_records() {
	[ "$(count_records "$1")" = "$2" ]
}

# same_tables NS NS...: every table dump byte for byte that of the first.
same_tables() {
	local a=$1 ns

	shift
	for ns in "$@"; do
		cmp -s <(table "$a") <(table "$ns") || return 1
	done
}

# repl_pair COUNT: sets A and B, two namespaces on one veth pair (192.0.2.1
# and .2): the creator in A holding COUNT records (pg_load), and B ready to
# join as bob, not yet connected.
repl_pair() {
	A=$(new_netns)
	B=$(new_netns)
	link "$A" 192.0.2.1 "$B" 192.0.2.2
	creator "$A"
	in_ns "$A" "$(dirname "${BASH_SOURCE[0]}")/pg_load" office "$1" ||
		die "loading $1 records in a failed"
	joiner "$B" bob
}

# What the stock kernels have as modules: loaded on demand on a real
# system; the VM's initramfs has no modprobe for the kernel to call.
repl_modules() {
	modprobe -q -a veth curve25519-x86_64 crypto-chacha20 crypto-poly1305 \
		crypto-rfc7539 2> /dev/null || true
}
