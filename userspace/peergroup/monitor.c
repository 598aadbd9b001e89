// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup monitor [GROUP]: events, one line each, until SIGINT or
 * SIGTERM (then exit 0). The signals are blocked but inside ppoll(), so
 * one that arrives at any moment ends the wait: no race with the check.
 * A GROUP is looked up once subscribed (no event of it is missed after
 * the lookup): an unknown one fails as it does for every other command.
 */
#define _GNU_SOURCE	/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include "output.h"
#include "peergroup.h"

void monitor_usage(FILE *f)
{
	fputs("Usage: peergroup [-j] monitor [GROUP]\n"
	      "       peergroup monitor help\n"
	      "\n"
	      "Prints the events of this network namespace (of GROUP only, if given)\n"
	      "as they happen, one line each, until interrupted (SIGINT or SIGTERM:\n"
	      "exit status 0). A GROUP that does not exist fails at once, as for any\n"
	      "command (ENOENT, exit status 1). The lines:\n"
	      "  group NAME record {added|updated|deleted|expired} ID type UUID version N\n"
	      "        origin {local|import|peer NEIGHBOUR-ID}\n"
	      "  group NAME {status|properties} status FLAGS\n"
	      "  group NAME neighbour ID {connected|disconnected|failed|synced} ADDR\n"
	      "        port P direction {out|in} [identity PEER]\n"
	      "        [reason REASON [errno E]]   (reason: disconnected and failed)\n"
	      "  group NAME member joined IDENTITY role {admin|member} issuer ISSUER\n"
	      "        fingerprint HEX   (a certificate group took a member's certificate)\n"
	      "With -j, one JSON object per line:\n"
	      "  {\"group\",\"event\":\"record\",\"change\",\"id\",\"type\",\"version\",\"origin\"}\n"
	      "        (and \"neighbour_id\" when the origin is \"peer\")\n"
	      "  {\"group\",\"event\":\"status\"|\"properties\",\"status\":[...]}\n"
	      "  {\"group\",\"event\":\"neighbour\",\"neighbour_event\",\"neighbour\":{...}}\n"
	      "        (the neighbour as \"peergroup -j neighbour show\" prints it)\n"
	      "  {\"group\",\"event\":\"member\",\"member_event\",\"member\":{...}}\n"
	      "        (the member as \"peergroup -j member list\" prints it)\n"
	      "Neighbour events tell what \"neighbour show\" does, and need what it needs:\n"
	      "CAP_NET_ADMIN. Without it there are none, as stderr says once.\n"
	      "Lost events (the socket's buffer overflowed) are reported on stderr.\n",
	      f);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Prints every event ready now; 0, or a negative errno other than ENOBUFS. */
static int drain(struct tool *t, struct pg_monitor *m, const char *group)
{
	struct pg_event ev;
	int ret;

	while ((ret = pg_monitor_next(m, &ev, 0)) != 0) {
		if (ret == -ENOBUFS) {
			fputs("peergroup: monitor: events were lost (ENOBUFS): the socket's buffer overflowed\n",
			      stderr);
			continue;
		}
		if (ret < 0)
			return ret;
		if (group && strcmp(group, ev.group))
			continue;
		print_event(stdout, &ev, t->json);
		fflush(stdout);
	}
	return 0;
}

static int watch(struct tool *t, struct pg_monitor *m, const char *group)
{
	struct pollfd pfd = { .fd = pg_monitor_fd(m), .events = POLLIN };
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waiting;
	int ret;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waiting);
	sigdelset(&waiting, SIGINT);
	sigdelset(&waiting, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while (!stop) {
		ret = ppoll(&pfd, 1, NULL, &waiting);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			ret = -errno;
		else
			ret = drain(t, m, group);
		if (ret < 0) {
			fprintf(stderr, "peergroup: monitor: %s\n", strerror(-ret));
			return EXIT_FAILED;
		}
	}
	return EXIT_OK;
}

/* Once, on stderr: no neighbour events without CAP_NET_ADMIN. */
static void say_neighbours(const struct pg_monitor *m)
{
	if (pg_monitor_neighbours(m) == -EPERM)
		fputs("peergroup: monitor: no neighbour events: they need CAP_NET_ADMIN, as \"neighbour show\" does\n",
		      stderr);
}

/* GROUP exists (GROUP_GET), or the failure is printed: EXIT_FAILED. */
static int check_group(struct tool *t, const char *group)
{
	struct pg_group_info g;
	int ret;

	ret = tool_open(t);
	if (!ret && (ret = pg_group_get(t->h, group, &g)))
		ret = tool_failed(t, ret, "monitor %s", group);
	return ret;
}

int monitor_run(struct tool *t, int argc, char **argv)
{
	const char *group = argc ? argv[0] : NULL;
	struct pg_monitor *m;
	int ret;

	if (group && !strcmp(group, "help")) {
		monitor_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_error("monitor", "unknown argument \"%s\" (expected nothing after the group name)",
				   argv[1]);
	ret = pg_monitor_open(&m);
	if (ret) {
		fprintf(stderr, "peergroup: monitor: %s%s\n", strerror(-ret),
			ret == -ENOENT ?
			" (generic netlink family \"peergroup\" or its events group not found: is the peergroup module loaded?)" :
			"");
		return EXIT_FAILED;
	}
	if (group)
		ret = check_group(t, group);
	if (!ret) {
		say_neighbours(m);
		ret = watch(t, m, group);
	}
	pg_monitor_close(m);
	return ret;
}
