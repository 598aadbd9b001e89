// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel unit tests of the search queries (DEBUG builds only): the
 * wildcard matcher and the bound on its work, the comparisons, the
 * reserved names on a hand-built record, and the refusals of the policy
 * and the parser, the depth limit checked through a top-level parse like
 * the one of the genetlink core.
 */
#ifdef DEBUG

#include <linux/skbuff.h>

struct wild_case {
	const char *pattern;		/* as sent, escapes included */
	const char *subject;
	bool match;
};

static const struct wild_case wild_cases[] = {
	{ "", "", true },
	{ "", "a", false },
	{ "a", "", false },
	{ "abc", "abc", true },
	{ "abc", "abcd", false },
	{ "abcd", "abc", false },
	{ "ABC", "abc", false },
	{ "*", "", true },
	{ "*", "anything at all", true },
	{ "**", "", true },
	{ "?", "", false },
	{ "?", "a", true },
	{ "?", "ab", false },
	{ "??", "ab", true },
	{ "*?", "", false },
	{ "*?", "x", true },
	{ "a*c", "ac", true },
	{ "a*c", "abbbc", true },
	{ "a*c", "abbbd", false },
	{ "a?c", "abc", true },
	{ "a?c", "ac", false },
	{ "*a", "ba", true },
	{ "*a", "ab", false },
	{ "a*", "a", true },
	{ "a*b*c", "aXbYc", true },
	{ "a*b*c", "aXcYb", false },
	{ "*x*", "xx", true },
	{ "*ab*ab", "abxabab", true },
	{ "*ab*ab", "abxaba", false },
	{ "\\*", "*", true },
	{ "\\*", "a", false },
	{ "\\*", "", false },
	{ "\\?", "?", true },
	{ "\\?", "x", false },
	{ "\\\\", "\\", true },
	{ "\\\\", "\\\\", false },
	{ "a\\*b*", "a*bcd", true },
	{ "a\\*b*", "axbcd", false },
	{ "*\\\\", "dir\\", true },
	{ "\\**", "*star", true },
	{ "\\**", "star", false },
	{ "?\\?", "a?", true },
	{ "?\\?", "ab", false },
	/* ? is one UTF-8 character: e-acute is 2 bytes, an emoji 4. */
	{ "?", "\xc3\xa9", true },
	{ "??", "\xc3\xa9", false },
	{ "Zo?", "Zo\xc3\xab", true },
	{ "?", "\xf0\x9f\x98\x80", true },
	{ "*?\xa9", "\xc3\xa9", false },
	/* A pattern splitting a character leaves ? the rest of it. */
	{ "\xc3?", "\xc3\xa9", true },
	{ "*\xc3\xa9", "caf\xc3\xa9", true },
	/* * grows by characters too. */
	{ "*\xa9", "\xc3\xa9", false },
	/* A stray continuation byte is a character of its own at the start. */
	{ "?", "\xa9", true },
	{ "?", "\xa9\xa9", true },
	{ "??", "a\xa9", false },
};

static const char *const bad_escapes[] = {
	"\\", "abc\\", "\\a", "a\\nb", "\\\\\\", "*\\ ",
};

/* A clause compiled from @pattern, or NULL (and a failure printed). */
static struct qclause *test_compile(const char *pattern, size_t n)
{
	struct qclause *c = compile_str(pattern, n, NULL, NULL);

	if (IS_ERR(c)) {
		pr_err("query selftest: pattern '%s' not compiled\n", pattern);
		return NULL;
	}
	c->cmp = PEERGROUP_COMPARE_EQUAL;
	return c;
}

static bool test_wildcards(void)
{
	bool pass = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wild_cases); i++) {
		const struct wild_case *t = &wild_cases[i];
		struct qclause *c = test_compile(t->pattern,
						 strlen(t->pattern));

		if (!c) {
			pass = false;
			continue;
		}
		if (str_verdict(c, t->subject, strlen(t->subject)) !=
		    t->match) {
			pr_err("query selftest: '%s' against '%s': not %s\n",
			       t->pattern, t->subject,
			       t->match ? "matched" : "refused");
			pass = false;
		}
		kvfree(c);
	}
	for (i = 0; i < ARRAY_SIZE(bad_escapes); i++) {
		struct qclause *c = compile_str(bad_escapes[i],
						strlen(bad_escapes[i]),
						NULL, NULL);

		if (PTR_ERR_OR_ZERO(c) != -EINVAL) {
			pr_err("query selftest: bad escape '%s' accepted\n",
			       bad_escapes[i]);
			if (!IS_ERR(c))
				kvfree(c);
			pass = false;
		}
	}
	return pass;
}

#define LONG_LEN PEERGROUP_RECORD_SIZE_MAX

struct long_case {
	const char *pattern;		/* "" means LONG_LEN '?' */
	char last;			/* the subject's last byte, after 'a's */
	bool match;
	bool match_short;		/* without the last byte */
};

static const struct long_case long_cases[] = {
	{ "*a*a*a*a*a*a*a*a*a*a*a*a*b", 'a', false, false },
	{ "*a*a*a*a*a*a*a*a*a*a*a*a*b", 'b', true, false },
	{ "a*", 'a', true, true },
	{ "*b", 'b', true, false },
	{ "*?b", 'a', false, false },
	{ "", 'a', true, false },
};

/* Long inputs: bounded work (no exponential backtracking) and right. */
static bool test_long(void)
{
	char *subject = kvmalloc(LONG_LEN, GFP_KERNEL);
	char *question = kvmalloc(LONG_LEN, GFP_KERNEL);
	bool pass = true;
	unsigned int i;

	if (!subject || !question) {
		pr_err("query selftest: out of memory\n");
		pass = false;
		goto out;
	}
	memset(question, '?', LONG_LEN);
	for (i = 0; i < ARRAY_SIZE(long_cases); i++) {
		const struct long_case *t = &long_cases[i];
		struct qclause *c = *t->pattern ?
			test_compile(t->pattern, strlen(t->pattern)) :
			test_compile(question, LONG_LEN);

		if (!c) {
			pass = false;
			continue;
		}
		memset(subject, 'a', LONG_LEN - 1);
		subject[LONG_LEN - 1] = t->last;
		if (str_verdict(c, subject, LONG_LEN) != t->match ||
		    str_verdict(c, subject, LONG_LEN - 1) != t->match_short) {
			pr_err("query selftest: long case %u\n", i);
			pass = false;
		}
		kvfree(c);
	}
out:
	kvfree(subject);
	kvfree(question);
	return pass;
}

/*
 * The matcher at the limits: a pattern of PEERGROUP_QUERY_PATTERN_MAX
 * bytes against a value of a whole record, most made to fail late on every
 * start the last '*' tries (the worst cases), two to match. A pattern is
 * @head, then @fill up to the limit less the length of @tail, then @tail;
 * the value @unit repeated over PEERGROUP_RECORD_SIZE_MAX bytes.
 */
struct bound_case {
	const char *head;
	char fill;
	const char *tail;
	const char *unit;
	bool match;
};

static const struct bound_case bound_cases[] = {
	{ "*", 'a', "b", "a", false },
	{ "*", '?', "b", "a", false },
	{ "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", 'a', "b", "a", false },
	{ "*?", '?', "\\\\", "a", false },
	{ "*", 'a', "***************", "a", true },
	{ "a*", '?', "*b", "ab", true },
	/* Two-byte characters: '?' and '*' step by characters. */
	{ "*", '?', "b", "\xc3\xa9", false },
};

/*
 * The steps the matcher takes on the bound cases stay within
 * WILD_STEPS(), and at the limits within the figure query.c states.
 */
static bool test_bound(void)
{
	const size_t v = PEERGROUP_RECORD_SIZE_MAX;
	char *subject = kvmalloc(v, GFP_KERNEL);
	char pattern[PEERGROUP_QUERY_PATTERN_MAX];
	u64 most = 0, steps;
	bool pass = true;
	unsigned int i;
	size_t j, n;

	if (!subject) {
		pr_err("query selftest: out of memory\n");
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(bound_cases); i++) {
		const struct bound_case *t = &bound_cases[i];
		size_t head = strlen(t->head), tail = strlen(t->tail);
		size_t unit = strlen(t->unit);
		struct qclause *c;

		memcpy(pattern, t->head, head);
		memset(pattern + head, t->fill, sizeof(pattern) - head - tail);
		memcpy(pattern + sizeof(pattern) - tail, t->tail, tail);
		for (j = 0; j < v; j++)
			subject[j] = t->unit[j % unit];
		n = v - v % unit;
		c = test_compile(pattern, sizeof(pattern));
		if (!c || check_pattern(c, sizeof(pattern), NULL, NULL)) {
			pr_err("query selftest: bound case %u refused\n", i);
			kvfree(c);
			pass = false;
			continue;
		}
		steps = 0;
		if (wildmatch(c, (const u8 *)subject, n, &steps) != t->match ||
		    steps > WILD_STEPS(n, c->len)) {
			pr_err("query selftest: bound case %u: %llu steps, bound %llu\n",
			       i, steps, WILD_STEPS(n, c->len));
			pass = false;
		}
		most = max(most, steps);
		kvfree(c);
	}
	/* The first case is the classic worst one: near the bound. */
	if (most > WILD_STEPS(v, PEERGROUP_QUERY_PATTERN_MAX) ||
	    most < WILD_STEPS(v, PEERGROUP_QUERY_PATTERN_MAX) / 2) {
		pr_err("query selftest: %llu steps at worst\n", most);
		pass = false;
	}
	kvfree(subject);
	return pass;
}

/* Sorted by name, as pg_record_attr() expects. */
static const struct pg_attr test_attrs[] = {
	{ .name = "color", .name_len = 5, .kind = PG_ATTR_STR,
	  .len = 3, .str = "red" },
	{ .name = "count", .name_len = 5, .kind = PG_ATTR_INT, .i = -5 },
	{ .name = "empty", .name_len = 5, .kind = PG_ATTR_STR,
	  .len = 0, .str = "" },
	{ .name = "name", .name_len = 4, .kind = PG_ATTR_STR,
	  .len = 4, .str = "Zo\xc3\xab" },
	{ .name = "when", .name_len = 4, .kind = PG_ATTR_DATE,
	  .date = 1000 },
};

static const struct pg_record test_record = {
	.id = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff },
	.type = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03,
		  0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b },
	.created = 100,
	.modified = 200,
	.creator = "alice",
	.modifier = "bob",
	.nattrs = ARRAY_SIZE(test_attrs),
	.attrs = test_attrs,
};

/*
 * A query is written as a list of steps building its netlink attributes
 * inside PEERGROUP_A_QUERY; nests still open at the end are closed.
 */
enum { S_END, S_NEST, S_CLOSE, S_STR, S_U8, S_S64, S_U64, S_PAD };

struct step {
	u8 op;
	u16 type;
	const char *str;
	s64 val;
};

#define AND	{ S_NEST, PEERGROUP_QUERY_A_AND }
#define OR	{ S_NEST, PEERGROUP_QUERY_A_OR }
#define CLAUSE	{ S_NEST, PEERGROUP_QUERY_A_CLAUSE }
#define CLOSE	{ S_CLOSE }
#define NAME(s)	{ S_STR, PEERGROUP_CLAUSE_A_ATTR, s }
#define CMP(v)	{ S_U8, PEERGROUP_CLAUSE_A_COMPARE, NULL, PEERGROUP_COMPARE_##v }
#define STR(s)	{ S_STR, PEERGROUP_CLAUSE_A_STR, s }
#define INT(v)	{ S_S64, PEERGROUP_CLAUSE_A_INT, NULL, v }
#define DATE(v)	{ S_U64, PEERGROUP_CLAUSE_A_DATE, NULL, v }
#define PAD	{ S_PAD, PEERGROUP_CLAUSE_A_PAD }
#define END	{ S_END }

#define NEST_MAX (PEERGROUP_QUERY_DEPTH_MAX + 3)

static int put_step(struct sk_buff *skb, const struct step *s,
		    struct nlattr **stack, unsigned int *depth)
{
	switch (s->op) {
	case S_NEST:
		if (*depth == NEST_MAX)
			return -EMSGSIZE;
		stack[*depth] = nla_nest_start(skb, s->type);
		return stack[(*depth)++] ? 0 : -EMSGSIZE;
	case S_CLOSE:
		nla_nest_end(skb, stack[--*depth]);
		return 0;
	case S_STR:
		return nla_put_string(skb, s->type, s->str);
	case S_U8:
		return nla_put_u8(skb, s->type, s->val);
	case S_S64:
		return nla_put_s64(skb, s->type, s->val, PEERGROUP_CLAUSE_A_PAD);
	case S_PAD:
		return nla_put(skb, s->type, 0, NULL);
	default:
		return nla_put_u64_64bit(skb, s->type, s->val,
					 PEERGROUP_CLAUSE_A_PAD);
	}
}

struct query_text {
	const struct step *head;
	const struct step *body;	/* then this, @repeat times */
	unsigned int repeat;
	const struct step *tail;	/* then this */
};

/* The attributes of a message holding the PEERGROUP_A_QUERY of @text. */
static struct sk_buff *build(const struct query_text *text)
{
	const struct step *parts[] = { text->head, text->body, text->tail };
	unsigned int depth = 0, part, i;
	struct nlattr *stack[NEST_MAX];
	struct sk_buff *skb;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	stack[depth++] = nla_nest_start(skb, PEERGROUP_A_QUERY);
	if (!stack[0])
		goto err;
	for (part = 0; part < ARRAY_SIZE(parts); part++) {
		unsigned int times = part == 1 ? text->repeat : 1;

		for (i = 0; parts[part] && i < times; i++) {
			const struct step *s;

			for (s = parts[part]; s->op != S_END; s++)
				if (put_step(skb, s, stack, &depth))
					goto err;
		}
	}
	while (depth)
		nla_nest_end(skb, stack[--depth]);
	return skb;
err:
	kfree_skb(skb);
	return NULL;
}

static const struct nla_policy top_policy[PEERGROUP_A_MAX + 1] = {
	[PEERGROUP_A_QUERY] = NLA_POLICY_NESTED(pg_query_policy),
};

/* What parsing a query came to, read before its message is freed. */
struct outcome {
	int ret;
	const char *msg;		/* never NULL */
	u16 bad;			/* type of the blamed attribute, or 0 */
	u16 miss;			/* type of the missing attribute, or 0 */
	bool miss_nest;			/* its nest was named */
};

/*
 * Builds the message of @text, validates it as the genetlink core would
 * (unless @raw) and parses its query into *@q.
 */
static struct outcome parse_text(const struct query_text *text, bool raw,
				 struct pg_query **q)
{
	struct sk_buff *skb = build(text);
	struct nlattr *tb[PEERGROUP_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct outcome out = { .ret = -ENOMEM, .msg = "" };

	if (!skb)
		return out;
	if (raw)
		out.ret = pg_query_parse((struct nlattr *)skb->data, q, &extack);
	else
		out.ret = nla_parse(tb, PEERGROUP_A_MAX,
				    (struct nlattr *)skb->data, skb->len,
				    top_policy, &extack);
	if (!raw && !out.ret)
		out.ret = pg_query_parse(tb[PEERGROUP_A_QUERY], q, &extack);
	if (extack._msg)
		out.msg = extack._msg;
	if (extack.bad_attr)
		out.bad = nla_type(extack.bad_attr);
	out.miss = extack.miss_type;
	out.miss_nest = extack.miss_nest;
	kfree_skb(skb);
	return out;
}

/* Patterns at their limits and past them (query.c), made by fill_limits(). */
static char at_max[PEERGROUP_QUERY_PATTERN_MAX + 1];	/* '*', then 'x's */
static char past_max[PEERGROUP_QUERY_PATTERN_MAX + 2];	/* an 'x' more */
/* "\*", 'x's, '?': one byte more than the limit as sent, not decoded. */
static char escaped_past[PEERGROUP_QUERY_PATTERN_MAX + 2];
/* 'x's only: no wildcard, so no pattern. */
static char plain_long[2 * PEERGROUP_QUERY_PATTERN_MAX + 1];

static void fill_limits(void)
{
	memset(at_max, 'x', sizeof(at_max) - 1);
	at_max[0] = '*';
	memset(past_max, 'x', sizeof(past_max) - 1);
	past_max[0] = '*';
	memset(escaped_past, 'x', sizeof(escaped_past) - 1);
	memcpy(escaped_past, "\\*", 2);
	escaped_past[sizeof(escaped_past) - 2] = '?';
	memset(plain_long, 'x', sizeof(plain_long) - 1);
}

static const char stars_at_max[] = "r****************d";
static const char stars_past[] = "r*****************d";

static_assert(sizeof(stars_at_max) == PEERGROUP_QUERY_STARS_MAX + 3);
static_assert(sizeof(stars_past) == PEERGROUP_QUERY_STARS_MAX + 4);

static const struct step one_clause[] = {
	CLAUSE, NAME("color"), STR("red"), CLOSE, END
};

static const struct step one_and[] = { AND, END };
static const struct step one_or[] = { OR, END };

struct match_case {
	struct step head[16];
	bool match;
	const struct step *body;	/* then this, @repeat times */
	unsigned int repeat;
	const struct step *tail;	/* then this */
};

static const struct match_case match_cases[] = {
	{ { CLAUSE, NAME("color"), STR("red") }, true },
	{ { CLAUSE, NAME("color"), CMP(EQUAL), STR("r?d") }, true },
	{ { CLAUSE, NAME("color"), STR("r*") }, true },
	{ { CLAUSE, NAME("color"), STR("Red") }, false },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), STR("blue") }, true },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), STR("*e*") }, false },
	{ { CLAUSE, NAME("color"), CMP(LESS), STR("s") }, true },
	{ { CLAUSE, NAME("color"), CMP(LESS), STR("red") }, false },
	{ { CLAUSE, NAME("color"), CMP(LESS), STR("redd") }, true },
	{ { CLAUSE, NAME("color"), CMP(GREATER), STR("re") }, true },
	{ { CLAUSE, NAME("color"), CMP(GREATER), STR("r*") }, true },
	{ { CLAUSE, NAME("color"), CMP(LESSOREQUAL), STR("red") }, true },
	{ { CLAUSE, NAME("color"), CMP(GREATEROREQUAL), STR("rf") }, false },
	/* Ordering takes wildcards literally: '*' is 0x2a, '\\' 0x5c. */
	{ { CLAUSE, NAME("color"), CMP(GREATER), STR("red\\*") }, false },
	{ { CLAUSE, NAME("color"), CMP(LESS), STR("re\\\\") }, false },
	{ { CLAUSE, NAME("empty"), STR("") }, true },
	{ { CLAUSE, NAME("empty"), STR("*") }, true },
	{ { CLAUSE, NAME("empty"), STR("?") }, false },
	{ { CLAUSE, NAME("empty"), CMP(LESS), STR("a") }, true },
	{ { CLAUSE, NAME("name"), STR("Zo?") }, true },
	/* Another kind, or no such attribute: false, notequal too. */
	{ { CLAUSE, NAME("color"), INT(5) }, false },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), INT(5) }, false },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), DATE(5) }, false },
	{ { CLAUSE, NAME("missing"), CMP(NOTEQUAL), STR("x") }, false },
	{ { CLAUSE, NAME("Color"), STR("*") }, false },
	/* int is signed, date unsigned. */
	{ { CLAUSE, NAME("count"), INT(-5) }, true },
	{ { CLAUSE, NAME("count"), PAD, INT(-5) }, true },
	{ { CLAUSE, NAME("count"), CMP(LESS), INT(0) }, true },
	{ { CLAUSE, NAME("count"), CMP(GREATER), INT(-6) }, true },
	{ { CLAUSE, NAME("count"), CMP(GREATER), INT(S64_MIN) }, true },
	{ { CLAUSE, NAME("count"), CMP(GREATEROREQUAL), INT(-4) }, false },
	{ { CLAUSE, NAME("count"), CMP(NOTEQUAL), INT(-5) }, false },
	{ { CLAUSE, NAME("when"), DATE(1000) }, true },
	{ { CLAUSE, NAME("when"), CMP(LESS), DATE(-1) }, true },
	{ { CLAUSE, NAME("when"), CMP(LESSOREQUAL), DATE(999) }, false },
	{ { CLAUSE, NAME("when"), CMP(GREATER), DATE(0) }, true },
	{ { CLAUSE, NAME("when"), INT(1000) }, false },
	/* The reserved names. */
	{ { CLAUSE, NAME("peerrecordid"),
	    STR("00112233-4455-6677-8899-aabbccddeeff") }, true },
	{ { CLAUSE, NAME("peerrecordid"), STR("00112233-*") }, true },
	{ { CLAUSE, NAME("peerrecordid"), STR("*-aabbccddeeff") }, true },
	{ { CLAUSE, NAME("peerrecordid"), STR("*AABBCCDDEEFF") }, false },
	{ { CLAUSE, NAME("peerrecordid"), CMP(LESS), STR("1") }, true },
	{ { CLAUSE, NAME("peerrecordtype"),
	    STR("deadbeef-0001-0203-0405-060708090a0b") }, true },
	{ { CLAUSE, NAME("peerrecordtype"), CMP(NOTEQUAL),
	    STR("????????-????-????-????-????????????") }, false },
	{ { CLAUSE, NAME("peerrecordtype"), STR("deadbeef") }, false },
	{ { CLAUSE, NAME("peercreatorid"), STR("alice") }, true },
	{ { CLAUSE, NAME("peercreatorid"), STR("bob") }, false },
	{ { CLAUSE, NAME("peerlastmodifiedby"), STR("b?b") }, true },
	{ { CLAUSE, NAME("peerlastmodifiedby"), CMP(GREATER), STR("alice") },
	  true },
	{ { CLAUSE, NAME("peercreationtime"), DATE(100) }, true },
	{ { CLAUSE, NAME("peercreationtime"), CMP(GREATER), DATE(100) },
	  false },
	{ { CLAUSE, NAME("peerlastmodificationtime"), CMP(GREATER),
	    DATE(100) }, true },
	{ { CLAUSE, NAME("peerlastmodificationtime"), DATE(100) }, false },
	/* and, or. */
	{ { AND, CLAUSE, NAME("color"), STR("red"), CLOSE,
	    CLAUSE, NAME("count"), INT(-5) }, true },
	{ { AND, CLAUSE, NAME("color"), STR("red"), CLOSE,
	    CLAUSE, NAME("count"), INT(5) }, false },
	{ { OR, CLAUSE, NAME("color"), STR("blue"), CLOSE,
	    CLAUSE, NAME("count"), INT(-5) }, true },
	{ { OR, CLAUSE, NAME("color"), STR("blue"), CLOSE,
	    CLAUSE, NAME("count"), INT(5) }, false },
	{ { AND, OR, CLAUSE, NAME("color"), STR("blue"), CLOSE,
	    CLAUSE, NAME("when"), DATE(1000), CLOSE, CLOSE,
	    CLAUSE, NAME("peercreatorid"), STR("a*") }, true },
	{ { OR, AND, CLAUSE, NAME("color"), STR("red"), CLOSE,
	    CLAUSE, NAME("when"), DATE(1), CLOSE, CLOSE,
	    AND, CLAUSE, NAME("count"), INT(-5) }, true },
	{ { OR, CLAUSE, NAME("missing"), STR("*") }, false },
	{ { AND, CLAUSE, NAME("color"), STR("*") }, true },
	/* A pattern at its limits; escaped stars and plain values are none. */
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), STR(at_max) }, true },
	{ { CLAUSE, NAME("color"), STR(stars_at_max) }, true },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL),
	    STR("\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*\\**") }, true },
	{ { CLAUSE, NAME("color"), CMP(NOTEQUAL), STR(plain_long) }, true },
	/* The limits themselves: 64 nodes, 8 levels. */
	{ { OR }, true, one_clause, PEERGROUP_QUERY_NODES_MAX - 1 },
	{ { END }, true, one_and, PEERGROUP_QUERY_DEPTH_MAX - 1, one_clause },
	{ { END }, true, one_or, PEERGROUP_QUERY_DEPTH_MAX - 1, one_clause },
};

static bool test_matches(void)
{
	bool pass = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *t = &match_cases[i];
		struct query_text text = {
			t->head, t->body, t->repeat, t->tail
		};
		struct pg_query *q = NULL;
		struct outcome out = parse_text(&text, false, &q);

		if (out.ret) {
			pr_err("query selftest: match case %u: error %d (%s)\n",
			       i, out.ret, out.msg);
			pass = false;
		} else if (pg_query_match(q, &test_record) != t->match) {
			pr_err("query selftest: match case %u: not %s\n", i,
			       t->match ? "matched" : "refused");
			pass = false;
		}
		pg_query_free(q);
	}
	return pass;
}

struct refusal {
	struct step head[8];
	const struct step *body;	/* then this, @repeat times */
	unsigned int repeat;
	const struct step *tail;	/* then this */
	bool raw;			/* skip the validator */
	const char *msg;		/* the start of the message */
	u16 bad;			/* type of the blamed attribute */
	u16 miss;			/* type of the missing attribute */
};

static const struct refusal refusals[] = {
	{ { END }, .msg = "search query: empty", .bad = PEERGROUP_A_QUERY },
	{ { CLAUSE, NAME("a"), STR("x"), CLOSE, CLAUSE, NAME("b"), STR("y") },
	  .msg = "search query: more than one node",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { AND }, .msg = "search query: and/or without",
	  .bad = PEERGROUP_QUERY_A_AND },
	{ { OR, AND }, .msg = "search query: and/or without",
	  .bad = PEERGROUP_QUERY_A_AND },
	{ { CLAUSE, STR("x") }, .msg = "search query: clause without an",
	  .miss = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("a") }, .msg = "search query: clause without a value",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { CLAUSE, NAME("a"), STR("x"), INT(1) },
	  .msg = "search query: clause with more",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { CLAUSE, NAME("a"), DATE(1), INT(1) },
	  .msg = "search query: clause with more",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { CLAUSE, NAME("a-b"), STR("x") },
	  .msg = "search query: attribute name",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME(""), STR("x") },
	  .msg = "search query: attribute name",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE,
	    NAME("a1234567890123456789012345678901234567890123456789012345678901234"),
	    STR("x") },
	  .msg = "search query: attribute name",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("a"), { S_U8, PEERGROUP_CLAUSE_A_COMPARE, NULL, 0 },
	    STR("x") },
	  .msg = "search query: compare", .bad = PEERGROUP_CLAUSE_A_COMPARE },
	{ { CLAUSE, NAME("a"), { S_U8, PEERGROUP_CLAUSE_A_COMPARE, NULL, 7 },
	    STR("x") },
	  .msg = "search query: compare", .bad = PEERGROUP_CLAUSE_A_COMPARE },
	{ { CLAUSE, NAME("peerrecordid"), DATE(1) },
	  .msg = "search query: peerrecordid",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("peercreatorid"), INT(1) },
	  .msg = "search query: peerrecordid",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("peercreationtime"), STR("1") },
	  .msg = "search query: peercreationtime",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("peerlastmodificationtime"), INT(1) },
	  .msg = "search query: peercreationtime",
	  .bad = PEERGROUP_CLAUSE_A_ATTR },
	{ { CLAUSE, NAME("a"), STR("x\\y") },
	  .msg = "search value: a backslash",
	  .bad = PEERGROUP_CLAUSE_A_STR },
	{ { AND, CLAUSE, NAME("a"), STR("x"), CLOSE,
	    CLAUSE, NAME("a"), STR("x\\") },
	  .msg = "search value: ends with", .bad = PEERGROUP_CLAUSE_A_STR },
	/* Bytes as sent, escapes included; stars, not escaped ones. */
	{ { CLAUSE, NAME("a"), STR(past_max) },
	  .msg = "search value: a pattern (a value with * or ?) is at most 128 bytes",
	  .bad = PEERGROUP_CLAUSE_A_STR },
	{ { CLAUSE, NAME("a"), STR(escaped_past) },
	  .msg = "search value: a pattern (a value with * or ?) is at most 128 bytes",
	  .bad = PEERGROUP_CLAUSE_A_STR },
	{ { CLAUSE, NAME("a"), STR(stars_past) },
	  .msg = "search value: a pattern has at most 16 *",
	  .bad = PEERGROUP_CLAUSE_A_STR },
	/* One OR and 64 clauses: 65 nodes. */
	{ { OR }, one_clause, PEERGROUP_QUERY_NODES_MAX,
	  .msg = "search query: more than 64 nodes",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	/* A node at level 9: refused by the policy, and by the parser. */
	{ { END }, one_and, 8, one_clause,
	  .msg = "search query: nested deeper than 8",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { END }, one_and, 8, one_clause, .raw = true,
	  .msg = "search query: nested deeper than 8",
	  .bad = PEERGROUP_QUERY_A_CLAUSE },
	{ { END }, one_or, 9,
	  .msg = "search query: nested deeper than 8",
	  .bad = PEERGROUP_QUERY_A_OR },
	{ { END }, one_or, 9, .raw = true,
	  .msg = "search query: nested deeper than 8",
	  .bad = PEERGROUP_QUERY_A_OR },
};

static bool refused(const struct refusal *t, const struct outcome *out)
{
	if (out->ret != -EINVAL || strncmp(out->msg, t->msg, strlen(t->msg)))
		return false;
	if (t->miss)
		return !out->bad && out->miss_nest && out->miss == t->miss;
	return out->bad == t->bad && !out->miss_nest;
}

static bool test_refusals(void)
{
	bool pass = true;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refusals); i++) {
		const struct refusal *t = &refusals[i];
		struct query_text text = {
			t->head, t->body, t->repeat, t->tail
		};
		struct pg_query *q = NULL;
		struct outcome out = parse_text(&text, t->raw, &q);

		if (!refused(t, &out)) {
			pr_err("query selftest: refusal %u: error %d (%s)\n",
			       i, out.ret, out.msg);
			pass = false;
		}
		pg_query_free(q);
	}
	return pass;
}

bool pg_query_selftest(void)
{
	bool pass = true;

	fill_limits();
	pass &= test_wildcards();
	pass &= test_long();
	pass &= test_bound();
	pass &= test_matches();
	pass &= test_refusals();
	if (pass)
		pr_info("query selftest: pass\n");
	return pass;
}

#endif /* DEBUG */
