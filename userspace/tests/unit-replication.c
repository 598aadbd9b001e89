// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline tests of replication: addresses as text and bytes, the tool's
 * "[ADDR] [port P] | id N" arguments, the names of the replication enums,
 * the neighbour nest, neighbour and peer-origin events, and how the tool
 * prints listeners, neighbours and their events; the member nest of a
 * certificate group, its event and how the tool prints members.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "../lib/internal.h"
#include "../peergroup/args.h"
#include "../peergroup/output.h"
#include "unit.h"

#define FAMILY 0x20

static void test_addr(void)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.256", "192.0.2.1/24", "[::1]", "fe80::1%eth0",
		"localhost", "::1 ", " ::1", "1:2:3:4:5:6:7:8:9", "192.0.2.1:80",
	};
	char s[PG_ADDR_STR_LEN];
	struct pg_addr a;
	size_t i;

	CHECK_INT(pg_addr_parse("192.0.2.1", &a), 0);
	CHECK_INT(a.family, AF_INET);
	CHECK_INT(pg_addr_len(&a), 4);
	CHECK_INT(a.bytes[0], 192);
	CHECK_INT(a.bytes[3], 1);
	pg_addr_format(&a, s);
	CHECK_STR(s, "192.0.2.1");

	CHECK_INT(pg_addr_parse("2001:DB8::1", &a), 0);
	CHECK_INT(a.family, AF_INET6);
	CHECK_INT(pg_addr_len(&a), 16);
	CHECK_INT(a.bytes[0], 0x20);
	CHECK_INT(a.bytes[15], 1);
	pg_addr_format(&a, s);
	CHECK_STR(s, "2001:db8::1");

	CHECK_INT(pg_addr_parse("::", &a), 0);
	pg_addr_format(&a, s);
	CHECK_STR(s, "::");
	CHECK_INT(pg_addr_parse("::ffff:192.0.2.1", &a), 0);
	CHECK_INT(a.family, AF_INET6);
	pg_addr_format(&a, s);
	CHECK_STR(s, "::ffff:192.0.2.1");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(pg_addr_parse(bad[i], &a), -EINVAL);
		CHECK_INT(a.family, AF_UNSPEC);
	}
	memset(&a, 0, sizeof(a));
	pg_addr_format(&a, s);
	CHECK_STR(s, "");
	a.family = AF_UNIX;
	CHECK_INT(pg_addr_len(&a), 0);
	pg_addr_format(&a, s);
	CHECK_STR(s, "?");
}

/* parse_endpoint() over the words of s (split at spaces, at most 8). */
static int endpoint(const char *s, bool allow_id, struct endpoint *e,
		    char *msg, size_t size)
{
	char buf[256], *argv[8], *w, *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (w = strtok_r(buf, " ", &save); w && argc < 8;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	*msg = '\0';
	return parse_endpoint(argc, argv, allow_id, e, msg, size);
}

static void test_endpoint(void)
{
	static const struct {
		const char *args;
		bool allow_id;
		const char *msg;
	} bad[] = {
		{ "1.2.3", false, "bad address \"1.2.3\" (expected an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1)" },
		{ "port", false, "missing P after \"port\"" },
		{ "port 0", false, "bad port \"0\" (expected 1 to 65535)" },
		{ "port 65536", false, "bad port \"65536\" (expected 1 to 65535)" },
		{ "port -1", false, "bad port \"-1\" (expected 1 to 65535)" },
		{ "port 80x", false, "bad port \"80x\" (expected 1 to 65535)" },
		{ "port 1 port 2", false, "port given twice" },
		{ "::1 ::2", false, "unknown argument \"::2\" (expected: port P)" },
		{ "::1 id 3", false, "unknown argument \"id\" (expected: port P)" },
		{ "id 3", false, "bad address \"id\" (expected an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1)" },
		{ "::1 x", true, "unknown argument \"x\" (expected: port P, id N)" },
		{ "id", true, "missing N after \"id\"" },
		{ "id 1 id 2", true, "id given twice" },
		{ "id x", true, "bad neighbour id \"x\" (expected a decimal number, as neighbour show prints it)" },
		{ "id 18446744073709551616", true, "bad neighbour id \"18446744073709551616\" (expected a decimal number, as neighbour show prints it)" },
		{ "id 3 ::1", true, "id N excludes ADDR and port P (a neighbour is named by one or the other)" },
		{ "port 9 id 3", true, "id N excludes ADDR and port P (a neighbour is named by one or the other)" },
	};
	struct endpoint e;
	char msg[256];
	size_t i;

	CHECK_INT(endpoint("", false, &e, msg, sizeof(msg)), 0);
	CHECK_INT(e.addr.family, AF_UNSPEC);
	CHECK_INT(e.port, 0);
	CHECK_INT(e.has_id, false);

	CHECK_INT(endpoint("192.0.2.7 port 4000", false, &e, msg, sizeof(msg)), 0);
	CHECK_INT(e.addr.family, AF_INET);
	CHECK_INT(e.addr.bytes[3], 7);
	CHECK_INT(e.port, 4000);

	/* Any order; the largest port. */
	CHECK_INT(endpoint("port 65535 2001:db8::2", false, &e, msg, sizeof(msg)), 0);
	CHECK_INT(e.addr.family, AF_INET6);
	CHECK_INT(e.port, 65535);

	CHECK_INT(endpoint("port 1", false, &e, msg, sizeof(msg)), 0);
	CHECK_INT(e.addr.family, AF_UNSPEC);
	CHECK_INT(e.port, 1);

	CHECK_INT(endpoint("id 18446744073709551615", true, &e, msg, sizeof(msg)), 0);
	CHECK_INT(e.has_id, true);
	CHECK_INT(e.id == UINT64_MAX, 1);
	CHECK_INT(e.addr.family, AF_UNSPEC);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(endpoint(bad[i].args, bad[i].allow_id, &e, msg,
				   sizeof(msg)), -1);
		CHECK_STR(msg, bad[i].msg);
	}
}

static void test_names(void)
{
	unsigned int v;

	CHECK_STR(pg_direction_name(PEERGROUP_DIRECTION_OUT), "out");
	CHECK_STR(pg_direction_name(PEERGROUP_DIRECTION_IN), "in");
	CHECK_STR(pg_direction_name(PEERGROUP_DIRECTION_UNSPEC), NULL);
	CHECK_STR(pg_direction_name(3), NULL);

	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_BACKOFF), "backoff");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_CONNECTING), "connecting");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_HANDSHAKE), "handshake");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_SYNCING), "syncing");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_ESTABLISHED), "established");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_UNSPEC), NULL);
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_CLOSED), "closed");
	CHECK_STR(pg_neighbour_state_name(PEERGROUP_NEIGHBOUR_CLOSED + 1), NULL);

	CHECK_STR(pg_reason_name(PEERGROUP_REASON_NONE), "none");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_CLOSED), "closed");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_CONNECT), "connect");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_VERSION), "version");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_UNKNOWN_GROUP), "unknown-group");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_AUTH), "auth");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_TIMEOUT), "timeout");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_PROTOCOL), "protocol");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_OVERFLOW), "overflow");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_DELETED), "deleted");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_LIMIT), "limit");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_SELF), "self");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_ERROR), "error");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_KDF), "kdf");
	CHECK_STR(pg_reason_name(PEERGROUP_REASON_MAX + 1), NULL);
	for (v = 0; v <= PEERGROUP_REASON_MAX; v++)
		CHECK_INT(pg_reason_name(v) != NULL, 1);

	CHECK_STR(pg_neighbour_event_name(PEERGROUP_NEIGHBOUR_EVENT_CONNECTED), "connected");
	CHECK_STR(pg_neighbour_event_name(PEERGROUP_NEIGHBOUR_EVENT_DISCONNECTED), "disconnected");
	CHECK_STR(pg_neighbour_event_name(PEERGROUP_NEIGHBOUR_EVENT_FAILED), "failed");
	CHECK_STR(pg_neighbour_event_name(PEERGROUP_NEIGHBOUR_EVENT_SYNCED), "synced");
	CHECK_STR(pg_neighbour_event_name(PEERGROUP_NEIGHBOUR_EVENT_UNSPEC), NULL);
	CHECK_STR(pg_neighbour_event_name(99), NULL);

	CHECK_STR(pg_attr_name(PEERGROUP_A_ADDR), "address");
	CHECK_STR(pg_attr_name(PEERGROUP_A_PORT), "port");
	CHECK_STR(pg_attr_name(PEERGROUP_A_NEIGHBOUR_ID), "neighbour id");
	CHECK_STR(pg_attr_name(PEERGROUP_A_NEIGHBOUR_EVENT), "neighbour event");
	CHECK_STR(pg_windows_error(-ENOENT, PEERGROUP_A_ADDR),
		  "PEER_E_CONNECTION_NOT_FOUND");
	CHECK_STR(pg_windows_error(-ENOENT, PEERGROUP_A_NEIGHBOUR_ID),
		  "PEER_E_CONNECTION_NOT_FOUND");
	CHECK_STR(pg_windows_error(-ENOENT, PEERGROUP_A_GROUP_NAME),
		  "PEER_E_INVALID_GROUP");
	CHECK_STR(pg_windows_error(-EEXIST, PEERGROUP_A_ADDR),
		  "PEER_E_ALREADY_EXISTS");
	CHECK_STR(pg_errno_name(-EADDRINUSE), "EADDRINUSE");
}

static const uint8_t v4[4] = { 192, 0, 2, 9 };

/* A neighbour nest as the kernel sends it: every field, 64-bit padded. */
static void put_neighbour(struct nl_msg *msg, const void *addr, int addr_len,
			  uint32_t error)
{
	struct nlattr *nest = nla_nest_start(msg, PEERGROUP_A_NEIGHBOUR);

	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_ID, 7);
	nla_put(msg, PEERGROUP_NEIGHBOUR_A_ADDR, addr_len, addr);
	nla_put_u16(msg, PEERGROUP_NEIGHBOUR_A_PORT, 3587);
	nla_put_u8(msg, PEERGROUP_NEIGHBOUR_A_DIRECTION, PEERGROUP_DIRECTION_OUT);
	nla_put_u8(msg, PEERGROUP_NEIGHBOUR_A_STATE, PEERGROUP_NEIGHBOUR_BACKOFF);
	nla_put_string(msg, PEERGROUP_NEIGHBOUR_A_IDENTITY, "bob");
	nla_put_u8(msg, PEERGROUP_NEIGHBOUR_A_REASON, PEERGROUP_REASON_CONNECT);
	nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_ERRNO, error);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_SINCE, 1700000000123456789ULL);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_FRAMES_TX, 11);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_FRAMES_RX, 12);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_BYTES_TX, 1300);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_BYTES_RX, 1400);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_RECORDS_TX, 5);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_RECORDS_RX, 6);
	nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_REFUSED, 1);
	nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_QUEUE, 64);
	nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_CONNECTS, 3);
	nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_LAG, 250);
	nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_MAX + 3, 1);	/* newer kernel */
	nla_nest_end(msg, nest);
}

static struct nl_msg *genl_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, cmd, PEERGROUP_GENL_VERSION);
	nla_put_string(msg, PEERGROUP_A_GROUP_NAME, "office");
	return msg;
}

/* The PEERGROUP_A_NEIGHBOUR of msg parsed into *n. */
static int parse_nest(struct nl_msg *msg, struct pg_neighbour *n)
{
	struct nlattr *a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN,
					   PEERGROUP_A_NEIGHBOUR);

	return a ? pg_neighbour_parse(a, n) : -ENOENT;
}

static void test_neighbour_parse(void)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct pg_neighbour n;
	struct nl_msg *msg;
	char s[PG_ADDR_STR_LEN];

	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_GET);
	put_neighbour(msg, v4, 4, ECONNREFUSED);
	CHECK_INT(parse_nest(msg, &n), 0);
	CHECK_INT(n.id, 7);
	pg_addr_format(&n.addr, s);
	CHECK_STR(s, "192.0.2.9");
	CHECK_INT(n.port, 3587);
	CHECK_INT(n.direction, PEERGROUP_DIRECTION_OUT);
	CHECK_INT(n.state, PEERGROUP_NEIGHBOUR_BACKOFF);
	CHECK_STR(n.identity, "bob");
	CHECK_INT(n.reason, PEERGROUP_REASON_CONNECT);
	CHECK_INT(n.error, ECONNREFUSED);
	CHECK_INT(n.since_ns, 1700000000123456789ULL);
	CHECK_INT(n.frames_tx, 11);
	CHECK_INT(n.frames_rx, 12);
	CHECK_INT(n.bytes_tx, 1300);
	CHECK_INT(n.bytes_rx, 1400);
	CHECK_INT(n.records_tx, 5);
	CHECK_INT(n.records_rx, 6);
	CHECK_INT(n.refused, 1);
	CHECK_INT(n.queue, 64);
	CHECK_INT(n.connects, 3);
	CHECK_INT(n.lag_ms, 250);
	nlmsg_free(msg);

	/* IPv6; a negative errno sent as u32 reads as the positive one. */
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_GET);
	put_neighbour(msg, v6, 16, (uint32_t)-ETIMEDOUT);
	CHECK_INT(parse_nest(msg, &n), 0);
	pg_addr_format(&n.addr, s);
	CHECK_STR(s, "2001:db8::2");
	CHECK_INT(n.error, ETIMEDOUT);
	nlmsg_free(msg);

	/* An address of another length. */
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_GET);
	put_neighbour(msg, v6, 6, 0);
	CHECK_INT(parse_nest(msg, &n), -EPROTO);
	nlmsg_free(msg);

	/* The least a neighbour is: an id and an address. */
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_GET);
	{
		struct nlattr *nest = nla_nest_start(msg, PEERGROUP_A_NEIGHBOUR);

		nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_ID, 9);
		nla_put(msg, PEERGROUP_NEIGHBOUR_A_ADDR, 4, v4);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(parse_nest(msg, &n), 0);
	CHECK_INT(n.id, 9);
	CHECK_STR(n.identity, "");
	CHECK_INT(n.error, 0);
	nlmsg_free(msg);

	/* Without an id, or a port that does not fit 16 bits. */
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_GET);
	{
		struct nlattr *nest = nla_nest_start(msg, PEERGROUP_A_NEIGHBOUR);

		nla_put(msg, PEERGROUP_NEIGHBOUR_A_ADDR, 4, v4);
		nla_nest_end(msg, nest);
		nest = nla_nest_start(msg, PEERGROUP_A_NEIGHBOUR);
		nla_put_u64(msg, PEERGROUP_NEIGHBOUR_A_ID, 9);
		nla_put(msg, PEERGROUP_NEIGHBOUR_A_ADDR, 4, v4);
		nla_put_u32(msg, PEERGROUP_NEIGHBOUR_A_PORT, 70000);
		nla_nest_end(msg, nest);
	}
	CHECK_INT(parse_nest(msg, &n), -EPROTO);
	{
		struct nlattr *a, *second = NULL;
		int rem;

		nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem)
			if (nla_type(a) == PEERGROUP_A_NEIGHBOUR)
				second = a;
		CHECK_INT(pg_neighbour_parse(second, &n), -EPROTO);
	}
	nlmsg_free(msg);
}

static void test_events(void)
{
	static const uint8_t id[PG_GUID_LEN] = { 1, 2, 3, [15] = 4 };
	static const uint8_t type[PG_GUID_LEN] = { 0xaa, [15] = 0xbb };
	struct nlattr *nest;
	struct pg_event ev;
	struct nl_msg *msg;

	/* A record from a neighbour carries the neighbour's id. */
	msg = genl_msg(PEERGROUP_CMD_RECORD_EVENT);
	nla_put_u8(msg, PEERGROUP_A_RECORD_CHANGE, PEERGROUP_CHANGE_ADDED);
	nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	nla_put(msg, PEERGROUP_RECORD_A_ID, PG_GUID_LEN, id);
	nla_put(msg, PEERGROUP_RECORD_A_TYPE, PG_GUID_LEN, type);
	nla_put_u32(msg, PEERGROUP_RECORD_A_VERSION, 2);
	nla_nest_end(msg, nest);
	nla_put_u8(msg, PEERGROUP_A_RECORD_ORIGIN, PEERGROUP_ORIGIN_PEER);
	nla_put_u64(msg, PEERGROUP_A_NEIGHBOUR_ID, 42);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), true);
	CHECK_INT(ev.kind, PG_EVENT_RECORD);
	CHECK_INT(ev.origin, PEERGROUP_ORIGIN_PEER);
	CHECK_INT(ev.neighbour_id, 42);
	CHECK_INT(ev.version, 2);
	CHECK_INT(pg_event_parse(FAMILY + 1, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);

	/* Origin peer without the neighbour: malformed. */
	msg = genl_msg(PEERGROUP_CMD_RECORD_EVENT);
	nla_put_u8(msg, PEERGROUP_A_RECORD_CHANGE, PEERGROUP_CHANGE_ADDED);
	nest = nla_nest_start(msg, PEERGROUP_A_RECORD);
	nla_put(msg, PEERGROUP_RECORD_A_ID, PG_GUID_LEN, id);
	nla_put(msg, PEERGROUP_RECORD_A_TYPE, PG_GUID_LEN, type);
	nla_nest_end(msg, nest);
	nla_put_u8(msg, PEERGROUP_A_RECORD_ORIGIN, PEERGROUP_ORIGIN_PEER);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);

	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_EVENT);
	nla_put_u8(msg, PEERGROUP_A_NEIGHBOUR_EVENT,
		   PEERGROUP_NEIGHBOUR_EVENT_FAILED);
	put_neighbour(msg, v4, 4, ECONNREFUSED);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), true);
	CHECK_INT(ev.kind, PG_EVENT_NEIGHBOUR);
	CHECK_STR(ev.group, "office");
	CHECK_INT(ev.neighbour_event, PEERGROUP_NEIGHBOUR_EVENT_FAILED);
	CHECK_INT(ev.neighbour.id, 7);
	CHECK_INT(ev.neighbour.reason, PEERGROUP_REASON_CONNECT);
	CHECK_INT(ev.neighbour.error, ECONNREFUSED);
	nlmsg_free(msg);

	/* Without its event kind, or without the neighbour. */
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_EVENT);
	put_neighbour(msg, v4, 4, 0);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);
	msg = genl_msg(PEERGROUP_CMD_NEIGHBOUR_EVENT);
	nla_put_u8(msg, PEERGROUP_A_NEIGHBOUR_EVENT,
		   PEERGROUP_NEIGHBOUR_EVENT_SYNCED);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);
}

/* What print (a print_* call on f) wrote, in a static buffer. */
#define OUTPUT(print) ({					\
	static char out_[2048];					\
	FILE *f = fmemopen(out_, sizeof(out_), "w");		\
								\
	print;							\
	fclose(f);						\
	(const char *)out_;					\
})

static void test_output(void)
{
	struct pg_neighbour n = {
		.id = 7, .addr = { .family = AF_INET, .bytes = { 192, 0, 2, 9 } },
		.port = 3587, .direction = PEERGROUP_DIRECTION_OUT,
		.state = PEERGROUP_NEIGHBOUR_BACKOFF, .identity = "b\"ob",
		.reason = PEERGROUP_REASON_CONNECT, .error = ECONNREFUSED,
		.since_ns = 1700000000123456789ULL, .frames_tx = 11,
		.frames_rx = 12, .bytes_tx = 1300, .bytes_rx = 1400,
		.records_tx = 5, .records_rx = 6, .refused = 1, .queue = 64,
		.connects = 3, .lag_ms = 250,
		.refused_why = "record id: not bound to the record's creator",
		.refused_error = EINVAL,
	};
	struct pg_listener l[2] = {
		{ .addr = { .family = AF_INET6 }, .port = 3587 },
		{ .addr = { .family = AF_INET, .bytes = { 127, 0, 0, 1 } },
		  .port = 4000, .accepted = 7, .ratelimited = 120, .busy = 3 },
	};
	struct pg_event ev = {
		.kind = PG_EVENT_NEIGHBOUR, .group = "office",
		.neighbour_event = PEERGROUP_NEIGHBOUR_EVENT_FAILED,
	};

	CHECK_STR(OUTPUT(print_neighbour(f, &n, true)),
		  "{\"id\":7,\"address\":\"192.0.2.9\",\"port\":3587,\"direction\":\"out\","
		  "\"state\":\"backoff\",\"identity\":\"b\\\"ob\",\"reason\":\"connect\","
		  "\"errno\":111,\"errno_name\":\"ECONNREFUSED\","
		  "\"since\":\"2023-11-14T22:13:20.123456789Z\",\"since_ns\":1700000000123456789,"
		  "\"frames_tx\":11,\"frames_rx\":12,\"bytes_tx\":1300,\"bytes_rx\":1400,"
		  "\"records_tx\":5,\"records_rx\":6,\"refused\":1,\"queue\":64,\"connects\":3,\"lag_ms\":250,"
		  "\"refused_why\":\"record id: not bound to the record's creator\","
		  "\"refused_errno\":\"EINVAL\"}\n");
	CHECK_STR(OUTPUT(print_neighbour(f, &n, false)),
		  "neighbour 7\n"
		  "\taddress 192.0.2.9 port 3587\n"
		  "\tdirection out\n"
		  "\tstate backoff\n"
		  "\tsince 2023-11-14T22:13:20.123456789Z\n"
		  "\tidentity b\"ob\n"
		  "\treason connect errno ECONNREFUSED\n"
		  "\tframes tx 11 rx 12\n"
		  "\tbytes tx 1300 rx 1400\n"
		  "\trecords tx 5 rx 6 refused 1\n"
		  "\tqueue 64 lag 250 ms\n"
		  "\tconnects 3\n"
		  "\tlast refused record id: not bound to the record's creator errno EINVAL\n");
	CHECK_STR(OUTPUT(print_neighbours(f, NULL, 0, true)), "[]\n");
	CHECK_STR(OUTPUT(print_neighbours(f, NULL, 0, false)), "");

	ev.neighbour = n;
	CHECK_STR(OUTPUT(print_event(f, &ev, false)),
		  "group office neighbour 7 failed 192.0.2.9 port 3587 direction out"
		  " identity b\"ob reason connect errno ECONNREFUSED\n");
	CHECK_STR(OUTPUT(print_event(f, &ev, true)),
		  "{\"group\":\"office\",\"event\":\"neighbour\",\"neighbour_event\":\"failed\","
		  "\"neighbour\":{\"id\":7,\"address\":\"192.0.2.9\",\"port\":3587,"
		  "\"direction\":\"out\",\"state\":\"backoff\",\"identity\":\"b\\\"ob\","
		  "\"reason\":\"connect\",\"errno\":111,\"errno_name\":\"ECONNREFUSED\","
		  "\"since\":\"2023-11-14T22:13:20.123456789Z\",\"since_ns\":1700000000123456789,"
		  "\"frames_tx\":11,\"frames_rx\":12,\"bytes_tx\":1300,\"bytes_rx\":1400,"
		  "\"records_tx\":5,\"records_rx\":6,\"refused\":1,\"queue\":64,\"connects\":3,\"lag_ms\":250,"
		  "\"refused_why\":\"record id: not bound to the record's creator\","
		  "\"refused_errno\":\"EINVAL\"}}\n");

	/* Connected: no reason; an accepted peer, values a newer kernel has. */
	ev.neighbour_event = PEERGROUP_NEIGHBOUR_EVENT_CONNECTED;
	ev.neighbour.identity[0] = '\0';
	ev.neighbour.direction = PEERGROUP_DIRECTION_IN;
	CHECK_STR(OUTPUT(print_event(f, &ev, false)),
		  "group office neighbour 7 connected 192.0.2.9 port 3587 direction in\n");
	ev.neighbour.state = 77;
	ev.neighbour.reason = PEERGROUP_REASON_MAX + 1;
	ev.neighbour.error = 0;
	ev.neighbour.refused_why[0] = '\0';
	CHECK_STR(OUTPUT(print_neighbour(f, &ev.neighbour, false)),
		  "neighbour 7\n"
		  "\taddress 192.0.2.9 port 3587\n"
		  "\tdirection in\n"
		  "\tstate unknown\n"
		  "\tsince 2023-11-14T22:13:20.123456789Z\n"
		  "\tidentity -\n"
		  "\treason unknown\n"
		  "\tframes tx 11 rx 12\n"
		  "\tbytes tx 1300 rx 1400\n"
		  "\trecords tx 5 rx 6 refused 1\n"
		  "\tqueue 64 lag 250 ms\n"
		  "\tconnects 3\n");

	/* Records from a neighbour say which one. */
	memset(&ev, 0, sizeof(ev));
	ev.kind = PG_EVENT_RECORD;
	strcpy(ev.group, "office");
	ev.change = PEERGROUP_CHANGE_UPDATED;
	ev.version = 2;
	ev.origin = PEERGROUP_ORIGIN_PEER;
	ev.neighbour_id = 42;
	CHECK_STR(OUTPUT(print_event(f, &ev, false)),
		  "group office record updated 00000000-0000-0000-0000-000000000000"
		  " type 00000000-0000-0000-0000-000000000000 version 2 origin peer 42\n");
	CHECK_STR(OUTPUT(print_event(f, &ev, true)),
		  "{\"group\":\"office\",\"event\":\"record\",\"change\":\"updated\","
		  "\"id\":\"00000000-0000-0000-0000-000000000000\","
		  "\"type\":\"00000000-0000-0000-0000-000000000000\",\"version\":2,"
		  "\"origin\":\"peer\",\"neighbour_id\":42}\n");
	ev.origin = PEERGROUP_ORIGIN_LOCAL;
	CHECK_STR(OUTPUT(print_event(f, &ev, false)),
		  "group office record updated 00000000-0000-0000-0000-000000000000"
		  " type 00000000-0000-0000-0000-000000000000 version 2 origin local\n");

	CHECK_STR(OUTPUT(print_listeners(f, l, 2, false)),
		  "listen :: port 3587 accepted 0 ratelimited 0 busy 0\n"
		  "listen 127.0.0.1 port 4000 accepted 7 ratelimited 120 busy 3\n");
	CHECK_STR(OUTPUT(print_listeners(f, l, 2, true)),
		  "[{\"address\":\"::\",\"port\":3587,\"accepted\":0,\"ratelimited\":0,\"busy\":0},"
		  "{\"address\":\"127.0.0.1\",\"port\":4000,\"accepted\":7,\"ratelimited\":120,"
		  "\"busy\":3}]\n");
	CHECK_STR(OUTPUT(print_listeners(f, NULL, 0, true)), "[]\n");
}

/* A member event of bob (fingerprint 0x5b...), fp_len bytes of it. */
static struct nl_msg *member_msg(int fp_len)
{
	struct nl_msg *msg = genl_msg(PEERGROUP_CMD_MEMBER_EVENT);
	uint8_t fp[PEERGROUP_FINGERPRINT_LEN + 1];
	struct nlattr *nest;

	memset(fp, 0x5b, sizeof(fp));
	nla_put_u8(msg, PEERGROUP_A_MEMBER_EVENT, PEERGROUP_MEMBER_EVENT_JOINED);
	nest = nla_nest_start(msg, PEERGROUP_A_MEMBER);
	nla_put_string(msg, PEERGROUP_MEMBER_A_IDENTITY, "bob");
	nla_put_string(msg, PEERGROUP_MEMBER_A_ISSUER, "alice");
	nla_put_u8(msg, PEERGROUP_MEMBER_A_ROLE, PEERGROUP_ROLE_MEMBER);
	nla_put_u64(msg, PEERGROUP_MEMBER_A_NOT_BEFORE, 1700000000000000000ULL);
	nla_put_u64(msg, PEERGROUP_MEMBER_A_NOT_AFTER, 1700604800000000000ULL);
	if (fp_len)
		nla_put(msg, PEERGROUP_MEMBER_A_FINGERPRINT, fp_len, fp);
	nla_put_flag(msg, PEERGROUP_MEMBER_A_OWN);
	nla_nest_end(msg, nest);
	return msg;
}

static void test_member(void)
{
	static const char fp[] =
		"5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b5b";
	static const char json[] =
		"{\"identity\":\"bob\",\"issuer\":\"alice\",\"role\":\"member\","
		"\"not_before\":\"2023-11-14T22:13:20.000000000Z\","
		"\"not_before_ns\":1700000000000000000,"
		"\"not_after\":\"2023-11-21T22:13:20.000000000Z\","
		"\"not_after_ns\":1700604800000000000,\"fingerprint\":\"%s\","
		"\"revoked\":false,\"own\":true}";
	char want[1024], one[512];
	struct nl_msg *msg;
	struct pg_event ev;

	msg = member_msg(PEERGROUP_FINGERPRINT_LEN);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), true);
	nlmsg_free(msg);
	CHECK_INT(ev.kind, PG_EVENT_MEMBER);
	CHECK_STR(ev.group, "office");
	CHECK_INT(ev.member_event, PEERGROUP_MEMBER_EVENT_JOINED);
	CHECK_STR(ev.member.identity, "bob");
	CHECK_STR(ev.member.issuer, "alice");
	CHECK_INT(ev.member.role, PEERGROUP_ROLE_MEMBER);
	CHECK_INT(ev.member.own, true);
	CHECK_INT(ev.member.revoked, false);
	CHECK_INT(ev.member.fingerprint[31], 0x5b);
	CHECK_STR(pg_member_event_name(PEERGROUP_MEMBER_EVENT_JOINED), "joined");

	/* A fingerprint missing, or not 32 bytes: malformed. */
	msg = member_msg(0);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);
	msg = member_msg(PEERGROUP_FINGERPRINT_LEN + 1);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), false);
	nlmsg_free(msg);

	msg = member_msg(PEERGROUP_FINGERPRINT_LEN);
	CHECK_INT(pg_event_parse(FAMILY, nlmsg_hdr(msg), &ev), true);
	nlmsg_free(msg);
	snprintf(one, sizeof(one), json, fp);
	snprintf(want, sizeof(want), "[%s]\n", one);
	CHECK_STR(OUTPUT(print_members(f, &ev.member, 1, true)), want);
	snprintf(want, sizeof(want),
		 "member bob\n\trole member\n\tissuer alice\n"
		 "\tnot-before 2023-11-14T22:13:20.000000000Z\n"
		 "\tnot-after 2023-11-21T22:13:20.000000000Z\n"
		 "\tfingerprint %s\n\trevoked no\n\town yes\n", fp);
	CHECK_STR(OUTPUT(print_members(f, &ev.member, 1, false)), want);
	snprintf(want, sizeof(want),
		 "group office member joined bob role member issuer alice fingerprint %s\n",
		 fp);
	CHECK_STR(OUTPUT(print_event(f, &ev, false)), want);
	snprintf(want, sizeof(want),
		 "{\"group\":\"office\",\"event\":\"member\",\"member_event\":\"joined\","
		 "\"member\":%s}\n", one);
	CHECK_STR(OUTPUT(print_event(f, &ev, true)), want);
}

void test_replication(void)
{
	test_addr();
	test_endpoint();
	test_names();
	test_neighbour_parse();
	test_events();
	test_output();
	test_member();
}
