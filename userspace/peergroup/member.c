// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup member list GROUP (or show, ls): the members of a certificate
 * group, the certificates it knows (PeerGroupEnumMembers).
 *
 * JSON (-j): an array of members (possibly []).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "peergroup.h"

void member_usage(FILE *f)
{
	fputs("Usage: peergroup [-j] member { list | show | ls } GROUP\n"
	      "       peergroup member revoke GROUP FINGERPRINT\n"
	      "       peergroup [-j] member invite GROUP identity ID key FILE\n"
	      "                [role admin|member] [from WHEN] [until WHEN] [out FILE]\n"
	      "       peergroup member help\n"
	      "\n"
	      "  list  print the members of certificate group GROUP: every certificate\n"
	      "        it knows that chains to its root (this node's chain, and those\n"
	      "        handshakes and membership records brought), in fingerprint order:\n"
	      "        identity (the certificate's subject), role (admin: basicConstraints\n"
	      "        cA; else member), issuer, validity, fingerprint (SHA-256 of the\n"
	      "        DER), whether it is revoked and whether it is this node's own.\n"
	      "        A password group has no member list (EOPNOTSUPP).\n"
	      "  revoke  as an administrator, revoke the certificate whose fingerprint\n"
	      "        (64 hex digits, as list prints it) is FINGERPRINT: every peer then\n"
	      "        refuses its records modified from now on and its connections;\n"
	      "        its earlier records stay. It cannot be undone.\n"
	      "  invite  as an administrator, issue a certificate for identity ID\n"
	      "        and its public key FILE (PEM, as openssl pkey -pubout writes\n"
	      "        it, or DER), signed by this group's key in the kernel\n"
	      "        keyring: a member's (the default) or an administrator's,\n"
	      "        valid from WHEN (default now) until WHEN (default the end of\n"
	      "        this node's certificate), inside this node's validity. WHEN\n"
	      "        is +N with a unit s, m, h or d (from now, UTC) or an ISO-8601\n"
	      "        date. The chain ID joins with (its certificate, then this\n"
	      "        node's chain) goes as PEM to FILE, or to standard output;\n"
	      "        with out FILE, what the certificate says is printed as list\n"
	      "        prints a member (-j: an array of one; -j needs out FILE).\n"
	      "\n"
	      "With -j, an array of\n"
	      "  {\"identity\",\"issuer\",\"role\",\"not_before\",\"not_before_ns\",\"not_after\",\n"
	      "   \"not_after_ns\",\"fingerprint\",\"revoked\",\"own\"}\n"
	      "(times as ISO-8601 UTC and as ns since the Unix epoch).\n",
	      f);
}

static int member_list(struct tool *t, int argc, char **argv)
{
	const char *where = "member list";
	struct pg_member *v;
	size_t n;
	int ret;

	ret = group_only(t, where, argc, argv);
	if (ret)
		return ret;
	ret = pg_member_enum(t->h, argv[0], &v, &n);
	if (ret)
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	print_members(stdout, v, n, t->json);
	free(v);
	return EXIT_OK;
}

/* FINGERPRINT: 64 hex digits, either case. */
static int parse_fingerprint(const char *where, const char *s,
			     uint8_t fp[PEERGROUP_FINGERPRINT_LEN])
{
	unsigned int i, v;

	if (strlen(s) != 2 * PEERGROUP_FINGERPRINT_LEN)
		goto bad;
	for (i = 0; i < PEERGROUP_FINGERPRINT_LEN; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			goto bad;
		fp[i] = (uint8_t)v;
	}
	return 0;
bad:
	return usage_error(where, "fingerprint \"%s\": expected 64 hex digits (the SHA-256 of the certificate, as member list prints it)",
			   s);
}

static int member_revoke(struct tool *t, int argc, char **argv)
{
	const char *where = "member revoke";
	uint8_t fp[PEERGROUP_FINGERPRINT_LEN];
	int ret;

	if (argc < 2)
		return usage_error(where, "expected GROUP FINGERPRINT");
	if (argc > 2)
		return usage_error(where, "unexpected argument \"%s\" (expected GROUP FINGERPRINT)",
				   argv[2]);
	ret = parse_fingerprint(where, argv[1], fp) ?: tool_open(t);
	if (ret)
		return ret;
	ret = pg_member_revoke(t->h, argv[0], fp);
	if (ret)
		return tool_failed(t, ret, "%s %s", where, argv[0]);
	return EXIT_OK;
}

static const struct command member_commands[] = {
	{ "list", member_list, false },
	{ "revoke", member_revoke, false },
	{ "invite", member_invite, false },
	{ "show", member_list, true },
	{ "ls", member_list, true },
	{ "help", NULL, false },
	{ NULL, NULL, false },
};

int member_run(struct tool *t, int argc, char **argv)
{
	if (!argc)
		return usage_error("member", "missing command (expected: list, revoke, invite, help)");
	return dispatch(t, member_commands, "member", "command", member_usage,
			argc, argv);
}
