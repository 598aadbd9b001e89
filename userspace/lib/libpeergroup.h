/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * libpeergroup: the peergroup generic netlink family from userspace, over
 * libnl-genl-3, shaped after the Windows Peer Grouping API (p2p.h).
 *
 *   Windows (p2p.h)           libpeergroup
 *   PeerGroupStartup()        pg_open()
 *   PeerGroupShutdown()       pg_close()
 *   PeerGroupCreate()         pg_group_create()
 *   PeerGroupDelete()         pg_group_delete()
 *   PeerGroupGetProperties()  pg_group_get()
 *   PeerGroupEnum()           pg_group_enum()
 *   PeerGroupJoin()           pg_group_create_ex() with another creator
 *   PeerGroupSetProperties()  pg_group_set()
 *   PeerGroupUniversalTimeToPeerTime() / PeerGroupPeerTimeToUniversalTime()
 *                             pg_time_convert()
 *   PeerGroupAddRecord()      pg_record_add()
 *   PeerGroupUpdateRecord()   pg_record_update()
 *   PeerGroupDeleteRecord()   pg_record_delete()
 *   PeerGroupGetRecord()      pg_record_get()
 *   PeerGroupEnumRecords()    pg_record_enum(), then pg_enum_count(),
 *                             pg_enum_next(), pg_enum_close(); or
 *                             pg_record_stream(), record by record
 *   PeerGroupSearchRecords()  pg_record_search() (takes the XML query)
 *   PeerGroupExportDatabase() pg_export()
 *   PeerGroupImportDatabase() pg_import()
 *   (many adds, updates, deletes or imports in flight at once, no p2p.h
 *   counterpart)           pg_batch_open(), pg_batch_add(), ...,
 *                             pg_batch_close()
 *   PeerGroupEnumMembers()    pg_member_enum()
 *   (revocation)              pg_member_revoke()
 *   PeerGroupCreateInvitation pg_member_invite()
 *   PeerGroupRegisterEvent()  pg_monitor_open(), pg_monitor_next()
 *   (replication, no p2p.h counterpart: Windows finds its peers itself)
 *                             pg_listen_add(), pg_listen_delete(),
 *                             pg_listen_enum(); pg_neighbour_add(),
 *                             pg_neighbour_delete(), pg_neighbour_delete_id(),
 *                             pg_neighbour_enum()
 *
 * Conventions
 * -----------
 * Every call that can fail returns 0 or a negative errno (-EEXIST, ...), the
 * errno the kernel answered wherever there is one. After a failure the handle
 * explains it:
 *   pg_errmsg()     the kernel's extended-ACK message (NLMSGERR_ATTR_MSG), or
 *                   the library's own message for failures that never reached
 *                   the kernel; "" when there is neither (use strerror()).
 *   pg_errattr()    the top-level request attribute the kernel blamed
 *                   (PEERGROUP_A_*), or 0.
 *   pg_errminlen(), pg_errmaxlen()
 *                   the length limits of the policy the blamed attribute broke,
 *                   or 0.
 * pg_windows_error() turns the errno and the attribute into the HRESULT name a
 * user of p2p.h knows. All of these describe the last call on the handle; a
 * call that succeeds clears them.
 *
 * The library never checks names or identities itself: the kernel is the
 * judge, so whatever the caller passes is sent as given. What it cannot
 * send is a field longer than a netlink attribute holds (65531 bytes; a
 * nest, such as a record, as much): that call fails with -EMSGSIZE before
 * anything is sent, its message naming the field, e.g. "record: attribute
 * "colour": 70001 bytes, more than a netlink attribute holds (65531)".
 *
 * Threads: a handle is not locked. Use one handle per thread (or serialize
 * the calls on a handle yourself). The library has no global state besides
 * constant tables, so handles are independent of each other.
 *
 * Namespaces: a handle acts on the network namespace its socket was created
 * in, i.e. the one of the calling thread at pg_open() time.
 */
#ifndef _PG_LIBPEERGROUP_H
#define _PG_LIBPEERGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <linux/peergroup.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nl_msg;
struct nl_sock;
struct pg_handle;

/*
 * Handle
 * ------
 * pg_open() connects a generic netlink socket, asks for extended ACKs and
 * resolves the family PEERGROUP_GENL_NAME.
 *
 * Whatever it returns, *hp is set: to a handle, or to NULL when not even the
 * handle could be allocated (-ENOMEM). On failure the handle only carries the
 * error: read pg_errmsg(*hp), then pg_close(*hp). So the caller always does
 *
 *	err = pg_open(&h);
 *	if (err)
 *		fprintf(stderr, "%s\n", pg_errmsg(h));   // "" if h is NULL
 *	...
 *	pg_close(h);
 *
 * Errors: -ENOENT when the family is not registered (module not loaded); the
 * message is then "generic netlink family "peergroup" not found: is the
 * peergroup module loaded?". Other negative errnos when the socket cannot be
 * created or configured.
 */
int pg_open(struct pg_handle **hp);

/* Closes the socket and frees the handle; NULL is allowed. */
void pg_close(struct pg_handle *h);

/*
 * The message explaining the last failed call on h, never NULL: the kernel's
 * extended-ACK message, or a library message, or "" when there is none (then
 * strerror() of the errno is the best explanation). "" for a NULL handle.
 */
const char *pg_errmsg(const struct pg_handle *h);

/*
 * The top-level attribute of our request the kernel blamed for the last
 * failure (PEERGROUP_A_GROUP_NAME, ...), from NLMSGERR_ATTR_MISS_TYPE (a
 * missing attribute) or NLMSGERR_ATTR_OFFS (a bad one: the attribute of the
 * request that contains the offset). For a fault inside a nested attribute
 * this is the outermost attribute. 0 when the kernel named none.
 */
int pg_errattr(const struct pg_handle *h);

/*
 * The length limits (NL_POLICY_TYPE_ATTR_MIN_LENGTH / _MAX_LENGTH) of the
 * policy the blamed attribute broke, as the kernel reported them in
 * NLMSGERR_ATTR_POLICY; 0 when not reported. For strings the maximum excludes
 * the terminating NUL, so 64 reads "at most 64 characters".
 */
uint32_t pg_errminlen(const struct pg_handle *h);
uint32_t pg_errmaxlen(const struct pg_handle *h);

/*
 * Raw access, for tests and for commands the library does not wrap yet.
 *
 * pg_family() is the resolved family id, pg_sock() the libnl socket (do not
 * change its callbacks or sequence numbers; pg_transact() relies on them).
 *
 * pg_msg_new() allocates a message (one page; nlmsg_expand() it for more)
 * with a generic netlink header for cmd, our family id and
 * PEERGROUP_GENL_VERSION, and the given nlmsg flags (e.g. NLM_F_DUMP).
 * NULL when out of memory.
 *
 * pg_transact() sends msg, completed by libnl (port, sequence number,
 * NLM_F_REQUEST, NLM_F_ACK), and reads the answer to the end: the ACK or
 * error of a request, or the NLMSG_DONE of a dump (whose error, if any, the
 * kernel reports in the DONE payload). parse, when not NULL, is called with
 * each reply message in order; it returns 0, or a negative errno that ends
 * up as the result (the remaining replies are still read, so the socket stays
 * in step). pg_transact() always frees msg, also on failure and when msg is
 * NULL (then it returns -ENOMEM, so pg_transact(h, pg_msg_new(...), ...) is
 * safe).
 * Returns 0, the kernel's negative errno (with pg_errmsg/pg_errattr set), a
 * parse error, or -EINTR when a dump was flagged NLM_F_DUMP_INTR (the table
 * changed during the dump: everything parse saw is suspect; start again).
 */
int pg_family(const struct pg_handle *h);
struct nl_sock *pg_sock(struct pg_handle *h);
struct nl_msg *pg_msg_new(struct pg_handle *h, uint8_t cmd, int nlm_flags);
int pg_transact(struct pg_handle *h, struct nl_msg *msg,
		int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/*
 * The group key
 * -------------
 * A group's password never reaches the kernel: the library derives the
 * group key from it with Argon2id (RFC 9106), slow and memory-hard so that
 * a guess costs what these parameters say, salted with "peergroup psk v2 "
 * followed by the group id, and sends the key with the parameters, which
 * the group records: every member must derive its key with the same
 * (Documentation/records.rst). time is Argon2's passes, memory_kib its
 * memory in KiB (at least 8 per lane), lanes its parallelism. A field 0
 * takes the default: RFC 9106's second recommended option.
 */
#define PG_KDF_TIME_DEFAULT	3
#define PG_KDF_MEMORY_DEFAULT	65536	/* KiB: 64 MiB */
#define PG_KDF_LANES_DEFAULT	4

struct pg_kdf {
	uint32_t time;
	uint32_t memory_kib;
	uint32_t lanes;
};

/*
 * The group key of password (len bytes) for group id under kdf (NULL or
 * fields 0: the defaults, which *kdf_used, when not NULL, receives filled
 * in) into key. 0, or -EINVAL (parameters out of the uapi's bounds, an
 * empty or too long password) or -ENOMEM, said in *why when not NULL.
 */
int pg_kdf_derive(const void *password, size_t len, const char *group_id,
		  const struct pg_kdf *kdf, struct pg_kdf *kdf_used,
		  uint8_t key[PEERGROUP_GROUP_KEY_LEN], const char **why);

/*
 * Groups
 * ------
 * A group as the kernel reports it (PEERGROUP_CMD_GROUP_GET). Strings are
 * NUL-terminated; an attribute the kernel did not send is left empty (0).
 */
struct pg_group_info {
	char name[PEERGROUP_GROUP_NAME_MAX + 1];
	char id[PEERGROUP_GROUP_ID_MAX + 1];	/* "<40 hex>.<name>" */
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	uint64_t created_ns;			/* ns since the Unix epoch, UTC */
	/*
	 * PEERGROUP_A_GROUP_KEY_RANDOM: the group's key was drawn at random
	 * by the kernel (no password) and exists nowhere else, so its export
	 * imports only into this same group, until it is deleted or the
	 * module unloaded.
	 */
	bool key_random;
	/* How the key was derived from the password; all 0 when random. */
	struct pg_kdf kdf;
	/* enum peergroup_security: psk, or pki (a certificate group) */
	uint8_t security;
};

/*
 * In the calls below a NULL name or identity leaves the attribute out of the
 * request (the kernel then reports it missing: -EINVAL, pg_errattr() names
 * it); this is for tests, real callers always pass both.
 */

/*
 * PeerGroupCreate: creates group name with the local identity as its
 * creator (PEERGROUP_CMD_GROUP_ADD). out, if not NULL, receives the new group
 * as the kernel created it.
 * Errors: -EINVAL (bad or missing name or identity), -EEXIST, -ENOSPC (the
 * namespace's max_groups reached), -ENOMEM, -EPERM (no CAP_NET_ADMIN).
 */
int pg_group_create(struct pg_handle *h, const char *name, const char *identity,
		    struct pg_group_info *out);

/*
 * PeerGroupDelete: deletes group name and everything it holds
 * (PEERGROUP_CMD_GROUP_DEL). Errors: -EINVAL, -ENOENT, -EPERM.
 */
int pg_group_delete(struct pg_handle *h, const char *name);

/*
 * One group by name (PEERGROUP_CMD_GROUP_GET). Errors: -EINVAL, -ENOENT.
 */
int pg_group_get(struct pg_handle *h, const char *name,
		 struct pg_group_info *out);

/*
 * PeerGroupEnum: every group of the namespace, in name order, as one array
 * in *groups (free() it; NULL when there are none) of *count entries. A dump
 * interrupted by a concurrent change is restarted up to PG_DUMP_RESTARTS
 * times, then the call fails with -EAGAIN ("group list kept changing during
 * the dump"). On failure *groups is NULL and *count 0.
 */
#define PG_DUMP_RESTARTS 5
int pg_group_enum(struct pg_handle *h, struct pg_group_info **groups,
		  size_t *count);

/*
 * Groups, extended
 * ----------------
 * pg_group_info above holds what every kernel reports; struct
 * pg_group_status adds the properties, status and counters of
 * PEERGROUP_CMD_GROUP_GET (see the uapi header for their meaning).
 */
struct pg_group_status {
	struct pg_group_info info;
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	uint8_t role;			/* enum peergroup_role */
	uint8_t security;		/* the same as info.security */
	uint32_t status;		/* PEERGROUP_STATUS_* */
	uint32_t flags;			/* PEERGROUP_GROUP_F_* */
	uint32_t max_record_size;
	uint32_t max_records;
	uint64_t max_bytes;
	uint32_t max_lifetime;		/* seconds; 0 from a kernel without it */
	uint32_t records;		/* held now, tombstones included */
	uint64_t bytes;
	uint32_t neighbours;
	uint32_t parked;		/* records from neighbours the provider */
	uint64_t parked_dropped;	/* could not judge yet; dropped since */
};

int pg_group_status(struct pg_handle *h, const char *name,
		    struct pg_group_status *out);

/*
 * pg_group_create_ex(): PeerGroupCreate, or PeerGroupJoin when creator is
 * set and differs from identity, or when group_id is set: the group of that
 * id (its name must be the id's classifier), whose creator and properties
 * the first neighbour tells (until then the status has no creator). NULL
 * creator, group_id and password leave the attributes out; password is
 * password_len bytes (not necessarily a string), from which the group key
 * is derived with kdf (above; NULL: the defaults) and sent in its place.
 *
 * A certificate group (security PEERGROUP_SECURITY_PKI) has no password:
 * this node signs with the private key of key_serial, a key of the kernel's
 * keyring (keyctl padd asymmetric NAME @u < key.p8), vouched for by certs,
 * certs_len bytes of DER certificates one after another, this node's first
 * and the group's root (the creator's self-signed certificate) last: at
 * most PG_CERTS_MAX certificates of PG_CERTS_LEN_MAX bytes in all, which
 * the kernel checks. The kernel derives the group id from the root's public
 * key and the creator from its subject: group_id, when given, must be that
 * id, and creator is refused. security 0 leaves the attribute out (psk);
 * key_serial 0 and certs NULL leave theirs out. A password with pki is
 * -EINVAL, "password: ...", before anything is sent.
 */
#define PG_CERTS_MAX		24
#define PG_CERTS_LEN_MAX	49152

struct pg_group_params {
	const char *name;
	const char *identity;
	const char *creator;		/* NULL: the group is created here */
	const char *group_id;		/* or joined by its id; not with creator */
	const void *password;		/* NULL: a random secret */
	size_t password_len;
	const struct pg_kdf *kdf;	/* NULL or 0 fields: the defaults */
	uint8_t security;		/* enum peergroup_security; 0: psk */
	int32_t key_serial;		/* pki: this node's private key */
	const void *certs;		/* pki: the DER chain, this node's first */
	size_t certs_len;
};

int pg_group_create_ex(struct pg_handle *h, const struct pg_group_params *p,
		       struct pg_group_info *out);

/*
 * pg_group_set(): PeerGroupSetProperties. Only the fields whose PG_SET_*
 * bit is in mask are sent.
 */
#define PG_SET_FLAGS		0x1
#define PG_SET_MAX_RECORD_SIZE	0x2
#define PG_SET_MAX_RECORDS	0x4
#define PG_SET_MAX_BYTES	0x8
#define PG_SET_MAX_LIFETIME	0x10

struct pg_group_props {
	uint32_t mask;
	uint32_t flags;
	uint32_t max_record_size;
	uint32_t max_records;
	uint64_t max_bytes;
	uint32_t max_lifetime;		/* seconds */
};

int pg_group_set(struct pg_handle *h, const char *name,
		 const struct pg_group_props *props);

/*
 * pg_time_convert(): with PG_TIME_UTC, *in is UTC and *out receives peer
 * time; with PG_TIME_PEER the reverse; with PG_TIME_NOW in is ignored and
 * utc/peer both receive the current time (either may be NULL).
 * Times are ns since the Unix epoch.
 */
enum pg_time_from { PG_TIME_NOW, PG_TIME_UTC, PG_TIME_PEER };

int pg_time_convert(struct pg_handle *h, const char *group,
		    enum pg_time_from from, uint64_t in,
		    uint64_t *utc, uint64_t *peer);

/*
 * Records
 * -------
 * A record as in PEER_RECORD. present says which fields a request sends
 * (PG_REC_* bits): requests send exactly those, so tests can send fields
 * the kernel ignores or leave out required ones. Records the library
 * returns have present set to the fields the kernel sent.
 *
 * A record returned by the library is one allocation: pg_record_free()
 * frees it with everything it points to (PeerFreeData).
 */
#define PG_GUID_LEN PEERGROUP_GUID_LEN

enum pg_attr_kind {
	PG_ATTR_STRING = 1,	/* PEERGROUP_ATTR_A_STR */
	PG_ATTR_INT,		/* PEERGROUP_ATTR_A_INT */
	PG_ATTR_DATE,		/* PEERGROUP_ATTR_A_DATE */
};

struct pg_attribute {
	const char *name;
	enum pg_attr_kind kind;
	const char *str;	/* PG_ATTR_STRING */
	int64_t i;		/* PG_ATTR_INT */
	uint64_t date;		/* PG_ATTR_DATE, peer time ns */
};

#define PG_REC_ID		0x0001
#define PG_REC_TYPE		0x0002
#define PG_REC_VERSION		0x0004
#define PG_REC_FLAGS		0x0008
#define PG_REC_CREATOR		0x0010
#define PG_REC_MODIFIER		0x0020
#define PG_REC_CREATED		0x0040
#define PG_REC_MODIFIED		0x0080
#define PG_REC_EXPIRES		0x0100
#define PG_REC_ATTRS		0x0200
#define PG_REC_SECURITY		0x0400
#define PG_REC_DATA		0x0800

struct pg_record {
	uint32_t present;		/* PG_REC_* */
	uint8_t id[PG_GUID_LEN];
	uint8_t type[PG_GUID_LEN];
	uint32_t version;
	uint32_t flags;			/* PEERGROUP_RECORD_F_* */
	const char *creator;
	const char *modifier;
	uint64_t created;		/* peer time, ns since the epoch */
	uint64_t modified;
	uint64_t expires;
	size_t nattrs;
	const struct pg_attribute *attrs;
	size_t security_len;
	const uint8_t *security;
	size_t data_len;
	const uint8_t *data;
};

void pg_record_free(struct pg_record *rec);

/*
 * pg_record_add(): sends the fields in rec->present (a normal caller sets
 * PG_REC_TYPE | PG_REC_EXPIRES and PG_REC_ATTRS / PG_REC_DATA / PG_REC_FLAGS
 * as needed). id and version, when not NULL, receive the new record's id
 * and version (1).
 * pg_record_update(): the same for an update (PG_REC_ID, _TYPE, _FLAGS,
 * _EXPIRES required by the kernel); version receives the new version.
 * pg_record_delete(): tombstones the record; version receives its version.
 * pg_record_get(): one live record; *out is freed with pg_record_free().
 * Errors: the kernel's (see the uapi header); -ENOMEM.
 */
int pg_record_add(struct pg_handle *h, const char *group,
		  const struct pg_record *rec, uint8_t id[PG_GUID_LEN],
		  uint32_t *version);
int pg_record_update(struct pg_handle *h, const char *group,
		     const struct pg_record *rec, uint32_t *version);
int pg_record_delete(struct pg_handle *h, const char *group,
		     const uint8_t id[PG_GUID_LEN], uint32_t *version);
int pg_record_get(struct pg_handle *h, const char *group,
		  const uint8_t id[PG_GUID_LEN], struct pg_record **out);

/*
 * Enumerations (HPEERENUM): a snapshot of the records a dump returned.
 * pg_record_enum() dumps the group's records, filtered by type and creator
 * when not NULL; pg_record_search() filters by a Windows XML query
 * (<peersearch>...</peersearch>, parsed with libxml2; a malformed query
 * is -EINVAL with a message naming what is wrong, before anything is
 * sent). flags: PG_ENUM_TOMBSTONES includes tombstones; PG_ENUM_NO_RESTART
 * returns -EINTR when the dump was flagged NLM_F_DUMP_INTR instead of
 * restarting it (up to PG_DUMP_RESTARTS times, then -EAGAIN).
 * pg_enum_next() returns the records one by one (owned by the
 * enumeration, valid until pg_enum_close()), NULL at the end.
 */
#define PG_ENUM_TOMBSTONES	0x1
#define PG_ENUM_NO_RESTART	0x2

struct pg_enum;

struct pg_enum_filter {
	const uint8_t *type;		/* NULL: every type */
	const char *creator;		/* NULL: every creator */
	uint32_t flags;			/* PG_ENUM_* */
};

int pg_record_enum(struct pg_handle *h, const char *group,
		   const struct pg_enum_filter *filter, struct pg_enum **out);
int pg_record_search(struct pg_handle *h, const char *group,
		     const char *xml_query, uint32_t flags,
		     struct pg_enum **out);
size_t pg_enum_count(const struct pg_enum *e);
const struct pg_record *pg_enum_next(struct pg_enum *e);
void pg_enum_close(struct pg_enum *e);

/*
 * pg_record_stream(): the same dump without a snapshot, for tables too
 * large to hold twice: fn is called with arg and each record as it is
 * read (the record is valid during the call only), in id order. With
 * xml_query NULL it is pg_record_enum()'s dump (filter's type, creator and
 * PG_ENUM_TOMBSTONES), else pg_record_search()'s (filter's
 * PG_ENUM_TOMBSTONES only: a type or creator with a query is -EINVAL).
 * fn returns 0 to go on, or a negative errno that becomes the result (the
 * rest of the dump is still read, unseen). Records already handed on
 * cannot be taken back, so a dump flagged NLM_F_DUMP_INTR is never
 * restarted: the call returns -EINTR, and what fn saw may mix the table
 * before and after a change.
 * Errors: as pg_record_enum() and pg_record_search(), fn's, -EINTR.
 */
typedef int (*pg_record_fn)(void *arg, const struct pg_record *rec);

int pg_record_stream(struct pg_handle *h, const char *group,
		     const struct pg_enum_filter *filter,
		     const char *xml_query, pg_record_fn fn, void *arg);

/*
 * pg_record_import(): one whole record (every PG_REC_* field it has) into
 * the group, validated like a received one (PEERGROUP_CMD_RECORD_IMPORT).
 *
 * pg_export() writes every record of the group, tombstones included, to
 * fd in the export format (Documentation/admin-guide.rst: a header line,
 * then each PEERGROUP_A_RECORD nest exactly as the kernel sent it);
 * *count, when not NULL, receives the number written. pg_import() reads
 * such a file and imports every record in it, stopping at the first
 * refusal (-EINVAL and a message naming the record's position for a
 * malformed file). pg_import() sends the records through a batch (see
 * "Pipelined writes" below, with the default window): it stops at the
 * first refusal, whose message names the record's position ("record 7 of
 * 20: ..."), but the records after it that were already in flight (up to
 * PG_BATCH_WINDOW_DEFAULT - 1) may have been imported. *count receives the
 * number imported, those included.
 * The records keep the security data of the group that exported them: an
 * export of a group whose key_random is set imports into that same group
 * only, while it lives (pg_group_get() tells before the export). A record
 * secured under another key is refused with -EINVAL, the kernel's message
 * saying so.
 */
int pg_record_import(struct pg_handle *h, const char *group,
		     const struct pg_record *rec);
int pg_export(struct pg_handle *h, const char *group, int fd, size_t *count);
int pg_import(struct pg_handle *h, const char *group, int fd, size_t *count);

/*
 * Pipelined writes
 * ----------------
 * Every call above is one request and one answer: a round trip to the
 * kernel per record. A batch instead keeps many record requests in flight
 * on the handle's one socket: requests are queued, packed several to a
 * buffer and sent with one sendmsg(), and the answers are read later and
 * matched to their requests by sequence number.
 *
 *	struct pg_batch *b;
 *
 *	err = pg_batch_open(h, "office", 0, on_answer, &state, &b);
 *	for (i = 0; !err && i < n; i++)
 *		err = pg_batch_add(b, &recs[i]);
 *	err = pg_batch_close(b);	// 0, or the first failure
 *	if (err)
 *		fprintf(stderr, "record %zu: %s\n", failed_index, pg_errmsg(h));
 *
 * (with failed_index read by pg_batch_failed_index() before the close, or
 * kept by the callback).
 *
 * pg_batch_open() starts a batch on h for group (copied: the caller's
 * string may go at once; NULL leaves the group name out of the requests,
 * as in the calls above). window is how many requests may be in flight,
 * queued or sent and unanswered: 0 for PG_BATCH_WINDOW_DEFAULT, at most
 * PG_BATCH_WINDOW_MAX (-EINVAL above). The window actually used may be
 * smaller: the kernel queues every answer of a window on the socket before
 * the library reads any, and an answer that does not fit the socket's
 * receive buffer is lost (the write it answers still stands), so the
 * window is at most the buffer's size (net.core.rmem_max caps it) over 2
 * KB. The default receive buffer holds 208 answers. cb, when not NULL, is
 * called with arg once for every request the batch accepted, in the order
 * they were queued (index from 0), as its answer is read: err 0 and the
 * record's id and version as the kernel answered (for an import, the id
 * and version of the record sent, or zeros for fields it lacks); or the
 * request's negative errno with a zeroed id and version 0 (-ECANCELED for
 * a request never sent because an earlier one failed). cb must not call
 * pg_batch_* on the batch.
 * Errors: -EBUSY when a batch is already open on h, -EINVAL, -ENOMEM.
 *
 * pg_batch_add(), pg_batch_update(), pg_batch_delete(), pg_batch_import()
 * queue the request pg_record_add(), pg_record_update(),
 * pg_record_delete() and pg_record_import() would send, built from rec
 * (the fields in rec->present) or id right away: rec may be changed or
 * freed when the call returns. When the window is full, the call first
 * sends every queued request and reads answers until half the window is
 * free, so it may wait for the kernel. 0, or the batch's first failure
 * (below); a request the library cannot build (-ENOMEM, -EMSGSIZE past
 * what a netlink attribute holds) is itself a failure of the batch, at its
 * index.
 *
 * pg_batch_flush() sends every queued request and waits for every answer
 * in flight. pg_batch_close() flushes, then frees the batch (NULL is
 * allowed: 0). Both return 0 or the first failure.
 *
 * The first failure: the request of the lowest index that failed, with the
 * kernel's errno (or the library's: -ENOMEM, -EPROTO for an answer it
 * cannot read, -ENOBUFS when answers were lost, see below). From then on
 * no request is sent: every later pg_batch_add() and the others return
 * that error without queuing anything, and requests queued but not sent
 * are dropped (-ECANCELED to cb); the requests already sent are still read
 * at the next flush or close, and cb called for each. pg_errmsg(h),
 * pg_errattr(h) and pg_last_windows_error(h, err) then describe the failed
 * request exactly as after the same one-at-a-time call, with no prefix:
 * pg_batch_failed_index() says which request it was. After a batch
 * call that returns 0 they describe nothing (as after any successful call).
 *
 * Beware: the kernel carries out the requests of one sendmsg() one after
 * the other, whatever the previous one's outcome. With a window of W, up
 * to W - 1 requests queued after the failed one may already have been
 * carried out (their callbacks say which). A caller that needs "nothing
 * after a failure" uses a window of 1 (or the calls above).
 *
 * -ENOBUFS: answers were lost (the receive buffer overflowed, which the
 * window's bound should prevent). The requests whose answers are missing
 * may or may not have been carried out; the message says so, the batch
 * stops reading, and those requests get -ENOBUFS in cb.
 *
 * pg_batch_succeeded() is the number of requests answered with success so
 * far; pg_batch_failed_index() the index of the first failure, or
 * PG_BATCH_NO_FAILURE ((size_t)-1).
 *
 * While a batch is open its handle serves the batch only: any other call
 * on h fails with -EBUSY ("a batch is open on this handle: close it
 * first") and sends nothing. Close the batch first.
 */
/*
 * 64 by default: its answers need 128 KB at most, under a third of the
 * default receive buffer; a full window then sends 32 requests per
 * sendmsg(), so the system call and the wait for the kernel are paid once
 * in 32 requests, and a larger window buys little more while it widens
 * what may be carried out after a failure. 128 at most: 256 KB of
 * answers, still within the default buffer.
 */
#define PG_BATCH_WINDOW_DEFAULT 64
#define PG_BATCH_WINDOW_MAX 128
#define PG_BATCH_NO_FAILURE ((size_t)-1)

struct pg_batch;

/* The answer to one request of a batch (see above). */
typedef void (*pg_batch_cb)(void *arg, size_t index, int err,
			    const uint8_t id[PG_GUID_LEN], uint32_t version);

int pg_batch_open(struct pg_handle *h, const char *group, unsigned int window,
		  pg_batch_cb cb, void *arg, struct pg_batch **out);
int pg_batch_add(struct pg_batch *b, const struct pg_record *rec);
int pg_batch_update(struct pg_batch *b, const struct pg_record *rec);
int pg_batch_delete(struct pg_batch *b, const uint8_t id[PG_GUID_LEN]);
int pg_batch_import(struct pg_batch *b, const struct pg_record *rec);
int pg_batch_flush(struct pg_batch *b);
size_t pg_batch_succeeded(const struct pg_batch *b);
size_t pg_batch_failed_index(const struct pg_batch *b);
int pg_batch_close(struct pg_batch *b);

/*
 * XML
 * ---
 * pg_attrs_from_xml(): parses the Windows attribute XML
 * (<attributes><attribute name="N" type="string|int|date">v</attribute>...)
 * into an array (one allocation; free() it) of *n attributes. Dates are
 * ISO-8601 (W3C profiles, e.g. 2026-01-31 or 2026-01-31T10:00:00Z) and
 * become ns since the epoch. -EINVAL with a message for malformed XML,
 * an unknown type or a bad value. h is used for the message only.
 * pg_attrs_to_xml(): the reverse; returns a malloc()ed string, NULL when out
 * of memory.
 */
int pg_attrs_from_xml(struct pg_handle *h, const char *xml,
		      struct pg_attribute **attrs, size_t *n);
char *pg_attrs_to_xml(const struct pg_attribute *attrs, size_t n);

/*
 * GUIDs as text: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, the bytes in order,
 * lowercase (braces accepted on input). pg_guid_parse() returns 0 or
 * -EINVAL.
 */
#define PG_GUID_STR_LEN 37	/* with the NUL */
void pg_guid_format(const uint8_t guid[PG_GUID_LEN],
		    char out[PG_GUID_STR_LEN]);
int pg_guid_parse(const char *s, uint8_t guid[PG_GUID_LEN]);

/*
 * Dates as text, the W3C profiles of ISO-8601 that the XML forms use.
 * pg_date_parse() reads YYYY, YYYY-MM, YYYY-MM-DD or
 * YYYY-MM-DDThh:mm[:ss[.fraction]] then Z or +hh:mm or -hh:mm, into ns since
 * the epoch (missing parts are the start of the period): 0, -EINVAL when
 * malformed, -ERANGE before 1970 or after 2554-07-21T23:34:33.709551615Z.
 * pg_date_format() writes YYYY-MM-DDThh:mm:ss[.fffffffff]Z, the fraction
 * only when it is not zero.
 */
#define PG_DATE_STR_LEN 31	/* with the NUL */
int pg_date_parse(const char *s, uint64_t *ns);
void pg_date_format(uint64_t ns, char out[PG_DATE_STR_LEN]);

/*
 * Replication
 * -----------
 * Listeners of the namespace and neighbours of a group, as the uapi header
 * describes them (PEERGROUP_CMD_LISTEN_* and PEERGROUP_CMD_NEIGHBOUR_*).
 *
 * An address is an IPv4 or IPv6 address, family and bytes; on the wire it
 * is PEERGROUP_A_ADDR, 4 or 16 bytes. In requests, a NULL address or one
 * of family AF_UNSPEC is left out (the kernel's default: the IPv6
 * wildcard for listeners, which takes IPv4 as well), and port 0 is left
 * out (the kernel's default, PEERGROUP_DEFAULT_PORT).
 */
struct pg_addr {
	sa_family_t family;		/* AF_INET, AF_INET6, AF_UNSPEC */
	uint8_t bytes[16];		/* 4 used for AF_INET */
};

/*
 * pg_addr_parse(): an IPv4 or IPv6 literal (inet_pton(): 192.0.2.1,
 * 2001:db8::1, ::ffff:192.0.2.1) into *a: 0, or -EINVAL (no names, no
 * brackets, no scope).
 * pg_addr_format(): the reverse (inet_ntop()); "" for AF_UNSPEC, "?" for
 * a family it does not know.
 * pg_addr_len(): 4, 16, or 0 for another family.
 */
#define PG_ADDR_STR_LEN 46		/* INET6_ADDRSTRLEN, with the NUL */
int pg_addr_parse(const char *s, struct pg_addr *a);
void pg_addr_format(const struct pg_addr *a, char out[PG_ADDR_STR_LEN]);
size_t pg_addr_len(const struct pg_addr *a);

/*
 * A listener as PEERGROUP_CMD_LISTEN_GET reports it, with what became of
 * the connections it accepted (0 from a kernel that does not count them).
 */
struct pg_listener {
	struct pg_addr addr;
	uint16_t port;
	uint64_t accepted;		/* taken into a handshake */
	uint64_t ratelimited;		/* closed at once: source over its rate */
	uint64_t busy;			/* closed at once: over a limit */
};

/*
 * pg_listen_add(): opens a TCP listener of the namespace
 * (PEERGROUP_CMD_LISTEN_ADD). pg_listen_delete(): closes the one on addr
 * and port (PEERGROUP_CMD_LISTEN_DEL; same defaults); the connections it
 * accepted stay up.
 * pg_listen_enum(): every listener, as one array in *v (free() it; NULL
 * when there are none) of *n entries; a dump flagged NLM_F_DUMP_INTR is
 * restarted as for pg_group_enum().
 * Errors: the kernel's (EINVAL, EEXIST, EADDRINUSE, ENOSPC, ENOENT, EPERM,
 * ...), -ENOMEM; -EINVAL when addr has a family other than AF_INET and
 * AF_INET6 (nothing is sent).
 */
int pg_listen_add(struct pg_handle *h, const struct pg_addr *addr,
		  uint16_t port);
int pg_listen_delete(struct pg_handle *h, const struct pg_addr *addr,
		     uint16_t port);
int pg_listen_enum(struct pg_handle *h, struct pg_listener **v, size_t *n);

/*
 * A neighbour of a group, every PEERGROUP_NEIGHBOUR_A_* field: one added
 * (direction out: the module connects) or a connection accepted by a
 * listener (direction in). A field the kernel did not send is 0 (the
 * identity "", before the peer proved it).
 */
struct pg_neighbour {
	uint64_t id;			/* unique in the namespace */
	struct pg_addr addr;		/* the peer's address */
	uint16_t port;			/* and port */
	uint8_t direction;		/* enum peergroup_direction */
	uint8_t state;			/* enum peergroup_neighbour_state */
	char identity[PEERGROUP_IDENTITY_MAX + 1];
	uint8_t reason;			/* enum peergroup_reason: the last */
	int error;			/* positive errno, with REASON_CONNECT
					 * and REASON_ERROR; 0 for none */
	uint64_t since_ns;		/* UTC ns of the last state change */
	uint64_t frames_tx, frames_rx;
	uint64_t bytes_tx, bytes_rx;
	uint64_t records_tx, records_rx; /* records_rx: stored */
	uint64_t refused;		/* records refused */
	uint32_t queue;			/* bytes queued to send */
	uint32_t connects;		/* connections made */
	uint32_t lag_ms;		/* the oldest frame queued: its wait */
	/* The last record refused: why ("" if none was), positive errno. */
	char refused_why[128];
	int refused_error;
};

/*
 * pg_neighbour_add(): connects group to the peer at addr (required) and
 * port (PEERGROUP_CMD_NEIGHBOUR_ADD); out, if not NULL, receives the new
 * neighbour as the kernel reports it.
 * pg_neighbour_delete(): forgets the neighbour added with addr and port;
 * pg_neighbour_delete_id(): the neighbour id, an accepted one too
 * (PEERGROUP_CMD_NEIGHBOUR_DEL). Its connection is closed.
 * pg_neighbour_enum(): the group's neighbours, added and accepted, as one
 * array in *v (free() it; NULL when there are none) of *n entries.
 * A NULL group leaves the group name out (the kernel then reports it
 * missing).
 * Errors: the kernel's (EINVAL, ENOENT, EEXIST, ENOSPC, EPERM, ...),
 * -ENOMEM; -EINVAL for an address of another family (nothing is sent).
 */
int pg_neighbour_add(struct pg_handle *h, const char *group,
		     const struct pg_addr *addr, uint16_t port,
		     struct pg_neighbour *out);
int pg_neighbour_delete(struct pg_handle *h, const char *group,
			const struct pg_addr *addr, uint16_t port);
int pg_neighbour_delete_id(struct pg_handle *h, const char *group,
			   uint64_t id);
int pg_neighbour_enum(struct pg_handle *h, const char *group,
		      struct pg_neighbour **v, size_t *n);

/*
 * Members
 * -------
 * A member of a certificate group (security pki) as
 * PEERGROUP_CMD_MEMBER_GET reports it: a certificate the group's store
 * holds, one that chains to the group's root.
 */
struct pg_member {
	char identity[PEERGROUP_IDENTITY_MAX + 1];	/* its subject */
	char issuer[PEERGROUP_IDENTITY_MAX + 1];	/* its issuer's */
	uint8_t role;			/* enum peergroup_role */
	uint64_t not_before_ns;		/* validity, UTC ns since the epoch */
	uint64_t not_after_ns;
	uint8_t fingerprint[PEERGROUP_FINGERPRINT_LEN];	/* SHA-256 of DER */
	bool revoked;
	bool own;			/* this node's certificate */
};

/*
 * pg_member_enum(): the members of a certificate group, in fingerprint
 * order, as one array in *v (free() it; NULL when there are none) of *n
 * entries; a dump flagged NLM_F_DUMP_INTR is restarted as for
 * pg_group_enum().
 * Errors: the kernel's (EINVAL, ENOENT, EOPNOTSUPP for a password group,
 * which has no member list), -ENOMEM.
 */
int pg_member_enum(struct pg_handle *h, const char *group,
		   struct pg_member **v, size_t *n);

/*
 * pg_member_revoke(): an administrator of a certificate group revokes the
 * certificate whose SHA-256 is fingerprint (as pg_member_enum() gives it):
 * every peer then refuses its later records and its connections.
 * Errors: the kernel's (EACCES: not an administrator; EINVAL: the root;
 * EOPNOTSUPP: a password group; EAGAIN, ENOENT), -ENOMEM.
 */
int pg_member_revoke(struct pg_handle *h, const char *group,
		     const uint8_t fingerprint[PEERGROUP_FINGERPRINT_LEN]);

/*
 * What an administrator's invitation asks the certificate to say: the
 * invitee's identity and public key (a DER SubjectPublicKeyInfo of an RSA
 * key, 2048 to 4096 bits), its role (PEERGROUP_ROLE_ADMIN or
 * PEERGROUP_ROLE_MEMBER; 0 is member) and validity (UTC ns since the
 * epoch; 0: from now, to the end of the issuer's own certificate).
 */
struct pg_invite {
	const char *identity;
	const uint8_t *public_key;
	size_t public_key_len;
	uint8_t role;
	uint64_t not_before_ns;
	uint64_t not_after_ns;
};

/*
 * pg_member_invite(): PeerGroupCreateInvitation. An administrator of a
 * certificate group has the kernel issue a certificate for inv, signed by
 * the private key the group holds: *chain (free() it) is the new
 * certificate then the issuer's chain, DER, *chain_len bytes, what the
 * invitee joins with; *m what the new certificate says (m->own false).
 * Errors: the kernel's (EINVAL: the key, identity or validity; EACCES:
 * not an administrator; EKEYREVOKED, EKEYEXPIRED: the issuer's
 * certificate; EMSGSIZE: the chain would be too long; EOPNOTSUPP: a
 * password group; ENOENT), -ENOMEM, -EPROTO.
 */
int pg_member_invite(struct pg_handle *h, const char *group,
		     const struct pg_invite *inv, uint8_t **chain,
		     size_t *chain_len, struct pg_member *m);

/*
 * Events
 * ------
 * A monitor is a second socket subscribed to the events of the calling
 * thread's network namespace: PEERGROUP_MCGRP_EVENTS, and
 * PEERGROUP_MCGRP_NEIGHBOURS (the neighbour events) if the caller may join
 * it (CAP_NET_ADMIN, as for PEERGROUP_CMD_NEIGHBOUR_GET); a caller that may
 * not gets the rest. pg_monitor_neighbours() says which: 0, or -EPERM when
 * the monitor gets no neighbour events.
 * pg_monitor_next() waits up to timeout_ms (-1: forever) for the next
 * event: 1 and *ev filled, 0 on timeout, or a negative errno (-ENOBUFS when
 * events were lost because the socket's buffer overflowed; the monitor
 * stays usable).
 */
struct pg_monitor;

enum pg_event_kind {
	PG_EVENT_RECORD = 1,
	PG_EVENT_GROUP,
	PG_EVENT_NEIGHBOUR,
	PG_EVENT_MEMBER,
};

struct pg_event {
	enum pg_event_kind kind;
	char group[PEERGROUP_GROUP_NAME_MAX + 1];
	uint8_t change;			/* PG_EVENT_RECORD: peergroup_change */
	uint8_t id[PG_GUID_LEN];	/* PG_EVENT_RECORD */
	uint8_t type[PG_GUID_LEN];	/* PG_EVENT_RECORD */
	uint32_t version;		/* PG_EVENT_RECORD */
	uint8_t origin;			/* PG_EVENT_RECORD: peergroup_origin */
	uint8_t group_event;		/* PG_EVENT_GROUP: peergroup_group_event */
	uint32_t status;		/* PG_EVENT_GROUP */
	/*
	 * PG_EVENT_RECORD with origin PEERGROUP_ORIGIN_PEER: the neighbour
	 * the change came from; 0 otherwise.
	 */
	uint64_t neighbour_id;
	/* PG_EVENT_NEIGHBOUR: enum peergroup_neighbour_event */
	uint8_t neighbour_event;
	/*
	 * PG_EVENT_NEIGHBOUR: the neighbour as PEERGROUP_CMD_NEIGHBOUR_GET
	 * reports it, its reason the one the event is about.
	 */
	struct pg_neighbour neighbour;
	/* PG_EVENT_MEMBER: enum peergroup_member_event, and the member. */
	uint8_t member_event;
	struct pg_member member;
};

int pg_monitor_open(struct pg_monitor **mp);
int pg_monitor_fd(const struct pg_monitor *m);
int pg_monitor_neighbours(const struct pg_monitor *m);
int pg_monitor_next(struct pg_monitor *m, struct pg_event *ev,
		    int timeout_ms);
void pg_monitor_close(struct pg_monitor *m);

/*
 * pg_last_windows_error(): pg_windows_error() for the last failure on h,
 * using the innermost attribute the kernel blamed (an escape in a search
 * value is E_INVALIDARG, the rest of a bad query PEER_E_INVALID_SEARCH).
 */
const char *pg_last_windows_error(const struct pg_handle *h, int err);

/*
 * Names
 * -----
 * pg_windows_error(): for a negative errno and the attribute the kernel
 * blamed (pg_errattr(), or 0), the Windows name of the same failure, e.g.
 * -EEXIST -> "PEER_E_ALREADY_EXISTS", -EINVAL with PEERGROUP_A_GROUP_NAME ->
 * "PEER_E_INVALID_CLASSIFIER"; "E_FAIL" for anything without a counterpart.
 * A positive errno is accepted too. Never NULL.
 *
 * pg_errno_name(): the symbolic name of an errno ("EEXIST") for the ones this
 * API produces and their usual neighbours, sign ignored; NULL if unknown.
 *
 * pg_attr_name(): what a PEERGROUP_A_* attribute means, for messages
 * ("group name", "identity", ...); NULL if unknown.
 *
 * The values of the replication enums as the tool prints them; NULL for
 * a value the library does not know (a newer kernel's):
 *   pg_direction_name()        enum peergroup_direction: "out", "in"
 *   pg_neighbour_state_name()  enum peergroup_neighbour_state: "backoff",
 *                              "connecting", "handshake", "syncing",
 *                              "established", "closed"
 *   pg_reason_name()           enum peergroup_reason: "none", "closed",
 *                              "connect", "version", "unknown-group",
 *                              "auth", "timeout", "protocol", "overflow",
 *                              "deleted", "limit", "self", "error",
 *                              "kdf"
 *   pg_neighbour_event_name()  enum peergroup_neighbour_event:
 *                              "connected", "disconnected", "failed",
 *                              "synced"
 *   pg_member_event_name()     enum peergroup_member_event: "joined"
 * The UNSPEC values have no name (NULL); PEERGROUP_REASON_NONE is "none".
 */
const char *pg_windows_error(int err, int attr);
const char *pg_errno_name(int err);
const char *pg_attr_name(int attr);
const char *pg_direction_name(unsigned int direction);
const char *pg_neighbour_state_name(unsigned int state);
const char *pg_reason_name(unsigned int reason);
const char *pg_neighbour_event_name(unsigned int event);
const char *pg_member_event_name(unsigned int event);

#ifdef __cplusplus
}
#endif

#endif /* _PG_LIBPEERGROUP_H */
