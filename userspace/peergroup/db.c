// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup export|import GROUP FILE: a group's database to and from a file
 * (the format is described in lib/export.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "peergroup.h"

void db_usage(FILE *f)
{
	fputs("Usage: peergroup [-j] export GROUP { FILE | - }\n"
	      "       peergroup [-j] import GROUP { FILE | - }\n"
	      "\n"
	      "  export  write every record of GROUP, tombstones and security data\n"
	      "          included, to FILE (- for stdout); print how many\n"
	      "  import  read such a file (- for stdin) back into GROUP, which must be\n"
	      "          the same group (same group id) and not yet connected; every\n"
	      "          record is validated like one received from a peer. Records\n"
	      "          are sent many at a time (a window of 64): import stops at the\n"
	      "          first refusal, naming the record's position, but records after\n"
	      "          it already sent may have been imported; the count printed on\n"
	      "          failure is the number imported, those included\n"
	      "\n"
	      "The records keep their security data. A group created without a\n"
	      "password has a random key that exists in it alone: its export imports\n"
	      "only into this same group, until the group is deleted or the module\n"
	      "unloaded, and export warns of it on stderr. A password group's export\n"
	      "imports into the group of the same id and password anywhere.\n"
	      "\n"
	      "The count prints as \"N records exported|imported\", or with -j as\n"
	      "{\"records\":N} (export: {\"records\":N,\"restorable\":false} for a\n"
	      "random key, true otherwise), on stdout (on stderr when the file is\n"
	      "stdout).\n",
	      f);
}

int group_and_file(const char *where, int argc, char **argv,
		   void (*help)(FILE *f))
{
	if (argc && !strcmp(argv[0], "help")) {
		help(stdout);
		return -1;
	}
	if (!argc)
		return usage_error(where, "missing group name");
	if (argc < 2)
		return usage_error(where, "missing FILE (or - for %s)",
				   strcmp(where, "export") ? "stdin" : "stdout");
	if (argc > 2)
		return usage_error(where, "unknown argument \"%s\" (expected nothing after FILE)",
				   argv[2]);
	return EXIT_OK;
}

void print_count(struct tool *t, const char *what, size_t n, bool to_stdout)
{
	FILE *f = to_stdout ? stdout : stderr;

	if (t->json)
		fprintf(f, "{\"records\":%zu}\n", n);
	else
		fprintf(f, "%zu records %s\n", n, what);
}

/* Opens FILE or "-" (std_fd) with flags; prints why not. */
static int open_file(const char *where, const char *path, int flags,
		     int std_fd, int *fd)
{
	*fd = strcmp(path, "-") ? open(path, flags | O_CLOEXEC, 0600) : std_fd;
	if (*fd >= 0)
		return EXIT_OK;
	fprintf(stderr, "peergroup: %s: %s: %s\n", where, path, strerror(errno));
	return EXIT_FAILED;
}

static int close_file(const char *where, const char *path, int fd, int std_fd)
{
	if (fd == std_fd || !close(fd))
		return EXIT_OK;
	fprintf(stderr, "peergroup: %s: %s: %s\n", where, path, strerror(errno));
	return EXIT_FAILED;
}

/*
 * Whether the export of GROUP can be restored once the group is gone: not
 * when its key is random. Said at once, before anything is written.
 */
static int check_restorable(struct tool *t, const char *group,
			    bool *restorable)
{
	struct pg_group_info g;
	int ret;

	ret = pg_group_get(t->h, group, &g);
	if (ret)
		return tool_failed(t, ret, "export %s", group);
	*restorable = !g.key_random;
	if (g.key_random)
		fprintf(stderr, "peergroup: export %s: warning: the group's key is random (it was created without a password), so this export imports only into this same group while its key lives, not once the group is deleted or the module unloaded; a group created with a password can be restored anywhere from its export\n",
			group);
	return EXIT_OK;
}

static int transfer(struct tool *t, int argc, char **argv, bool is_export)
{
	const char *where = is_export ? "export" : "import";
	int std_fd = is_export ? STDOUT_FILENO : STDIN_FILENO;
	int flags = is_export ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
	bool restorable = true;
	size_t n = 0;
	int ret, fd;

	ret = group_and_file(where, argc, argv, db_usage);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	t->group = argv[0];
	ret = tool_open(t);
	if (!ret && is_export)
		ret = check_restorable(t, argv[0], &restorable);
	if (!ret)
		ret = open_file(where, argv[1], flags, std_fd, &fd);
	if (ret)
		return ret;
	if (is_export)
		fflush(stdout);
	ret = is_export ? pg_export(t->h, argv[0], fd, &n) :
			  pg_import(t->h, argv[0], fd, &n);
	if (ret) {
		close_file(where, argv[1], fd, std_fd);
		if (!is_export && n)
			fprintf(stderr, "peergroup: import %s: %zu records imported (records after the refused one already sent may be among them)\n",
				argv[0], n);
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	}
	ret = close_file(where, argv[1], fd, std_fd);
	if (ret)
		return ret;
	if (is_export && t->json)
		fprintf(fd != STDOUT_FILENO ? stdout : stderr,
			"{\"records\":%zu,\"restorable\":%s}\n", n,
			restorable ? "true" : "false");
	else
		print_count(t, is_export ? "exported" : "imported", n,
			    !is_export || fd != STDOUT_FILENO);
	return EXIT_OK;
}

int export_run(struct tool *t, int argc, char **argv)
{
	return transfer(t, argc, argv, true);
}

int import_run(struct tool *t, int argc, char **argv)
{
	return transfer(t, argc, argv, false);
}
