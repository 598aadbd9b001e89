#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The peergroup tool against the real module: output in text and JSON, the
# kernel's messages and the Windows error names, exit codes. Each test runs
# in a network namespace of its own.

# Test functions are called through run_test.
# shellcheck disable=SC2317
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

json_field() {
	python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

add_show_del_in_text() {
	local ns out

	ns=$(new_netns)
	out=$(in_ns "$ns" "$PEERGROUP" group add office identity alice)
	expect_match "add output" '^group office$' "$out"
	expect_match "add output" 'identity alice' "$out"
	expect_match "add output" 'id 2bd806c97f0e00af1a1fc3328fa763a9269723c8\.office' "$out"
	expect_match "add output: no password" $'^\tkey random$' "$out"
	in_ns "$ns" "$PEERGROUP" group add lab identity bob password open-sesame > /dev/null
	out=$(in_ns "$ns" "$PEERGROUP" group show)
	expect_match "show" '^group office$' "$out"
	expect_eq "show: keys" "password random" "$(awk '$1 == "key" { print $2 }' <<<"$out" | xargs)"
	in_ns "$ns" "$PEERGROUP" group del lab
	in_ns "$ns" "$PEERGROUP" group del office
	expect_eq "show after del" "" "$(in_ns "$ns" "$PEERGROUP" group show)"
	ip netns del "$ns"
}

json_is_complete() {
	local ns out

	ns=$(new_netns)
	out=$(in_ns "$ns" "$PEERGROUP" -j group add office identity alice)
	expect_eq "add -j name" office "$(json_field 'v["name"]' <<<"$out")"
	expect_eq "add -j id" 2bd806c97f0e00af1a1fc3328fa763a9269723c8.office \
		"$(json_field 'v["id"]' <<<"$out")"
	expect_eq "add -j key" random "$(json_field 'v["key"]' <<<"$out")"
	in_ns "$ns" "$PEERGROUP" group add lab identity bob password open-sesame > /dev/null
	out=$(in_ns "$ns" "$PEERGROUP" -j group show)
	expect_eq "show -j names" "lab office" \
		"$(json_field '" ".join(g["name"] for g in v)' <<<"$out")"
	expect_eq "show -j keys" "password random" \
		"$(json_field '" ".join(g["key"] for g in v)' <<<"$out")"
	expect_eq "show -j identities" "bob alice" \
		"$(json_field '" ".join(g["identity"] for g in v)' <<<"$out")"
	expect_match "show -j created" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' \
		"$(json_field 'v[0]["created"]' <<<"$out")"
	expect_match "show -j created_ns" '^[0-9]{19}$' \
		"$(json_field 'v[0]["created_ns"]' <<<"$out")"
	out=$(in_ns "$ns" "$PEERGROUP" -j group show lab)
	expect_eq "show -j NAME" bob "$(json_field 'v["identity"]' <<<"$out")"
	expect_eq "empty list" "[]" "$(ip netns exec "$(new_netns)" "$PEERGROUP" -j group show)"
	ip netns del "$ns"
}

kernel_errors_are_explained() {
	local ns

	ns=$(new_netns)
	in_ns "$ns" "$PEERGROUP" group add office identity alice > /dev/null
	expect_failure "duplicate" 1 \
		'^peergroup: group add office: group name: a group of this name already exists.*\(EEXIST, PEER_E_ALREADY_EXISTS\)$' \
		in_ns "$ns" "$PEERGROUP" group add office identity bob
	expect_failure "bad name" 1 'group name: use 1 to 64 characters.*\(EINVAL, PEER_E_INVALID_CLASSIFIER\)' \
		in_ns "$ns" "$PEERGROUP" group add 'no spaces' identity alice
	expect_failure "bad identity" 1 'identity: use 2 to 255.*\(EINVAL, PEER_E_INVALID_PEER_NAME\)' \
		in_ns "$ns" "$PEERGROUP" group add lab identity x
	expect_failure "too long" 1 '64.*\(EINVAL, PEER_E_INVALID_CLASSIFIER\)' \
		in_ns "$ns" "$PEERGROUP" group add "$(printf 'n%.0s' {1..65})" identity alice
	expect_failure "no such group" 1 'no such group.*\(ENOENT, PEER_E_INVALID_GROUP\)' \
		in_ns "$ns" "$PEERGROUP" group del nosuch
	expect_failure "show: no such group" 1 \
		'^peergroup: group show nosuch: group name: no such group in this network namespace \(ENOENT, PEER_E_INVALID_GROUP\)$' \
		in_ns "$ns" "$PEERGROUP" group show nosuch
	# The monitor of an unknown group fails at once, as show does (a
	# monitor that waits is killed by timeout: exit 124, not 1).
	expect_failure "monitor: no such group" 1 \
		'^peergroup: monitor nosuch: group name: no such group in this network namespace \(ENOENT, PEER_E_INVALID_GROUP\)$' \
		in_ns "$ns" timeout 10 "$PEERGROUP" -j monitor nosuch
	expect_failure "unprivileged" 1 'needs CAP_NET_ADMIN in this network namespace \(EPERM, E_ACCESSDENIED\)' \
		in_ns "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$PEERGROUP" group add mine identity nobody
	expect_eq "groups left" office "$(in_ns "$ns" "$PEERGROUP" -j group show |
		json_field '" ".join(g["name"] for g in v)')"
	ip netns del "$ns"
}

usage_errors_name_the_argument() {
	expect_failure "unknown object" 2 'unknown object "grp"' "$PEERGROUP" grp show
	expect_failure "unknown command" 2 '"frobnicate"' "$PEERGROUP" group frobnicate
	expect_failure "unknown argument" 2 'unknown argument "colour"' \
		"$PEERGROUP" group add office colour blue
	expect_failure "missing identity" 2 'missing identity' "$PEERGROUP" group add office
	expect_failure "missing name" 2 'missing group name' "$PEERGROUP" group del
}

ktap_header 4
run_test "tool: add, show and del in text" add_show_del_in_text
run_test "tool: JSON output is complete" json_is_complete
run_test "tool: kernel errors print the message and the Windows name" kernel_errors_are_explained
run_test "tool: usage errors name the argument and exit 2" usage_errors_name_the_argument
ktap_finish
