// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup: the command-line tool over libpeergroup. Global options, the
 * object dispatch, and how failures are reported.
 *
 *   peergroup [-j|--json] [-h|--help] [-V|--version] OBJECT COMMAND [ARGS...]
 *
 * Exit codes: 0 success; 1 the operation failed (a kernel or library error,
 * explained on stderr); 2 usage error (explained on stderr, naming the bad
 * argument). With -j results are JSON on stdout; errors are still text on
 * stderr, and a failed command prints nothing on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "peergroup.h"

#define PEERGROUP_TOOL_VERSION "0.1"

static void usage(FILE *f)
{
	fputs("Usage: peergroup [OPTIONS] OBJECT COMMAND [ARGS...]\n"
	      "       peergroup help\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json     print results as JSON on stdout\n"
	      "  -h, --help     print this help and exit\n"
	      "  -V, --version  print the version and exit\n"
	      "\n"
	      "Objects:\n"
	      "  group          groups of peers: add, del, show, set, status, time\n"
	      "  record         records of a group: add, load, update, del, get, list,\n"
	      "                 search\n"
	      "  listen         TCP listeners of this network namespace: add, del, show\n"
	      "  neighbour      peers a group replicates with: add, del, show\n"
	      "                 (also \"neighbor\")\n"
	      "  member         members of a certificate group: list, revoke, invite\n"
	      "  monitor        print events as they happen\n"
	      "  export         write a group's records to a file\n"
	      "  import         read them back\n"
	      "  (\"peergroup OBJECT help\" explains each)\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success\n"
	      "  1  the operation failed (kernel or library error, explained on stderr)\n"
	      "  2  usage error (explained on stderr)\n"
	      "\n"
	      "Errors read \"peergroup: WHAT: MESSAGE (ERRNO, WINDOWS_NAME)\", the Windows\n"
	      "name being the HRESULT a user of the Peer Grouping API (p2p.h) knows.\n",
	      f);
}

static const struct command objects[] = {
	{ "group", group_run, false },
	{ "record", record_run, false },
	{ "listen", listen_run, false },
	{ "neighbour", neighbour_run, false },
	{ "neighbor", neighbour_run, true },
	{ "member", member_run, false },
	{ "monitor", monitor_run, false },
	{ "export", export_run, false },
	{ "import", import_run, false },
	{ "help", NULL, true },
	{ NULL, NULL, false },
};

const char *keyword_value(const char *where, const char *what, int argc,
			  char **argv, int *i)
{
	if (*i + 1 >= argc) {
		usage_error(where, "missing %s after \"%s\"", what, argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int tool_read(const char *where, const char *arg, const char *file,
	      size_t max, const char *bound, char **buf, size_t *len)
{
	int err = read_input(file, max, buf, len);

	if (err) {
		fprintf(stderr, "peergroup: %s: %s %s: %s\n", where, arg, file,
			strerror(-err));
		return EXIT_FAILED;
	}
	if (!bound || *len <= max)
		return EXIT_OK;
	free(*buf);
	*buf = NULL;
	*len = 0;
	return usage_error(where, "%s %s: more than %zu bytes, %s (EMSGSIZE)",
			   arg, file, max, bound);
}

int usage_error(const char *where, const char *fmt, ...)
{
	va_list ap;

	fputs("peergroup: ", stderr);
	if (where)
		fprintf(stderr, "%s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int dispatch(struct tool *t, const struct command *cmds, const char *where,
	     const char *noun, void (*help)(FILE *f), int argc, char **argv)
{
	char expected[256] = "";
	const struct command *c;
	size_t n = 0;

	for (c = cmds; c->name; c++) {
		if (strcmp(c->name, argv[0]))
			continue;
		if (!c->run) {
			help(stdout);
			return EXIT_OK;
		}
		return c->run(t, argc - 1, argv + 1);
	}
	for (c = cmds; c->name && n < sizeof(expected); c++)
		if (!c->hidden)
			n += snprintf(expected + n, sizeof(expected) - n, "%s%s",
				      n ? ", " : "", c->name);
	return usage_error(where, "unknown %s \"%s\" (expected: %s)", noun,
			   argv[0], expected);
}

int tool_open(struct tool *t)
{
	int err = pg_open(&t->h);

	if (!err)
		return EXIT_OK;
	fprintf(stderr, "peergroup: %s\n",
		*pg_errmsg(t->h) ? pg_errmsg(t->h) : strerror(-err));
	return EXIT_FAILED;
}

int group_only(struct tool *t, const char *where, int argc, char **argv)
{
	if (!argc)
		return usage_error(where, "missing group name");
	if (argc > 1)
		return usage_error(where, "unknown argument \"%s\" (expected nothing after the group name)",
				   argv[1]);
	return tool_open(t);
}

/* " [group name: at most 64 characters]" when the kernel blamed a field. */
/*
 * Names the field the kernel blamed, with the limits its policy gave, unless
 * the message already begins with that field's name and carries no limits.
 */
static void print_field(const struct pg_handle *h, const char *msg)
{
	const char *field = pg_attr_name(pg_errattr(h));
	uint32_t min = pg_errminlen(h), max = pg_errmaxlen(h);

	if (!field)
		return;
	if (!min && !max && !strncmp(msg, field, strlen(field)))
		return;
	fprintf(stderr, " [%s", field);
	if (min && max)
		fprintf(stderr, ": %u to %u characters", min, max);
	else if (max)
		fprintf(stderr, ": at most %u characters", max);
	else if (min)
		fprintf(stderr, ": at least %u characters", min);
	fputc(']', stderr);
}

int tool_failed(struct tool *t, int err, const char *fmt, ...)
{
	const char *msg = pg_errmsg(t->h), *name = pg_errno_name(err);
	va_list ap;

	fputs("peergroup: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (*msg)
		fprintf(stderr, ": %s", msg);
	else if (err == -EPERM)
		/* The generic netlink core refuses these without a message. */
		fputs(": not permitted: this needs CAP_NET_ADMIN in this network namespace",
		      stderr);
	else
		fprintf(stderr, ": %s", strerror(-err));
	print_field(t->h, msg);
	if (name)
		fprintf(stderr, " (%s, ", name);
	else
		fprintf(stderr, " (errno %d, ", -err);
	fprintf(stderr, "%s)\n", pg_last_windows_error(t->h, err));
	if (err == -EAGAIN && t->group) {
		struct pg_group_status s;
		char why[512] = "";

		/* EAGAIN has other causes (a record a provider defers). */
		if (!pg_group_status(t->h, t->group, &s) &&
		    !(s.status & PEERGROUP_STATUS_SYNCHRONIZED))
			why_not_ready(t, t->group, why, sizeof(why));
		if (*why)
			fprintf(stderr, "peergroup: %s is not ready: %s\n", t->group, why);
	}
	return EXIT_FAILED;
}

static int bad_option(char **argv)
{
	const char *arg = argv[optind - 1];

	if (optopt && arg[1] != '-')
		return usage_error(NULL, "unknown option \"-%c\" (expected: -j, -h, -V)",
				   optopt);
	return usage_error(NULL, "unknown option \"%s\" (expected: --json, --help, --version)",
			   arg);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tool t = { .json = false, .h = NULL };
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+jhV", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			t.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("peergroup %s (generic netlink family \"%s\" version %d)\n",
			       PEERGROUP_TOOL_VERSION, PEERGROUP_GENL_NAME,
			       PEERGROUP_GENL_VERSION);
			return EXIT_OK;
		default:
			return bad_option(argv);
		}
	}
	if (optind == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}

	ret = dispatch(&t, objects, NULL, "object", usage, argc - optind,
		       argv + optind);
	pg_close(t.h);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "peergroup: cannot write the output: %s\n",
			strerror(errno));
		if (ret == EXIT_OK)
			ret = EXIT_FAILED;
	}
	return ret;
}
