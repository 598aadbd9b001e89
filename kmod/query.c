// SPDX-License-Identifier: GPL-2.0
/*
 * Search queries: the Windows <peersearch> tree as nested netlink
 * attributes, compiled once and matched against each record.
 *
 * Semantics of pg_query_match():
 * - AND holds when all its nodes hold, OR when one does (both evaluate
 *   left to right and stop at the first node that decides).
 * - A clause names an application attribute or a reserved name. A clause
 *   about an attribute the record lacks, or holds with another kind than
 *   the clause's value, is false for every operator, notequal included.
 * - Strings, equal and notequal: the value is a pattern. '*' matches any
 *   run of characters, possibly empty; '?' matches exactly one character;
 *   "\*", "\?" and "\\" match a literal '*', '?' and '\'. Any other
 *   byte matches itself (case-sensitive). A character is counted in UTF-8:
 *   '?' takes the byte where it stands and the continuation bytes
 *   (10xxxxxx) after it, and '*' grows by the same steps, so on valid UTF-8
 *   a character is one code point. Invalid UTF-8 still matches
 *   deterministically and within bounds (a literal byte of a pattern that
 *   splits a character leaves '?' to take the rest). notequal is the
 *   negation of equal.
 * - A string value with a wildcard is a pattern: at most
 *   PEERGROUP_QUERY_PATTERN_MAX bytes as sent and PEERGROUP_QUERY_STARS_MAX
 *   '*'. The match is the classic one that backtracks to the last '*'
 *   only, never exponential: a step either moves on in the pattern, or
 *   gives the last '*' one more character of the value and starts the
 *   pattern again behind it. The second happens at most v times for a
 *   value of v bytes, and between two of them the first at most p times
 *   for a pattern of p bytes (escapes decoded), so a match takes at most
 *   WILD_STEPS(v, p) = (v + 2) * (p + 1) steps, which the selftest
 *   counts: with a record's 65000 bytes, under 8.4 million, however many
 *   stars. Their limit is for the interface: it promises bounded work of
 *   any matcher, one that backtracks to every '*' included. Matching runs
 *   outside the table lock (netlink_record.c).
 * - Strings, less, greater, lessorequal, greaterorequal: the record's
 *   value against the clause's value with its escapes decoded and its
 *   wildcards taken literally, byte-wise (memcmp, then the shorter first).
 * - int: signed 64-bit comparison; date: unsigned 64-bit comparison.
 * - Reserved names: peerrecordid and peerrecordtype are the record's id and
 *   type as 36-character strings xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, the
 *   16 bytes in order in lowercase hex; peercreatorid and
 *   peerlastmodifiedby are the creator's and last modifier's identities;
 *   peercreationtime and peerlastmodificationtime are the creation and
 *   last modification peer times. Strings and dates are compared as above.
 *
 * Depth: a node directly in PEERGROUP_A_QUERY is at level 1, the nodes of
 * a level-n AND or OR at level n + 1; PEERGROUP_QUERY_DEPTH_MAX levels are
 * allowed. The netlink validator refuses to descend more than
 * MAX_POLICY_RECURSION_DEPTH (10, lib/nlattr.c) nests counted from the
 * message's top level (depth 0): the attributes of a level-n node are at
 * depth n + 1. A self-recursive policy would send a level-9 node's
 * attributes to the validator's generic "allowed policy recursion depth
 * exceeded", which names no attribute. So the policy is a ladder, one
 * table per level, whose last rung takes a level-9 node as a nest it does
 * not open: the deepest nest the validator opens is the attributes of a
 * level-8 node, at depth 9, and pg_query_parse() refuses the level-9 node
 * by name before it looks inside. (An NLA_REJECT rung cannot do it: the
 * validator refuses a nest there with "NLA_F_NESTED not expected".)
 */
#include "query.h"
#include "record.h"

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stringify.h>

#define MSG_TOO_DEEP \
	"search query: nested deeper than " \
	__stringify(PEERGROUP_QUERY_DEPTH_MAX) " levels"
#define MSG_TOO_MANY \
	"search query: more than " \
	__stringify(PEERGROUP_QUERY_NODES_MAX) " nodes"
#define MSG_PATTERN_LONG \
	"search value: a pattern (a value with * or ?) is at most " \
	__stringify(PEERGROUP_QUERY_PATTERN_MAX) " bytes"
#define MSG_PATTERN_STARS \
	"search value: a pattern has at most " \
	__stringify(PEERGROUP_QUERY_STARS_MAX) " *"

/* The most steps a pattern of @p bytes takes on a value of @v (see top). */
#define WILD_STEPS(v, p)	(((u64)(v) + 2) * ((u64)(p) + 1))

static int validate_attr_name(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	if (pg_attr_name_valid(nla_data(attr)))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "search query: attribute name must be 1 to 64 letters and digits");
	return -EINVAL;
}

static int validate_compare(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	u8 cmp = nla_get_u8(attr);

	if (cmp >= PEERGROUP_COMPARE_EQUAL &&
	    cmp <= PEERGROUP_COMPARE_GREATEROREQUAL)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "search query: compare must be 1 (equal) to 6 (greaterorequal)");
	return -EINVAL;
}

static int validate_str(const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	if (strnlen(nla_data(attr), nla_len(attr)) <= PEERGROUP_RECORD_SIZE_MAX)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "search value: longer than 65000 bytes");
	return -EINVAL;
}

/*
 * Lengths are checked by the validation functions, not by the policy's
 * len, so that every refusal is EINVAL (a len refuses with ERANGE). The
 * strings are NUL-terminated before the functions look at them.
 */
static const struct nla_policy clause_policy[PEERGROUP_CLAUSE_A_MAX + 1] = {
	[PEERGROUP_CLAUSE_A_PAD]	= { .type = NLA_BINARY },
	[PEERGROUP_CLAUSE_A_ATTR]	=
		NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, validate_attr_name),
	/*
	 * Checked by the parser: 6.1 reads an integer policy's range when it
	 * reports the policy in an error, so it can have no validate function.
	 */
	[PEERGROUP_CLAUSE_A_COMPARE]	= { .type = NLA_U8 },
	[PEERGROUP_CLAUSE_A_STR]	=
		NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, validate_str),
	[PEERGROUP_CLAUSE_A_INT]	= { .type = NLA_S64 },
	[PEERGROUP_CLAUSE_A_DATE]	= { .type = NLA_U64 },
};

static_assert(PEERGROUP_QUERY_A_OR - PEERGROUP_QUERY_A_AND == 1,
	      "one range of designators covers AND and OR");

/* The nodes of one level; those in an AND or an OR are checked by @next. */
#define NODE_POLICY(next) {						\
	[PEERGROUP_QUERY_A_AND ... PEERGROUP_QUERY_A_OR] =		\
		NLA_POLICY_NESTED(next),				\
	[PEERGROUP_QUERY_A_CLAUSE] = NLA_POLICY_NESTED(clause_policy),	\
}

static_assert(PEERGROUP_QUERY_DEPTH_MAX == 8,
	      "the policy ladder below has one rung per level");

/* Levels 2 to 8, then level 9: left to pg_query_parse() to refuse. */
static const struct nla_policy
deeper_policy[PEERGROUP_QUERY_DEPTH_MAX][PEERGROUP_QUERY_A_MAX + 1] = {
	NODE_POLICY(deeper_policy[1]),
	NODE_POLICY(deeper_policy[2]),
	NODE_POLICY(deeper_policy[3]),
	NODE_POLICY(deeper_policy[4]),
	NODE_POLICY(deeper_policy[5]),
	NODE_POLICY(deeper_policy[6]),
	NODE_POLICY(deeper_policy[7]),
	{
		[PEERGROUP_QUERY_A_AND ... PEERGROUP_QUERY_A_CLAUSE] = {
			.type = NLA_NESTED
		},
	},
};

/* Level 1. */
const struct nla_policy pg_query_policy[PEERGROUP_QUERY_A_MAX + 1] =
	NODE_POLICY(deeper_policy[0]);

/* A compiled clause; one allocation, freed with kvfree(). */
struct qclause {
	u8 cmp;				/* enum peergroup_compare */
	u8 kind;			/* enum pg_attr_kind of the value */
	u8 reserved;			/* enum pg_reserved_attr */
	bool wild;			/* str holds a wildcard */
	u32 len;			/* bytes of str */
	u32 stars;			/* '*' wildcards in str */
	union {
		s64 i;
		u64 date;
	};
	unsigned long *wildmap;		/* bit n set: str[n] is a wildcard */
	char name[PEERGROUP_ATTR_NAME_MAX + 1];
	u8 str[];			/* escapes decoded, not NUL-terminated */
};

/* The tree in preorder: a node's subtree ends before nodes[end]. */
struct qnode {
	u8 type;			/* PEERGROUP_QUERY_A_* */
	u8 end;
	struct qclause *clause;		/* PEERGROUP_QUERY_A_CLAUSE */
};

static_assert(PEERGROUP_QUERY_NODES_MAX <= U8_MAX);

struct pg_query {
	unsigned int nnodes;
	struct qnode nodes[PEERGROUP_QUERY_NODES_MAX];
};

/*
 * Decodes the escapes of @raw (@n bytes) into a new clause, marking its
 * wildcards. @attr is blamed for a bad escape.
 */
static struct qclause *compile_str(const char *raw, size_t n,
				   const struct nlattr *attr,
				   struct netlink_ext_ack *extack)
{
	struct qclause *c;
	size_t map = ALIGN(struct_size(c, str, n), sizeof(unsigned long));
	size_t i;
	u32 len = 0;

	c = kvzalloc(map + BITS_TO_LONGS(n) * sizeof(unsigned long),
		     GFP_KERNEL_ACCOUNT);
	if (!c) {
		NL_SET_ERR_MSG(extack, "search query: out of memory");
		return ERR_PTR(-ENOMEM);
	}
	c->kind = PG_ATTR_STR;
	c->wildmap = (unsigned long *)((u8 *)c + map);
	for (i = 0; i < n; i++) {
		char ch = raw[i];

		if (ch == '*' || ch == '?') {
			__set_bit(len, c->wildmap);
			c->wild = true;
			c->stars += ch == '*';
		} else if (ch == '\\') {
			if (++i == n) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "search value: ends with a lone backslash");
				goto err;
			}
			ch = raw[i];
			if (ch != '*' && ch != '?' && ch != '\\') {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "search value: a backslash must be followed by *, ? or \\");
				goto err;
			}
		}
		c->str[len++] = ch;
	}
	c->len = len;
	return c;

err:
	kvfree(c);
	return ERR_PTR(-EINVAL);
}

/* Whether the pattern of @c, @n bytes as sent, is within the limits. */
static int check_pattern(const struct qclause *c, size_t n,
			 const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	if (!c->wild)
		return 0;
	if (n > PEERGROUP_QUERY_PATTERN_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, MSG_PATTERN_LONG);
		return -EINVAL;
	}
	if (c->stars > PEERGROUP_QUERY_STARS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, MSG_PATTERN_STARS);
		return -EINVAL;
	}
	return 0;
}

/* The kind a reserved name is searched as. */
static u8 reserved_kind(enum pg_reserved_attr reserved)
{
	switch (reserved) {
	case PG_RESERVED_CREATIONTIME:
	case PG_RESERVED_LASTMODIFICATIONTIME:
		return PG_ATTR_DATE;
	default:
		return PG_ATTR_STR;
	}
}

static u8 value_kind(const struct nlattr *value)
{
	switch (nla_type(value)) {
	case PEERGROUP_CLAUSE_A_INT:
		return PG_ATTR_INT;
	case PEERGROUP_CLAUSE_A_DATE:
		return PG_ATTR_DATE;
	default:
		return PG_ATTR_STR;
	}
}

static int parse_clause(struct qnode *node, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PEERGROUP_CLAUSE_A_MAX + 1];
	const struct nlattr *value = NULL;
	enum pg_reserved_attr reserved;
	struct qclause *c;
	unsigned int type;
	const char *name;
	int ret;

	ret = nla_parse_nested(tb, PEERGROUP_CLAUSE_A_MAX, nest, clause_policy,
			       extack);
	if (ret)
		return ret;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, PEERGROUP_CLAUSE_A_ATTR)) {
		NL_SET_ERR_MSG(extack,
			       "search query: clause without an attribute name");
		return -EINVAL;
	}
	for (type = PEERGROUP_CLAUSE_A_STR; type <= PEERGROUP_CLAUSE_A_DATE;
	     type++) {
		if (!tb[type])
			continue;
		if (value) {
			NL_SET_ERR_MSG_ATTR(extack, nest,
					    "search query: clause with more than one value");
			return -EINVAL;
		}
		value = tb[type];
	}
	if (!value) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "search query: clause without a value (string, int or date)");
		return -EINVAL;
	}
	if (tb[PEERGROUP_CLAUSE_A_COMPARE] &&
	    validate_compare(tb[PEERGROUP_CLAUSE_A_COMPARE], extack))
		return -EINVAL;

	name = nla_data(tb[PEERGROUP_CLAUSE_A_ATTR]);
	reserved = pg_attr_reserved(name);
	if (reserved && reserved_kind(reserved) != value_kind(value)) {
		if (reserved_kind(reserved) == PG_ATTR_STR)
			NL_SET_ERR_MSG_ATTR(extack, tb[PEERGROUP_CLAUSE_A_ATTR],
					    "search query: peerrecordid, peerrecordtype, peercreatorid and peerlastmodifiedby take a string value");
		else
			NL_SET_ERR_MSG_ATTR(extack, tb[PEERGROUP_CLAUSE_A_ATTR],
					    "search query: peercreationtime and peerlastmodificationtime take a date value");
		return -EINVAL;
	}

	if (nla_type(value) == PEERGROUP_CLAUSE_A_STR) {
		size_t n = strnlen(nla_data(value), nla_len(value));

		c = compile_str(nla_data(value), n, value, extack);
		if (IS_ERR(c))
			return PTR_ERR(c);
		ret = check_pattern(c, n, value, extack);
		if (ret) {
			kvfree(c);
			return ret;
		}
	} else {
		c = kvzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
		if (!c) {
			NL_SET_ERR_MSG(extack, "search query: out of memory");
			return -ENOMEM;
		}
		c->kind = value_kind(value);
		if (c->kind == PG_ATTR_INT)
			c->i = nla_get_s64(value);
		else
			c->date = nla_get_u64(value);
	}
	c->reserved = reserved;
	c->cmp = tb[PEERGROUP_CLAUSE_A_COMPARE] ?
		 nla_get_u8(tb[PEERGROUP_CLAUSE_A_COMPARE]) :
		 PEERGROUP_COMPARE_EQUAL;
	strscpy(c->name, name, sizeof(c->name));
	node->clause = c;
	return 0;
}

static int parse_nodes(struct pg_query *q, const struct nlattr *nest,
		       unsigned int level, struct netlink_ext_ack *extack);

/* One node at @level, appended to q->nodes with its subtree. */
static int parse_node(struct pg_query *q, const struct nlattr *nla,
		      unsigned int level, struct netlink_ext_ack *extack)
{
	struct qnode *node;
	int ret;

	if (level > PEERGROUP_QUERY_DEPTH_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nla, MSG_TOO_DEEP);
		return -EINVAL;
	}
	if (q->nnodes == PEERGROUP_QUERY_NODES_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nla, MSG_TOO_MANY);
		return -EINVAL;
	}
	node = &q->nodes[q->nnodes++];
	node->type = nla_type(nla);
	switch (node->type) {
	case PEERGROUP_QUERY_A_AND:
	case PEERGROUP_QUERY_A_OR:
		ret = parse_nodes(q, nla, level + 1, extack);
		break;
	case PEERGROUP_QUERY_A_CLAUSE:
		ret = parse_clause(node, nla, extack);
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "search query: unknown node type");
		ret = -EINVAL;
	}
	node->end = q->nnodes;
	return ret;
}

/*
 * The nodes in @nest, at @level: one or more in an AND or OR, exactly one
 * directly in PEERGROUP_A_QUERY (level 1).
 */
static int parse_nodes(struct pg_query *q, const struct nlattr *nest,
		       unsigned int level, struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	unsigned int n = 0;
	int rem, ret;

	nla_for_each_nested(nla, nest, rem) {
		if (level == 1 && n) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "search query: more than one node at the top; join them with and/or");
			return -EINVAL;
		}
		ret = parse_node(q, nla, level, extack);
		if (ret)
			return ret;
		n++;
	}
	if (n)
		return 0;
	if (level == 1)
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "search query: empty; it needs one node (and, or, clause)");
	else
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "search query: and/or without a node");
	return -EINVAL;
}

void pg_query_free(struct pg_query *q)
{
	unsigned int i;

	if (!q)
		return;
	for (i = 0; i < q->nnodes; i++)
		kvfree(q->nodes[i].clause);
	kfree(q);
}

int pg_query_parse(const struct nlattr *query, struct pg_query **out,
		   struct netlink_ext_ack *extack)
{
	struct pg_query *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
	if (!q) {
		NL_SET_ERR_MSG(extack, "search query: out of memory");
		return -ENOMEM;
	}
	ret = parse_nodes(q, query, 1, extack);
	if (ret) {
		pg_query_free(q);
		return ret;
	}
	*out = q;
	return 0;
}

/* From byte @i of @s, the index of the next character (see the top). */
static size_t next_char(const u8 *s, size_t i, size_t n)
{
	for (i++; i < n && (s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

static bool is_wild(const struct qclause *c, size_t p, u8 ch)
{
	return c->str[p] == ch && test_bit(p, c->wildmap);
}

/*
 * Does the pattern of @c match all of @s (@n bytes)? Adds the steps taken
 * to *@steps: at most WILD_STEPS(n, c->len) (see the top).
 */
static bool wildmatch(const struct qclause *c, const u8 *s, size_t n,
		      u64 *steps)
{
	size_t p = 0, i = 0, star_p = 0, star_i = 0;
	bool star = false;

	while (i < n) {
		++*steps;
		if (p < c->len && is_wild(c, p, '*')) {
			/* Try the rest against an empty run first. */
			star = true;
			star_p = ++p;
			star_i = i;
		} else if (p < c->len && is_wild(c, p, '?')) {
			p++;
			i = next_char(s, i, n);
		} else if (p < c->len && c->str[p] == s[i]) {
			p++;
			i++;
		} else if (star) {
			/* The last '*' takes one more character. */
			star_i = next_char(s, star_i, n);
			p = star_p;
			i = star_i;
		} else {
			return false;
		}
	}
	while (p < c->len && is_wild(c, p, '*')) {
		++*steps;
		p++;
	}
	return p == c->len;
}

/* < 0, 0, > 0: @a against @b, bytes then length. */
static int bytes_cmp(const u8 *a, size_t alen, const u8 *b, size_t blen)
{
	int ret = memcmp(a, b, min(alen, blen));

	if (ret)
		return ret;
	return (alen > blen) - (alen < blen);
}

/* The operator of a clause applied to the record's value's order. */
static bool verdict(u8 cmp, int order)
{
	switch (cmp) {
	case PEERGROUP_COMPARE_EQUAL:
		return order == 0;
	case PEERGROUP_COMPARE_NOTEQUAL:
		return order != 0;
	case PEERGROUP_COMPARE_LESS:
		return order < 0;
	case PEERGROUP_COMPARE_GREATER:
		return order > 0;
	case PEERGROUP_COMPARE_LESSOREQUAL:
		return order <= 0;
	case PEERGROUP_COMPARE_GREATEROREQUAL:
		return order >= 0;
	}
	return false;
}

static bool str_verdict(const struct qclause *c, const void *s, size_t n)
{
	u64 steps = 0;
	bool equal;

	switch (c->cmp) {
	case PEERGROUP_COMPARE_EQUAL:
	case PEERGROUP_COMPARE_NOTEQUAL:
		if (c->wild)
			equal = wildmatch(c, s, n, &steps);
		else
			equal = n == c->len && !memcmp(s, c->str, n);
		return equal == (c->cmp == PEERGROUP_COMPARE_EQUAL);
	}
	return verdict(c->cmp, bytes_cmp(s, n, c->str, c->len));
}

static bool int_verdict(const struct qclause *c, s64 v)
{
	return verdict(c->cmp, (v > c->i) - (v < c->i));
}

static bool date_verdict(const struct qclause *c, u64 v)
{
	return verdict(c->cmp, (v > c->date) - (v < c->date));
}

#define GUID_STR_LEN 36

/* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, not NUL-terminated. */
static void format_guid(char *buf, const u8 *guid)
{
	unsigned int i;

	for (i = 0; i < PEERGROUP_GUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*buf++ = '-';
		buf = hex_byte_pack(buf, guid[i]);
	}
}

static bool guid_verdict(const struct qclause *c, const u8 *guid)
{
	char buf[GUID_STR_LEN];

	format_guid(buf, guid);
	return str_verdict(c, buf, sizeof(buf));
}

static bool name_verdict(const struct qclause *c, const char *name)
{
	return name && str_verdict(c, name, strlen(name));
}

static bool clause_match(const struct qclause *c, const struct pg_record *rec)
{
	const struct pg_attr *attr;

	switch (c->reserved) {
	case PG_RESERVED_RECORDID:
		return guid_verdict(c, rec->id);
	case PG_RESERVED_RECORDTYPE:
		return guid_verdict(c, rec->type);
	case PG_RESERVED_CREATORID:
		return name_verdict(c, rec->creator);
	case PG_RESERVED_LASTMODIFIEDBY:
		return name_verdict(c, rec->modifier);
	case PG_RESERVED_CREATIONTIME:
		return date_verdict(c, rec->created);
	case PG_RESERVED_LASTMODIFICATIONTIME:
		return date_verdict(c, rec->modified);
	}

	attr = pg_record_attr(rec, c->name);
	if (!attr || attr->kind != c->kind)
		return false;
	switch (attr->kind) {
	case PG_ATTR_STR:
		return str_verdict(c, attr->str, attr->len);
	case PG_ATTR_INT:
		return int_verdict(c, attr->i);
	case PG_ATTR_DATE:
		return date_verdict(c, attr->date);
	}
	return false;
}

/* Node @i of @q on @rec; recursion is bounded by the depth limit. */
static bool node_match(const struct pg_query *q, unsigned int i,
		       const struct pg_record *rec)
{
	const struct qnode *node = &q->nodes[i];
	bool any = node->type == PEERGROUP_QUERY_A_OR;
	unsigned int j;

	if (node->type == PEERGROUP_QUERY_A_CLAUSE)
		return clause_match(node->clause, rec);
	/* AND stops at the first false node, OR at the first true one. */
	for (j = i + 1; j < node->end; j = q->nodes[j].end)
		if (node_match(q, j, rec) == any)
			return any;
	return !any;
}

bool pg_query_match(const struct pg_query *q, const struct pg_record *rec)
{
	return node_match(q, 0, rec);
}

#include "selftest/query.c"
