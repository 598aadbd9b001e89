// SPDX-License-Identifier: GPL-2.0
/*
 * A generic netlink fuzzer for the peergroup family.
 *
 * For every command a valid template is built as a tree of attributes, then
 * mutated: attributes removed, duplicated, reordered, moved into or out of
 * nests, wrapped in new nests, given random types, payloads and boundary
 * values; the generic netlink header gets random commands, versions and
 * flags (NLM_F_DUMP among them); the serialized bytes get bit flips,
 * truncations and corrupted length fields. A few templates go out intact.
 *
 * Messages go out on a raw netlink socket, one at a time; every answer is
 * read, dumps to their end (see transact()). Work is done in batches: the
 * target group's table and the namespace's groups are snapshot before a
 * batch, and when every message of the batch was rejected (an error, or
 * never processed), they must be unchanged after it. At the end the
 * module must still answer and work; the VM harness catches splats and
 * leaks.
 *
 * PG_FUZZ_MESSAGES (default 100000) messages, PG_FUZZ_SEED (default: the
 * time) seeds the choices; the seed is printed, and a run with the same
 * seed makes the same choices (record ids, chosen by the kernel, differ).
 * Runs as root in a network namespace of its own.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/peergroup.h>

#include "kselftest_harness.h"
#include "libpeergroup.h"
#include "pg_selftest.h"

#define TARGET		"fuzz"
#define IDENTITY	"alice"
#define BATCH		16
#define TARGET_RECORDS	16
#define MAX_RECORDS	64	/* the target is made anew above this */
#define MAX_GROUPS	32	/* the namespace is cleaned above this */

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/*
 * The message as a tree: node 0 is the list of top-level attributes; a
 * node is a nest (kids) or a leaf (data).
 */
#define MAXNODES	128
#define MAXKIDS		24
#define MAXPAY		320

struct fnode {
	uint16_t type;
	bool nest;
	uint16_t len;
	int parent;
	int nkids;
	int kids[MAXKIDS];
	uint8_t data[MAXPAY];
};

struct fmsg {
	uint16_t nltype, nlflags;
	uint8_t cmd, version;
	int nnodes;
	struct fnode n[MAXNODES];
};

static int node_new(struct fmsg *m, int parent, uint16_t type, bool nest)
{
	struct fnode *p = &m->n[parent], *c;
	int i;

	if (m->nnodes >= MAXNODES || p->nkids >= MAXKIDS)
		return -1;
	i = m->nnodes++;
	c = &m->n[i];
	memset(c, 0, sizeof(*c));
	/* Strict validation wants the flag on every nest. */
	c->type = nest ? type | NLA_F_NESTED : type;
	c->nest = nest;
	c->parent = parent;
	p->kids[p->nkids++] = i;
	return i;
}

static void put(struct fmsg *m, int parent, uint16_t type, const void *data,
		size_t len)
{
	int i = node_new(m, parent, type, false);

	if (i < 0)
		return;
	if (len > MAXPAY)
		len = MAXPAY;
	memcpy(m->n[i].data, data, len);
	m->n[i].len = len;
}

static void put_str(struct fmsg *m, int parent, uint16_t type, const char *s)
{
	put(m, parent, type, s, strlen(s) + 1);
}

static void put_u8(struct fmsg *m, int parent, uint16_t type, uint8_t v)
{
	put(m, parent, type, &v, sizeof(v));
}

static void put_u32(struct fmsg *m, int parent, uint16_t type, uint32_t v)
{
	put(m, parent, type, &v, sizeof(v));
}

static void put_u64(struct fmsg *m, int parent, uint16_t type, uint64_t v)
{
	put(m, parent, type, &v, sizeof(v));
}

static int nest(struct fmsg *m, int parent, uint16_t type)
{
	int i = node_new(m, parent, type, true);

	return i < 0 ? 0 : i;	/* out of room: the rest goes to the top */
}

static void msg_init(struct fmsg *m, uint8_t cmd, uint16_t flags)
{
	m->nltype = 0;		/* the family id, filled in when sent */
	m->nlflags = NLM_F_REQUEST | flags;
	m->cmd = cmd;
	m->version = PEERGROUP_GENL_VERSION;
	m->nnodes = 1;
	memset(&m->n[0], 0, sizeof(m->n[0]));
	m->n[0].nest = true;
	m->n[0].parent = -1;
}

/* What the templates draw on: the target's state before the batch. */
struct context {
	uint64_t peer_now;
	const struct pg_record *live;	/* a live record, or NULL */
	const struct pg_record *any;	/* any record, or NULL */
};

static const uint8_t fuzz_type[PG_GUID_LEN] = {
	0x46, 0x75, 0x7a, 0x7a, 0x10, 0x20, 0x30, 0x40,
	0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0,
};

static void put_attrs(struct fmsg *m, int rec)
{
	int attrs = nest(m, rec, PEERGROUP_RECORD_A_ATTRS), a;

	a = nest(m, attrs, PEERGROUP_ATTRS_A_ATTR);
	put_str(m, a, PEERGROUP_ATTR_A_NAME, "colour");
	put_str(m, a, PEERGROUP_ATTR_A_STR, "blue");
	a = nest(m, attrs, PEERGROUP_ATTRS_A_ATTR);
	put_str(m, a, PEERGROUP_ATTR_A_NAME, "count");
	put_u64(m, a, PEERGROUP_ATTR_A_INT, 42);
	a = nest(m, attrs, PEERGROUP_ATTRS_A_ATTR);
	put_str(m, a, PEERGROUP_ATTR_A_NAME, "when");
	put_u64(m, a, PEERGROUP_ATTR_A_DATE, 1700000000000000000ull);
}

/* A whole record as a dump returns it (the import template). */
static void put_record(struct fmsg *m, int parent, const struct pg_record *r)
{
	int rec = nest(m, parent, PEERGROUP_A_RECORD), attrs, a;
	size_t i;

	put(m, rec, PEERGROUP_RECORD_A_ID, r->id, PG_GUID_LEN);
	put(m, rec, PEERGROUP_RECORD_A_TYPE, r->type, PG_GUID_LEN);
	put_u32(m, rec, PEERGROUP_RECORD_A_VERSION, r->version);
	put_u32(m, rec, PEERGROUP_RECORD_A_FLAGS, r->flags);
	if (r->creator)
		put_str(m, rec, PEERGROUP_RECORD_A_CREATOR, r->creator);
	if (r->modifier)
		put_str(m, rec, PEERGROUP_RECORD_A_MODIFIER, r->modifier);
	put_u64(m, rec, PEERGROUP_RECORD_A_CREATED, r->created);
	put_u64(m, rec, PEERGROUP_RECORD_A_MODIFIED, r->modified);
	put_u64(m, rec, PEERGROUP_RECORD_A_EXPIRES, r->expires);
	if (r->nattrs) {
		attrs = nest(m, rec, PEERGROUP_RECORD_A_ATTRS);
		for (i = 0; i < r->nattrs; i++) {
			const struct pg_attribute *at = &r->attrs[i];

			a = nest(m, attrs, PEERGROUP_ATTRS_A_ATTR);
			put_str(m, a, PEERGROUP_ATTR_A_NAME, at->name);
			if (at->kind == PG_ATTR_STRING)
				put_str(m, a, PEERGROUP_ATTR_A_STR, at->str);
			else if (at->kind == PG_ATTR_INT)
				put_u64(m, a, PEERGROUP_ATTR_A_INT, at->i);
			else
				put_u64(m, a, PEERGROUP_ATTR_A_DATE, at->date);
		}
	}
	put(m, rec, PEERGROUP_RECORD_A_SECURITY, r->security, r->security_len);
	if (r->data_len)
		put(m, rec, PEERGROUP_RECORD_A_DATA, r->data, r->data_len);
}

static const uint8_t *some_id(const struct context *c)
{
	static const uint8_t none[PG_GUID_LEN] = { 1, 2, 3 };

	return c->live ? c->live->id : none;
}

#define TEMPLATES 15

/* Template @t: a valid request (given the context) for one command. */
static void build_template(struct fmsg *m, int t, const struct context *c)
{
	char name[16];
	int rec, q, and, or, cl;

	switch (t) {
	case 0:
		msg_init(m, PEERGROUP_CMD_GROUP_ADD, 0);
		snprintf(name, sizeof(name), "fz-%u", below(1000));
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, name);
		put_str(m, 0, PEERGROUP_A_IDENTITY, IDENTITY);
		if (chance(50)) {
			put(m, 0, PEERGROUP_A_GROUP_KEY,
			    "a group key of thirty-two bytes", 32);
			put_u32(m, 0, PEERGROUP_A_GROUP_KDF_TIME, 1);
			put_u32(m, 0, PEERGROUP_A_GROUP_KDF_MEMORY, 64);
			put_u32(m, 0, PEERGROUP_A_GROUP_KDF_LANES, 1);
		}
		if (chance(30))
			put_str(m, 0, PEERGROUP_A_GROUP_CREATOR, "bob");
		break;
	case 1:
		msg_init(m, PEERGROUP_CMD_GROUP_DEL, 0);
		snprintf(name, sizeof(name), "fz-%u", below(1000));
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, name);
		break;
	case 2:
		msg_init(m, PEERGROUP_CMD_GROUP_GET, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		break;
	case 3:
		msg_init(m, PEERGROUP_CMD_GROUP_GET, NLM_F_DUMP);
		break;
	case 4:
		msg_init(m, PEERGROUP_CMD_GROUP_SET, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		put_u32(m, 0, PEERGROUP_A_GROUP_FLAGS, PEERGROUP_GROUP_F_DEFER_EXPIRATION);
		put_u32(m, 0, PEERGROUP_A_GROUP_MAX_RECORD_SIZE, 4096);
		put_u32(m, 0, PEERGROUP_A_GROUP_MAX_RECORDS, 5000);
		put_u64(m, 0, PEERGROUP_A_GROUP_MAX_BYTES, 1 << 24);
		put_u32(m, 0, PEERGROUP_A_GROUP_MAX_LIFETIME, 7 * 86400);
		break;
	case 5:
		msg_init(m, PEERGROUP_CMD_GROUP_TIME, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		put_u64(m, 0, chance(50) ? PEERGROUP_A_TIME_UTC : PEERGROUP_A_TIME_PEER,
			c->peer_now);
		break;
	case 6:
		msg_init(m, PEERGROUP_CMD_RECORD_ADD, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		rec = nest(m, 0, PEERGROUP_A_RECORD);
		put(m, rec, PEERGROUP_RECORD_A_TYPE, fuzz_type, PG_GUID_LEN);
		put_u64(m, rec, PEERGROUP_RECORD_A_EXPIRES, c->peer_now + NS_PER_DAY);
		if (chance(30))
			put_u32(m, rec, PEERGROUP_RECORD_A_FLAGS, PEERGROUP_RECORD_F_AUTOREFRESH);
		put_attrs(m, rec);
		put(m, rec, PEERGROUP_RECORD_A_DATA, "some application data", 21);
		break;
	case 7:
		msg_init(m, PEERGROUP_CMD_RECORD_UPDATE, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		rec = nest(m, 0, PEERGROUP_A_RECORD);
		put(m, rec, PEERGROUP_RECORD_A_ID, some_id(c), PG_GUID_LEN);
		put(m, rec, PEERGROUP_RECORD_A_TYPE,
		    c->live ? c->live->type : fuzz_type, PG_GUID_LEN);
		put_u32(m, rec, PEERGROUP_RECORD_A_FLAGS, c->live ? c->live->flags : 0);
		put_u64(m, rec, PEERGROUP_RECORD_A_EXPIRES,
			(c->live ? c->live->expires : c->peer_now) + NS_PER_DAY);
		put_attrs(m, rec);
		put(m, rec, PEERGROUP_RECORD_A_DATA, "new data", 8);
		break;
	case 8:
		msg_init(m, PEERGROUP_CMD_RECORD_DEL, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		rec = nest(m, 0, PEERGROUP_A_RECORD);
		put(m, rec, PEERGROUP_RECORD_A_ID, some_id(c), PG_GUID_LEN);
		break;
	case 9:
		msg_init(m, PEERGROUP_CMD_RECORD_GET, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		rec = nest(m, 0, PEERGROUP_A_RECORD);
		put(m, rec, PEERGROUP_RECORD_A_ID, some_id(c), PG_GUID_LEN);
		break;
	case 10:
		msg_init(m, PEERGROUP_CMD_RECORD_GET, NLM_F_DUMP);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		if (chance(50))
			put(m, 0, PEERGROUP_A_RECORD_TYPE, fuzz_type, PG_GUID_LEN);
		if (chance(50))
			put_str(m, 0, PEERGROUP_A_RECORD_CREATOR, IDENTITY);
		put_u32(m, 0, PEERGROUP_A_DUMP_FLAGS, PEERGROUP_DUMP_F_TOMBSTONES);
		break;
	case 11:
		msg_init(m, PEERGROUP_CMD_RECORD_SEARCH, NLM_F_DUMP);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		q = nest(m, 0, PEERGROUP_A_QUERY);
		and = nest(m, q, PEERGROUP_QUERY_A_AND);
		cl = nest(m, and, PEERGROUP_QUERY_A_CLAUSE);
		put_str(m, cl, PEERGROUP_CLAUSE_A_ATTR, "count");
		put_u8(m, cl, PEERGROUP_CLAUSE_A_COMPARE, 1 + below(PEERGROUP_COMPARE_MAX));
		put_u64(m, cl, PEERGROUP_CLAUSE_A_INT, 42);
		or = nest(m, and, PEERGROUP_QUERY_A_OR);
		cl = nest(m, or, PEERGROUP_QUERY_A_CLAUSE);
		put_str(m, cl, PEERGROUP_CLAUSE_A_ATTR, "colour");
		put_str(m, cl, PEERGROUP_CLAUSE_A_STR, chance(50) ? "b*\\*?e" : "blue");
		cl = nest(m, or, PEERGROUP_QUERY_A_CLAUSE);
		put_str(m, cl, PEERGROUP_CLAUSE_A_ATTR, "peercreationtime");
		put_u8(m, cl, PEERGROUP_CLAUSE_A_COMPARE, PEERGROUP_COMPARE_LESS);
		put_u64(m, cl, PEERGROUP_CLAUSE_A_DATE, c->peer_now);
		break;
	case 12:
		msg_init(m, PEERGROUP_CMD_RECORD_IMPORT, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		if (c->any)
			put_record(m, 0, c->any);
		break;
	case 13:
		/* Notifications are not requests. */
		msg_init(m, chance(50) ? PEERGROUP_CMD_RECORD_EVENT : PEERGROUP_CMD_GROUP_EVENT, 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		break;
	default:
		/* No command at all, or one past the last. */
		msg_init(m, chance(50) ? PEERGROUP_CMD_UNSPEC : PEERGROUP_CMD_MAX + 1 + below(8), 0);
		put_str(m, 0, PEERGROUP_A_GROUP_NAME, TARGET);
		break;
	}
}

/* Mutations of the tree. */
static int pick_node(struct fmsg *m)
{
	int i;

	if (m->nnodes < 2)
		return -1;
	for (i = 0; i < 8; i++) {
		int k = 1 + below(m->nnodes - 1);

		if (m->n[k].parent >= 0)	/* still attached */
			return k;
	}
	return -1;
}

static int pick_nest(struct fmsg *m)
{
	int i, k;

	for (i = 0; i < 8; i++) {
		k = below(m->nnodes);
		if (m->n[k].nest && (k == 0 || m->n[k].parent >= 0))
			return k;
	}
	return 0;
}

static void detach(struct fmsg *m, int k)
{
	struct fnode *p = &m->n[m->n[k].parent];
	int i;

	for (i = 0; i < p->nkids; i++) {
		if (p->kids[i] == k) {
			memmove(&p->kids[i], &p->kids[i + 1],
				(p->nkids - i - 1) * sizeof(int));
			p->nkids--;
			break;
		}
	}
	m->n[k].parent = -1;
}

static bool is_within(struct fmsg *m, int k, int ancestor)
{
	for (; k >= 0; k = m->n[k].parent)
		if (k == ancestor)
			return true;
	return false;
}

static int copy_node(struct fmsg *m, int k, int parent)
{
	int c = node_new(m, parent, m->n[k].type, m->n[k].nest), i, nk;

	if (c < 0)
		return -1;
	m->n[c].len = m->n[k].len;
	memcpy(m->n[c].data, m->n[k].data, m->n[k].len);
	nk = m->n[k].nkids;
	for (i = 0; i < nk; i++)
		copy_node(m, m->n[k].kids[i], c);
	return c;
}

static const uint64_t boundaries[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
	PEERGROUP_RECORD_SIZE_MIN - 1, PEERGROUP_RECORD_SIZE_MAX + 1,
	PEERGROUP_MAX_RECORDS_LIMIT + 1, PEERGROUP_MAX_BYTES_MIN - 1,
	PEERGROUP_MAX_LIFETIME_LIMIT + 1,
};

static void random_payload(struct fnode *f)
{
	static const uint8_t sizes[] = { 1, 2, 4, 8 };
	uint64_t v;
	size_t i;

	switch (below(6)) {
	case 0:		/* a boundary value in one of the integer sizes */
		v = boundaries[below(sizeof(boundaries) / sizeof(boundaries[0]))];
		f->len = sizes[below(4)];
		memcpy(f->data, &v, f->len);
		break;
	case 1:		/* random bytes */
		f->len = below(48);
		for (i = 0; i < f->len; i++)
			f->data[i] = rnd();
		break;
	case 2:		/* a long string, terminated or not */
		f->len = 60 + below(MAXPAY - 60);
		memset(f->data, 'a' + below(26), f->len);
		if (chance(50))
			f->data[f->len - 1] = '\0';
		break;
	case 3:		/* shorter or longer by a little */
		f->len = f->len > 4 && chance(50) ? f->len - 1 - below(4) :
			 f->len + 1 + below(4);
		if (f->len > MAXPAY)
			f->len = MAXPAY;
		break;
	case 4:		/* empty */
		f->len = 0;
		break;
	default: {	/* a string that is no name: escapes, wildcards, UTF-8 */
		static const char *const odd[] = {
			"", "*", "\\", "\\x", "a\\", "??*\\?", "\xff\xfe",
			"\xc3\x28", "peerrecordid", "has space", "x",
		};
		const char *s = odd[below(sizeof(odd) / sizeof(odd[0]))];

		f->len = strlen(s) + 1;
		memcpy(f->data, s, f->len);
		break;
	}
	}
}

static uint16_t random_type(void)
{
	uint16_t t = below(chance(90) ? 32 : 0x4000);

	if (chance(10))
		t |= NLA_F_NESTED;
	if (chance(3))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

static void mutate_tree(struct fmsg *m)
{
	int k = pick_node(m), p, i, w, a, b;
	struct fnode *f;

	switch (below(12)) {
	case 0:		/* remove an attribute */
		if (k > 0)
			detach(m, k);
		break;
	case 1:		/* duplicate one */
		if (k > 0 && (w = copy_node(m, k, m->n[k].parent)) > 0) {
			/* right after the original */
			f = &m->n[m->n[k].parent];
			for (i = f->nkids - 1; i > 0 && f->kids[i - 1] != k; i--)
				f->kids[i] = f->kids[i - 1];
			f->kids[i] = w;
		}
		break;
	case 2:		/* reorder two siblings */
		p = pick_nest(m);
		f = &m->n[p];
		if (f->nkids >= 2) {
			a = below(f->nkids);
			b = below(f->nkids);
			w = f->kids[a];
			f->kids[a] = f->kids[b];
			f->kids[b] = w;
		}
		break;
	case 3:		/* move into another nest, or up to the top */
		p = chance(30) ? 0 : pick_nest(m);
		if (k > 0 && !is_within(m, p, k) && m->n[p].nkids < MAXKIDS) {
			detach(m, k);
			m->n[k].parent = p;
			m->n[p].kids[m->n[p].nkids++] = k;
		}
		break;
	case 4:		/* wrap in a new nest */
		if (k > 0) {
			p = m->n[k].parent;
			w = node_new(m, p, random_type(), true);
			if (w > 0) {
				detach(m, k);
				m->n[k].parent = w;
				m->n[w].kids[m->n[w].nkids++] = k;
			}
		}
		break;
	case 5:		/* another type, or a nest without its flag */
		if (k > 0 && m->n[k].nest && chance(30))
			m->n[k].type &= ~NLA_F_NESTED;
		else if (k > 0)
			m->n[k].type = random_type();
		break;
	case 6:		/* another payload */
	case 7:
		if (k > 0 && !m->n[k].nest)
			random_payload(&m->n[k]);
		break;
	case 8:		/* a nest becomes bytes */
		if (k > 0 && m->n[k].nest) {
			m->n[k].nest = false;
			m->n[k].nkids = 0;
			random_payload(&m->n[k]);
		}
		break;
	case 9:		/* a new attribute somewhere */
		p = pick_nest(m);
		w = node_new(m, p, random_type(), false);
		if (w > 0)
			random_payload(&m->n[w]);
		break;
	case 10:	/* the generic netlink header */
		if (chance(50))
			m->cmd = chance(70) ? below(PEERGROUP_CMD_MAX + 4) : rnd();
		else
			m->version = rnd();
		break;
	default:	/* nlmsg flags: dump, create, excl, replace, echo... */
		m->nlflags ^= (uint16_t[]){ NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH,
			NLM_F_ATOMIC, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE,
			NLM_F_APPEND, NLM_F_ECHO, NLM_F_MULTI, NLM_F_REQUEST,
			1u << (4 + below(12)) }[below(12)];
		break;
	}
}

/* Serialized bytes, with the offsets of every attribute header. */
struct wire {
	uint8_t buf[32768];
	size_t len;
	size_t nla[MAXNODES];
	int nnla;
};

static void emit(struct fmsg *m, int k, struct wire *w)
{
	struct fnode *f = &m->n[k];
	size_t start = w->len;
	struct nlattr nla;
	int i;

	if (w->len + NLA_HDRLEN + MAXPAY + 4 > sizeof(w->buf))
		return;
	w->nla[w->nnla++] = start;
	w->len += NLA_HDRLEN;
	if (f->nest) {
		for (i = 0; i < f->nkids; i++)
			emit(m, f->kids[i], w);
	} else {
		memcpy(w->buf + w->len, f->data, f->len);
		w->len += f->len;
	}
	nla.nla_len = w->len - start;
	nla.nla_type = f->type;
	memcpy(w->buf + start, &nla, sizeof(nla));
	while (w->len % NLA_ALIGNTO)
		w->buf[w->len++] = 0;
}

static void serialize(struct fmsg *m, uint16_t family, uint32_t seq,
		      struct wire *w)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)w->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(w->buf + NLMSG_HDRLEN);
	int i;

	memset(w->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	w->len = NLMSG_HDRLEN + GENL_HDRLEN;
	w->nnla = 0;
	for (i = 0; i < m->n[0].nkids; i++)
		emit(m, m->n[0].kids[i], w);
	nlh->nlmsg_len = w->len;
	nlh->nlmsg_type = m->nltype ? m->nltype : family;
	/* Always asked for an ACK: silence then means "not processed". */
	nlh->nlmsg_flags = m->nlflags | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	g->cmd = m->cmd;
	g->version = m->version;
}

/* Mutations of the bytes; the netlink header itself stays whole. */
static void mutate_bytes(struct wire *w)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)w->buf;
	size_t body = w->len - NLMSG_HDRLEN, off;
	uint16_t len;
	int i;

	switch (below(5)) {
	case 0:		/* bit flips after the netlink header */
		for (i = 1 + below(8); i > 0 && body; i--) {
			off = NLMSG_HDRLEN + below(body);
			w->buf[off] ^= 1 << below(8);
		}
		break;
	case 1:		/* truncated, and the header says so */
		w->len = NLMSG_HDRLEN + below(body + 1);
		nlh->nlmsg_len = w->len;
		break;
	case 2:		/* an attribute's length corrupted */
		if (w->nnla) {
			off = w->nla[below(w->nnla)];
			memcpy(&len, w->buf + off, sizeof(len));
			len = (uint16_t[]){ 0, 1, 3, 4, 5, len - 1, len + 1,
					    len + 4, 0xffff, rnd() }[below(10)];
			memcpy(w->buf + off, &len, sizeof(len));
		}
		break;
	case 3:		/* the message's length corrupted */
		nlh->nlmsg_len = below(w->len + 64);
		break;
	default:	/* the bytes after the header replaced */
		w->len = NLMSG_HDRLEN + below(256);
		for (off = NLMSG_HDRLEN; off < w->len; off++)
			w->buf[off] = rnd();
		nlh->nlmsg_len = w->len;
		break;
	}
}

/*
 * The raw socket
 * --------------
 * Results of one message: what its answers said.
 */
enum result { R_REJECTED, R_SILENT, R_ACCEPTED };

struct fuzzer {
	int fd;
	uint16_t family;
	uint32_t seq;
	long sent, rejected, silent, accepted, dumps, overruns;
	long errnos[256];
	uint8_t rbuf[1 << 18];
};

static int raw_open(struct fuzzer *fz)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1, size = 1 << 21;

	fz->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fz->fd < 0 || bind(fz->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(fz->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setsockopt(fz->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fz->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return 0;
}

static int raw_send(struct fuzzer *fz, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(fz->fd, buf, len, 0, (struct sockaddr *)&sa,
		      sizeof(sa)) < 0 ? -errno : 0;
}

static int send_sentinel(struct fuzzer *fz, uint32_t seq)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = seq,
	};

	return raw_send(fz, &nlh, sizeof(nlh));
}

/* Errors a bad request may get; any other is reported. */
static bool expected_errno(int err)
{
	switch (err) {
	case EINVAL: case ERANGE: case ENOENT: case EEXIST: case EACCES:
	case EMSGSIZE: case EAGAIN: case EBUSY: case ENOSPC: case EOPNOTSUPP:
	case ENODEV: case E2BIG:
		return true;
	}
	return false;
}

/*
 * Sends @w and reads every answer. The kernel handles a generic netlink
 * request within the send: its answers are queued when send returns, but
 * for the rest of a dump, which each read of a part makes. So the answers
 * are read without waiting until none is left, and waiting while a dump
 * runs. Only when answers were lost (ENOBUFS) does a sentinel, an
 * NLMSG_NOOP whose ACK comes after everything before it, say when the
 * reading is done. Returns the result, or -errno when the socket failed
 * or an unexpected errno came back (*bad set).
 */
static int transact(struct fuzzer *fz, struct wire *w, int *bad)
{
	bool got_sentinel = true, dumping = false;
	enum result res = R_SILENT;
	uint32_t sentinel = 0;
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	int err, flags;
	ssize_t n;

	*bad = 0;
	fz->sent++;
	err = raw_send(fz, w->buf, w->len);
	if (err && err != -EINVAL && err != -EMSGSIZE)
		return err;
	for (;;) {
		flags = got_sentinel && !dumping ? MSG_DONTWAIT : 0;
		n = recv(fz->fd, fz->rbuf, sizeof(fz->rbuf), flags);
		if (n < 0 && errno == EAGAIN && flags)
			break;
		if (n < 0 && errno == ENOBUFS) {
			/* Answers were lost: read up to a sentinel. */
			fz->overruns++;
			res = R_ACCEPTED;	/* unknown: never compared */
			dumping = got_sentinel = false;
			sentinel = 0x80000000u | ++fz->seq;
			if (send_sentinel(fz, sentinel))
				return -errno;
			continue;
		}
		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)fz->rbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				e = NLMSG_DATA(nlh);
				if (!got_sentinel && nlh->nlmsg_seq == sentinel) {
					got_sentinel = true;
					if (e->error)
						return e->error;
					continue;
				}
				if (e->error < 0) {
					if (!expected_errno(-e->error))
						*bad = e->error;
					fz->errnos[-e->error & 0xff]++;
					if (res == R_SILENT)
						res = R_REJECTED;
				} else {
					res = R_ACCEPTED;
				}
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				dumping = false;
				err = nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ?
				      *(int *)NLMSG_DATA(nlh) : 0;
				if (err < 0) {
					if (!expected_errno(-err))
						*bad = err;
					fz->errnos[-err & 0xff]++;
					if (res == R_SILENT)
						res = R_REJECTED;
				} else {
					res = R_ACCEPTED;
				}
			} else {
				/* A reply or part of a dump. */
				if (nlh->nlmsg_flags & NLM_F_MULTI) {
					dumping = true;
					fz->dumps++;
				}
				res = R_ACCEPTED;
			}
		}
	}
	return res;
}

/* Peer time minus CLOCK_REALTIME in the target group, taken when it is made. */
static int64_t peer_offset;

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The target group made anew, with a few records, some deleted. */
static int new_target(struct pg_handle *h)
{
	struct pg_record rec = { 0 };
	uint64_t now;
	int ret, k;

	pg_group_delete(h, TARGET);
	ret = pg_group_create(h, TARGET, IDENTITY, NULL);
	now = peer_time_in(h, TARGET, 0);
	if (ret || !now)
		return ret ? ret : -EIO;
	peer_offset = (int64_t)(now - realtime_ns());
	rec.present = PG_REC_TYPE | PG_REC_EXPIRES | PG_REC_DATA;
	memcpy(rec.type, fuzz_type, PG_GUID_LEN);
	rec.expires = now + NS_PER_DAY;
	rec.data = (const uint8_t *)"seed";
	rec.data_len = 4;
	for (k = 0; k < TARGET_RECORDS; k++) {
		uint8_t id[PG_GUID_LEN];

		ret = pg_record_add(h, TARGET, &rec, id, NULL);
		if (!ret && k % 4 == 3)
			ret = pg_record_delete(h, TARGET, id, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The group names of the namespace, joined, into @out (@len bytes); groups
 * but the target are deleted first when there are more than MAX_GROUPS.
 */
static int group_names(struct pg_handle *h, char *out, size_t len)
{
	struct pg_group_info *groups = NULL;
	size_t n = 0, i, used = 0;
	int ret = pg_group_enum(h, &groups, &n);

	if (!ret && n > MAX_GROUPS) {
		for (i = 0; i < n; i++)
			if (strcmp(groups[i].name, TARGET))
				pg_group_delete(h, groups[i].name);
		free(groups);
		groups = NULL;
		ret = pg_group_enum(h, &groups, &n);
	}
	out[0] = '\0';
	for (i = 0; !ret && i < n && used < len; i++)
		used += snprintf(out + used, len - used, "%s ", groups[i].name);
	free(groups);
	return ret;
}

/*
 * The state before a batch: the target's table (the target made anew
 * first when @fresh, missing or grown past MAX_RECORDS) and the group
 * names. Three requests when nothing needs making.
 */
static int batch_start(struct pg_handle *h, bool fresh, struct table_snap *snap,
		       char *names, size_t len)
{
	int ret = fresh ? -ENOENT : table_snap(h, TARGET, snap);

	if (!ret && snap->n > MAX_RECORDS) {
		table_snap_free(snap);
		ret = -ENOSPC;
	}
	if (ret) {
		ret = new_target(h);
		if (!ret)
			ret = table_snap(h, TARGET, snap);
		if (ret)
			return ret;
	}
	ret = group_names(h, names, len);
	if (ret)
		table_snap_free(snap);
	return ret;
}

static void context_from(struct context *c, const struct table_snap *s,
			 uint64_t now)
{
	size_t i, start;

	c->peer_now = now;
	c->live = c->any = NULL;
	if (!s->n)
		return;
	c->any = s->recs[below(s->n)];
	start = below(s->n);
	for (i = 0; i < s->n && !c->live; i++)
		if (!(s->recs[(start + i) % s->n]->flags & PEERGROUP_RECORD_F_DELETED))
			c->live = s->recs[(start + i) % s->n];
}

FIXTURE(fuzz) {
	struct pg_handle *h;
	struct fuzzer *fz;
};

FIXTURE_SETUP(fuzz)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, pg_open(&self->h)) TH_LOG("%s", pg_errmsg(self->h));
	self->fz = calloc(1, sizeof(*self->fz));
	ASSERT_NE(NULL, self->fz);
	ASSERT_EQ(0, raw_open(self->fz));
	self->fz->family = pg_family(self->h);
}

FIXTURE_TEARDOWN(fuzz)
{
	close(self->fz->fd);
	free(self->fz);
	pg_close(self->h);
}

TEST_F_TIMEOUT(fuzz, every_command, 3600)
{
	long total = env_long("PG_FUZZ_MESSAGES", 100000), compared = 0, batches = 0;
	uint64_t seed = env_long("PG_FUZZ_SEED", time(NULL));
	static struct fmsg m;
	static struct wire w;
	char before[4096], after[4096], why[256];
	struct table_snap snap;
	struct context c;
	struct timespec t0, t1;
	int res, bad, i, k, t;
	bool all_rejected;
	uint8_t id[PG_GUID_LEN];
	struct pg_record rec = { 0 };

	rng = seed ? seed : 1;
	TH_LOG("seed %llu (replay: PG_FUZZ_SEED=%llu PG_FUZZ_MESSAGES=%ld)",
	       (unsigned long long)seed, (unsigned long long)seed, total);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (self->fz->sent < total) {
		ASSERT_EQ(0, batch_start(self->h, batches == 0, &snap, before, sizeof(before)))
			TH_LOG("batch %ld: %s", batches, pg_errmsg(self->h));
		context_from(&c, &snap, realtime_ns() + peer_offset);
		all_rejected = true;
		for (i = 0; i < BATCH && self->fz->sent < total; i++) {
			t = below(TEMPLATES);
			build_template(&m, t, &c);
			for (k = chance(8) ? 0 : 1 + below(4); k > 0; k--)
				mutate_tree(&m);
			serialize(&m, self->fz->family, ++self->fz->seq, &w);
			if (chance(35))
				mutate_bytes(&w);
			res = transact(self->fz, &w, &bad);
			ASSERT_LE(0, res) TH_LOG("message %ld (template %d): socket or sentinel failed: %d",
						 self->fz->sent, t, res);
			ASSERT_EQ(0, bad) TH_LOG("message %ld (template %d, cmd %u): unexpected errno %d",
						 self->fz->sent, t, m.cmd, bad);
			if (res == R_REJECTED)
				self->fz->rejected++;
			else if (res == R_SILENT)
				self->fz->silent++;
			else
				self->fz->accepted++;
			all_rejected &= res != R_ACCEPTED;
		}
		if (all_rejected) {
			ASSERT_TRUE(table_unchanged(self->h, TARGET, &snap, why, sizeof(why)))
				TH_LOG("batch %ld (messages up to %ld) was rejected, yet: %s",
				       batches, self->fz->sent, why);
			ASSERT_EQ(0, group_names(self->h, after, sizeof(after)));
			ASSERT_STREQ(before, after);
			compared++;
		}
		table_snap_free(&snap);
		batches++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	TH_LOG("%ld messages in %.1f s: %ld rejected, %ld never processed, %ld accepted; %ld dump messages; %ld overruns",
	       self->fz->sent, t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       self->fz->rejected, self->fz->silent, self->fz->accepted,
	       self->fz->dumps, self->fz->overruns);
	for (i = 1; i < 256; i++)
		if (self->fz->errnos[i])
			TH_LOG("  %-10s %ld", pg_errno_name(i) ? pg_errno_name(i) : "?",
			       self->fz->errnos[i]);
	TH_LOG("%ld batches, %ld wholly rejected and compared", batches, compared);
	ASSERT_LT(0, compared);
	ASSERT_LT(0, self->fz->accepted);
	ASSERT_LT(0, self->fz->rejected);

	/* The module still answers, and still works. */
	ASSERT_EQ(0, new_target(self->h)) TH_LOG("%s", pg_errmsg(self->h));
	rec.present = PG_REC_TYPE | PG_REC_EXPIRES;
	memcpy(rec.type, fuzz_type, PG_GUID_LEN);
	rec.expires = peer_time_in(self->h, TARGET, 0) + NS_PER_DAY;
	ASSERT_EQ(0, pg_record_add(self->h, TARGET, &rec, id, NULL));
	ASSERT_EQ(0, pg_group_delete(self->h, TARGET));
}

TEST_HARNESS_MAIN
