#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
#
# Offline checks of the peergroup tool's command line: help, version and
# usage errors, which are all decided before the kernel is asked anything.
# Usage: tests/cli.sh PATH/TO/peergroup
set -u
tool=${1:?usage: $0 PATH/TO/peergroup}
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
checks=0 failures=0

# expect CODE STDERR-TEXT ARGS...: exit code and exact stderr ("" for none)
expect() {
	code=$1 want=$2
	shift 2
	"$tool" "$@" >"$out" 2>"$err"
	got=$?
	checks=$((checks + 1))
	if [ "$got" != "$code" ] || [ "$(cat "$err")" != "$want" ]; then
		failures=$((failures + 1))
		echo "cli.sh: peergroup $*: exit $got (want $code), stderr:" >&2
		cat "$err" >&2
		echo "want: $want" >&2
	fi
}

expect 0 "" help
expect 0 "" -h
expect 0 "" --help
expect 0 "" -V
expect 0 "" group help
expect 2 "$("$tool" help 2>&1)"
expect 2 'peergroup: unknown object "grp" (expected: group)' grp
expect 2 'peergroup: unknown option "-x" (expected: -j, -h, -V)' -x group
expect 2 'peergroup: unknown option "--jsn" (expected: --json, --help, --version)' --jsn group
expect 2 'peergroup: group: unknown command "foo" (expected: add, del, show, help)' group foo
expect 2 'peergroup: group add: missing group name' group add
expect 2 'peergroup: group add: missing identity (expected: identity ID)' group add office
expect 2 'peergroup: group add: unknown argument "foo" (expected: identity ID)' group add office foo
expect 2 'peergroup: group add: missing ID after "identity"' group add office identity
expect 2 'peergroup: group add: identity given twice' group add office identity a identity b
expect 2 'peergroup: group del: missing group name' group del
expect 2 'peergroup: group del: missing group name' -j group delete
expect 2 'peergroup: group del: unknown argument "x" (expected nothing after the group name)' group del office x
expect 2 'peergroup: group show: unknown argument "x" (expected nothing after the group name)' group ls office x

"$tool" help | grep -q '^  2  usage error' || {
	failures=$((failures + 1))
	echo "cli.sh: peergroup help does not list the exit codes" >&2
}
echo "cli: $checks checks, $failures failed"
[ "$failures" = 0 ]
