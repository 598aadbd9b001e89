#!/bin/sh
# SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
#
# Offline checks of the peergroup tool's command line: help, version and
# usage errors (bad names of things, UUIDs, times, attributes, numbers,
# addresses, ports), which are all decided before the kernel is asked
# anything.
# Usage: tests/cli.sh PATH/TO/peergroup
set -u
tool=${1:?usage: $0 PATH/TO/peergroup}
out=$(mktemp) err=$(mktemp) load=$(mktemp) pki=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$load" "$pki"' EXIT
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
expect 2 'peergroup: unknown object "grp" (expected: group, record, listen, neighbour, member, monitor, export, import)' grp
expect 2 'peergroup: unknown option "-x" (expected: -j, -h, -V)' -x group
expect 2 'peergroup: unknown option "--jsn" (expected: --json, --help, --version)' --jsn group
expect 2 'peergroup: group: unknown command "foo" (expected: add, join, del, show, status, set, time, help)' group foo
expect 2 'peergroup: group add: missing group name' group add
expect 2 'peergroup: group add: missing identity (expected: identity ID)' group add office
expect 2 'peergroup: group add: unknown argument "foo" (expected: identity ID, creator ID, password PW, password-file FILE, kdf-time N, kdf-memory SIZE, kdf-lanes N, security psk|pki, key SERIAL, cert FILE)' group add office foo
expect 2 'peergroup: group add: missing ID after "identity"' group add office identity
expect 2 'peergroup: group add: identity given twice' group add office identity a identity b
expect 2 'peergroup: group del: missing group name' group del
expect 2 'peergroup: group del: missing group name' -j group delete
expect 2 'peergroup: group del: unknown argument "x" (expected nothing after the group name)' group del office x
expect 2 'peergroup: group show: unknown argument "x" (expected nothing after the group name)' group ls office x
expect 2 'peergroup: group add: creator given twice' group add office identity a creator b creator c
expect 2 'peergroup: group join: missing group id (expected: id GROUPID)' group join office identity a
expect 2 'peergroup: group join: unknown argument "creator" (expected: identity ID, id GROUPID, password PW, password-file FILE, kdf-time N, kdf-memory SIZE, kdf-lanes N, security psk|pki, key SERIAL, cert FILE)' group join office identity a creator b
expect 2 'peergroup: group join: missing GROUPID after "id"' group join office identity a id
expect 2 'peergroup: group add: password given twice (password and password-file exclude each other)' group add office identity a password x password-file f
expect 2 'peergroup: group add: missing PW after "password"' group add office identity a password
# The key derivation's parameters: named in every message, checked here.
expect 2 'peergroup: group add: bad number "0" after "kdf-time" (expected Argon2id passes, 1 to 1000)' group add office identity a password x kdf-time 0
expect 2 'peergroup: group add: bad number "1001" after "kdf-time" (expected Argon2id passes, 1 to 1000)' group add office identity a password x kdf-time 1001
expect 2 'peergroup: group add: bad size "4k" after "kdf-memory" (expected KiB, or N and a unit k, m or g, from 8k to 4g)' group add office identity a password x kdf-memory 4k
expect 2 'peergroup: group add: bad size "5g" after "kdf-memory" (expected KiB, or N and a unit k, m or g, from 8k to 4g)' group add office identity a password x kdf-memory 5g
expect 2 'peergroup: group add: bad size "64mb" after "kdf-memory" (expected KiB, or N and a unit k, m or g, from 8k to 4g)' group add office identity a password x kdf-memory 64mb
expect 2 'peergroup: group join: bad number "256" after "kdf-lanes" (expected Argon2id lanes, 1 to 255)' group join office identity a id x password x kdf-lanes 256
expect 2 'peergroup: group add: missing SIZE after "kdf-memory"' group add office identity a password x kdf-memory
expect 2 'peergroup: group add: kdf-time given twice' group add office identity a password x kdf-time 1 kdf-time 2
expect 2 'peergroup: group add: kdf-* arguments without a password (a random key is derived from nothing)' group add office identity a kdf-lanes 1
PEERGROUP_KDF=time=1,memory=4k expect 2 'peergroup: group add: bad PEERGROUP_KDF "time=1,memory=4k": bad memory (expected KiB, or N and a unit k, m or g, from 8k to 4g)' group add office identity a password x
PEERGROUP_KDF=speed=1 expect 2 'peergroup: group add: bad PEERGROUP_KDF "speed=1": expected time=N,memory=SIZE,lanes=N (any of them)' group add office identity a password x
expect 2 'peergroup: group set: nothing to set (expected: defer-expiration, max-record-size, max-records, max-bytes, max-lifetime)' group set office
expect 2 'peergroup: group set: unknown argument "lifetime" (expected: defer-expiration, max-record-size, max-records, max-bytes, max-lifetime)' group set office lifetime 30d
expect 2 'peergroup: group set: bad time "1w" after "max-lifetime" (expected seconds, or N and a unit s, m, h or d, e.g. 30d)' group set office max-lifetime 1w
expect 2 'peergroup: group set: bad time "49711d" after "max-lifetime" (expected seconds, or N and a unit s, m, h or d, e.g. 30d)' group set office max-lifetime 49711d
expect 2 'peergroup: group set: missing T after "max-lifetime"' group set office max-lifetime
expect 2 'peergroup: group set: bad number "12k" after "max-records"' group set office max-records 12k
expect 2 'peergroup: group set: bad number "4294967296" after "max-record-size"' group set office max-record-size 4294967296
expect 2 'peergroup: group set: bad value "yes" after "defer-expiration" (expected on or off)' group set office defer-expiration yes
expect 2 'peergroup: group set: max-bytes given twice' group set office max-bytes 1 max-bytes 2
expect 2 'peergroup: group set: missing N after "max-bytes"' group set office max-bytes
expect 2 'peergroup: group status: missing group name' group status
expect 2 'peergroup: group time: bad time "noon" (expected ISO-8601, e.g. 2026-01-31T10:00:00Z)' group time office utc noon
expect 2 'peergroup: group time: unknown argument "gmt" (expected: utc T, peer T)' group time office gmt 2026
expect 2 'peergroup: group time: missing T after "peer"' group time office peer

# Certificate groups: the key serial and the chain file are checked, and
# the chain read (PEM through libcrypto, or DER), before the kernel is
# asked. Real certificates from openssl(1) (scripts/deps installs it).
command -v openssl >/dev/null || {
	echo "cli.sh: openssl is missing (make deps)" >&2
	exit 1
}
# alice's self-signed root, and bob's certificate that it signs.
make_certs() {
	openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=alice -days 30 \
		-keyout "$pki/root.key" -out "$pki/root.pem" 2>/dev/null &&
	openssl req -newkey rsa:2048 -nodes -subj /CN=bob \
		-keyout "$pki/bob.key" -out "$pki/bob.csr" 2>/dev/null &&
	openssl x509 -req -in "$pki/bob.csr" -CA "$pki/root.pem" \
		-CAkey "$pki/root.key" -days 10 -out "$pki/bob.pem" 2>/dev/null &&
	openssl x509 -in "$pki/bob.pem" -outform DER -out "$pki/bob.der" &&
	openssl x509 -in "$pki/root.pem" -outform DER -out "$pki/root.der"
}
make_certs || {
	echo "cli.sh: openssl could not make the test certificates" >&2
	exit 1
}
# times25 FILE: the file 25 times over, one more than a chain may hold.
times25() {
	n=0
	while [ "$n" -lt 25 ]; do
		cat "$1"
		n=$((n + 1))
	done
}
cat "$pki/bob.pem" "$pki/root.pem" > "$pki/chain.pem"
cat "$pki/bob.der" "$pki/root.der" > "$pki/chain.der"
expect 2 'peergroup: group add: missing key (expected with security pki: key SERIAL, the keyring serial of this node'"'"'s private key)' group add office identity bob security pki cert "$pki/chain.pem"
expect 2 'peergroup: group add: missing cert (expected with security pki: cert FILE, this node'"'"'s certificate chain)' group add office identity bob security pki key 5
expect 2 'peergroup: group join: missing cert (expected with security pki: cert FILE, this node'"'"'s certificate chain)' group join office identity bob security pki key 5
expect 2 'peergroup: group add: missing SERIAL after "key"' group add office identity bob security pki cert f key
expect 2 'peergroup: group add: missing psk or pki after "security"' group add office identity bob security
expect 2 'peergroup: group add: bad value "x509" after "security" (expected psk or pki)' group add office identity bob security x509 key 5 cert f
for serial in abc 0 -5 2147483648 0x10; do
	expect 2 "peergroup: group add: bad number \"$serial\" after \"key\" (expected a keyring key's serial as keyctl prints it, 1 to 2147483647)" group add office identity bob security pki key "$serial" cert f
done
expect 2 'peergroup: group add: key without security pki (only a certificate group takes a key and a cert)' group add office identity bob key 5 cert f
expect 2 'peergroup: group add: cert without security pki (only a certificate group takes a key and a cert)' group add office identity bob security psk cert f
expect 2 'peergroup: group add: key given twice' group add office identity bob security pki key 5 key 6 cert f
expect 2 'peergroup: group add: cert given twice' group add office identity bob security pki key 5 cert f cert g
expect 2 'peergroup: group add: creator with security pki (a certificate group'"'"'s creator is the subject of its root certificate)' group add office identity bob creator alice security pki key 5 cert f
no_pw='with security pki (a certificate group has no password: its members sign with their keys)'
expect 2 "peergroup: group add: password $no_pw" group add office identity bob security pki key 5 cert f password x
expect 2 "peergroup: group join: password-file $no_pw" group join office identity bob password-file f security pki key 5 cert f
expect 2 "peergroup: group add: kdf-* arguments $no_pw" group add office identity bob security pki key 5 cert f kdf-time 1
expect 1 'peergroup: group add: cert /nonexistent/chain.pem: No such file or directory' group add office identity bob security pki key 5 cert /nonexistent/chain.pem
# join: without id (the root's key makes it), the certificates are read.
expect 1 'peergroup: group join: cert /nonexistent/chain.pem: No such file or directory' group join office identity bob security pki key 5 cert /nonexistent/chain.pem
expect 2 'peergroup: group add: cert /dev/zero: more than 131072 bytes, the most a certificate file may be (EMSGSIZE)' group add office identity bob security pki key 5 cert /dev/zero
expect 2 'peergroup: group add: cert /dev/null: empty (expected this node'"'"'s certificate chain)' group add office identity bob security pki key 5 cert /dev/null
head -c 50000 /dev/zero > "$load"
expect 2 "peergroup: group add: cert $load: more than 49152 bytes of certificates (as DER), the most a group takes (EMSGSIZE)" group add office identity bob security pki key 5 cert "$load"
{ echo '-----BEGIN CERTIFICATE-----'; head -c 50000 /dev/zero | base64; echo '-----END CERTIFICATE-----'; } > "$load"
expect 2 "peergroup: group add: cert $load: more than 49152 bytes of certificates (as DER), the most a group takes (EMSGSIZE)" group add office identity bob security pki key 5 cert "$load"
not_certs='neither PEM CERTIFICATE blocks nor DER certificates one after another'
printf 'bob\n' > "$load"
expect 2 "peergroup: group add: cert $load: $not_certs" group add office identity bob security pki key 5 cert "$load"
head -c 100 "$pki/bob.der" > "$load"
expect 2 "peergroup: group add: cert $load: $not_certs" group add office identity bob security pki key 5 cert "$load"
expect 2 "peergroup: group add: cert $pki/root.key: block 1 is a \"PRIVATE KEY\", not a CERTIFICATE" group add office identity bob security pki key 5 cert "$pki/root.key"
cat "$pki/chain.pem" "$pki/bob.key" > "$load"
expect 2 "peergroup: group add: cert $load: block 3 is a \"PRIVATE KEY\", not a CERTIFICATE" group add office identity bob security pki key 5 cert "$load"
sed '/^-----END/d' "$pki/bob.pem" > "$load"
expect 2 "peergroup: group add: cert $load: block 1 does not decode as PEM (its base64 or its END line)" group add office identity bob security pki key 5 cert "$load"
times25 "$pki/root.der" > "$load"
expect 2 "peergroup: group add: cert $load: 25 certificates, more than the 24 a chain may have" group add office identity bob security pki key 5 cert "$load"
times25 "$pki/root.pem" > "$load"
expect 2 "peergroup: group add: cert $load: 25 certificates, more than the 24 a chain may have" group add office identity bob security pki key 5 cert "$load"
# A good chain gets as far as the kernel: the same whether PEM, DER or
# stdin (no key has serial 2147483647, should a kernel be there).
der_said=$("$tool" group add office identity bob security pki key 2147483647 \
	cert "$pki/chain.der" 2>&1 >/dev/null)
der_rc=$?
case $der_said in
"peergroup: group add: "*)
	failures=$((failures + 1))
	echo "cli.sh: a good DER chain was refused: $der_said" >&2
	;;
esac
expect "$der_rc" "$der_said" group add office identity bob security pki key 2147483647 cert "$pki/chain.pem"
expect "$der_rc" "$der_said" group add office identity bob security pki key 2147483647 cert - < "$pki/chain.pem"
expect 2 'peergroup: group add: security given twice' group add office identity bob security psk security pki

# Records: every argument checked before the kernel is asked.
type=0123abcd-0000-0000-0000-000000000001
expect 0 "" record help
expect 2 'peergroup: record: missing command (expected: add, load, update, del, get, list, search, help)' record
expect 2 'peergroup: record: unknown command "put" (expected: add, load, update, del, get, list, search, help)' record put
expect 2 'peergroup: record add: missing group name' record add
expect 2 'peergroup: record add: missing type (expected: type UUID)' record add office expires +1h
expect 2 'peergroup: record add: missing expires (expected: expires WHEN)' record add office type "$type"
expect 2 'peergroup: record add: bad UUID "0123abcd" after "type" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' record add office type 0123abcd expires +1h
expect 2 'peergroup: record add: bad UUID "0123abcd-0000-0000-0000-00000000000g" after "type" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' record add office type 0123abcd-0000-0000-0000-00000000000g expires +1h
expect 2 'peergroup: record add: bad WHEN "+1w": expected +N and a unit: s, m, h or d (e.g. +30s, +1h)' record add office type "$type" expires +1w
expect 2 'peergroup: record add: bad WHEN "+h": expected +N and a unit: s, m, h or d (e.g. +30s, +1h)' record add office type "$type" expires +h
expect 2 'peergroup: record add: bad WHEN "tomorrow": expected +N[s|m|h|d] or an ISO-8601 date such as 2026-01-31T10:00:00Z' record add office type "$type" expires tomorrow
expect 2 'peergroup: record add: bad WHEN "2026-02-30": expected +N[s|m|h|d] or an ISO-8601 date such as 2026-01-31T10:00:00Z' record add office type "$type" expires 2026-02-30
expect 2 'peergroup: record add: bad WHEN "1969-12-31": outside 1970..2554' record add office type "$type" expires 1969-12-31
expect 2 'peergroup: record add: bad attr "colour": expected NAME=VALUE[:string|:int|:date]' record add office type "$type" expires +1h attr colour
expect 2 'peergroup: record add: bad attr "=blue": missing NAME before '"'='"'' record add office type "$type" expires +1h attr =blue
expect 2 'peergroup: record add: bad attr "n=3x:int": the value is not a signed 64-bit integer' record add office type "$type" expires +1h attr n=3x:int
expect 2 'peergroup: record add: bad attr "n=:int": the value is not a signed 64-bit integer' record add office type "$type" expires +1h attr n=:int
expect 2 'peergroup: record add: bad attr "d=2026-13-01:date": the value is not an ISO-8601 date (e.g. 2026-01-31T10:00:00Z)' record add office type "$type" expires +1h attr d=2026-13-01:date
expect 2 'peergroup: record add: missing NAME=VALUE after "attr"' record add office type "$type" expires +1h attr
expect 2 'peergroup: record add: data given twice (data and data-file exclude each other)' record add office type "$type" expires +1h data x data-file f
expect 2 'peergroup: record add: type given twice' record add office type "$type" type "$type" expires +1h
expect 2 'peergroup: record add: unknown argument "colour" (expected: type, expires, attr, attrs-xml, data, data-file, autorefresh)' record add office type "$type" expires +1h colour
expect 2 'peergroup: record update: missing record ID' record update office
expect 2 'peergroup: record update: bad record ID "42" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' record update office 42
expect 2 'peergroup: record update: unknown argument "type" (expected: expires, attr, attrs-xml, data, data-file)' record update office "$type" type "$type"
expect 2 'peergroup: record update: bad WHEN "+5": expected +N and a unit: s, m, h or d (e.g. +30s, +1h)' record update office "$type" expires +5
expect 2 'peergroup: record del: missing group name' record del
expect 2 'peergroup: record del: unknown argument "now" (expected nothing after the record ID)' record del office "{$type}" now
expect 2 'peergroup: record get: bad record ID "{'"$type"'" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' record get office "{$type"
expect 2 'peergroup: record list: unknown argument "deleted" (expected: type, creator, tombstones)' record list office deleted
expect 2 'peergroup: record list: bad UUID "x" after "type" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)' record ls office type x
expect 2 'peergroup: record search: missing query (a file, - or '"'<peersearch>...'"')' record search office
expect 2 'peergroup: record search: unknown argument "more" (expected nothing after the query)' record search office q.xml more

# Sizes: what no record can hold is refused before the kernel is asked
# (EMSGSIZE), and a file is read no further than one byte past its bound.
big=$(head -c 70000 /dev/zero | tr '\0' a)
printf '%s' "$big" > "$load"
too_big='more than 65000, the most a record holds (EMSGSIZE)'
expect 2 "peergroup: record add: attr \"big\": 70010 bytes (7 + name + value), $too_big" record add office type "$type" expires +1h attr "big=$big"
expect 2 "peergroup: record add: data: 70000 bytes, $too_big" record add office type "$type" expires +1h data "$big"
expect 2 "peergroup: record update: data: 70000 bytes, $too_big" record update office "$type" data "$big"
expect 2 "peergroup: record add: data-file $load: more than 65000 bytes, the most a record holds (EMSGSIZE)" record add office type "$type" expires +1h data-file "$load"
expect 2 'peergroup: record add: data-file /dev/zero: more than 65000 bytes, the most a record holds (EMSGSIZE)' record add office type "$type" expires +1h data-file /dev/zero
expect 2 'peergroup: record update: data-file /dev/zero: more than 65000 bytes, the most a record holds (EMSGSIZE)' record update office "$type" data-file /dev/zero
expect 2 'peergroup: record add: attrs-xml /dev/zero: more than 1048576 bytes, the most an XML argument may be (EMSGSIZE)' record add office type "$type" expires +1h attrs-xml /dev/zero
expect 2 'peergroup: record search: query /dev/zero: more than 1048576 bytes, the most an XML argument may be (EMSGSIZE)' record search office /dev/zero
expect 2 'peergroup: group add: password-file /dev/zero: its first line is more than 256 bytes, the most a password may be (EMSGSIZE)' group add office identity alice password-file /dev/zero
printf 'type %s expires +1h\ntype %s expires +1h data-file /dev/zero\n' "$type" "$type" > "$load"
expect 2 'peergroup: record load: line 2: data-file /dev/zero: more than 65000 bytes, the most a record holds (EMSGSIZE)' record load office "$load"

# record load: every line is checked before the kernel is asked.
expect 0 "" record load help
expect 2 'peergroup: record load: missing group name' record load
expect 2 'peergroup: record load: missing FILE (or - for stdin)' record load office
expect 2 'peergroup: record load: unknown argument "x" (expected nothing after FILE)' record load office f x
expect 1 'peergroup: record load: file /nonexistent/records: No such file or directory' record load office /nonexistent/records
printf '# two good lines, then a bad one\n\ntype %s expires +1h\n  type %s expires +2h data "a b"\nexpires +1h\n' \
	"$type" "$type" > "$load"
expect 2 'peergroup: record load: line 5: missing type (expected: type UUID)' record load office "$load"
printf 'type %s expires +1h\ntype %s expires +1h attr n=3x:int\n' "$type" "$type" > "$load"
expect 2 'peergroup: record load: line 2: bad attr "n=3x:int": the value is not a signed 64-bit integer' record load office "$load"
printf 'type %s expires +1h\ntype %s expires +1h data '"'"'unterminated\n' "$type" "$type" > "$load"
expect 2 'peergroup: record load: line 2: unterminated single quote' record load office "$load"
# shellcheck disable=SC2016 # the file holds $HOME as it is
printf 'type %s expires +1h data $HOME\n' "$type" > "$load"
expect 2 'peergroup: record load: line 1: $ and ` are not supported (nothing is expanded: put the word in single quotes)' record load office "$load"
printf 'type %s expires +1h data a;b\n' "$type" > "$load"
expect 2 'peergroup: record load: line 1: the shell operators ; & | < > ( ) are not supported (quote them)' record load office "$load"

# Listeners and neighbours: addresses, ports and ids checked before the kernel.
addr_hint='(expected an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1)'
expect 0 "" listen help
expect 2 'peergroup: listen: unknown command "open" (expected: add, del, show, help)' listen open
expect 2 "peergroup: listen add: bad address \"1.2.3\" $addr_hint" listen add 1.2.3
expect 2 "peergroup: listen add: bad address \"localhost\" $addr_hint" listen add localhost
expect 2 "peergroup: listen del: bad address \"fe80::1%lo\" $addr_hint" listen delete fe80::1%lo
expect 2 'peergroup: listen add: bad port "0" (expected 1 to 65535)' listen add :: port 0
expect 2 'peergroup: listen add: bad port "65536" (expected 1 to 65535)' listen add port 65536
expect 2 'peergroup: listen add: missing P after "port"' listen add 192.0.2.1 port
expect 2 'peergroup: listen add: port given twice' listen add port 1 port 2
expect 2 'peergroup: listen add: unknown argument "::2" (expected: port P)' listen add ::1 ::2
expect 2 'peergroup: listen del: unknown argument "id" (expected: port P)' listen del ::1 id 3
expect 2 'peergroup: listen show: unknown argument "all" (expected nothing)' listen show all
expect 0 "" neighbour help
expect 0 "" neighbor help
expect 2 'peergroup: neighbour: missing command (expected: add, del, show, help)' neighbour
expect 2 'peergroup: neighbour: unknown command "up" (expected: add, del, show, help)' neighbor up
expect 2 'peergroup: neighbour add: missing group name' neighbour add
expect 2 'peergroup: neighbour add: missing address (expected: ADDR [port P])' neighbour add office
expect 2 'peergroup: neighbour add: missing address (expected: ADDR [port P])' neighbour add office port 4000
expect 2 "peergroup: neighbour add: bad address \"peer.example\" $addr_hint" neighbour add office peer.example
expect 2 'peergroup: neighbour add: bad port "http" (expected 1 to 65535)' neighbor add office 2001:db8::1 port http
expect 2 'peergroup: neighbour add: unknown argument "id" (expected: port P)' neighbour add office 192.0.2.1 id 3
expect 2 'peergroup: neighbour del: missing group name' neighbour del
expect 2 'peergroup: neighbour del: missing neighbour (expected: ADDR [port P] or id N)' neighbour del office
expect 2 'peergroup: neighbour del: missing N after "id"' neighbour del office id
expect 2 'peergroup: neighbour del: bad neighbour id "-1" (expected a decimal number, as neighbour show prints it)' neighbour delete office id -1
expect 2 'peergroup: neighbour del: id N excludes ADDR and port P (a neighbour is named by one or the other)' neighbour del office 192.0.2.1 id 3
expect 2 'peergroup: neighbour del: id N excludes ADDR and port P (a neighbour is named by one or the other)' neighbour del office id 3 port 9
expect 2 'peergroup: neighbour del: unknown argument "x" (expected: port P, id N)' neighbour del office ::1 x
expect 2 'peergroup: neighbour show: missing group name' neighbour show
expect 2 'peergroup: neighbour show: unknown argument "x" (expected nothing after the group name)' neighbour ls office x
expect 0 "" member help
expect 2 'peergroup: member: missing command (expected: list, revoke, invite, help)' member
expect 2 'peergroup: member: unknown command "add" (expected: list, revoke, invite, help)' member add office
expect 2 'peergroup: member invite: expected GROUP identity ID key FILE' member invite
expect 2 'peergroup: member invite: missing identity (expected: identity ID, the invitee'"'"'s)' member invite office key k.pub
expect 2 'peergroup: member invite: missing key (expected: key FILE, the invitee'"'"'s public key)' member invite office identity bob
expect 2 'peergroup: member invite: unknown argument "days" (expected: identity ID, key FILE, role admin|member, from WHEN, until WHEN, out FILE)' member invite office identity bob days 3
expect 2 'peergroup: member invite: identity given twice' member invite office identity bob identity carol
expect 2 'peergroup: member invite: missing FILE after "key"' member invite office identity bob key
expect 2 'peergroup: member invite: bad role "owner" (expected admin or member)' member invite office identity bob key k.pub role owner
expect 2 'peergroup: member invite: -j prints what the certificate says: give the chain a file (out FILE)' -j member invite office identity bob key k.pub
expect 2 'peergroup: member revoke: expected GROUP FINGERPRINT' member revoke office
expect 2 'peergroup: member revoke: fingerprint "abc": expected 64 hex digits (the SHA-256 of the certificate, as member list prints it)' member revoke office abc
expect 2 'peergroup: member revoke: fingerprint "'"$(printf 'g%.0s' $(seq 64))"'": expected 64 hex digits (the SHA-256 of the certificate, as member list prints it)' member revoke office "$(printf 'g%.0s' $(seq 64))"
expect 2 'peergroup: member revoke: unexpected argument "x" (expected GROUP FINGERPRINT)' member revoke office 00 x
expect 2 'peergroup: member list: missing group name' member list
expect 2 'peergroup: member list: unknown argument "x" (expected nothing after the group name)' member ls office x
expect 0 "" monitor help
expect 2 'peergroup: monitor: unknown argument "b" (expected nothing after the group name)' monitor a b
expect 0 "" export help
expect 2 'peergroup: export: missing FILE (or - for stdout)' export office
expect 2 'peergroup: import: missing FILE (or - for stdin)' import office
expect 2 'peergroup: import: unknown argument "x" (expected nothing after FILE)' import office f x

# libcrypto is loaded for a PEM file only (pem.c): linked, every start of
# the tool would pay for it.
if readelf -d "$tool" | grep -q 'NEEDED.*libcrypto'; then
	failures=$((failures + 1))
	echo "cli.sh: the tool is linked with libcrypto" >&2
fi
"$tool" help | grep -q '^  2  usage error' || {
	failures=$((failures + 1))
	echo "cli.sh: peergroup help does not list the exit codes" >&2
}
echo "cli: $checks checks, $failures failed"
[ "$failures" = 0 ]
