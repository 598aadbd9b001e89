// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Offline tests of the XML forms: attributes both ways, and search queries
 * into the netlink tree they become (inspected attribute by attribute).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "../lib/internal.h"
#include "unit.h"

static struct pg_handle h;

static void test_attrs_good(void)
{
	const char *xml =
		"<?xml version=\"1.0\"?>\n"
		"<attributes>\n"
		"  <!-- a comment -->\n"
		"  <attribute name=\"colour\" type=\"string\"> blue &amp; &lt;green&gt; </attribute>\n"
		"  <attribute name=\"n\" type=\"int\"> -42 </attribute>\n"
		"  <attribute name=\"when\" type=\"date\">2023-11-14T22:13:20.5Z</attribute>\n"
		"  <attribute name=\"empty\" type=\"string\"/>\n"
		"</attributes>\n";
	struct pg_attribute *a = NULL, *b = NULL;
	size_t n = 0, m = 0;
	char *out;

	CHECK_INT(pg_attrs_from_xml(&h, xml, &a, &n), 0);
	CHECK_INT(n, 4);
	if (n != 4)
		return;
	CHECK_STR(a[0].name, "colour");
	CHECK_INT(a[0].kind, PG_ATTR_STRING);
	CHECK_STR(a[0].str, " blue & <green> ");	/* strings as written */
	CHECK_INT(a[1].kind, PG_ATTR_INT);
	CHECK_INT(a[1].i, -42);
	CHECK_INT(a[2].kind, PG_ATTR_DATE);
	CHECK_INT(a[2].date, 1700000000500000000ULL);
	CHECK_STR(a[3].str, "");

	out = pg_attrs_to_xml(a, n);
	CHECK_STR(out, "<attributes>"
		       "<attribute name=\"colour\" type=\"string\"> blue &amp; &lt;green&gt; </attribute>"
		       "<attribute name=\"n\" type=\"int\">-42</attribute>"
		       "<attribute name=\"when\" type=\"date\">2023-11-14T22:13:20.500000000Z</attribute>"
		       "<attribute name=\"empty\" type=\"string\"></attribute>"
		       "</attributes>");
	/* ... and back. */
	CHECK_INT(pg_attrs_from_xml(&h, out, &b, &m), 0);
	CHECK_INT(m, 4);
	if (m == 4) {
		CHECK_STR(b[0].str, a[0].str);
		CHECK_INT(b[2].date, a[2].date);
	}
	free(out);
	free(b);
	free(a);

	CHECK_INT(pg_attrs_from_xml(&h, "<attributes/>", &a, &n), 0);
	CHECK_INT(n, 0);
	free(a);
	out = pg_attrs_to_xml(NULL, 0);
	CHECK_STR(out, "<attributes></attributes>");
	free(out);

	/* Quotes, newlines and tabs survive the round trip. */
	{
		struct pg_attribute q = { .name = "q", .kind = PG_ATTR_STRING,
					  .str = "a\"b\n\tc\r" };

		out = pg_attrs_to_xml(&q, 1);
		CHECK_INT(pg_attrs_from_xml(&h, out, &a, &n), 0);
		CHECK_STR(n == 1 ? a[0].str : NULL, q.str);
		free(out);
		free(a);
	}
}

static void test_attrs_bad(void)
{
	static const struct {
		const char *xml;
		const char *msg;
	} bad[] = {
		{ "<attributes>", "attributes: line 1: malformed XML: " },
		{ "<attrs/>", "attributes: the root element is <attrs>, expected <attributes>" },
		{ "<attributes><attr name=\"a\" type=\"int\">1</attr></attributes>",
		  "attributes: line 1: attribute 1: <attr> is not <attribute>" },
		{ "<attributes><attribute type=\"int\">1</attribute></attributes>",
		  "attributes: line 1: attribute 1: missing name" },
		{ "<attributes><attribute name=\"a\">1</attribute></attributes>",
		  "attributes: line 1: attribute \"a\": missing type" },
		{ "<attributes><attribute name=\"a\" type=\"float\">1</attribute></attributes>",
		  "attributes: line 1: attribute \"a\": unknown type \"float\" (expected string, int or date)" },
		{ "<attributes>\n<attribute name=\"a\" type=\"int\">1x</attribute></attributes>",
		  "attributes: line 2: attribute \"a\": \"1x\" is not a signed 64-bit integer" },
		{ "<attributes><attribute name=\"a\" type=\"int\">99999999999999999999</attribute></attributes>",
		  "attributes: line 1: attribute \"a\": \"99999999999999999999\" is not a signed 64-bit integer" },
		{ "<attributes><attribute name=\"a\" type=\"int\"></attribute></attributes>",
		  "attributes: line 1: attribute \"a\": \"\" is not a signed 64-bit integer" },
		{ "<attributes><attribute name=\"a\" type=\"date\">2023-02-29</attribute></attributes>",
		  "attributes: line 1: attribute \"a\": \"2023-02-29\" is not an ISO-8601 date (YYYY-MM-DDThh:mm:ssZ)" },
		{ "<attributes><attribute name=\"a\" type=\"date\">1960</attribute></attributes>",
		  "attributes: line 1: attribute \"a\": date \"1960\" is outside 1970..2554" },
		{ "<attributes><attribute name=\"a\" type=\"string\">x<b/></attribute></attributes>",
		  "attributes: line 1: attribute \"a\": line 1: <attribute> may only hold text" },
		{ "<attributes>text<attribute name=\"a\" type=\"int\">1</attribute></attributes>",
		  "attributes: line 1: unexpected text" },
		{ "<!DOCTYPE attributes [<!ENTITY e \"x\">]><attributes/>",
		  "attributes: document type declarations are not accepted" },
	};
	struct pg_attribute *a;
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = (void *)1;
		n = 9;
		CHECK_INT(pg_attrs_from_xml(&h, bad[i].xml, &a, &n), -EINVAL);
		CHECK_INT(a == NULL && n == 0, 1);
		CHECK_INT(strncmp(h.last.msg, bad[i].msg, strlen(bad[i].msg)), 0);
		if (strncmp(h.last.msg, bad[i].msg, strlen(bad[i].msg)))
			fprintf(stderr, "  got \"%s\"\n", h.last.msg);
	}
}

/* The query of xml in a message; NULL (and the error in *err) if refused. */
static struct nl_msg *query(const char *xml, int *err)
{
	struct nl_msg *msg = nlmsg_alloc();
	size_t size = 0, size2 = 0;

	genlmsg_put(msg, 0, 1, 0x20, 0, NLM_F_DUMP, PEERGROUP_CMD_RECORD_SEARCH, 1);
	*err = pg_query_put(&h, NULL, xml, &size);
	if (!*err)
		*err = pg_query_put(&h, msg, xml, &size2);
	if (*err) {
		nlmsg_free(msg);
		return NULL;
	}
	/* The sizing pass predicted the bytes exactly. */
	CHECK_INT(size, size2);
	CHECK_INT(nlmsg_attrlen(nlmsg_hdr(msg), GENL_HDRLEN), size);
	return msg;
}

static struct nlattr *top(struct nl_msg *msg)
{
	return nla_find(nlmsg_attrdata(nlmsg_hdr(msg), GENL_HDRLEN),
			nlmsg_attrlen(nlmsg_hdr(msg), GENL_HDRLEN),
			PEERGROUP_A_QUERY);
}

/* The n-th (from 0) attribute inside nest, or NULL. */
static struct nlattr *child(struct nlattr *nest, int n)
{
	struct nlattr *a;
	int rem;

	if (!nest)
		return NULL;
	nla_for_each_nested(a, nest, rem)
		if (!n--)
			return a;
	return NULL;
}

static void test_query_tree(void)
{
	const char *xml =
		"<peersearch>\n"
		" <and>\n"
		"  <clause attrib=\"colour\" type=\"string\" compare=\"notequal\">bl\\*ue*</clause>\n"
		"  <or>\n"
		"   <clause attrib=\"n\" type=\"int\" compare=\"greaterorequal\"> 5 </clause>\n"
		"   <clause attrib=\"peercreationtime\" type=\"date\">2023-11-14T22:13:20Z</clause>\n"
		"  </or>\n"
		" </and>\n"
		"</peersearch>\n";
	struct nlattr *q, *and, *c, *or, *a;
	struct nl_msg *msg;
	int err;

	msg = query(xml, &err);
	CHECK_INT(err, 0);
	if (!msg)
		return;
	q = top(msg);
	and = child(q, 0);
	CHECK_INT(and ? nla_type(and) : -1, PEERGROUP_QUERY_A_AND);
	CHECK_INT(child(q, 1) == NULL, 1);		/* exactly one node */
	c = child(and, 0);
	CHECK_INT(c ? nla_type(c) : -1, PEERGROUP_QUERY_A_CLAUSE);
	a = child(c, 0);
	CHECK_INT(a ? nla_type(a) : -1, PEERGROUP_CLAUSE_A_ATTR);
	CHECK_STR(a ? nla_get_string(a) : NULL, "colour");
	a = child(c, 1);
	CHECK_INT(a ? nla_type(a) : -1, PEERGROUP_CLAUSE_A_COMPARE);
	CHECK_INT(a ? nla_len(a) : -1, 1);
	CHECK_INT(a ? nla_get_u8(a) : -1, PEERGROUP_COMPARE_NOTEQUAL);
	a = child(c, 2);
	CHECK_INT(a ? nla_type(a) : -1, PEERGROUP_CLAUSE_A_STR);
	CHECK_STR(a ? nla_get_string(a) : NULL, "bl\\*ue*");	/* as written */
	or = child(and, 1);
	CHECK_INT(or ? nla_type(or) : -1, PEERGROUP_QUERY_A_OR);
	c = child(or, 0);
	CHECK_INT(nla_get_u8(child(c, 1)), PEERGROUP_COMPARE_GREATEROREQUAL);
	a = child(c, 2);
	CHECK_INT(a ? nla_type(a) : -1, PEERGROUP_CLAUSE_A_INT);
	CHECK_INT(a ? (int64_t)nla_get_u64(a) : -1, 5);
	c = child(or, 1);
	a = child(c, 1);		/* no compare: equal is the default */
	CHECK_INT(a ? nla_type(a) : -1, PEERGROUP_CLAUSE_A_DATE);
	CHECK_INT(a ? nla_get_u64(a) : 0, 1700000000000000000ULL);
	CHECK_INT(child(and, 2) == NULL, 1);
	nlmsg_free(msg);

	/* A single clause; a negative int; a deep tree the kernel judges. */
	msg = query("<peersearch><clause attrib=\"n\" type=\"int\">-9</clause></peersearch>", &err);
	CHECK_INT(err, 0);
	if (msg) {
		c = child(top(msg), 0);
		CHECK_INT(nla_type(c), PEERGROUP_QUERY_A_CLAUSE);
		CHECK_INT((int64_t)nla_get_u64(child(c, 1)), -9);
		nlmsg_free(msg);
	}
}

/* A query nested depth levels of <and>. */
static char *deep(int depth)
{
	size_t size = (size_t)depth * 11 + 128;
	char *s = malloc(size), *p = s;
	int i;

	p += sprintf(p, "<peersearch>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "<and>");
	p += sprintf(p, "<clause attrib=\"a\" type=\"int\">1</clause>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "</and>");
	sprintf(p, "</peersearch>");
	return s;
}

static void test_query_bad(void)
{
	static const struct {
		const char *xml;
		const char *msg;
	} bad[] = {
		{ "<peersearch>", "search query: line 1: malformed XML: " },
		{ "<search/>", "search query: the root element is <search>, expected <peersearch>" },
		{ "<peersearch/>", "search query: <peersearch> is empty" },
		{ "<peersearch><clause attrib=\"a\" type=\"int\">1</clause>\n<clause attrib=\"a\" type=\"int\">1</clause></peersearch>",
		  "search query: line 2: <peersearch> holds more than one node (use <and> or <or>)" },
		{ "<peersearch><and/></peersearch>", "search query: line 1: <and>: <and> holds no clause" },
		{ "<peersearch><and><or> </or></and></peersearch>", "search query: line 1: <or>: <or> holds no clause" },
		{ "<peersearch><not/></peersearch>", "search query: line 1: <not>: unknown element (expected clause, and, or)" },
		{ "<peersearch><clause type=\"int\">1</clause></peersearch>", "search query: line 1: <clause>: missing attrib" },
		{ "<peersearch><clause attrib=\"a\">1</clause></peersearch>", "search query: line 1: <clause>: missing type" },
		{ "<peersearch><clause attrib=\"a\" type=\"bool\">1</clause></peersearch>",
		  "search query: line 1: <clause>: unknown type \"bool\" (expected string, int or date)" },
		{ "<peersearch><clause attrib=\"a\" type=\"int\" compare=\"like\">1</clause></peersearch>",
		  "search query: line 1: <clause>: unknown compare \"like\"" },
		{ "<peersearch><clause attrib=\"a\" type=\"int\" case=\"no\">1</clause></peersearch>",
		  "search query: line 1: <clause>: unknown attribute \"case\"" },
		{ "<peersearch><clause attrib=\"a\" type=\"int\">one</clause></peersearch>",
		  "search query: line 1: <clause>: \"one\" is not a signed 64-bit integer" },
		{ "<peersearch><clause attrib=\"a\" type=\"date\">soon</clause></peersearch>",
		  "search query: line 1: <clause>: \"soon\" is not an ISO-8601 date" },
		{ "<peersearch><clause attrib=\"a\" type=\"string\">x<b/></clause></peersearch>",
		  "search query: line 1: <clause>: line 1: <clause> may only hold text" },
		{ "<peersearch>x<clause attrib=\"a\" type=\"int\">1</clause></peersearch>",
		  "search query: line 1: unexpected text" },
		{ "<peersearch><and x=\"1\"><clause attrib=\"a\" type=\"int\">1</clause></and></peersearch>",
		  "search query: line 1: <and>: unknown attribute \"x\"" },
	};
	struct nl_msg *msg;
	size_t i;
	char *s;
	int err;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg = query(bad[i].xml, &err);
		CHECK_INT(err, -EINVAL);
		CHECK_INT(msg == NULL, 1);
		CHECK_INT(strncmp(h.last.msg, bad[i].msg, strlen(bad[i].msg)), 0);
		if (strncmp(h.last.msg, bad[i].msg, strlen(bad[i].msg)))
			fprintf(stderr, "  got \"%s\"\n", h.last.msg);
	}
	CHECK_INT(pg_query_put(&h, NULL, NULL, &i), -EINVAL);

	/* Past the kernel's depth bound: still sent (the kernel refuses it). */
	s = deep(PEERGROUP_QUERY_DEPTH_MAX + 2);
	msg = query(s, &err);
	CHECK_INT(err, 0);
	nlmsg_free(msg);
	free(s);
	/* Past our own recursion guard: refused here. */
	s = deep(64);
	msg = query(s, &err);
	CHECK_INT(err, -EINVAL);
	CHECK_INT(!strstr(h.last.msg, "nested deeper than 64 levels"), 0);
	free(s);
}

/* <peersearch><or>, n clauses of a value of len bytes each, </or>... */
static char *wide(int n, size_t len)
{
	static const char clause[] = "<clause attrib=\"a\" type=\"string\">";
	size_t size = 64 + (size_t)n * (sizeof(clause) + len + 16);
	char *s = malloc(size), *p = s;
	int i;

	if (!s)
		return NULL;
	p += sprintf(p, "<peersearch><or>");
	for (i = 0; i < n; i++) {
		p += sprintf(p, "%s", clause);
		memset(p, 'x', len);
		p += len;
		p += sprintf(p, "</clause>");
	}
	sprintf(p, "</or></peersearch>");
	return s;
}

/* More than a netlink attribute holds: EMSGSIZE, naming what. */
static void test_query_too_large(void)
{
	struct nl_msg *msg;
	size_t size;
	char *s;
	int err;

	s = wide(1, 70000);
	msg = query(s, &err);
	CHECK_INT(err, -EMSGSIZE);
	CHECK_INT(msg == NULL, 1);
	CHECK_STR(h.last.msg, "search query: line 1: <clause>: its value: 70001 bytes, more than a netlink attribute holds (65531)");
	free(s);
	/* Each value fits, not both in the <or> (sized as the library does). */
	s = wide(2, 40000);
	CHECK_INT(pg_query_put(&h, NULL, s, &size), 0);
	msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + size);
	genlmsg_put(msg, 0, 1, 0x20, 0, NLM_F_DUMP, PEERGROUP_CMD_RECORD_SEARCH, 1);
	CHECK_INT(pg_query_put(&h, msg, s, &size), -EMSGSIZE);
	CHECK_STR(h.last.msg, "search query: line 1: <or>: 80040 bytes, more than a netlink attribute holds (65531)");
	nlmsg_free(msg);
	free(s);
}

void test_xml(void)
{
	test_attrs_good();
	test_attrs_bad();
	test_query_tree();
	test_query_bad();
	test_query_too_large();
}
