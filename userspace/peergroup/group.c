// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup group add|del|show: the group object of the tool.
 *
 * JSON (-j): "add" and "show NAME" print one object, "show" without a name
 * prints an array (possibly []); "del" prints nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "peergroup.h"

void group_usage(FILE *f)
{
	fprintf(f,
		"Usage: peergroup [-j] group add NAME identity ID\n"
		"       peergroup group { del | delete } NAME\n"
		"       peergroup [-j] group [{ show | list | ls } [NAME]]\n"
		"       peergroup group help\n"
		"\n"
		"  add   create group NAME with the local identity ID as its creator,\n"
		"        then print it\n"
		"  del   delete group NAME and everything it holds\n"
		"  show  print group NAME, or every group of this network namespace\n"
		"        (the default command)\n"
		"\n"
		"NAME is 1 to %d characters from [A-Za-z0-9._-]; ID is %d to %d printable\n"
		"ASCII characters without space. The kernel checks them.\n"
		"\n"
		"With -j, \"add\" and \"show NAME\" print one JSON object, \"show\" an array:\n"
		"  {\"name\":\"...\",\"id\":\"...\",\"identity\":\"...\",\n"
		"   \"created\":\"<ISO-8601 UTC>\",\"created_ns\":<ns since the epoch>}\n",
		PEERGROUP_GROUP_NAME_MAX, PEERGROUP_IDENTITY_MIN,
		PEERGROUP_IDENTITY_MAX);
}

/*
 * For commands taking "NAME" (or nothing, when !required): *name is NAME or
 * NULL, and the handle is opened.
 */
static int name_and_open(struct tool *t, const char *where, int argc,
			 char **argv, bool required, const char **name)
{
	*name = argc ? argv[0] : NULL;
	if (!argc && required)
		return usage_error(where, "missing group name");
	if (argc > 1)
		return usage_error(where, "unknown argument \"%s\" (expected nothing after the group name)",
				   argv[1]);
	return tool_open(t);
}

static int group_add(struct tool *t, int argc, char **argv)
{
	const char *identity = NULL;
	struct pg_group_info g;
	int i, ret;

	if (!argc)
		return usage_error("group add", "missing group name");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "identity"))
			return usage_error("group add", "unknown argument \"%s\" (expected: identity ID)",
					   argv[i]);
		if (identity)
			return usage_error("group add", "identity given twice");
		if (++i == argc)
			return usage_error("group add", "missing ID after \"identity\"");
		identity = argv[i];
	}
	if (!identity)
		return usage_error("group add", "missing identity (expected: identity ID)");

	ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_group_create(t->h, argv[0], identity, &g);
	if (ret)
		return tool_failed(t, ret, "group add %s", argv[0]);
	print_group(stdout, &g, t->json);
	return EXIT_OK;
}

static int group_del(struct tool *t, int argc, char **argv)
{
	const char *name;
	int ret;

	ret = name_and_open(t, "group del", argc, argv, true, &name);
	if (ret)
		return ret;
	ret = pg_group_delete(t->h, name);
	if (ret)
		return tool_failed(t, ret, "group del %s", name);
	return EXIT_OK;
}

static int group_show(struct tool *t, int argc, char **argv)
{
	struct pg_group_info g, *groups;
	const char *name;
	size_t n;
	int ret;

	ret = name_and_open(t, "group show", argc, argv, false, &name);
	if (ret)
		return ret;
	if (name) {
		ret = pg_group_get(t->h, name, &g);
		if (ret)
			return tool_failed(t, ret, "group show %s", name);
		print_group(stdout, &g, t->json);
		return EXIT_OK;
	}
	ret = pg_group_enum(t->h, &groups, &n);
	if (ret)
		return tool_failed(t, ret, "group show");
	print_groups(stdout, groups, n, t->json);
	free(groups);
	return EXIT_OK;
}

static const struct command group_commands[] = {
	{ "add", group_add, false },
	{ "del", group_del, false },
	{ "delete", group_del, true },
	{ "show", group_show, false },
	{ "list", group_show, true },
	{ "ls", group_show, true },
	{ "help", NULL, false },
	{ NULL, NULL, false },
};

int group_run(struct tool *t, int argc, char **argv)
{
	if (!argc)
		return group_show(t, argc, argv);
	return dispatch(t, group_commands, "group", "command", group_usage,
			argc, argv);
}
