// SPDX-License-Identifier: GPL-2.0
/*
 * pg_peer: an independent peer of the peergroup replication protocol, for
 * the tests. It is written from Documentation/protocol.rst,
 * Documentation/records.rst and uapi/linux/peergroup.h only, never from the
 * module's sources: that it interoperates is the proof that the
 * documentation is precise enough to write a peer from.
 *
 * usage: pg_peer [OPTION]... COMMAND ARG...
 *
 *   sync ADDR PORT GROUP-ID IDENTITY PASSWORD
 *       Connects as the initiator, proves membership of the group GROUP-ID
 *       as IDENTITY, says in its WELCOME that it is not
 *       synchronized and solicits the whole table; prints each record as a
 *       line of JSON (the field names of "peergroup -j record list", plus
 *       "kind", "verified": its security data verifies under the group's
 *       key, or in a pki group the rules of records.rst's pki provider
 *       hold: its signer's certificate is known (from our chain, the
 *       peer's proof or a membership record received), its subject is
 *       the modifier, whose time and expiration lie within its validity,
 *       an administrator's if the modifier is not the creator, and the
 *       signature verifies; and "bound": its id is bound to its creator)
 *       and ends at
 *       SYNC_END. Fails if a record does not verify or is not bound.
 *       With -r it then reconciles its copy with the peer, which must
 *       answer DONE in one round trip with no record: the digests and
 *       fingerprints agree. With -s it says it is synchronized (with an
 *       empty table) instead, and opens a reconciliation pass with an empty
 *       list: the peer sends every record (kind 3), then DONE.
 *   send ADDR PORT GROUP-ID IDENTITY PASSWORD ACTION...
 *       Connects as for sync, takes the table, then for each ACTION sends
 *       one record (a RECORD of kind 0) and solicits the table again, which
 *       tells whether it was stored; prints one line of JSON per action:
 *       {"action","id","version","outcome"}, outcome "stored" (the table
 *       holds exactly that copy now), "refused" (the table is as before),
 *       "changed" (anything else), "closed" (the peer closed the
 *       connection) or "error" (the table did not come, as stderr says:
 *       exit status 1); after either no other action is sent. ACTION is
 *       one of
 *         create         a new record of IDENTITY, its id bound to it
 *         update=ID      record ID of the table, version + 1, modified now,
 *                        by IDENTITY (stored only if IDENTITY is its
 *                        creator or the group's administrator; in a pki
 *                        group, one whose certificate says cA)
 *         bad-signature  as create, one byte of its security data flipped
 *                        (in a pki group, of the signature)
 *         unbound        as create, signed, but its id not bound to
 *                        IDENTITY
 *         non-ascii-name as create, signed, but the name of an attribute
 *                        has a letter outside ASCII (o with diaeresis,
 *                        Latin-1 0xf6): it does not parse, and the peer
 *                        must close the connection
 *         longest        as create, living exactly the max lifetime of
 *                        the peer's PROPERTIES from its modification
 *                        (stored)
 *         forever        as create, living a second longer than that
 *                        (refused)
 *       and the hostile member's updates of record ID, each signed in the
 *       name of the record's creator (in a psk group every member holds
 *       the key), each what records.rst says a receiver refuses (but
 *       version-limit):
 *         retype=ID      as update=ID, of another type
 *         recreate=ID    as update=ID, created a second earlier
 *         reflag=ID      as update=ID, autorefresh flipped
 *         ahead=ID       as update=ID, modified an hour from now, of the
 *                        highest version that age would allow
 *         version-max=ID as update=ID, of version 2^32 - 1
 *         version-limit=ID as update=ID, of the highest version its age
 *                        allows: 65536 + a second's worth per second
 *                        since its creation (stored)
 *       and, in a pki group, where each member signs with its own key:
 *         membership     our membership record (records.rst, "The pki
 *                        provider"): created by IDENTITY, autorefresh,
 *                        living a day (or to our certificate's end), its
 *                        data our chain (stored): other peers learn our
 *                        certificate from it
 *         forge=ID       as update=ID, but in the name of the record's
 *                        creator, signed with our key (refused: the
 *                        signer's subject is not the modifier)
 *         outlive        as create, expiring a day after our certificate
 *                        (refused)
 *       and one that is no record:
 *         props=V        the peer's own PROPERTIES, of version V, with
 *                        max records 4242; outcome "kept" (the connection
 *                        stays: whether the peer took them, its group
 *                        properties tell) or "closed"; in a pki group
 *                        signed with our key, not the root's (closed)
 *       With -S (sync) it prints {"connected"} once authenticated, and
 *       waits for a line on stdin before it asks for anything, and for
 *       another once it has printed the table, before it goes on.
 *       With -S (send) it first prints {"connected","records"} and, before each
 *       action and before it closes, waits for a line on stdin (EOF ends
 *       it): a test can look at the other side meanwhile. A record
 *       action's line also counts the PROPERTIES the peer has sent so far
 *       ("properties").
 *   respond PORT GROUP-ID IDENTITY PASSWORD
 *       Listens on PORT and answers the HELLO of each connection as the
 *       responder, with a proof that verifies (of either provider); then refuses the
 *       initiator's PROOF, whatever it holds, with a plaintext REFUSE of
 *       reason auth, as a responder whose check failed does; prints
 *       "listening", then "refused IDENTITY" (the initiator's) for each,
 *       until it is killed.
 *   fuzz ADDR PORT GROUP-ID IDENTITY PASSWORD FRAMES SEED
 *       Sends FRAMES random and mutated frames (see pg_peer_fuzz.c) and
 *       checks what the protocol says of each; SEED (a number, or
 *       "random") makes a run repeatable. Exits 1 if the peer did anything
 *       the documentation does not say, or its table changed.
 *   challenge ADDR PORT GROUP-ID IDENTITY PASSWORD
 *       Sends one HELLO as an outsider would and checks, offline, which key
 *       the responder's proof in the CHALLENGE verifies under: the old
 *       one-HMAC derivation (v1_hmac: a guess costs one HMAC) or Argon2id
 *       with the parameters the CHALLENGE tells (argon2id, and the time
 *       its derivation took here); prints them as one line of JSON:
 *       {"responder","kdf","v1_hmac","argon2id","argon2id_ms"}. Takes a
 *       CHALLENGE with or without the kdf block ("kdf":"absent ...").
 *       psk groups only.
 *   relay LISTEN-PORT UPSTREAM-ADDR UPSTREAM-PORT MODE N
 *       A frame-aware TCP relay (see pg_peer_relay.c) that tampers with the
 *       N-th sealed frame from the initiator to the responder: MODE flip,
 *       replay, truncate, cut or pass.
 *   flood ADDR PORT GROUP-ID RATE SECONDS
 *       An outsider's flood: RATE connections a second from one address,
 *       each a well-formed HELLO and then silence (see pg_peer_flood.c);
 *       prints what the node did with them as one line of JSON.
 *
 * PASSWORD is a psk group's password, or for a certificate group (security
 * pki) "pki:KEYFILE:CHAINFILE": our RSA private key (PEM, as openssl
 * genpkey writes it) and our chain (PEM certificates, ours first, the
 * group's root last); IDENTITY is then our certificate's subject.
 *
 * Options:
 *   -v         say every frame on stderr
 *   -s         (sync) claim to be synchronized; see above
 *   -r         (sync) reconcile the copy after the stream; see above
 *   -f         send our PROOF even when the responder's does not verify
 *              (to test the responder's own check)
 *   -m BYTES   the group's max record size (default 65000)
 *   -t UUID    the type of the records created (default
 *              5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5)
 *   -S         (send) step: see above
 *   -T MS      say in our WELCOME a peer time MS milliseconds (may be
 *              negative) off our UTC: a member whose clock is off
 *   -p N       (fuzz) solicit the table after every N frames kept (256)
 *   -c N       (fuzz) frames per thousand meant to close the connection (5)
 *   -k KDF     how the group key is derived from PASSWORD: Argon2id of
 *              "time=N,memory=N[k|m|g],lanes=N" (memory in KiB; any left
 *              out take the default); without it the environment's
 *              PEERGROUP_KDF, else t=3, 64 MiB, 4 lanes (RFC 9106). As
 *              initiator it refuses with reason kdf a CHALLENGE whose kdf
 *              block is not that; as responder it sends it.
 *
 * Exit status: 0 done; 1 a failure (said on stderr); 2 bad usage; 3 the
 * peer refused the connection (its reason on stderr); 4 the responder did
 * not prove membership (we refused it with reason auth); 5 the responder's
 * key is derived otherwise (we refused it with reason kdf).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pg_peer.h"

struct opts {
	bool synchronized, reconcile, force, step;
	u8 type[16];
};

static struct opts opt;

static void usage(void)
{
	fprintf(stderr,
		"usage: pg_peer [-v] [-s] [-r] [-f] [-S] [-T MS] [-m BYTES] [-t UUID] [-p N] [-c N]\n"
		"               [-k KDF]\n"
		"               COMMAND ARG...\n"
		"  sync  ADDR PORT GROUP-ID IDENTITY PASSWORD\n"
		"  send  ADDR PORT GROUP-ID IDENTITY PASSWORD ACTION...\n"
		"        ACTION: create | update=ID | bad-signature | unbound | non-ascii-name\n"
		"                | retype=ID | recreate=ID | reflag=ID | ahead=ID\n"
		"                | version-max=ID | version-limit=ID | props=V\n"
		"                | membership | forge=ID | outlive (pki)\n"
		"        PASSWORD: a password, or pki:KEYFILE:CHAINFILE\n"
		"  respond PORT GROUP-ID IDENTITY PASSWORD\n"
		"  challenge ADDR PORT GROUP-ID IDENTITY PASSWORD\n"
		"  fuzz  ADDR PORT GROUP-ID IDENTITY PASSWORD FRAMES SEED\n"
		"  relay LISTEN-PORT UPSTREAM-ADDR UPSTREAM-PORT MODE N\n"
		"        MODE: flip | replay | truncate | cut | pass\n"
		"  flood ADDR PORT GROUP-ID RATE SECONDS\n"
		"(see the comment at the top of selftests/pg_peer.c)\n");
	exit(2);
}

static void bad_arg(const char *what, const char *value, const char *why)
{
	fprintf(stderr, "%s: %s \"%s\": %s\n", prog, what, value, why);
	exit(2);
}

long number_arg(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		char why[64];

		snprintf(why, sizeof(why), "not a number from %ld to %ld", min, max);
		bad_arg(what, s, why);
	}
	return v;
}

static void check_identity(const char *s)
{
	size_t n = strlen(s), i;

	if (n < PEERGROUP_IDENTITY_MIN || n > PEERGROUP_IDENTITY_MAX)
		bad_arg("IDENTITY", s, "not 2 to 255 characters");
	for (i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			bad_arg("IDENTITY", s, "not printable ASCII without space");
}

/* The common arguments: ADDR PORT GROUP-ID IDENTITY PASSWORD. */
void target_args(char **argv, struct target *t, u32 max_record_size)
{
	const char *gid = argv[2], *dot = strchr(gid, '.');

	number_arg("PORT", argv[1], 1, 65535);
	if (!dot || dot - gid != PEERGROUP_GROUP_AUTHORITY_LEN || !dot[1] ||
	    strlen(gid) > PEERGROUP_GROUP_ID_MAX)
		bad_arg("GROUP-ID", gid, "not <40 hex digits>.<name>");
	check_identity(argv[3]);
	if (strncmp(argv[4], "pki:", 4) &&
	    (!argv[4][0] || strlen(argv[4]) > PEERGROUP_PASSWORD_MAX))
		bad_arg("PASSWORD", "...", "not 1 to 256 bytes");
	t->addr = argv[0];
	t->port = argv[1];
	t->identity = argv[3];
	group_init(&t->g, gid, argv[4]);
	t->g.max_record_size = max_record_size;
}

/* Connects, proves membership and exchanges WELCOMEs; exits on failure. */
/*
 * A node closes at once, with nothing said, a connection from a source over
 * its handshake rate (protocol.rst, "The handshake"): such a connection is
 * made again, up to CONNECT_TRIES times, CONNECT_WAIT_MS apart.
 */
#define CONNECT_TRIES	100
#define CONNECT_WAIT_MS	100

void connect_peer(struct conn *c, const struct target *t, bool synchronized,
		  bool force)
{
	struct hs_opts ho = { .identity = t->identity, .force = force };
	enum hs_result res;
	int fd, tries;

	for (tries = 1;; tries++) {
		fd = tcp_connect(t->addr, t->port);
		if (fd >= 0) {
			conn_init(c, fd, &t->g);
			res = handshake(c, &ho);
			if (res != HS_ERROR || c->frames_rx || !c->eof)
				break;
			conn_close(c);
		} else if (errno != ECONNRESET) {
			exit(1);
		}
		if (tries == CONNECT_TRIES) {
			fprintf(stderr, "%s: %s port %s closed %d connections before a word\n",
				prog, t->addr, t->port, tries);
			exit(1);
		}
		vlog("closed before a word: over the node's rate; again in %d ms",
		     CONNECT_WAIT_MS);
		usleep(CONNECT_WAIT_MS * 1000);
	}
	switch (res) {
	case HS_OK:
		break;
	case HS_REFUSED:
		exit(3);
	case HS_AUTH:
		exit(4);
	case HS_KDF:
		exit(5);
	default:
		exit(1);
	}
	if (session_open(c, synchronized, 10000))
		exit(c->refused ? 3 : 1);
	vlog("connected to %s, whose table is %ssynchronized", c->peer_identity,
	     c->peer_synchronized ? "" : "not ");
}

static void print_table(const struct group *g, const struct table *t,
			int *bad)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		record_json(g, &t->r[i]);
		if (!record_verifies(g, &t->r[i]) || !id_bound(&t->r[i]))
			(*bad)++;
	}
}

/* A RECONCILE START of our table: one list, or 16 fingerprinted buckets. */
static void start_message(const struct table *t, struct buf *b)
{
	u8 d[16];
	size_t i, at = 0;
	int k;

	buf_u8(b, RC_START);
	if (t->n <= RC_LIST_MAX) {
		buf_u8(b, RC_LIST | RC_END);
		buf_u8(b, t->n);
		for (i = 0; i < t->n; i++) {
			record_digest(&t->r[i], d);
			buf_put(b, t->r[i].id, 16);
			buf_put(b, d, 16);
		}
		return;
	}
	for (k = 0; k < RC_BUCKETS; k++) {
		size_t n = t->n / RC_BUCKETS + ((size_t)k < t->n % RC_BUCKETS);
		u8 sum[16] = { }, cnt[4], h[32];
		struct buf fp = { };

		for (i = at; i < at + n; i++) {
			int carry = 0, j;

			record_digest(&t->r[i], d);
			for (j = 15; j >= 0; j--) {
				int v = sum[j] + d[j] + carry;

				sum[j] = v;
				carry = v >> 8;
			}
		}
		at += n;
		put_be(cnt, n, 4);
		buf_put(&fp, sum, 16);
		buf_put(&fp, cnt, 4);
		sha256(fp.p, fp.len, h);
		buf_free(&fp);
		if (k < RC_BUCKETS - 1) {
			buf_u8(b, RC_FP);
			buf_put(b, t->r[at].id, 16);
		} else {
			buf_u8(b, RC_FP | RC_END);
		}
		buf_put(b, h, 16);
	}
}

/*
 * Sends START and takes the answer: the records the peer sends (kind 3)
 * into *got, until its RECONCILE. 1 if that says DONE, 0 if not, -1 if the
 * connection failed.
 */
static int reconcile_pass(struct conn *c, const struct table *ours,
			  struct table *got)
{
	struct buf b = { };
	struct record r;
	struct frame f;
	int ret;

	start_message(ours, &b);
	ret = conn_send(c, T_RECONCILE, b.p, b.len);
	buf_free(&b);
	if (ret)
		return -1;
	for (;;) {
		ret = conn_recv(c, &f, 30000);
		if (ret <= 0) {
			fprintf(stderr, "%s: no answer to our RECONCILE\n", prog);
			return -1;
		}
		if (f.type == T_RECONCILE)
			return f.len == 1 && f.p[0] == RC_DONE;
		if (f.type != T_RECORD)
			continue;
		if (record_received(c, &f, &r))
			return -1;
		table_put(got, &r);
		record_free(&r);
	}
}

static bool step(void)
{
	char line[256];

	fflush(stdout);
	return !opt.step || fgets(line, sizeof(line), stdin);
}

static int cmd_sync(char **argv, u32 max_record_size)
{
	struct table t = { }, diff = { };
	struct target tg;
	struct conn c;
	int bad = 0, done;

	target_args(argv, &tg, max_record_size);
	connect_peer(&c, &tg, opt.synchronized, opt.force);
	if (opt.step) {
		/* Connected, not synchronized, nothing asked yet. */
		printf("{\"connected\":\"%s\"}\n", c.peer_identity);
		step();
	}
	if (opt.synchronized) {
		/* An empty table, listed: everything differs. */
		done = reconcile_pass(&c, &t, &t);
		if (done < 0)
			return 1;
		table_sort(&t);
		if (!done) {
			fprintf(stderr, "%s: the answer to an empty list is not DONE\n", prog);
			return 1;
		}
	} else if (solicit(&c, &t, 30000)) {
		return 1;
	}
	print_table(&tg.g, &t, &bad);
	fprintf(stderr, "%s: %zu records from %s, %d that do not verify or are not bound\n",
		prog, t.n, c.peer_identity, bad);
	/* -S: the connection stays until a line more. */
	step();
	if (!bad && opt.reconcile) {
		done = reconcile_pass(&c, &t, &diff);
		if (done < 0)
			return 1;
		fprintf(stderr, "%s: reconciled: %s, %zu records differ\n", prog,
			done ? "DONE in one round trip" : "the peer asks for more",
			diff.n);
		if (!done || diff.n)
			bad++;
	}
	conn_close(&c);
	table_free(&t);
	table_free(&diff);
	return bad ? 1 : 0;
}

/* Records of our own */

static void set_attr_str(struct attr *a, const char *name, const char *v)
{
	a->name = xstrndup(name, strlen(name));
	a->kind = A_STR;
	a->len = strlen(v);
	a->str = (u8 *)xstrndup(v, a->len);
}

static void set_data(struct record *r, const char *what, const char *who)
{
	char s[300];

	free(r->data);
	snprintf(s, sizeof(s), "%s %s", what, who);
	r->data_len = strlen(s);
	r->data = (u8 *)xstrndup(s, r->data_len);
}

/* A new record of @identity: version 1, id bound to it, an hour to live. */
void record_new(const struct conn *c, const char *identity, const u8 type[16],
		struct record *r)
{
	char colour[300];

	memset(r, 0, sizeof(*r));
	id_binding(identity, r->id);
	random_bytes(r->id + 8, 8);
	memcpy(r->type, type, 16);
	r->version = 1;
	r->creator = xstrndup(identity, strlen(identity));
	r->modifier = xstrndup(identity, strlen(identity));
	r->created = r->modified = peer_now(c);
	r->expires = r->created + 3600 * 1000000000ULL;
	r->nattrs = 2;
	r->attrs = xcalloc(2, sizeof(*r->attrs));
	snprintf(colour, sizeof(colour), "peer-%s", identity);
	set_attr_str(&r->attrs[0], "colour", colour);
	r->attrs[1].name = xstrndup("count", 5);
	r->attrs[1].kind = A_INT;
	r->attrs[1].val = 7;
	set_data(r, "hello from", identity);
	record_sign(c->g, r);
}

/*
 * Our membership record in a pki group (records.rst, "The pki provider"):
 * of the reserved type, autorefresh, a day to live or to our
 * certificate's end, its data our chain. Not signed yet.
 */
static void record_membership(const struct conn *c, const char *identity,
			      struct record *r)
{
	u64 day;
	const u8 *chain;
	size_t n;

	record_new(c, identity, opt.type, r);
	pki_membership_type_set(r->type);
	r->flags = PEERGROUP_RECORD_F_AUTOREFRESH;
	day = r->modified + 86400 * 1000000000ULL;
	r->expires = day < pki_not_after(c->g) ? day : pki_not_after(c->g);
	for (u32 i = 0; i < r->nattrs; i++) {
		free(r->attrs[i].name);
		free(r->attrs[i].str);
	}
	r->nattrs = 0;
	chain = pki_chain(c->g, &n);
	free(r->data);
	r->data = xmalloc(n);
	memcpy(r->data, chain, n);
	r->data_len = n;
}

/* The next version of @old, by @identity, now. */
static void record_next(const struct conn *c, const struct record *old,
			const char *identity, struct record *r)
{
	u64 now = peer_now(c);

	record_copy(r, old);
	r->version++;
	free(r->modifier);
	r->modifier = xstrndup(identity, strlen(identity));
	r->modified = now > old->modified ? now : old->modified + 1;
	if (r->expires <= r->modified + 3600 * 1000000000ULL)
		r->expires = r->modified + 3600 * 1000000000ULL;
	set_data(r, "updated by", identity);
	record_sign(c->g, r);
}

#define ACTIONS "not create, update=ID, bad-signature, unbound, non-ascii-name, " \
	"longest, forever, retype=ID, recreate=ID, reflag=ID, ahead=ID, " \
	"version-max=ID, version-limit=ID, props=V, membership, forge=ID or outlive"

/* The updates of a record of the table, by name: what each changes. */
enum hostile_kind {
	H_UPDATE, H_RETYPE, H_RECREATE, H_REFLAG, H_AHEAD, H_VERSION_MAX,
	H_VERSION_LIMIT, H_FORGE,
};

static const char *const hostile[] = {
	[H_UPDATE] = "update=",
	[H_RETYPE] = "retype=",
	[H_RECREATE] = "recreate=",
	[H_REFLAG] = "reflag=",
	[H_AHEAD] = "ahead=",
	[H_VERSION_MAX] = "version-max=",
	[H_VERSION_LIMIT] = "version-limit=",
	[H_FORGE] = "forge=",
	NULL,
};

/* The index in hostile[] of @action's name, or -1. */
static int hostile_of(const char *action)
{
	for (int i = 0; hostile[i]; i++)
		if (!strncmp(action, hostile[i], strlen(hostile[i])))
			return i;
	return -1;
}

/* The next version of record ID (after "name="), changed as named. */
static void build_update(const struct conn *c, const struct target *tg,
			 struct table *t, const char *action,
			 enum hostile_kind kind,
			 struct record *r)
{
	const char *arg = action + strlen(hostile[kind]);
	const u64 sec = 1000000000ULL;
	struct record *old;
	u8 id[16];

	if (guid_parse(arg, id))
		bad_arg("ACTION's ID", arg, "not a record id");
	old = table_find(t, id);
	if (!old)
		bad_arg("ACTION's ID", arg, "no such record in the table");
	/*
	 * A member of a psk group signs as anyone: as the creator here; in a
	 * pki group it signs with its own key all the same (forge).
	 */
	record_next(c, old, kind == H_UPDATE ? tg->identity : old->creator, r);
	switch (kind) {
	case H_UPDATE: break;
	case H_RETYPE: r->type[0] ^= 0x01; break;
	case H_RECREATE: r->created -= sec; break;
	case H_REFLAG: r->flags ^= PEERGROUP_RECORD_F_AUTOREFRESH; break;
	case H_AHEAD:
		r->modified += 3600 * sec;
		r->expires = r->modified + 3600 * sec;
		r->version = 65536 + (r->modified - r->created) / sec;
		break;
	case H_VERSION_MAX: r->version = 0xffffffffU; break;
	case H_VERSION_LIMIT: r->version = 65536 + (r->modified - r->created) / sec; break;
	case H_FORGE: break;
	}
	record_sign(c->g, r);
}

static void build_action(const struct conn *c, const struct target *tg,
			 struct table *t, const char *action, struct record *r)
{
	int kind = hostile_of(action);

	if (!strcmp(action, "create")) {
		record_new(c, tg->identity, opt.type, r);
	} else if (kind >= 0) {
		build_update(c, tg, t, action, kind, r);
	} else if (!strcmp(action, "bad-signature")) {
		record_new(c, tg->identity, opt.type, r);
		/* pki: a byte of the signature, after format, signer, length */
		r->sec[c->g->pki ? 40 : 7] ^= 0x20;
	} else if (!strcmp(action, "membership") || !strcmp(action, "outlive")) {
		if (!c->g->pki)
			die("%s: not a pki group", action);
		if (action[0] == 'm')
			record_membership(c, tg->identity, r);
		else
			record_new(c, tg->identity, opt.type, r);
		if (action[0] == 'o')
			r->expires = pki_not_after(c->g) + 86400 * 1000000000ULL;
		record_sign(c->g, r);
	} else if (!strcmp(action, "unbound")) {
		record_new(c, tg->identity, opt.type, r);
		r->id[3] ^= 0x5a;
		record_sign(c->g, r);
	} else if (!strcmp(action, "longest") || !strcmp(action, "forever")) {
		record_new(c, tg->identity, opt.type, r);
		if (!props_lifetime(c))
			die("%s: the peer sent no PROPERTIES: no max lifetime", action);
		r->expires = r->modified + props_lifetime(c) +
			     (action[0] == 'f' ? 1000000000ULL : 0);
		record_sign(c->g, r);
	} else if (!strcmp(action, "non-ascii-name")) {
		struct attr colour;

		record_new(c, tg->identity, opt.type, r);
		/* "c\xf6lour" sorts after "count" now. */
		colour = r->attrs[0];
		colour.name[1] = (char)0xf6;
		r->attrs[0] = r->attrs[1];
		r->attrs[1] = colour;
		record_sign(c->g, r);
	} else {
		bad_arg("ACTION", action, ACTIONS);
	}
}

static bool known_action(const char *a)
{
	return !strcmp(a, "create") || hostile_of(a) >= 0 ||
	       !strcmp(a, "membership") || !strcmp(a, "outlive") ||
	       !strcmp(a, "bad-signature") || !strcmp(a, "unbound") ||
	       !strcmp(a, "non-ascii-name") || !strcmp(a, "longest") ||
	       !strcmp(a, "forever") || !strncmp(a, "props=", 6);
}

/*
 * Action props=V: the peer's PROPERTIES back, of version V and max records
 * 4242, signed with our key in a pki group; then a solicit, which tells
 * whether the connection stayed.
 */
static int send_props(struct conn *c, const char *action)
{
	u32 version = number_arg("ACTION props=V", action + 6, 1, 0xffffffffL);
	struct buf p = { }, sig = { };
	struct table after = { };
	size_t at, fields;
	int ret;

	if (!c->props_len) {
		fprintf(stderr, "%s: the peer sent no PROPERTIES to send back\n", prog);
		return -1;
	}
	/* After the creator: version, flags, max record size, max records. */
	at = 2 + get_be(c->props, 2);
	fields = at + W_PROPS_FIXED;
	buf_put(&p, c->props, fields);
	put_be(p.p + at, version, 4);
	put_be(p.p + at + 12, 4242, 4);
	if (c->g->pki)
		pki_props_sign(c->g, p.p, fields, &sig);
	buf_be(&p, sig.len, 2);
	buf_put(&p, sig.p, sig.len);
	ret = conn_send(c, T_PROPERTIES, p.p, p.len);
	buf_free(&p);
	buf_free(&sig);
	if (!ret)
		ret = solicit(c, &after, 30000);
	table_free(&after);
	printf("{\"action\":\"%s\",\"version\":%u,\"outcome\":\"%s\"}\n", action, version,
	       !ret ? "kept" : c->eof || c->refused ? "closed" : "error");
	return ret;
}

static const char *outcome(const struct table *before, struct table *after,
			   const struct record *sent)
{
	struct table expect = { };
	const char *what = "changed";

	if (table_same(before, after))
		return "refused";
	/* Stored: the table before, with exactly this copy in it. */
	for (size_t i = 0; i < before->n; i++)
		table_put(&expect, &before->r[i]);
	table_put(&expect, sent);
	table_sort(&expect);
	if (table_same(&expect, after))
		what = "stored";
	table_free(&expect);
	return what;
}

static int cmd_send(int argc, char **argv, u32 max_record_size)
{
	struct table t = { };
	struct target tg;
	struct conn c;
	int i;

	target_args(argv, &tg, max_record_size);
	/* Validate every action before anything is sent. */
	for (i = 5; i < argc; i++)
		if (!known_action(argv[i]))
			bad_arg("ACTION", argv[i], ACTIONS);
	connect_peer(&c, &tg, false, opt.force);
	if (solicit(&c, &t, 30000))
		return 1;
	if (opt.step)
		printf("{\"connected\":\"%s\",\"records\":%zu}\n", c.peer_identity, t.n);
	for (i = 5; i < argc && step(); i++) {
		struct table after = { };
		struct record r;
		struct buf b = { };
		char id[37];
		int ret;

		if (!strncmp(argv[i], "props=", 6)) {
			if (send_props(&c, argv[i]))
				break;
			continue;
		}
		build_action(&c, &tg, &t, argv[i], &r);
		record_wire(&tg.g, &r, 0, &b);
		ret = conn_send(&c, T_RECORD, b.p, b.len);
		buf_free(&b);
		if (!ret)
			ret = solicit(&c, &after, 30000);
		guid_format(r.id, id);
		printf("{\"action\":\"%s\",\"id\":\"%s\",\"version\":%u,\"outcome\":\"%s\",\"properties\":%llu}\n",
		       argv[i], id, r.version, !ret ? outcome(&t, &after, &r) :
		       c.eof || c.refused ? "closed" : "error",
		       (unsigned long long)c.properties_rx);
		if (ret) {
			record_free(&r);
			table_free(&after);
			break;
		}
		record_free(&r);
		table_free(&t);
		t = after;
	}
	if (i == argc)
		step();
	conn_close(&c);
	table_free(&t);
	if (i < argc && !c.eof && !c.refused) {
		fprintf(stderr, "%s: the table after action %s did not come\n", prog, argv[i]);
		return 1;
	}
	return 0;
}

static int cmd_challenge(char **argv, u32 max_record_size)
{
	struct target tg;
	struct conn c;
	int fd, tries, ret = -1;

	target_args(argv, &tg, max_record_size);
	if (tg.g.pki)
		bad_arg("PASSWORD", argv[4], "challenge is for psk groups");
	for (tries = 0; tries < 100 && ret; tries++) {
		fd = tcp_connect(tg.addr, tg.port);
		if (fd < 0)
			return 1;
		conn_init(&c, fd, &tg.g);
		ret = challenge_check(&c, tg.identity, argv[4]);
		conn_close(&c);
		if (ret && c.refused)
			return 3;
		if (ret)
			usleep(100000);
	}
	return ret ? 1 : 0;
}

static int cmd_respond(char **argv, u32 max_record_size)
{
	char *targv[] = { "0.0.0.0", argv[0], argv[1], argv[2], argv[3] };
	struct target tg;
	struct conn c;
	int lfd, fd;

	target_args(targv, &tg, max_record_size);
	lfd = tcp_listen(argv[0]);
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept: %s", strerror(errno));
		/* As tcp_connect() leaves its sockets: conn_recv() polls. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		conn_init(&c, fd, &tg.g);
		if (!respond_refuse(&c, tg.identity))
			printf("refused %s\n", c.peer_identity);
		fflush(stdout);
		conn_close(&c);
	}
}

int main(int argc, char **argv)
{
	u32 max_record_size = PEERGROUP_RECORD_SIZE_DEFAULT;
	int ch;

	guid_parse("5f0c1d2e-3a4b-4c5d-8e9f-a0b1c2d3e4f5", opt.type);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("PEERGROUP_KDF") && *getenv("PEERGROUP_KDF") &&
	    kdf_parse(getenv("PEERGROUP_KDF"), &peer_kdf))
		bad_arg("PEERGROUP_KDF", getenv("PEERGROUP_KDF"),
			"not time=N,memory=N[k|m|g],lanes=N");
	while ((ch = getopt(argc, argv, "+vsrfST:m:t:p:c:k:")) != -1) {
		switch (ch) {
		case 'k':
			peer_kdf = (struct kdf){ 3, 65536, 4 };
			if (kdf_parse(optarg, &peer_kdf))
				bad_arg("-k KDF", optarg,
					"not time=N,memory=N[k|m|g],lanes=N");
			break;
		case 'v': verbose++; break;
		case 's': opt.synchronized = true; break;
		case 'r': opt.reconcile = true; break;
		case 'f': opt.force = true; break;
		case 'S': opt.step = true; break;
		case 'T':
			welcome_skew_ns = number_arg("-T MS", optarg, -86400000L,
						     86400000L) * 1000000LL;
			break;
		case 'm':
			max_record_size = number_arg("-m BYTES", optarg,
						     PEERGROUP_RECORD_SIZE_MIN,
						     PEERGROUP_RECORD_SIZE_MAX);
			break;
		case 't':
			if (guid_parse(optarg, opt.type))
				bad_arg("-t UUID", optarg, "not a UUID");
			break;
		case 'p':
		case 'c':
			fuzz_option(ch, optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (!strcmp(argv[0], "sync") && argc == 6)
		return cmd_sync(argv + 1, max_record_size);
	if (!strcmp(argv[0], "send") && argc >= 7)
		return cmd_send(argc - 1, argv + 1, max_record_size);
	if (!strcmp(argv[0], "challenge") && argc == 6)
		return cmd_challenge(argv + 1, max_record_size);
	if (!strcmp(argv[0], "respond") && argc == 5)
		return cmd_respond(argv + 1, max_record_size);
	if (!strcmp(argv[0], "fuzz") && argc == 8)
		return fuzz_main(argv + 1, max_record_size);
	if (!strcmp(argv[0], "relay") && argc == 6)
		return relay_main(argv + 1);
	if (!strcmp(argv[0], "flood") && argc == 6)
		return flood_main(argv + 1);
	usage();
}
