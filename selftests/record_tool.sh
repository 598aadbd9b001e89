#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The peergroup tool's record commands against the real module: add, get,
# list, search, update and del; group set, status and time; monitor
# catching the events; an export/import round trip, and where the export of
# a group with a random key or a password restores; a bulk load from a
# file; JSON output; the Windows error names of two deliberate mistakes;
# the group's max lifetime bounding add, update and import. Each test runs
# in a network namespace of its own.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

TYPE=5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5

# A namespace with the group "office" of alice, secured by a password (the
# same group in every namespace: same id, same key); prints the namespace.
office() {
	local ns

	ns=$(new_netns)
	in_ns "$ns" "$PEERGROUP" group add office identity alice password open-sesame > /dev/null
	echo "$ns"
}

# add_record NS ATTR-VALUE: adds a record, prints its id.
add_record() {
	in_ns "$1" "$PEERGROUP" -j record add office type "$TYPE" expires +1h \
		attr "colour=$2" attr count=3:int data "hello $2" | pyjson 'v["id"]'
}

add_get_update_del() {
	local ns id out

	ns=$(office)
	id=$(add_record "$ns" blue)
	expect_match "id" '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$' "$id"

	out=$(in_ns "$ns" "$PEERGROUP" record get office "$id")
	expect_match "get: id" "$id" "$out"
	expect_match "get: version" 'version 1' "$out"
	expect_match "get: attribute" 'attr colour=blue:string' "$out"
	expect_match "get: data" 'data "hello blue"' "$out"

	out=$(in_ns "$ns" "$PEERGROUP" -j record get office "$id")
	expect_eq "get -j: version" 1 "$(pyjson 'v["version"]' <<<"$out")"
	expect_eq "get -j: type" "$TYPE" "$(pyjson 'v["type"]' <<<"$out")"
	expect_eq "get -j: creator" alice "$(pyjson 'v["creator"]' <<<"$out")"
	expect_eq "get -j: colour" blue \
		"$(pyjson '[a["value"] for a in v["attributes"] if a["name"] == "colour"][0]' <<<"$out")"
	expect_eq "get -j: count" 3 \
		"$(pyjson '[a["value"] for a in v["attributes"] if a["name"] == "count"][0]' <<<"$out")"

	in_ns "$ns" "$PEERGROUP" record update office "$id" expires +2h attr colour=green \
		data "bye" > /dev/null
	out=$(in_ns "$ns" "$PEERGROUP" -j record get office "$id")
	expect_eq "update: version" 2 "$(pyjson 'v["version"]' <<<"$out")"
	expect_eq "update: colour" green \
		"$(pyjson '[a["value"] for a in v["attributes"] if a["name"] == "colour"][0]' <<<"$out")"

	expect_eq "del: the tombstone's version" "record $id version 3" \
		"$(in_ns "$ns" "$PEERGROUP" record del office "$id")"
	expect_failure "get after del" 1 'PEER_E_RECORD_NOT_FOUND' \
		in_ns "$ns" "$PEERGROUP" record get office "$id"
	out=$(in_ns "$ns" "$PEERGROUP" -j record list office tombstones)
	expect_eq "tombstone: version" 3 "$(pyjson 'v[0]["version"]' <<<"$out")"
	expect_eq "tombstone: deleted" True "$(pyjson '"deleted" in v[0]["flags"]' <<<"$out")"
	ip netns del "$ns"
}

list_and_search() {
	local ns a b c out

	ns=$(office)
	a=$(add_record "$ns" red)
	b=$(add_record "$ns" blue)
	c=$(add_record "$ns" black)
	out=$(in_ns "$ns" "$PEERGROUP" -j record list office)
	expect_eq "list: count" 3 "$(pyjson 'len(v)' <<<"$out")"
	expect_eq "list: in id order" "$(printf '%s\n' "$a" "$b" "$c" | sort | tr '\n' ' ')" \
		"$(pyjson '" ".join(r["id"] for r in v) + " "' <<<"$out")"
	out=$(in_ns "$ns" "$PEERGROUP" -j record search office \
		'<peersearch><clause attrib="colour" type="string">bl*</clause></peersearch>')
	expect_eq "search: blue and black" "$(printf '%s\n' "$b" "$c" | sort | tr '\n' ' ')" \
		"$(pyjson '" ".join(r["id"] for r in v) + " "' <<<"$out")"
	out=$(in_ns "$ns" "$PEERGROUP" record list office)
	expect_match "list in text" "$a" "$out"
	ip netns del "$ns"
}

group_set_status_time() {
	local ns out

	ns=$(office)
	in_ns "$ns" "$PEERGROUP" group set office max-records 5 max-record-size 2048 > /dev/null
	add_record "$ns" one > /dev/null
	out=$(in_ns "$ns" "$PEERGROUP" -j group status office)
	expect_eq "status: max records" 5 "$(pyjson 'v["max_records"]' <<<"$out")"
	expect_eq "status: max record size" 2048 "$(pyjson 'v["max_record_size"]' <<<"$out")"
	expect_eq "status: records" 1 "$(pyjson 'v["records"]' <<<"$out")"
	out=$(in_ns "$ns" "$PEERGROUP" group status office)
	expect_match "status in text" 'records 1' "$out"
	out=$(in_ns "$ns" "$PEERGROUP" -j group time office)
	expect_match "time: peer" '^[0-9]{19}$' "$(pyjson 'v["peer_ns"]' <<<"$out")"
	expect_match "time: utc" '^[0-9]{19}$' "$(pyjson 'v["utc_ns"]' <<<"$out")"
	ip netns del "$ns"
}

monitor_catches_events() {
	local ns log pid id

	ns=$(office)
	log=$(mktemp)
	# ip netns exec execs the tool: $! is the monitor itself.
	ip netns exec "$ns" "$PEERGROUP" -j monitor > "$log" &
	pid=$!
	# The monitor is subscribed once it has caught this one.
	wait_until 10 bash -c "ip netns exec $ns $PEERGROUP group set office max-records 100 >/dev/null &&
		grep -q properties '$log'" || die "monitor caught nothing"
	id=$(add_record "$ns" blue)
	in_ns "$ns" "$PEERGROUP" record update office "$id" expires +2h > /dev/null
	in_ns "$ns" "$PEERGROUP" record del office "$id" > /dev/null
	wait_until 10 grep -q deleted "$log" || die "no deleted event: $(cat "$log")"
	kill "$pid"
	wait "$pid" 2> /dev/null || true
	expect_eq "events of the record" "added:local updated:local deleted:local" \
		"$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("id") == sys.argv[2]:
        print(e["change"] + ":" + e["origin"], end=" ")' "$log" "$id" | sed 's/ $//')"
	rm -f "$log"
	ip netns del "$ns"
}

export_import_round_trip() {
	local ns other file a b before after

	ns=$(office)
	a=$(add_record "$ns" red)
	b=$(add_record "$ns" blue)
	expect_eq "del -j" "{\"id\":\"$b\",\"version\":2}" \
		"$(in_ns "$ns" "$PEERGROUP" -j record del office "$b")"
	file=$(mktemp)
	expect_eq "exported" 2 "$(in_ns "$ns" "$PEERGROUP" -j export office "$file" | pyjson 'v["records"]')"
	before=$(in_ns "$ns" "$PEERGROUP" -j record list office tombstones)

	# The same group (same creator, same name) in another namespace.
	other=$(office)
	expect_eq "imported" 2 "$(in_ns "$other" "$PEERGROUP" -j import office "$file" | pyjson 'v["records"]')"
	after=$(in_ns "$other" "$PEERGROUP" -j record list office tombstones)
	expect_eq "imported records" "$(pyjson '[(r["id"], r["version"], r["flags"]) for r in v]' <<<"$before")" \
		"$(pyjson '[(r["id"], r["version"], r["flags"]) for r in v]' <<<"$after")"
	expect_match "imported ids" "$a" "$after"
	rm -f "$file"
	ip netns del "$ns"
	ip netns del "$other"
}

# A group created without a password has a key drawn at random, which
# exists in that group alone: export says so at once, and its export does
# not import into the group deleted and created again (same id, new key),
# with a message that says why.
random_key_export_restores_only_there() {
	local ns file err

	ns=$(new_netns)
	in_ns "$ns" "$PEERGROUP" group add office identity alice > /dev/null
	expect_eq "key" random "$(in_ns "$ns" "$PEERGROUP" -j group show office | pyjson 'v["key"]')"
	add_record "$ns" red > /dev/null
	file=$(mktemp)
	err=$(in_ns "$ns" "$PEERGROUP" -j export office "$file" 2>&1 > "$file.out") ||
		die "export failed: $err"
	expect_eq "export -j" '{"records":1,"restorable":false}' "$(cat "$file.out")"
	expect_match "export warns" \
		"^peergroup: export office: warning: the group's key is random \\(it was created without a password\\), so this export imports only into this same group while its key lives" \
		"$err"
	expect_eq "import into the same group" 1 \
		"$(in_ns "$ns" "$PEERGROUP" -j import office "$file" | pyjson 'v["records"]')"

	in_ns "$ns" "$PEERGROUP" group del office
	in_ns "$ns" "$PEERGROUP" group add office identity alice > /dev/null
	expect_failure "import after the group is made again" 1 \
		"^peergroup: import office: record 1 of 1: security data: secured under another key; this group has a random key, drawn when it was created \\(deleted and made again, it has a new one\\), and only what it exported itself verifies under it.*\\(EINVAL, PEER_E_INVALID_RECORD\\)\$" \
		in_ns "$ns" "$PEERGROUP" import office "$file"
	expect_eq "nothing imported" 0 \
		"$(in_ns "$ns" "$PEERGROUP" -j record list office tombstones | pyjson 'len(v)')"
	rm -f "$file" "$file.out"
	ip netns del "$ns"
}

# A password group's export warns of nothing and restores into the group
# made again with the same password; with another, the message says so.
password_export_restores_anywhere() {
	local ns file out

	ns=$(office)
	expect_eq "key" password "$(in_ns "$ns" "$PEERGROUP" -j group show office | pyjson 'v["key"]')"
	add_record "$ns" red > /dev/null
	file=$(mktemp)
	out=$(in_ns "$ns" "$PEERGROUP" -j export office "$file" 2> "$file.err")
	expect_eq "export -j" '{"records":1,"restorable":true}' "$out"
	expect_eq "export: no warning" "" "$(cat "$file.err")"
	expect_eq "export in text" "1 records exported" \
		"$(in_ns "$ns" "$PEERGROUP" export office "$file" 2>&1)"

	in_ns "$ns" "$PEERGROUP" group del office
	in_ns "$ns" "$PEERGROUP" group add office identity alice password open-sesame > /dev/null
	expect_eq "import after the group is made again" 1 \
		"$(in_ns "$ns" "$PEERGROUP" -j import office "$file" | pyjson 'v["records"]')"

	in_ns "$ns" "$PEERGROUP" group del office
	in_ns "$ns" "$PEERGROUP" group add office identity alice password other > /dev/null
	expect_failure "import under another password" 1 \
		"^peergroup: import office: record 1 of 1: security data: secured under another key: another password, or the random key of a group without one, whose export restores only into that same group.*\\(EINVAL, PEER_E_INVALID_RECORD\\)\$" \
		in_ns "$ns" "$PEERGROUP" import office "$file"
	rm -f "$file" "$file.err"
	ip netns del "$ns"
}

load_adds_every_line() {
	local ns file out err got=0

	ns=$(office)
	file=$(mktemp)
	cat > "$file" <<-END
	# records for the office
	type $TYPE expires +1h attr colour=red attr count=3:int data 'hello red'

	type $TYPE expires +2h attr "colour=light blue" data "say \\"hi\\""   # a comment
	  type $TYPE expires +1h autorefresh attr 'note=a # b; c'
	END
	expect_eq "load -j" 3 \
		"$(in_ns "$ns" "$PEERGROUP" -j record load office "$file" | pyjson 'v["records"]')"
	out=$(in_ns "$ns" "$PEERGROUP" -j record list office)
	expect_eq "load: records" 3 "$(pyjson 'len(v)' <<<"$out")"
	expect_eq "load: colours" "light blue,red" "$(pyjson '",".join(sorted(
		a["value"] for r in v for a in r["attributes"] if a["name"] == "colour"))' <<<"$out")"
	expect_eq "load: data" 'hello red,say "hi"' "$(pyjson '",".join(sorted(
		bytes.fromhex(r["data"]).decode() for r in v if r.get("data")))' <<<"$out")"
	expect_eq "load: quoted #" "a # b; c" "$(pyjson '[a["value"] for r in v
		for a in r["attributes"] if a["name"] == "note"][0]' <<<"$out")"
	expect_eq "load: from stdin, in text" "2 records added" \
		"$(printf 'type %s expires +1h\ntype %s expires +1h\n' "$TYPE" "$TYPE" |
			ip netns exec "$ns" "$PEERGROUP" record load office -)"

	# A bad line is refused, naming it, before anything is sent.
	printf 'type %s expires +1h\ntype %s expires +1h attr n=3x:int\n' "$TYPE" "$TYPE" > "$file"
	expect_failure "load: bad line" 2 '^peergroup: record load: line 2: bad attr "n=3x:int"' \
		in_ns "$ns" "$PEERGROUP" record load office "$file"
	expect_eq "load: nothing sent" 5 \
		"$(in_ns "$ns" "$PEERGROUP" -j record list office | pyjson 'len(v)')"

	# A refusal by the kernel names the line and prints the Windows name.
	printf 'type %s expires +1h\ntype %s expires 2000-01-01\ntype %s expires +1h\n' \
		"$TYPE" "$TYPE" "$TYPE" > "$file"
	err=$(in_ns "$ns" "$PEERGROUP" -j record load office "$file" 2>&1 > /dev/null) || got=$?
	expect_eq "load: refused" 1 "$got"
	expect_match "load: refused line" \
		'^peergroup: record load office: line 2: .*\(EINVAL, PEER_E_INVALID_RECORD\)' "$err"
	expect_match "load: count" 'record load office: 2 records added' "$err"
	rm -f "$file"
	ip netns del "$ns"
}

mistakes_name_their_windows_error() {
	local ns id

	ns=$(office)
	id=$(add_record "$ns" blue)
	expect_failure "shortened expiration" 1 \
		'expir.*\(EINVAL, PEER_E_INVALID_RECORD\)$' \
		in_ns "$ns" "$PEERGROUP" record update office "$id" expires +1m
	expect_failure "unknown record" 1 '\(ENOENT, PEER_E_RECORD_NOT_FOUND\)$' \
		in_ns "$ns" "$PEERGROUP" record del office 00000000-0000-4000-8000-000000000000
	ip netns del "$ns"
}

# records.rst, "Lifetime": no record lives longer than the group's max
# lifetime after its write, whether added, updated or imported.
max_lifetime_bounds_writes() {
	local ns other file id out why

	why="expiration: more than the group's max lifetime after the modification time"
	ns=$(office)
	expect_eq "default max lifetime: 30 days" 2592000 "$(group_value "$ns" max-lifetime)"
	id=$(add_record "$ns" blue)
	in_ns "$ns" "$PEERGROUP" record update office "$id" expires +3h > /dev/null
	file=$(mktemp)
	in_ns "$ns" "$PEERGROUP" export office "$file" > /dev/null

	in_ns "$ns" "$PEERGROUP" group set office max-lifetime 2h
	out=$(in_ns "$ns" "$PEERGROUP" -j group status office)
	expect_eq "status -j: max lifetime" 7200 "$(pyjson 'v["max_lifetime"]' <<<"$out")"
	expect_match "status in text" $'\tmax-lifetime 7200$' "$(in_ns "$ns" "$PEERGROUP" group status office)"
	expect_failure "add beyond it" 1 "^peergroup: record add: $why \\[record\\] \\(EINVAL, PEER_E_INVALID_RECORD\\)$" \
		in_ns "$ns" "$PEERGROUP" record add office type "$TYPE" expires +121m
	in_ns "$ns" "$PEERGROUP" record add office type "$TYPE" expires +2h > /dev/null ||
		die "a record living the max lifetime was refused"
	expect_failure "update beyond it" 1 "^peergroup: record update[^:]*: $why .*\\(EINVAL, PEER_E_INVALID_RECORD\\)$" \
		in_ns "$ns" "$PEERGROUP" record update office "$id" expires +4h
	expect_failure "max lifetime 0" 1 \
		'^peergroup: group set office: max lifetime: from 1 second to 10 years \(315360000 seconds\) \(EINVAL, PEER_E_INVALID_GROUP_PROPERTIES\)$' \
		in_ns "$ns" "$PEERGROUP" group set office max-lifetime 0
	expect_failure "max lifetime over 10 years" 1 'max lifetime: from 1 second to 10 years' \
		in_ns "$ns" "$PEERGROUP" group set office max-lifetime 3651d

	# The same group elsewhere, with the same max lifetime: the exported
	# record, living 3 hours from its update, is not imported.
	other=$(office)
	in_ns "$other" "$PEERGROUP" group set office max-lifetime 2h
	expect_failure "import beyond it" 1 "$why .*\\(EINVAL, PEER_E_INVALID_RECORD\\)" \
		in_ns "$other" "$PEERGROUP" import office "$file"
	expect_eq "nothing imported" 0 "$(group_value "$other" records)"
	in_ns "$other" "$PEERGROUP" group set office max-lifetime 3h
	expect_eq "imported at 3 hours" 1 \
		"$(in_ns "$other" "$PEERGROUP" -j import office "$file" | pyjson 'v["records"]')"
	rm -f "$file"
	ip netns del "$ns"
	ip netns del "$other"
}

ktap_header 10
run_test "record tool: add, get, update, del" add_get_update_del
run_test "record tool: list in id order, search by wildcard" list_and_search
run_test "record tool: group set, status and time" group_set_status_time
run_test "record tool: monitor catches added, updated, deleted" monitor_catches_events
run_test "record tool: export and import round trip" export_import_round_trip
run_test "record tool: a random key's export warns, restores only into its group" \
	random_key_export_restores_only_there
run_test "record tool: a password group's export restores into the group made again" \
	password_export_restores_anywhere
run_test "record tool: load adds every line, refuses a bad one" load_adds_every_line
run_test "record tool: mistakes print their Windows error names" mistakes_name_their_windows_error
run_test "record tool: the max lifetime bounds add, update and import" max_lifetime_bounds_writes
ktap_finish
