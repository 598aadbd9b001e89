// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup member invite GROUP identity ID key FILE [role admin|member]
 *   [from WHEN] [until WHEN] [out FILE]
 *
 * PeerGroupCreateInvitation: an administrator of a certificate group has
 * the kernel issue a certificate for another identity's public key, signed
 * by the private key the group holds in the keyring (it never leaves it).
 * The chain the invitee joins with (its certificate, then the issuer's
 * chain) is written as PEM to FILE, or to standard output; what the
 * certificate says is printed as member list prints a member when the
 * chain goes to a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "args.h"
#include "output.h"
#include "pem.h"
#include "peergroup.h"

/* A PEM public key of 4096 bits is 800 bytes: room for comments. */
#define KEY_FILE_MAX (16 * 1024)

struct invite_args {
	const char *group;
	const char *identity;
	const char *key;
	const char *role;
	const char *from;
	const char *until;
	const char *out;
};

static int invite_parse(const char *where, int argc, char **argv,
			struct invite_args *a)
{
	const char **slot, *what;
	int i;

	if (argc < 1)
		return usage_error(where, "expected GROUP identity ID key FILE");
	a->group = argv[0];
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		what = "WHEN";
		if (!strcmp(w, "identity")) {
			slot = &a->identity;
			what = "ID";
		} else if (!strcmp(w, "key")) {
			slot = &a->key;
			what = "FILE";
		} else if (!strcmp(w, "role")) {
			slot = &a->role;
			what = "admin or member";
		} else if (!strcmp(w, "from")) {
			slot = &a->from;
		} else if (!strcmp(w, "until")) {
			slot = &a->until;
		} else if (!strcmp(w, "out")) {
			slot = &a->out;
			what = "FILE";
		} else {
			return usage_error(where, "unknown argument \"%s\" (expected: identity ID, key FILE, role admin|member, from WHEN, until WHEN, out FILE)",
					   w);
		}
		if (*slot)
			return usage_error(where, "%s given twice", w);
		*slot = keyword_value(where, what, argc, argv, &i);
		if (!*slot)
			return EXIT_USAGE;
	}
	if (!a->identity)
		return usage_error(where, "missing identity (expected: identity ID, the invitee's)");
	if (!a->key)
		return usage_error(where, "missing key (expected: key FILE, the invitee's public key)");
	return EXIT_OK;
}

/* role, from and until into *inv. */
static int invite_terms(const char *where, const struct invite_args *a,
			struct pg_invite *inv)
{
	struct timespec ts;
	const char *why;
	uint64_t now;

	inv->role = PEERGROUP_ROLE_MEMBER;
	if (a->role && !strcmp(a->role, "admin"))
		inv->role = PEERGROUP_ROLE_ADMIN;
	else if (a->role && strcmp(a->role, "member"))
		return usage_error(where, "bad role \"%s\" (expected admin or member)",
				   a->role);
	/* Certificates keep UTC: "+30d" counts from this machine's clock. */
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	if (a->from && parse_when(a->from, now, &inv->not_before_ns, &why))
		return usage_error(where, "bad from \"%s\": %s", a->from, why);
	if (a->until && parse_when(a->until, now, &inv->not_after_ns, &why))
		return usage_error(where, "bad until \"%s\": %s", a->until, why);
	return EXIT_OK;
}

/* key FILE: a PEM PUBLIC KEY (openssl pkey -pubout) or its DER. */
static int read_key(const char *where, const char *file, uint8_t **der,
		    size_t *len)
{
	unsigned int n = 0;
	size_t text_len;
	char why[256];
	char *text;
	int ret, err;

	*der = NULL;
	ret = tool_read(where, "key", file, KEY_FILE_MAX,
			"the most a key file may be", &text, &text_len);
	if (ret)
		return ret;
	if (!pem_blocks(text, text_len)) {
		*der = (uint8_t *)text;
		*len = text_len;
		return EXIT_OK;
	}
	*der = malloc(KEY_FILE_MAX);
	err = *der ? pem_decode(PEM_LIBCRYPTO, "PUBLIC KEY", text, text_len,
				*der, KEY_FILE_MAX, len, &n, why,
				sizeof(why)) : -ENOMEM;
	free(text);
	if (!err && n == 1)
		return EXIT_OK;
	free(*der);
	*der = NULL;
	if (err == -ENOMEM)
		snprintf(why, sizeof(why), "out of memory");
	else if (!err)
		snprintf(why, sizeof(why), "%u PUBLIC KEY blocks (expected one)",
			 n);
	usage_error(where, "key %s: %s", file, why);
	return err == -EINVAL || !err ? EXIT_USAGE : EXIT_FAILED;
}

/* The chain (DER certificates one after another) as PEM to f. */
static int write_chain(const char *where, const char *file, FILE *f,
		       const uint8_t *chain, size_t len)
{
	size_t lens[PG_CERTS_MAX + 1], off = 0;
	unsigned int n = 0;
	char why[256];

	while (off < len && n <= PG_CERTS_MAX) {
		lens[n] = der_cert_len(chain + off, len - off);
		if (!lens[n])
			break;
		off += lens[n++];
	}
	if (off != len) {
		fprintf(stderr, "peergroup: %s: the kernel's chain is not DER certificates one after another\n",
			where);
		return EXIT_FAILED;
	}
	if (pem_write(PEM_LIBCRYPTO, f, "CERTIFICATE", chain, lens, n, why,
		      sizeof(why)) || fflush(f)) {
		fprintf(stderr, "peergroup: %s: out %s: %s\n", where, file,
			why);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

int member_invite(struct tool *t, int argc, char **argv)
{
	const char *where = "member invite";
	struct invite_args a = { 0 };
	struct pg_invite inv = { 0 };
	uint8_t *key = NULL, *chain = NULL;
	size_t key_len = 0, chain_len = 0;
	struct pg_member m;
	FILE *f = stdout;
	int ret;

	ret = invite_parse(where, argc, argv, &a) ?:
	      invite_terms(where, &a, &inv);
	if (!ret && t->json && !a.out)
		ret = usage_error(where, "-j prints what the certificate says: give the chain a file (out FILE)");
	if (!ret)
		ret = read_key(where, a.key, &key, &key_len);
	if (ret)
		return ret;
	inv.identity = a.identity;
	inv.public_key = key;
	inv.public_key_len = key_len;
	ret = tool_open(t);
	if (!ret) {
		ret = pg_member_invite(t->h, a.group, &inv, &chain, &chain_len,
				       &m);
		if (ret)
			ret = tool_failed(t, ret, "%s %s", where, a.group);
	}
	free(key);
	if (ret)
		return ret;
	if (a.out) {
		f = fopen(a.out, "w");
		if (!f) {
			fprintf(stderr, "peergroup: %s: out %s: %s\n", where,
				a.out, strerror(errno));
			free(chain);
			return EXIT_FAILED;
		}
	}
	ret = write_chain(where, a.out ? a.out : "-", f, chain, chain_len);
	free(chain);
	if (a.out && fclose(f) && !ret) {
		fprintf(stderr, "peergroup: %s: out %s: %s\n", where, a.out,
			strerror(errno));
		ret = EXIT_FAILED;
	}
	if (!ret && a.out)
		print_members(stdout, &m, 1, t->json);
	return ret;
}
