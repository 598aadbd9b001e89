// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * peergroup group add|del|show|status|set|time: the group object of the tool.
 *
 * JSON (-j): "add", "show NAME", "status" and "time" print one object,
 * "show" without a name prints an array (possibly []); "del" and "set"
 * print nothing.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "output.h"
#include "pem.h"
#include "peergroup.h"

void group_usage(FILE *f)
{
	fprintf(f,
		"Usage: peergroup [-j] group add NAME identity ID [creator ID]\n"
		"                     [password PW | password-file { FILE | - }] [KDF]\n"
		"       peergroup [-j] group add NAME identity ID security pki\n"
		"                     key SERIAL cert { FILE | - }\n"
		"       peergroup [-j] group join NAME id GROUPID identity ID\n"
		"                     [password PW | password-file { FILE | - }] [KDF]\n"
		"       peergroup [-j] group join NAME [id GROUPID] identity ID\n"
		"                     security pki key SERIAL cert { FILE | - }\n"
		"       peergroup group { del | delete } NAME\n"
		"       peergroup [-j] group [{ show | list | ls } [NAME]]\n"
		"       peergroup [-j] group status NAME\n"
		"       peergroup group set NAME [defer-expiration { on | off }]\n"
		"                     [max-record-size N] [max-records N] [max-bytes N]\n"
		"                     [max-lifetime T]\n"
		"       peergroup [-j] group time NAME [utc T | peer T]\n"
		"       peergroup group help\n"
		"\n"
		"  add     create group NAME with the local identity ID as its creator,\n"
		"          or, with another creator, prepare to join that creator's group;\n"
		"          the password secures its records (password-file: the file's\n"
		"          first line, at most %d bytes); then print the group\n"
		"          KDF is [kdf-time N] [kdf-memory SIZE] [kdf-lanes N]: the\n"
		"          Argon2id that derives the group key from the password (passes\n"
		"          1 to 1000, default 3; memory 8k to 4g, a number of KiB or N\n"
		"          and a unit k, m or g, default 64m, at least 8k a lane; lanes\n"
		"          1 to 255, default 4). The group records them: every member\n"
		"          must give the creator's, or its neighbours refuse it (kdf).\n"
		"          Without any kdf-* argument the environment variable\n"
		"          PEERGROUP_KDF, e.g. \"time=1,memory=64k,lanes=1\", gives\n"
		"          them: for tests and slow machines (\"status\" shows them)\n"
		"  join    prepare to join the group whose id is GROUPID (\"show\" on a\n"
		"          member prints it; its classifier, after the dot, is NAME): its\n"
		"          first neighbour tells the creator and the properties\n"
		"  security psk (the default) secures the records with the group key\n"
		"          of the password; pki makes a certificate group, whose\n"
		"          members sign their records with their own RSA keys:\n"
		"          key SERIAL is this node's private key in the kernel keyring,\n"
		"          the number \"keyctl padd asymmetric NAME @u < key.p8\" prints\n"
		"          (key.p8: the key as PKCS#8 DER); cert FILE is this node's\n"
		"          certificate chain, its own certificate first and the group's\n"
		"          root (the creator's self-signed certificate) last, as PEM\n"
		"          CERTIFICATE blocks (\"cat node.pem admin.pem root.pem\"; read\n"
		"          with %s, package %s) or DER certificates one\n"
		"          after another: at most %d certificates, %d bytes as DER. The\n"
		"          root's public key makes the group id and its subject the\n"
		"          creator: add and join do the same, no creator is given, and\n"
		"          id GROUPID, if given, must be the root's\n"
		"  del     delete group NAME and everything it holds\n"
		"  show    print group NAME, or every group of this network namespace\n"
		"          (the default command)\n"
		"  status  print everything about group NAME: properties, status, counters\n"
		"  set     change group properties (the group's creator only); T, the\n"
		"          longest a record may live from a write to its expiration, is\n"
		"          seconds, or N and a unit s, m, h or d (e.g. 30d)\n"
		"  time    print the group's current time in UTC and in peer time, or\n"
		"          convert T (ISO-8601) from UTC or from peer time\n"
		"\n"
		"NAME is 1 to %d characters from [A-Za-z0-9._-]; ID is %d to %d printable\n"
		"ASCII characters without space. The kernel checks them.\n"
		"\n"
		"With -j, \"add\" and \"show NAME\" print one JSON object, \"show\" an array:\n"
		"  {\"name\":\"...\",\"id\":\"...\",\"identity\":\"...\",\n"
		"   \"created\":\"<ISO-8601 UTC>\",\"created_ns\":<ns since the epoch>,\n"
		"   \"key\":\"random\", \"password\" or \"certificate\",\n"
		"   \"kdf\":{\"alg\":\"argon2id\",\"time\":N,\"memory_kib\":N,\"lanes\":N}\n"
		"          or {\"alg\":\"random\"} or {\"alg\":\"none\"}}\n"
		"The key (\"key random\" in text) is \"password\" when derived from the\n"
		"group's password (with Argon2id of the parameters kdf shows, \"kdf\n"
		"argon2id t=N m=KIB p=N\" in text), \"random\" when none was given:\n"
		"the key then exists in\n"
		"this group alone, and its export restores into nothing else (see\n"
		"\"peergroup export help\"); \"certificate\" in a certificate group\n"
		"(security pki; \"kdf none\"), whose members sign with their own keys.\n"
		"\"status\" adds creator, role, security (psk or pki), status, flags,\n"
		"the caps and the counters; \"time\" prints\n"
		"{\"utc\",\"utc_ns\",\"peer\",\"peer_ns\"}.\n",
		PEERGROUP_PASSWORD_MAX, PEM_LIBCRYPTO, PEM_LIBCRYPTO_PACKAGE,
		PG_CERTS_MAX, PG_CERTS_LEN_MAX, PEERGROUP_GROUP_NAME_MAX,
		PEERGROUP_IDENTITY_MIN, PEERGROUP_IDENTITY_MAX);
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

/*
 * The password of password-file: the file's first line, read no further
 * than a password may be (the rest of the file is not read).
 */
static int read_password(const char *where, const char *file, char **pw,
			 size_t *len)
{
	int ret = tool_read(where, "password-file", file,
			    PEERGROUP_PASSWORD_MAX, NULL, pw, len);
	const char *nl;

	if (ret)
		return ret;
	nl = memchr(*pw, '\n', *len);
	if (nl)
		*len = (size_t)(nl - *pw);
	if (*len <= PEERGROUP_PASSWORD_MAX)
		return EXIT_OK;
	free(*pw);
	*pw = NULL;
	return usage_error(where, "password-file %s: its first line is more than %d bytes, the most a password may be (EMSGSIZE)",
			   file, PEERGROUP_PASSWORD_MAX);
}

/* The Argon2id keywords of group add and join (args.h, KDF_*). */
static const struct {
	const char *keyword;
	const char *expected;
} kdf_args[] = {
	[KDF_TIME] = { "kdf-time",
	  "bad number \"%s\" after \"%s\" (expected Argon2id passes, 1 to 1000)" },
	[KDF_MEMORY] = { "kdf-memory",
	  "bad size \"%s\" after \"%s\" (expected KiB, or N and a unit k, m or g, from 8k to 4g)" },
	[KDF_LANES] = { "kdf-lanes",
	  "bad number \"%s\" after \"%s\" (expected Argon2id lanes, 1 to 255)" },
};

#define KDF_ARGS (sizeof(kdf_args) / sizeof(kdf_args[0]))

/* argv[*i] if it is a kdf-* keyword, with its value, into *k; else 1. */
static int kdf_arg(const char *where, int argc, char **argv, int *i,
		   struct pg_kdf *k)
{
	const char *w = argv[*i], *v;
	uint32_t *field;
	size_t j;

	for (j = 0; j < KDF_ARGS && strcmp(w, kdf_args[j].keyword); j++)
		;
	if (j == KDF_ARGS)
		return 1;
	field = kdf_field(k, j);
	if (*field)
		return usage_error(where, "%s given twice", w);
	v = keyword_value(where, j == KDF_MEMORY ? "SIZE" : "N", argc, argv, i);
	if (!v)
		return EXIT_USAGE;
	if (parse_kdf_value(j, v, field))
		return usage_error(where, kdf_args[j].expected, v, w);
	return EXIT_OK;
}

/*
 * How the key is derived: the kdf-* arguments, or without any, the
 * environment's PEERGROUP_KDF (tests, slow machines); what neither gives
 * takes the library's defaults.
 */
static int kdf_of(const char *where, struct pg_kdf *k, bool given,
		  bool password)
{
	const char *env = getenv("PEERGROUP_KDF"), *why;

	if (given && !password)
		return usage_error(where, "kdf-* arguments without a password (a random key is derived from nothing)");
	if (given || !password || !env || !*env)
		return EXIT_OK;
	if (parse_kdf_spec(env, k, &why))
		return usage_error(where, "bad PEERGROUP_KDF \"%s\": %s", env, why);
	return EXIT_OK;
}

/* The words of group add and join that choose the security provider. */
struct security_args {
	const char *security;	/* "psk" or "pki" */
	const char *key;	/* pki: SERIAL */
	const char *cert;	/* pki: FILE */
};

/*
 * The provider a names, into p (but the certificates: they are read once
 * every argument is known good). password is the password argument given
 * ("password", "password-file") or NULL; kdf says whether kdf-* were.
 */
static int security_of(const char *where, const struct security_args *a,
		       struct pg_group_params *p, const char *password,
		       bool kdf)
{
	uint64_t serial;

	if (!a->security || !strcmp(a->security, "psk")) {
		if (a->key || a->cert)
			return usage_error(where, "%s without security pki (only a certificate group takes a key and a cert)",
					   a->key ? "key" : "cert");
		return EXIT_OK;
	}
	if (strcmp(a->security, "pki"))
		return usage_error(where, "bad value \"%s\" after \"security\" (expected psk or pki)",
				   a->security);
	if (p->creator)
		return usage_error(where, "creator with security pki (a certificate group's creator is the subject of its root certificate)");
	if (password || kdf)
		return usage_error(where, "%s with security pki (a certificate group has no password: its members sign with their keys)",
				   password ? password : "kdf-* arguments");
	if (!a->key)
		return usage_error(where, "missing key (expected with security pki: key SERIAL, the keyring serial of this node's private key)");
	if (!a->cert)
		return usage_error(where, "missing cert (expected with security pki: cert FILE, this node's certificate chain)");
	if (parse_u64(a->key, INT32_MAX, &serial) || !serial)
		return usage_error(where, "bad number \"%s\" after \"key\" (expected a keyring key's serial as keyctl prints it, 1 to 2147483647)",
				   a->key);
	p->security = PEERGROUP_SECURITY_PKI;
	p->key_serial = (int32_t)serial;
	return EXIT_OK;
}

/* group add, and group join (by the group id rather than the creator). */
static int add_or_join(struct tool *t, int argc, char **argv, bool join)
{
	const char *where = join ? "group join" : "group add";
	const char *pw_file = NULL, *pw = NULL;
	struct pg_group_params p = { .name = NULL };
	struct security_args sec = { .security = NULL };
	struct pg_kdf kdf = { 0 };
	char *pw_buf = NULL;
	uint8_t *certs = NULL;
	struct pg_group_info g;
	bool kdf_given;
	int i, ret = EXIT_OK;

	if (!argc)
		return usage_error(where, "missing group name");
	p.name = argv[0];
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], **slot, *what = "ID";

		ret = kdf_arg(where, argc, argv, &i, &kdf);
		if (ret == EXIT_OK)
			continue;
		if (ret != 1)
			return ret;
		ret = EXIT_OK;
		if (!strcmp(w, "identity")) {
			slot = &p.identity;
		} else if (!join && !strcmp(w, "creator")) {
			slot = &p.creator;
		} else if (join && !strcmp(w, "id")) {
			slot = &p.group_id;
			what = "GROUPID";
		} else if (!strcmp(w, "password") || !strcmp(w, "password-file")) {
			if (pw || pw_file)
				return usage_error(where, "password given twice (password and password-file exclude each other)");
			slot = w[8] ? &pw_file : &pw;
			what = w[8] ? "FILE" : "PW";
		} else if (!strcmp(w, "security")) {
			slot = &sec.security;
			what = "psk or pki";
		} else if (!strcmp(w, "key")) {
			slot = &sec.key;
			what = "SERIAL";
		} else if (!strcmp(w, "cert")) {
			slot = &sec.cert;
			what = "FILE";
		} else {
			return usage_error(where, "unknown argument \"%s\" (expected: identity ID, %s, password PW, password-file FILE, kdf-time N, kdf-memory SIZE, kdf-lanes N, security psk|pki, key SERIAL, cert FILE)",
					   w, join ? "id GROUPID" : "creator ID");
		}
		if (*slot)
			return usage_error(where, "%s given twice", w);
		*slot = keyword_value(where, what, argc, argv, &i);
		if (!*slot)
			return EXIT_USAGE;
	}
	if (!p.identity)
		return usage_error(where, "missing identity (expected: identity ID)");
	kdf_given = kdf.time || kdf.memory_kib || kdf.lanes;
	ret = security_of(where, &sec, &p, pw ? "password" :
			  pw_file ? "password-file" : NULL, kdf_given);
	if (ret)
		return ret;
	/* A certificate group's id comes from its root certificate. */
	if (join && !p.group_id && p.security != PEERGROUP_SECURITY_PKI)
		return usage_error(where, "missing group id (expected: id GROUPID)");
	ret = kdf_of(where, &kdf, kdf_given, pw || pw_file);
	if (ret)
		return ret;
	p.kdf = &kdf;
	p.password = pw;
	p.password_len = pw ? strlen(pw) : 0;

	if (pw_file) {
		ret = read_password(where, pw_file, &pw_buf, &p.password_len);
		p.password = pw_buf;
	}
	if (!ret && sec.cert) {
		ret = read_certs(where, sec.cert, &certs, &p.certs_len);
		p.certs = certs;
	}
	if (!ret)
		ret = tool_open(t);
	if (!ret && (ret = pg_group_create_ex(t->h, &p, &g)))
		ret = tool_failed(t, ret, "%s %s", where, argv[0]);
	if (pw_buf)
		explicit_bzero(pw_buf, p.password_len);
	free(pw_buf);
	free(certs);
	if (!ret)
		print_group(stdout, &g, t->json);
	return ret;
}

static int group_add(struct tool *t, int argc, char **argv)
{
	return add_or_join(t, argc, argv, false);
}

static int group_join(struct tool *t, int argc, char **argv)
{
	return add_or_join(t, argc, argv, true);
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

static int group_status(struct tool *t, int argc, char **argv)
{
	struct pg_group_status s;
	char why[512] = "";
	const char *name;
	int ret;

	ret = name_and_open(t, "group status", argc, argv, true, &name);
	if (ret)
		return ret;
	ret = pg_group_status(t->h, name, &s);
	if (ret)
		return tool_failed(t, ret, "group status %s", name);
	if (!(s.status & PEERGROUP_STATUS_SYNCHRONIZED))
		why_not_ready(t, name, why, sizeof(why));
	print_group_status(stdout, &s, why, t->json);
	return EXIT_OK;
}

/* One "KEYWORD N" (or "KEYWORD T", a span of time) of group set. */
static const struct {
	const char *keyword;
	uint32_t bit;
	uint64_t max;
	bool seconds;
} set_numbers[] = {
	{ "max-record-size", PG_SET_MAX_RECORD_SIZE, UINT32_MAX, false },
	{ "max-records", PG_SET_MAX_RECORDS, UINT32_MAX, false },
	{ "max-bytes", PG_SET_MAX_BYTES, UINT64_MAX, false },
	{ "max-lifetime", PG_SET_MAX_LIFETIME, UINT32_MAX, true },
};

#define SET_NUMBERS (sizeof(set_numbers) / sizeof(set_numbers[0]))
#define SET_EXPECTED \
	"defer-expiration, max-record-size, max-records, max-bytes, max-lifetime"

static int set_arg(const char *where, int argc, char **argv, int *i,
		   struct pg_group_props *p)
{
	const char *w = argv[*i], *v;
	uint64_t n;
	size_t k;

	for (k = 0; k < SET_NUMBERS; k++)
		if (!strcmp(w, set_numbers[k].keyword))
			break;
	if (k == SET_NUMBERS && strcmp(w, "defer-expiration"))
		return usage_error(where, "unknown argument \"%s\" (expected: " SET_EXPECTED ")",
				   w);
	v = keyword_value(where, k == SET_NUMBERS ? "on or off" :
			  set_numbers[k].seconds ? "T" : "N", argc, argv, i);
	if (!v)
		return EXIT_USAGE;
	if (k == SET_NUMBERS) {
		if (p->mask & PG_SET_FLAGS)
			return usage_error(where, "%s given twice", w);
		if (strcmp(v, "on") && strcmp(v, "off"))
			return usage_error(where, "bad value \"%s\" after \"%s\" (expected on or off)",
					   v, w);
		p->mask |= PG_SET_FLAGS;
		p->flags = strcmp(v, "on") ? 0 : PEERGROUP_GROUP_F_DEFER_EXPIRATION;
		return EXIT_OK;
	}
	if (p->mask & set_numbers[k].bit)
		return usage_error(where, "%s given twice", w);
	if (set_numbers[k].seconds ?
	    parse_seconds(v, set_numbers[k].max, &n) :
	    parse_u64(v, set_numbers[k].max, &n))
		return usage_error(where, set_numbers[k].seconds ?
				   "bad time \"%s\" after \"%s\" (expected seconds, or N and a unit s, m, h or d, e.g. 30d)" :
				   "bad number \"%s\" after \"%s\"", v, w);
	p->mask |= set_numbers[k].bit;
	if (set_numbers[k].bit == PG_SET_MAX_RECORD_SIZE)
		p->max_record_size = (uint32_t)n;
	else if (set_numbers[k].bit == PG_SET_MAX_RECORDS)
		p->max_records = (uint32_t)n;
	else if (set_numbers[k].bit == PG_SET_MAX_LIFETIME)
		p->max_lifetime = (uint32_t)n;
	else
		p->max_bytes = n;
	return EXIT_OK;
}

static int group_set(struct tool *t, int argc, char **argv)
{
	const char *where = "group set";
	struct pg_group_props p = { .mask = 0 };
	int i, ret;

	if (!argc)
		return usage_error(where, "missing group name");
	for (i = 1; i < argc; i++) {
		ret = set_arg(where, argc, argv, &i, &p);
		if (ret)
			return ret;
	}
	if (!p.mask)
		return usage_error(where, "nothing to set (expected: " SET_EXPECTED ")");
	ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_group_set(t->h, argv[0], &p);
	if (ret)
		return tool_failed(t, ret, "group set %s", argv[0]);
	return EXIT_OK;
}

static void print_times(struct tool *t, uint64_t utc, uint64_t peer)
{
	char u[TIME_ISO_SIZE] = "?", p[TIME_ISO_SIZE] = "?";

	format_time_ns(u, sizeof(u), utc);
	format_time_ns(p, sizeof(p), peer);
	if (t->json)
		printf("{\"utc\":\"%s\",\"utc_ns\":%" PRIu64
		       ",\"peer\":\"%s\",\"peer_ns\":%" PRIu64 "}\n",
		       u, utc, p, peer);
	else
		printf("utc %s\npeer %s\n", u, p);
}

static int group_time(struct tool *t, int argc, char **argv)
{
	const char *where = "group time";
	enum pg_time_from from = PG_TIME_NOW;
	uint64_t in = 0, utc, peer;
	int ret;

	if (!argc)
		return usage_error(where, "missing group name");
	if (argc > 1) {
		if (!strcmp(argv[1], "utc"))
			from = PG_TIME_UTC;
		else if (!strcmp(argv[1], "peer"))
			from = PG_TIME_PEER;
		else
			return usage_error(where, "unknown argument \"%s\" (expected: utc T, peer T)",
					   argv[1]);
		if (argc < 3)
			return usage_error(where, "missing T after \"%s\"", argv[1]);
		if (argc > 3)
			return usage_error(where, "unknown argument \"%s\" (expected nothing after T)",
					   argv[3]);
		if (pg_date_parse(argv[2], &in))
			return usage_error(where, "bad time \"%s\" (expected ISO-8601, e.g. 2026-01-31T10:00:00Z)",
					   argv[2]);
	}
	ret = tool_open(t);
	if (ret)
		return ret;
	ret = pg_time_convert(t->h, argv[0], from, in, &utc, &peer);
	if (ret)
		return tool_failed(t, ret, "group time %s", argv[0]);
	print_times(t, utc, peer);
	return EXIT_OK;
}

static const struct command group_commands[] = {
	{ "add", group_add, false },
	{ "join", group_join, false },
	{ "del", group_del, false },
	{ "delete", group_del, true },
	{ "show", group_show, false },
	{ "list", group_show, true },
	{ "ls", group_show, true },
	{ "status", group_status, false },
	{ "set", group_set, false },
	{ "time", group_time, false },
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
