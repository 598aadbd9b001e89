/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * libpeergroup internals shared by its files (and its offline unit test).
 * Not installed, not part of the API.
 */
#ifndef _PG_INTERNAL_H
#define _PG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include "libpeergroup.h"

#define PG_ERRMSG_MAX 256
/* Nesting levels of a blamed attribute we keep: deeper ones are cut. */
#define PG_ERRPATH_MAX 16

/* Why the last call failed: what pg_err*() report. */
struct pg_error {
	int err;		/* negative errno, 0 for none */
	int attr;		/* blamed top-level attribute, 0 for none */
	uint32_t min_len;	/* policy limits of the blamed attribute */
	uint32_t max_len;
	bool missing;		/* the kernel named a missing attribute */
	/*
	 * The blamed attribute from the top of the request down: path[0] is
	 * attr, path[depth - 1] the innermost (for a missing one, its type
	 * inside the nest that lacks it).
	 */
	int depth;
	uint16_t path[PG_ERRPATH_MAX];
	char msg[PG_ERRMSG_MAX];
};

struct pg_handle {
	struct nl_sock *sk;
	struct nl_cb *cb;	/* our callbacks, used by pg_transact() */
	int family;

	/* The transaction in flight, valid during pg_transact() only. */
	const struct nlmsghdr *req;
	uint32_t seq;
	bool done;		/* its ACK, error, DONE or sole reply arrived */
	bool reply_ends;	/* no ACK asked: the reply is the end */
	bool interrupted;	/* a reply carried NLM_F_DUMP_INTR */
	int parse_err;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *parse_arg;

	struct pg_error last;
	bool batch;		/* a pg_batch is open: ordinary calls wait */
};

/*
 * nl.c: a request for cmd with room for attr_bytes of attributes (0: one
 * page, as pg_msg_new()); NULL when out of memory.
 */
struct nl_msg *pg_msg_alloc(struct pg_handle *h, uint8_t cmd, int nlm_flags,
			    size_t attr_bytes);

/*
 * group.c: a GROUP_GET-shaped message into *g: 0, or -EPROTO when the
 * group name is missing or an attribute breaks the reply policy (g is then
 * untouched).
 */
int pg_group_parse(struct nl_msg *msg, struct pg_group_info *g);
/*
 * group.c: the GROUP_ADD request of pg_group_create_ex(), the group key
 * derived from p's password (if any) into key, which the caller zeroes
 * once the message is sent. NULL with the failure on h.
 */
struct nl_msg *pg_group_add_msg(struct pg_handle *h,
				const struct pg_group_params *p,
				uint8_t key[PEERGROUP_GROUP_KEY_LEN]);

/* errors.c */
int pg_errno_from_nl(int nlerr);
/* The Windows name for a failure described by e (pg_last_windows_error). */
const char *pg_error_windows(const struct pg_error *e);

/*
 * nl.c: a dump. msg is the request (freed here); reset, when not NULL, drops
 * what parse collected before an attempt is repeated. With restart, a dump
 * flagged NLM_F_DUMP_INTR is repeated up to PG_DUMP_RESTARTS times, then
 * fails with -EAGAIN and "<what> kept changing during the dump"; without,
 * it fails with -EINTR.
 */
int pg_dump(struct pg_handle *h, struct nl_msg *msg,
	    int (*parse)(struct nl_msg *msg, void *arg),
	    void (*reset)(void *arg), void *arg, bool restart,
	    const char *what);

/*
 * nl.c: a dump into a growing array of entries of size bytes (a struct
 * pg_list set up as { .size = sizeof(entry) }). pg_list_slot() gives room
 * for one more entry (a parse callback fills it and counts it in l->n), or
 * NULL when out of memory. pg_list_dump() runs the dump msg (NULL: the
 * failure building it, on h) as pg_dump() with restarts; on failure, or
 * when the dump was empty, l's array is freed (l->v NULL, l->n 0).
 */
struct pg_list {
	void *v;
	size_t n, cap, size;
};

void *pg_list_slot(struct pg_list *l);
int pg_list_dump(struct pg_handle *h, struct nl_msg *msg,
		 int (*parse)(struct nl_msg *msg, void *arg),
		 struct pg_list *l, const char *what);

/*
 * nl.c: pg_transact() for a request the kernel answers with exactly one
 * message when it succeeds (record add, update, delete and get; group add,
 * get and time). No ACK is asked for: that message ends the transaction. A
 * failure still ends it with its NLMSG_ERROR.
 */
int pg_transact_reply(struct pg_handle *h, struct nl_msg *msg,
		      int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/*
 * nl.c: reads one datagram of answers on h's socket, handing its messages
 * to cb. 0; or, unless *done (done not NULL) is true once the callbacks
 * have run, a transport failure with its message on h: -ENOBUFS when the
 * kernel dropped an answer (the request may have been carried out), the
 * errno of another receive error, -EIO when the socket was closed.
 */
struct nl_cb;
int pg_receive(struct pg_handle *h, struct nl_cb *cb, const bool *done);

/*
 * nl.c: an allocation failure while building the request msg (freed; NULL
 * allowed); returns -ENOMEM.
 */
int pg_fail_build(struct pg_handle *h, struct nl_msg *msg);

/* The most a netlink attribute's payload holds: its length is 16 bits. */
#define PG_NLA_PAYLOAD_MAX ((size_t)UINT16_MAX - NLA_HDRLEN)

/*
 * nl.c: the caller's data in a request. pg_put() adds attribute type of
 * len bytes at p to msg, pg_put_str() the string s with its NUL (nothing
 * for NULL). 0; -EMSGSIZE when the bytes are more than an attribute holds
 * (PG_NLA_PAYLOAD_MAX), with "WHAT: N bytes, more than a netlink attribute
 * holds (65531)" on h, WHAT made from fmt and naming the field ("group
 * name", "record: data"); -ENOMEM when msg has no room left, with its
 * message on h. pg_check_size() is the same bound for len bytes not yet
 * put; pg_nest_end() closes nest, or cancels it with the same -EMSGSIZE
 * when its payload grew past the bound.
 */
struct nlattr;
int pg_put(struct pg_handle *h, struct nl_msg *msg, int type, const void *p,
	   size_t len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int pg_put_str(struct pg_handle *h, struct nl_msg *msg, int type,
	       const char *s, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int pg_check_size(struct pg_handle *h, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pg_nest_end(struct pg_handle *h, struct nl_msg *msg, struct nlattr *nest,
		const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * attrs.c: a u8/u16/u32/u64 attribute of any of those widths into *v;
 * false when its length is none of them.
 */
struct nlattr;
bool pg_nla_uint(const struct nlattr *a, uint64_t *v);

/*
 * record.c: the request bytes of rec's PEERGROUP_A_RECORD nest, and the
 * nest itself (sending the fields in rec->present); 0, or -ENOMEM or
 * -EMSGSIZE (pg_put()) with the message on h naming the field.
 * pg_record_parse() turns a PEERGROUP_A_RECORD nest of the kernel's into
 * one allocation: 0, -EPROTO for a malformed one, -ENOMEM.
 */
size_t pg_record_msg_size(const struct pg_record *rec);
int pg_record_put(struct pg_handle *h, struct nl_msg *msg,
		  const struct pg_record *rec);
int pg_record_parse(const struct nlattr *nest, struct pg_record **out);
/*
 * record.c: the request of a record command: cmd, the group name (left
 * out when NULL), then the PEERGROUP_A_RECORD of rec (the fields in
 * rec->present), or, when nest is not NULL, that nest as it is (an export
 * file's record). *out is the message (NULL on failure). 0, or -ENOMEM or
 * -EMSGSIZE with the message on h.
 * pg_record_of_id() makes *rec a record of nothing but id (none if NULL),
 * as delete and get send it.
 */
int pg_record_request(struct pg_handle *h, uint8_t cmd, const char *group,
		      const struct pg_record *rec, const struct nlattr *nest,
		      struct nl_msg **out);
void pg_record_of_id(struct pg_record *rec, const uint8_t id[PG_GUID_LEN]);
/*
 * record.c: a message carrying a PEERGROUP_A_RECORD (a reply, a dump
 * entry, an event): *raw (when not NULL) points at the nest as the kernel
 * sent it, *out (when out is not NULL) receives it parsed. 0, -EPROTO,
 * -ENOMEM.
 */
int pg_record_from_msg(struct nl_msg *msg, struct pg_record **out,
		       struct nlattr **raw);

/*
 * attrs.c: the PEERGROUP_RECORD_A_ATTRS nest: its size in a request, the
 * nest (0, or -ENOMEM or -EMSGSIZE past what an attribute holds, with a
 * message on h naming the attribute), and its parse.
 * pg_attrs_parse() reads the kernel's nest in two passes: with o->v NULL it
 * counts attributes (o->n) and the bytes of their strings, NULs included
 * (o->bytes); then, with o->v an array of o->n and o->strings that many
 * bytes (o->n reset to 0), it fills them. 0 or -EPROTO.
 */
struct pg_attrs_out {
	struct pg_attribute *v;
	char *strings;
	size_t n;
	size_t bytes;
};

size_t pg_attrs_msg_size(const struct pg_attribute *attrs, size_t n);
int pg_attrs_put(struct pg_handle *h, struct nl_msg *msg,
		 const struct pg_attribute *attrs, size_t n);
int pg_attrs_parse(const struct nlattr *nest, struct pg_attrs_out *o);

/*
 * query.c: the PEERGROUP_A_QUERY of the XML query xml into msg, or, when
 * msg is NULL, only its size into *size. 0, or -EINVAL with the message on
 * h naming what is wrong (same for both), -EMSGSIZE for a value or a nest
 * more than a netlink attribute holds (pg_put()), or -ENOMEM.
 */
int pg_query_put(struct pg_handle *h, struct nl_msg *msg, const char *xml,
		 size_t *size);

/*
 * xml.c: parses xml (a whole document) with the settings every XML input
 * of the library shares: no network, no DTD, no entity expansion, errors
 * into h's message prefixed with what ("attributes", "search query").
 * Returns the document or NULL (-EINVAL on h). The caller xmlFreeDoc()s it.
 * pg_xml_text() is the text content of an element that may only hold text
 * (NULL with a message on h otherwise, or when out of memory); free() it.
 */
struct _xmlDoc;
struct _xmlNode;
struct _xmlDoc *pg_xml_read(struct pg_handle *h, const char *xml,
			    const char *what);
char *pg_xml_text(struct pg_handle *h, struct _xmlNode *node,
		  const char *what);
/*
 * pg_xml_next_element(): n or the first element after it, skipping
 * comments and whitespace; NULL at the end, or with *err set (and the
 * message on h) at text that is not whitespace.
 * pg_xml_prop(): an XML attribute of node, NULL when absent; free() it.
 */
struct _xmlNode *pg_xml_next_element(struct pg_handle *h, struct _xmlNode *n,
				     const char *what, int *err);
char *pg_xml_prop(struct _xmlNode *node, const char *name);
/* pg_xml_kind(): "string", "int", "date" to enum pg_attr_kind, else 0. */
enum pg_attr_kind pg_xml_kind(const char *type);
/* A value of the kind as text into *v (int, date) or as is (string). */
int pg_xml_value(struct pg_handle *h, enum pg_attr_kind kind,
		 const char *text, int64_t *i, uint64_t *date,
		 const char *what);

/*
 * export.c: checks the export file in buf: the header line (whose group id
 * is copied to id) and the records after it, each a whole PEERGROUP_A_RECORD
 * nlattr inside the file. *first is the offset of the first record, *count
 * the number of records. 0 or -EINVAL with the message on h.
 */
int pg_export_check(struct pg_handle *h, const uint8_t *buf, size_t len,
		    char id[PEERGROUP_GROUP_ID_MAX + 1], size_t *first,
		    size_t *count);
#define PG_EXPORT_MAGIC "peergroup-export"
#define PG_EXPORT_VERSION 1

/*
 * batch.c: pipelined record writes (pg_batch_*), the parts pg_import()
 * and the offline unit test use.
 *
 * PG_BATCH_ANSWER_COST is what one answer may take of the socket's
 * receive buffer (its skb's truesize, with room; batch.c explains it).
 * pg_batch_window_for() is the window a batch uses when asked for asked
 * (0: the default) with a receive buffer of rcvbuf bytes: at most rcvbuf /
 * PG_BATCH_ANSWER_COST, at least 1.
 *
 * pg_batch_new() makes a batch on h without asking the socket anything:
 * window as given (1 to PG_BATCH_WINDOW_MAX), send_max the bytes one
 * sendmsg() may carry. NULL when out of memory (nothing on h).
 * pg_batch_import_nest() queues the import of an export file's record
 * nest, as it is.
 * pg_batch_pack() packs queued requests, from the oldest, into the batch's
 * send buffer: as many as fit send_max (at least one), each padded to
 * NLMSG_ALIGNTO; they count as sent from then on. Returns how many,
 * *buf and *len the bytes (valid until the next call on the batch); 0 when
 * nothing is queued, or -ENOMEM.
 * pg_batch_answer() takes one message the kernel sent: the answer to a
 * request in flight (by sequence number), or nothing (ignored).
 */
#define PG_BATCH_ANSWER_COST 2048
unsigned int pg_batch_window_for(unsigned int asked, int rcvbuf);
struct pg_batch *pg_batch_new(struct pg_handle *h, const char *group,
			      unsigned int window, size_t send_max,
			      pg_batch_cb cb, void *arg);
int pg_batch_import_nest(struct pg_batch *b, const struct nlattr *nest);
int pg_batch_pack(struct pg_batch *b, const uint8_t **buf, size_t *len);
void pg_batch_answer(struct pg_batch *b, const struct nlmsghdr *nlh);

/*
 * addr.c: an address as PEERGROUP_A_ADDR / PEERGROUP_NEIGHBOUR_A_ADDR.
 * pg_addr_put() adds attribute type for a (nothing for NULL or AF_UNSPEC):
 * 0, -EINVAL for another family, -ENOMEM. pg_addr_get() reads one of 4 or
 * 16 bytes: false for another length.
 */
int pg_addr_put(struct nl_msg *msg, int type, const struct pg_addr *a);
bool pg_addr_get(const struct nlattr *attr, struct pg_addr *a);

/*
 * replication.c: a PEERGROUP_A_NEIGHBOUR nest into *n: 0, or -EPROTO when an
 * attribute breaks the reply policy or the id or address is missing.
 */
int pg_neighbour_parse(const struct nlattr *nest, struct pg_neighbour *n);

/*
 * member.c: a PEERGROUP_A_MEMBER nest into *m: 0, or -EPROTO when an
 * attribute breaks the reply policy or the identity or fingerprint is
 * missing.
 */
int pg_member_parse(const struct nlattr *nest, struct pg_member *m);

/*
 * monitor.c: one message of the event family family into *ev: true, or
 * false for anything else (another family, another command, malformed).
 */
bool pg_event_parse(int family, struct nlmsghdr *nlh, struct pg_event *ev);

/* nl.c: forget the last error. */
void pg_clear(struct pg_handle *h);
/* nl.c: record a library-made error with its message; returns err. */
int pg_fail(struct pg_handle *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * extack.c: pure parsing of the kernel's answers, bounds-checked against
 * nlmsg_len (which the caller has checked against the buffer).
 *
 * pg_extack_error() reads an NLMSG_ERROR message, pg_extack_done() an
 * NLMSG_DONE one; both fill *e (the errno, and from the extended-ACK TLVs the
 * message, the blamed attribute and the policy limits) and return e->err.
 * req is the request being answered (to turn NLMSGERR_ATTR_OFFS into an
 * attribute), or NULL.
 *
 * pg_request_attr_at() is the type of the top-level attribute of the generic
 * netlink request req that starts at or contains byte offset off (counted
 * from the start of req's nlmsghdr), or 0.
 */
int pg_extack_error(struct pg_error *e, const struct nlmsghdr *nlh,
		    const struct nlmsghdr *req);
int pg_extack_done(struct pg_error *e, const struct nlmsghdr *nlh,
		   const struct nlmsghdr *req);
int pg_request_attr_at(const struct nlmsghdr *req, uint32_t off);

/*
 * pg_request_path_at() walks down the nests of req (as our schema defines
 * them) to the innermost attribute that starts at or contains off, and
 * writes the types on the way into path (at most max). Returns the depth,
 * 0 when off is in no attribute.
 */
int pg_request_path_at(const struct nlmsghdr *req, uint32_t off,
		       uint16_t *path, int max);

#endif /* _PG_INTERNAL_H */
