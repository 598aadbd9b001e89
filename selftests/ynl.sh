#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The family through the kernel's stock ynl CLI (tools/net/ynl/cli.py of
# Debian's linux-source-6.12) and our YNL spec alone, no library of ours:
# what the spec says is what the module does. Each test runs in a network
# namespace of its own.
#
# The CLI and the schemas are extracted on the host into build/cache by
# scripts/ynl-check (also: scripts/ynl-check --prepare); this test finds them
# from its own place (selftests/ or build/ksft/peergroup/), or in
# PG_YNL_TREE.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

ksrc=linux-source-6.12

# The repository: the first directory up from this test that holds the
# extracted tree.
find_top() {
	local dir

	dir=$(cd "$(dirname "$0")" && pwd)
	while [ "$dir" != / ]; do
		if [ -f "$dir/Documentation/netlink/specs/peergroup.yaml" ] &&
			[ -d "$dir/build/cache/$ksrc" ]; then
			echo "$dir"
			return 0
		fi
		dir=$(dirname "$dir")
	done
	return 1
}

top=$(find_top)
tree=${PG_YNL_TREE:-$top/build/cache/$ksrc}
spec=$top/Documentation/netlink/specs/peergroup.yaml

cli=$tree/tools/net/ynl/cli.py
schema=$tree/Documentation/netlink/genetlink-legacy.yaml

# ynl NS ARGS...: the stock CLI with our spec, in network namespace NS,
# output as JSON. Python is slow in the VM, so the spec's schema is checked
# once (the_cli_knows_the_family) and by scripts/ynl-check, not every time.
ynl() {
	local ns=$1

	shift
	ip netns exec "$ns" python3 "$cli" --spec "$spec" --no-schema --output-json "$@"
}

# json EXPR: EXPR of the JSON value v read from stdin, printed as JSON; the
# items of a tuple one per line, strings bare. Python starts slowly in the
# VM: one call checks many fields.
json() {
	python3 -c '
import json, sys
v = json.load(sys.stdin)
r = eval("(" + sys.argv[1] + ")")
for i in (r if isinstance(r, tuple) else (r,)):
    print(i if isinstance(i, str) else json.dumps(i, sort_keys=True))' "$1"
}

# ynl_fails WHAT NS ARGS...: the CLI fails with EINVAL; what it said is left
# in $said.
ynl_fails() {
	local what=$1 rc=0

	shift
	said=$(ynl "$@" 2>&1) || rc=$?
	expect_eq "$what: exit status" 1 "$rc" || return 1
	expect_match "$what: errno" '^Netlink error: Invalid argument$' "$said"
}

group_office='{"group-name": "office", "identity": "alice"}'
key_hex=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
kdf_json='"group-kdf-time": 2, "group-kdf-memory": 64, "group-kdf-lanes": 1'

# The operations of the spec against those the kernel registered, as the
# kernel's own nlctrl family (through its spec) tells them.
the_cli_knows_the_family() {
	local ns ops kernel

	[ -n "$top" ] || die "no $ksrc tree in build/cache: run scripts/ynl-check --prepare on the host"
	ns=$(new_netns)
	ops=$(ip netns exec "$ns" python3 "$cli" --spec "$spec" --schema "$schema" --list-ops)
	expect_match "ops" '^group-add  \[ do \]$' "$ops"
	expect_match "ops" '^record-search  \[ dump \]$' "$ops"
	kernel=$(ip netns exec "$ns" python3 "$cli" --no-schema --output-json \
		--spec "$tree/Documentation/netlink/specs/nlctrl.yaml" \
		--do getfamily --json '{"family-name": "peergroup"}')
	python3 - "$spec" "$kernel" <<'EOF'
import json, sys, yaml

spec = yaml.safe_load(open(sys.argv[1]))
kernel = json.loads(sys.argv[2])
want, value = {}, 0
for op in spec['operations']['list']:
    value = op.get('value', value + 1)
    if value == 0 or 'event' in op:
        continue
    flags = set(op.get('flags', []))
    flags |= {'cmd-cap-' + m for m in ('do', 'dump') if m in op}
    want[value] = (op['name'], sorted(flags))
got = {}
for entry in kernel['ops']:
    for op in entry.values():
        got[op['id']] = sorted(set(op['flags']) - {'cmd-cap-haspol'})
bad = 0
for value in sorted(want.keys() | got.keys()):
    name, flags = want.get(value, ('(not in the spec)', None))
    if flags != got.get(value):
        print(f'# command {value} {name}: spec {flags}, kernel {got.get(value)}')
        bad = 1
mcgrps = sorted(g['name'] for entry in kernel['mcast-groups'] for g in entry.values())
if mcgrps != sorted(g['name'] for g in spec['mcast-groups']['list']):
    print(f'# multicast groups: kernel {mcgrps}')
    bad = 1
if kernel['maxattr'] != len(spec['attribute-sets'][0]['attributes']) - 1:
    print(f'# maxattr: kernel {kernel["maxattr"]}')
    bad = 1
if kernel['version'] != spec.get('version', 1):
    print(f'# version: kernel {kernel["version"]}')
    bad = 1
sys.exit(bad)
EOF
	ip netns del "$ns"
}

groups_through_ynl() {
	local ns out

	ns=$(new_netns)
	# lab has a key (32 bytes, in hex) and how it was derived: only
	# office's key is random.
	out=$(ynl "$ns" --multi group-add "$group_office" \
		--multi group-add "{\"group-name\": \"lab\", \"identity\": \"bob\",
				    \"group-key\": \"$key_hex\", $kdf_json}")
	expect_eq "add: replies" '[["office", "lab"], "alice", "admin", "psk"]
[true, false]
2bd806c97f0e00af1a1fc3328fa763a9269723c8.office' \
		"$(json '[[g["group-name"] for g in v], v[0]["identity"], v[0]["group-role"],
			  v[0]["group-security"]],
			 [g.get("group-key-random", False) for g in v], v[0]["group-id"]' <<<"$out")"
	out=$(ynl "$ns" --do group-get --json '{"group-name": "lab"}')
	expect_eq "get" '["lab", "bob", 131072, 65000, 2592000, [2, 64, 1], false]' \
		"$(json '[v["group-name"], v["identity"], v["group-max-records"],
			  v["group-max-record-size"], v["group-max-lifetime"],
			  [v["group-kdf-time"], v["group-kdf-memory"], v["group-kdf-lanes"]],
			  "group-key" in v]' <<<"$out")"
	out=$(ynl "$ns" --do group-get --json '{"group-name": "office"}')
	expect_eq "get: a random key has no kdf" '[]' \
		"$(json '[k for k in v if k.startswith("group-kdf")]' <<<"$out")"
	out=$(ynl "$ns" --dump group-get)
	expect_eq "dump: names in order" '["lab", "office"]' \
		"$(json '[g["group-name"] for g in v]' <<<"$out")"
	ynl "$ns" --do group-del --json '{"group-name": "lab"}' > /dev/null
	expect_eq "dump after del" '["office"]' \
		"$(ynl "$ns" --dump group-get | json '[g["group-name"] for g in v]')"
	ip netns del "$ns"
}

type_hex=0123456789abcdef0123456789abcdef
type_uuid=01234567-89ab-cdef-0123-456789abcdef

# record_json EXPIRES: a record-add request for group office.
record_json() {
	cat <<EOF
{"group-name": "office",
 "record": {"type": "$type_hex", "expires": $1, "data": "68656c6c6f",
            "attrs": {"attr": [{"name": "colour", "str": "blue"},
                               {"name": "size", "int": -3}]}}}
EOF
}

# in_an_hour: the peer time of a created group is its UTC.
in_an_hour() {
	echo $(( $(date +%s%N) + 3600 * 1000000000 ))
}

records_through_ynl() {
	local ns out expires id ids fields expected

	ns=$(new_netns)
	expires=$(in_an_hour)
	out=$(ynl "$ns" --multi group-add "$group_office" \
		--multi record-add "$(record_json "$expires")" \
		--multi record-add "$(record_json "$expires")")
	{ read -r id; read -r ids; read -r out; } < <(json 'v[1]["record"]["id"],
		sorted(r["record"]["id"] for r in v[1:]),
		[[r["group-name"], r["record"]["version"]] for r in v[1:]]' <<<"$out")
	expect_eq "add: replies" '[["office", 1], ["office", 1]]' "$out"
	expect_match "add: id" '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$' "$id"

	# Every field of the record, as get and the dump return it.
	fields='[r["id"], r["type"], r["version"], sorted(r.get("flags", [])), r["creator"],
		 r["modifier"], r["expires"], r["data"], r["attrs"]["attr"],
		 r["created"] == r["modified"], r["created"] < r["expires"],
		 len(bytes.fromhex(r["security"]))]'
	expected="[\"$id\", \"$type_uuid\", 1, [], \"alice\", \"alice\", $expires,"
	expected+=' "68656c6c6f", [{"name": "colour", "str": "blue"},'
	expected+=' {"int": -3, "name": "size"}], true, true, 32]'
	out=$(ynl "$ns" --do record-get \
		--json "{\"group-name\": \"office\", \"record\": {\"id\": \"${id//-/}\"}}")
	expect_eq "get" "office
$expected" "$(json "v[\"group-name\"], (lambda r: $fields)(v[\"record\"])" <<<"$out")"

	out=$(ynl "$ns" --dump record-get --json '{"group-name": "office"}')
	expect_eq "dump" "$ids
$expected" "$(json "[m[\"record\"][\"id\"] for m in v],
		[(lambda r: $fields)(m[\"record\"]) for m in v if m[\"record\"][\"id\"] == \"$id\"][0]" <<<"$out")"
	ip netns del "$ns"
}

# The CLI of 6.12 cannot take a notification and a reply on one socket (it
# loses the request after the notification), so a second CLI listens: it
# subscribes, then sleeps (seen in /proc/PID/syscall: clock_nanosleep), then
# prints what came.
record_event_through_ynl() {
	local ns out events listener

	ns=$(new_netns)
	ynl "$ns" --do group-add --json "$group_office" > /dev/null
	events=$(mktemp)
	ip netns exec "$ns" python3 "$cli" --spec "$spec" --no-schema --output-json \
		--subscribe events --sleep 30 > "$events" &
	listener=$!
	wait_until 60 grep -q '^230 ' "/proc/$listener/syscall" ||
		die "the listener did not subscribe within 60 s"
	out=$(ynl "$ns" --do record-add --json "$(record_json "$(in_an_hour)")")
	wait "$listener" || die "the listener failed: $(cat "$events")"
	expect_eq "event" "[[\"record-event\", \"office\", \"added\", $(json 'json.dumps(v["record"]["id"])' <<<"$out"), \"$type_uuid\", 1]]" \
		"$(json '[(n["name"], n["msg"]["group-name"], n["msg"]["record-change"],
			n["msg"]["record"]["id"], n["msg"]["record"]["type"],
			n["msg"]["record"]["version"]) for n in v]' < "$events")"
	rm -f "$events"
	ip netns del "$ns"
}

extack_through_ynl() {
	local ns said

	ns=$(new_netns)
	ynl_fails "bad name" "$ns" --do group-add \
		--json '{"group-name": "no spaces", "identity": "alice"}'
	expect_match "bad name: message" "'msg': 'group name: use 1 to 64 characters" "$said"
	expect_match "bad name: attribute" "'bad-attr': '\.group-name'" "$said"

	# A key comes with how it was derived, all of it: the one missing is
	# named (PEERGROUP_A_GROUP_KDF_TIME, which the CLI names); and those
	# come with a key.
	ynl_fails "key without kdf time" "$ns" --do group-add --json \
		"{\"group-name\": \"lab\", \"identity\": \"bob\", \"group-key\": \"$key_hex\",
		  \"group-kdf-memory\": 64, \"group-kdf-lanes\": 1}"
	expect_match "key without kdf time: message" "'msg': 'kdf time: missing: a group key comes with its Argon2id passes'" "$said"
	expect_match "key without kdf time: attribute" "'miss-type': 'group-kdf-time'" "$said"
	ynl_fails "kdf without a key" "$ns" --do group-add --json \
		"{\"group-name\": \"lab\", \"identity\": \"bob\", $kdf_json}"
	expect_match "kdf without a key: message" "'msg': 'kdf: parameters without a group key" "$said"
	ynl_fails "short key" "$ns" --do group-add --json \
		"{\"group-name\": \"lab\", \"identity\": \"bob\", \"group-key\": \"0001\", $kdf_json}"
	expect_match "short key: message" "'msg': 'group key: exactly 32 bytes" "$said"
	expect_match "short key: attribute" "'bad-attr': '\.group-key'" "$said"
	ynl_fails "memory under 8 KiB a lane" "$ns" --do group-add --json \
		"{\"group-name\": \"lab\", \"identity\": \"bob\", \"group-key\": \"$key_hex\",
		  \"group-kdf-time\": 1, \"group-kdf-memory\": 8, \"group-kdf-lanes\": 2}"
	expect_match "memory under 8 KiB a lane: message" "'msg': 'kdf memory: Argon2id needs at least 8 KiB per lane'" "$said"
	expect_eq "no group made" '[]' \
		"$(ynl "$ns" --dump group-get | json '[g["group-name"] for g in v]')"

	ynl_fails "expired" "$ns" --multi group-add "$group_office" --multi record-add \
		"$(record_json $(( $(date +%s%N) - 1000000000 )))"
	expect_match "expired: message" "'msg': \"expiration: must be later than the group's peer time now\"" "$said"
	expect_match "expired: attribute" "'bad-attr': '\.record\.expires'" "$said"

	# A missing field of the record: NLMSGERR_ATTR_MISS_TYPE names it
	# (PEERGROUP_RECORD_A_EXPIRES), inside the nest NLMSGERR_ATTR_MISS_NEST
	# points at.
	ynl_fails "no expiration" "$ns" --do record-add --json \
		"{\"group-name\": \"office\", \"record\": {\"type\": \"$type_hex\"}}"
	expect_match "no expiration: message" "'msg': 'expiration: missing'" "$said"
	expect_match "no expiration: attribute" "'miss-type': 10, 'miss-nest': [0-9]+" "$said"
	expect_eq "nothing stored" 0 "$(ynl "$ns" --dump record-get \
		--json '{"group-name": "office"}' | json 'len(v)')"
	ip netns del "$ns"
}

ktap_header 5
run_test "ynl: the CLI loads the spec; its commands are the kernel's" the_cli_knows_the_family
run_test "ynl: group-add, group-get, its dump and group-del" groups_through_ynl
run_test "ynl: record-add, record-get by the returned id, and the record dump" records_through_ynl
run_test "ynl: record-add raises a record-event on the events group" record_event_through_ynl
run_test "ynl: bad requests get the kernel's extended ACK" extack_through_ynl
ktap_finish
