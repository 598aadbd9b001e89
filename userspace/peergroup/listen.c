// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup listen add|del|show: the TCP listeners of the network
 * namespace, where peers connect to replicate its groups.
 *
 * JSON (-j): "show" prints an array (possibly []); "add" and "del" print
 * nothing.
 */
#include <stdlib.h>
#include "args.h"
#include "output.h"
#include "peergroup.h"

void listen_usage(FILE *f)
{
	fprintf(f,
		"Usage: peergroup listen add [ADDR] [port P]\n"
		"       peergroup listen { del | delete } [ADDR] [port P]\n"
		"       peergroup [-j] listen [{ show | list | ls }]\n"
		"       peergroup listen help\n"
		"\n"
		"  add   open a TCP listener of this network namespace on ADDR (default\n"
		"        ::, the IPv6 wildcard, which takes IPv4 as well) and port P\n"
		"        (default %d); one listener serves every group of the namespace,\n"
		"        at most %d of them\n"
		"  del   close the listener on ADDR and port P (same defaults); the\n"
		"        connections it accepted stay up\n"
		"  show  print the listeners (the default command)\n"
		"\n"
		"ADDR is an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1); P is 1 to 65535.\n"
		"With -j, \"show\" prints an array of {\"address\",\"port\"}.\n",
		PEERGROUP_DEFAULT_PORT, PEERGROUP_LISTENERS_MAX);
}

/* "[ADDR] [port P]" of add and del, then the handle opened. */
static int endpoint_and_open(struct tool *t, const char *where, int argc,
			     char **argv, struct endpoint *e)
{
	char msg[256];

	if (parse_endpoint(argc, argv, false, e, msg, sizeof(msg)))
		return usage_error(where, "%s", msg);
	return tool_open(t);
}

static int listen_add(struct tool *t, int argc, char **argv)
{
	struct endpoint e;
	int ret;

	ret = endpoint_and_open(t, "listen add", argc, argv, &e);
	if (ret)
		return ret;
	ret = pg_listen_add(t->h, &e.addr, e.port);
	if (ret)
		return tool_failed(t, ret, "listen add");
	return EXIT_OK;
}

static int listen_del(struct tool *t, int argc, char **argv)
{
	struct endpoint e;
	int ret;

	ret = endpoint_and_open(t, "listen del", argc, argv, &e);
	if (ret)
		return ret;
	ret = pg_listen_delete(t->h, &e.addr, e.port);
	if (ret)
		return tool_failed(t, ret, "listen del");
	return EXIT_OK;
}

static int listen_show(struct tool *t, int argc, char **argv)
{
	struct pg_listener *v;
	size_t n;
	int ret;

	if (argc)
		return usage_error("listen show", "unknown argument \"%s\" (expected nothing)",
				   argv[0]);
	ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_listen_enum(t->h, &v, &n);
	if (ret)
		return tool_failed(t, ret, "listen show");
	print_listeners(stdout, v, n, t->json);
	free(v);
	return EXIT_OK;
}

static const struct command listen_commands[] = {
	{ "add", listen_add, false },
	{ "del", listen_del, false },
	{ "delete", listen_del, true },
	{ "show", listen_show, false },
	{ "list", listen_show, true },
	{ "ls", listen_show, true },
	{ "help", NULL, false },
	{ NULL, NULL, false },
};

int listen_run(struct tool *t, int argc, char **argv)
{
	if (!argc)
		return listen_show(t, argc, argv);
	return dispatch(t, listen_commands, "listen", "command", listen_usage,
			argc, argv);
}
