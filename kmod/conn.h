/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One connection, and the protocol on it (Documentation/protocol.rst).
 *
 * Every frame: be32 length (the whole frame), u8 version, u8 type, be16
 * flags (0), the payload, and once the handshake is done a 16-byte AEAD
 * tag: the header is the associated data, the payload is encrypted, the
 * nonce is the direction's frame counter. A length is checked against the
 * bound of the connection's phase before anything is allocated.
 */
#ifndef _PG_CONN_H
#define _PG_CONN_H

#include "bytes.h"
#include "peer.h"

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define PG_WIRE_VERSION		1
#define PG_WIRE_HDR_LEN		8
#define PG_WIRE_TAG_LEN		16
#define PG_WIRE_NONCE_LEN	32
#define PG_WIRE_KEY_LEN		32	/* X25519 keys, session keys */
/*
 * The largest handshake frame without its proof (a HELLO), to which the
 * group's provider adds its proof's bound; and after (plus a record).
 */
#define PG_WIRE_HS_MAX		2048
#define PG_WIRE_OVERHEAD	4096
/* A connection closes (and comes back with new keys) before this. */
#define PG_WIRE_SEQ_LIMIT	BIT_ULL(48)

/*
 * What a peer makes the node allocate (frames received and queued, a
 * pass's messages): charged to the group's memory cgroup, and failed
 * rather than forced past its limit when its OOM killer has no one to
 * kill (memcg.h). kvmalloc() takes __GFP_RETRY_MAYFAIL, not NORETRY.
 */
#define PG_GFP_PEER	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

enum pg_wire_type {
	PG_WIRE_HELLO		= 0x01,	/* initiator: group, identity, keys */
	PG_WIRE_WELCOME		= 0x03,	/* sealed: peer time, synchronized */
	PG_WIRE_REFUSE		= 0x04,	/* a reason; plaintext in the handshake */
	PG_WIRE_SOLICIT		= 0x06,	/* sealed: send your records after */
	PG_WIRE_RECONCILE	= 0x08,	/* sealed: ranges of the two tables */
	PG_WIRE_RECORD		= 0x0b,	/* sealed: one record */
	PG_WIRE_SYNC_END	= 0x0c,	/* sealed: that was every record */
	PG_WIRE_PROPERTIES	= 0x0d,	/* sealed: the creator, its properties */
	PG_WIRE_CHALLENGE	= 0x10,	/* responder: identity, keys, proof */
	PG_WIRE_PROOF		= 0x11,	/* initiator: its proof */
};

/* PG_WIRE_RECORD: why the record is sent */
enum pg_wire_record_kind {
	PG_WIRE_REC_FLOOD	= 0,	/* a change */
	PG_WIRE_REC_SYNC	= 1,	/* part of a solicited stream */
	PG_WIRE_REC_ANSWER	= 2,	/* the newer copy of a stale one */
	PG_WIRE_REC_RECONCILE	= 3,	/* one that differs, in a pass */
};

enum pg_conn_phase {
	PG_CONN_CONNECTING,	/* outbound: TCP connect under way */
	PG_CONN_HANDSHAKE,
	PG_CONN_OPEN,		/* sealed frames flow */
};

struct pg_handshake;
struct pg_recon;
struct crypto_aead;
struct aead_request;

/* One direction's key. */
struct pg_seal {
	struct crypto_aead *tfm;
	struct aead_request *req;
	u64 seq;
};

struct pg_conn {
	struct kref ref;
	struct pg_net *pn;
	struct list_head pn_node;	/* in pg_net.conns, under conn_lock */
	struct work_struct io_work;	/* all I/O, and the teardown */
	struct delayed_work timer;	/* the handshake's deadline */
	struct work_struct free_work;
	struct socket *sock;
	bool outbound;
	bool counted;			/* in nhandshakes and its source's */
	struct mem_cgroup *memcg;	/* pays until grp is known (memcg.h) */
	unsigned long flags;		/* PG_CONN_F_* */
	struct pg_addr peer;

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	/*
	 * Set once known, then fixed: outbound at once; inbound, the group
	 * once a well-formed HELLO names it, the neighbour once the peer's
	 * proof verifies (io_work).
	 */
	struct pg_neighbour *nb;	/* referenced */
	struct pg_group *grp;		/* referenced */

	/* io_work only. */
	enum pg_conn_phase phase;
	struct pg_handshake *hs;
	u8 rx_hdr[PG_WIRE_HDR_LEN];
	u32 rx_got;
	u8 *rx_buf;			/* the frame being read, header too */
	u32 rx_len;
	struct pg_seal rx;
	bool was_up;			/* authenticated, reported up */
	u64 plain_sent;			/* our last handshake frame, queued */
	bool welcomed;			/* the peer's WELCOME came */
	bool peer_ready;		/* ... saying its table is synchronized */
	bool resumed;			/* our first sync goes on from a cursor */
	bool solicited;			/* we asked for the peer's records */
	bool streaming;			/* we stream ours to the peer */
	bool stream_have_cursor;
	u8 stream_cursor[PEERGROUP_GUID_LEN];
	struct pg_recon *rc;		/* a reconciliation pass under way */
	u8 why;				/* why the work closes it */
	u8 reason;			/* why it closes, under tx_lock */
	int err;

	/* The send queue: frames sealed, in order. */
	struct mutex tx_lock;
	struct list_head txq;		/* struct pg_frame */
	u32 tx_bytes;
	u32 tx_off;			/* sent of the first frame */
	u64 tx_head_at;			/* the first frame queued then; 0: none */
	struct pg_seal tx;		/* NULL tfm: the handshake's plaintext */
};

#define PG_CONN_F_DEAD		0	/* closing: nothing more is sent */
#define PG_CONN_F_GONE		1	/* torn down */
#define PG_CONN_F_PASS		2	/* a reconciliation pass is wanted */
#define PG_CONN_F_PROPS		3	/* the properties are to be sent */

/*
 * An algorithm replication needs is missing from the crypto API (its
 * module not loaded, and not loadable): said once, as no connection can
 * work until it is there; each connection still fails with the errno, and
 * the responder refuses with reason error.
 */
#define PG_CRYPTO_MISSING \
	"the crypto API has no %s: no replication until its module is loaded (modinfo peergroup)\n"
#define pg_crypto_missing(alg, err) do {			\
	if ((err) == -ENOENT)				\
		pr_warn_once(PG_CRYPTO_MISSING, alg);	\
} while (0)

/* conn.c, for handshake.c and sync.c */
int pg_conn_send_plain(struct pg_conn *conn, u8 type, const void *payload,
		       u32 len);
int pg_conn_set_keys(struct pg_conn *conn, const u8 *tx_key,
		     const u8 *rx_key);
void pg_conn_kick(struct pg_conn *conn);
u32 pg_conn_frame_max(const struct pg_conn *conn);
/* An accepted connection's HELLO was good: the whole handshake's deadline. */
void pg_conn_hello_seen(struct pg_conn *conn);

/* handshake.c */
int pg_hs_start(struct pg_conn *conn);
int pg_hs_frame(struct pg_conn *conn, u8 type, const u8 *p, u32 len);
void pg_hs_free(struct pg_conn *conn);

/* sync.c */
int pg_sync_open(struct pg_conn *conn);
int pg_sync_frame(struct pg_conn *conn, u8 type, const u8 *p, u32 len);
void pg_sync_pump(struct pg_conn *conn);
bool pg_sync_more(const struct pg_conn *conn);
int pg_sync_send_record(struct pg_conn *conn, const struct pg_record *rec,
			u8 kind);
void pg_sync_became_ready(struct pg_conn *conn);
/* Logs (rate-limited) and gives the error that closes the connection. */
int pg_proto_err(struct pg_conn *conn, const char *what);

/* properties.c */
int pg_props_send(struct pg_conn *conn);
int pg_props_pump(struct pg_conn *conn);
int pg_props_frame(struct pg_conn *conn, const u8 *p, u32 len);

/* reconcile.c */
int pg_recon_frame(struct pg_conn *conn, const u8 *p, u32 len);
int pg_recon_start_first(struct pg_conn *conn);
int pg_recon_pump(struct pg_conn *conn);
bool pg_recon_wanted(const struct pg_conn *conn);
void pg_recon_free(struct pg_conn *conn);
#ifdef DEBUG
/* In-kernel test of fingerprints and of the message checker. */
bool pg_recon_selftest(void);
#endif

/* wire_record.c */
u32 pg_wire_record_len(const struct pg_group *grp, const struct pg_record *rec);
int pg_wire_record_put(const struct pg_group *grp,
		       const struct pg_record *rec, u8 *buf, u32 len);
struct pg_record_fields;
struct pg_attr;
/*
 * Parses a RECORD's record into *@f, whose strings and attributes point
 * into *@strings and *@attrs: the caller kfree()s both, whatever the
 * result (each NULL or an allocation).
 */
int pg_wire_record_get(const struct pg_group *grp, const u8 *p, u32 len,
		       struct pg_record_fields *f, struct pg_attr **attrs,
		       char **strings);

#endif /* _PG_CONN_H */
