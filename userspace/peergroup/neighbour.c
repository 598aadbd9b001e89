// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup neighbour add|del|show (or neighbor): the peers a group
 * replicates with, those it connects to and those a listener accepted.
 *
 * JSON (-j): "add" prints the new neighbour as one object, "show" an
 * array of them (possibly []); "del" prints nothing.
 */
#include <stdlib.h>
#include "args.h"
#include "output.h"
#include "peergroup.h"

void neighbour_usage(FILE *f)
{
	fprintf(f,
		"Usage: peergroup [-j] neighbour add GROUP ADDR [port P]\n"
		"       peergroup neighbour { del | delete } GROUP { ADDR [port P] | id N }\n"
		"       peergroup [-j] neighbour { show | list | ls } GROUP\n"
		"       peergroup neighbour help\n"
		"(\"neighbor\" is the same object.)\n"
		"\n"
		"  add   connect group GROUP to the peer at ADDR and port P (default %d)\n"
		"        and keep the connection up: after a failure the module connects\n"
		"        again, backing off from 0.5 s doubling to 30 s; at most %d per\n"
		"        group; then print the neighbour\n"
		"  del   forget a neighbour, one added (ADDR [port P]) or any by its id\n"
		"        (id N, as show prints it, an accepted connection too), and close\n"
		"        its connection\n"
		"  show  print the group's neighbours, added and accepted: address and\n"
		"        port, direction (out: added here; in: accepted), state, since\n"
		"        when, the peer's proved identity, the last reason a connection\n"
		"        ended with, and the counters (needs CAP_NET_ADMIN); an accepted\n"
		"        connection is listed once its handshake is over, and once it\n"
		"        has ended stays, closed, among the group's last 8 so kept\n"
		"\n"
		"ADDR is an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1); P is 1 to 65535.\n"
		"States: backoff, connecting, handshake, syncing, established, closed.\n"
		"Reasons: none, closed, connect, version, unknown-group, auth, kdf, timeout,\n"
		"protocol, overflow, deleted, limit, self, error (connect and error come\n"
		"with an errno).\n"
		"\n"
		"With -j, \"add\" prints one JSON object, \"show\" an array of them:\n"
		"  {\"id\",\"address\",\"port\",\"direction\",\"state\",\"identity\",\"reason\",\n"
		"   \"errno\",\"errno_name\",\"since\",\"since_ns\",\"frames_tx\",\"frames_rx\",\n"
		"   \"bytes_tx\",\"bytes_rx\",\"records_tx\",\"records_rx\",\"refused\",\"queue\",\n"
		"   \"connects\",\"lag_ms\",\"refused_why\",\"refused_errno\"}: the last two say\n"
		"why the last record refused was (null if none was).\n",
		PEERGROUP_DEFAULT_PORT, PEERGROUP_NEIGHBOURS_MAX);
}

/*
 * "GROUP" then the neighbour's "ADDR [port P]" (or, with allow_id,
 * "id N"), then the handle opened.
 */
static int args_and_open(struct tool *t, const char *where, int argc,
			 char **argv, bool allow_id, struct endpoint *e)
{
	char msg[256];

	if (!argc)
		return usage_error(where, "missing group name");
	if (parse_endpoint(argc - 1, argv + 1, allow_id, e, msg, sizeof(msg)))
		return usage_error(where, "%s", msg);
	if (e->addr.family == AF_UNSPEC && !e->has_id)
		return usage_error(where, allow_id ?
				   "missing neighbour (expected: ADDR [port P] or id N)" :
				   "missing address (expected: ADDR [port P])");
	return tool_open(t);
}

static int neighbour_add(struct tool *t, int argc, char **argv)
{
	const char *where = "neighbour add";
	struct pg_neighbour n;
	struct endpoint e;
	int ret;

	ret = args_and_open(t, where, argc, argv, false, &e);
	if (ret)
		return ret;
	ret = pg_neighbour_add(t->h, argv[0], &e.addr, e.port, &n);
	if (ret)
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	print_neighbour(stdout, &n, t->json);
	return EXIT_OK;
}

static int neighbour_del(struct tool *t, int argc, char **argv)
{
	const char *where = "neighbour del";
	struct endpoint e;
	int ret;

	ret = args_and_open(t, where, argc, argv, true, &e);
	if (ret)
		return ret;
	if (e.has_id)
		ret = pg_neighbour_delete_id(t->h, argv[0], e.id);
	else
		ret = pg_neighbour_delete(t->h, argv[0], &e.addr, e.port);
	if (ret)
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	return EXIT_OK;
}

static int neighbour_show(struct tool *t, int argc, char **argv)
{
	const char *where = "neighbour show";
	struct pg_neighbour *v;
	size_t n;
	int ret;

	ret = group_only(t, where, argc, argv);
	if (ret)
		return ret;
	ret = pg_neighbour_enum(t->h, argv[0], &v, &n);
	if (ret)
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	print_neighbours(stdout, v, n, t->json);
	free(v);
	return EXIT_OK;
}

static const struct command neighbour_commands[] = {
	{ "add", neighbour_add, false },
	{ "del", neighbour_del, false },
	{ "delete", neighbour_del, true },
	{ "show", neighbour_show, false },
	{ "list", neighbour_show, true },
	{ "ls", neighbour_show, true },
	{ "help", NULL, false },
	{ NULL, NULL, false },
};

/* What a connection that ended with @reason came to, in words. */
static const char *reason_words(unsigned int reason)
{
	switch (reason) {
	case PEERGROUP_REASON_CLOSED: return "was closed by the peer";
	case PEERGROUP_REASON_CONNECT: return "could not be made";
	case PEERGROUP_REASON_VERSION: return "was refused: another protocol version";
	case PEERGROUP_REASON_UNKNOWN_GROUP: return "was refused: the peer has no such group";
	case PEERGROUP_REASON_AUTH: return "was refused: wrong password";
	case PEERGROUP_REASON_TIMEOUT: return "timed out in the handshake";
	case PEERGROUP_REASON_PROTOCOL: return "broke the protocol";
	case PEERGROUP_REASON_LIMIT: return "was refused: a limit was reached";
	case PEERGROUP_REASON_SELF: return "reached this very node";
	case PEERGROUP_REASON_KDF:
		return "failed: the peer's group derives its key with other Argon2id parameters; give the creator's kdf-time, kdf-memory and kdf-lanes";
	}
	return "failed";
}

void why_not_ready(struct tool *t, const char *group, char *out, size_t len)
{
	const struct pg_neighbour *last = NULL, *up = NULL;
	char addr[PG_ADDR_STR_LEN];
	struct pg_neighbour *v;
	size_t n, i;

	*out = 0;
	if (pg_neighbour_enum(t->h, group, &v, &n))
		return;
	for (i = 0; i < n; i++) {
		if (v[i].state == PEERGROUP_NEIGHBOUR_SYNCING)
			up = &v[i];
		if (v[i].reason != PEERGROUP_REASON_NONE &&
		    (!last || v[i].since_ns > last->since_ns))
			last = &v[i];
	}
	if (up) {
		/* Proved, tables not yet converged: whatever failed before. */
		pg_addr_format(&up->addr, addr);
		snprintf(out, len, "connected to %s port %u (%s), not synchronized yet",
			 addr, up->port, up->identity);
	} else if (last) {
		/* An errno tells more with these two only (the uapi's ERRNO). */
		bool err = last->error &&
			   (last->reason == PEERGROUP_REASON_CONNECT ||
			    last->reason == PEERGROUP_REASON_ERROR);

		pg_addr_format(&last->addr, addr);
		snprintf(out, len, "the last connection, to %s port %u, %s (%s%s%s)",
			 addr, last->port, reason_words(last->reason),
			 pg_reason_name(last->reason), err ? ": " : "",
			 err ? pg_errno_name(last->error) ?: "errno" : "");
	} else if (!n) {
		snprintf(out, len, "no neighbour: add one (peergroup neighbour add %s ADDR)",
			 group);
	} else {
		snprintf(out, len, "connecting to its neighbours");
	}
	free(v);
}

int neighbour_run(struct tool *t, int argc, char **argv)
{
	if (!argc)
		return usage_error("neighbour", "missing command (expected: add, del, show, help)");
	return dispatch(t, neighbour_commands, "neighbour", "command",
			neighbour_usage, argc, argv);
}
