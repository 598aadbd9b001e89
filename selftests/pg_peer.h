/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pg_peer: an independent peer of the peergroup replication protocol,
 * written from Documentation/protocol.rst, Documentation/records.rst and
 * uapi/linux/peergroup.h only. This header is shared by its parts:
 *
 *   pg_peer_wire.c   bytes, crypto, frames, the handshake, WELCOME, SOLICIT
 *   pg_peer_record.c records, their encoding, security data and tables
 *   pg_peer_pki.c    certificate groups: key, chains, signatures
 *   pg_peer.c        the command line, sync and send
 *   pg_peer_fuzz.c   random and mutated frames: the driver and its checks
 *   pg_peer_mutate.c the frames it sends (pg_peer_fuzz.h)
 *   pg_peer_relay.c  a frame-aware TCP relay that tampers with one frame
 */
#ifndef _PG_PEER_H
#define _PG_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <linux/peergroup.h>

/* protocol.rst, "Frames" */
#define W_VERSION	1
#define W_HDR		8
#define W_TAG		16
#define W_HS_MAX	2048
#define W_OVERHEAD	4096
#define W_NONCE		32
#define W_KEY		32
#define W_SUITE		1
#define W_NODE_ID	16
#define W_SEC_MAX	1024	/* security data of a RECORD, at most */
/* A pki proof: be16 length, an RSA signature of 256 to 512 bytes, a chain */
#define W_PKI_SIG_MIN	256
#define W_PKI_SIG_MAX	512
#define W_PKI_PROOF_MAX	(2 + W_PKI_SIG_MAX + PEERGROUP_CERTS_BYTES_MAX)

enum w_type {
	T_HELLO		= 0x01,
	T_WELCOME	= 0x03,
	T_REFUSE	= 0x04,
	T_SOLICIT	= 0x06,
	T_RECONCILE	= 0x08,
	T_RECORD	= 0x0b,
	T_SYNC_END	= 0x0c,
	T_PROPERTIES	= 0x0d,
	T_CHALLENGE	= 0x10,
	T_PROOF		= 0x11,
};

#define WELCOME_SYNCHRONIZED	0x1
/*
 * PROPERTIES after its creator: version, flags, the three caps, the max
 * lifetime (4 bytes before the tail's end) and its bounds, in seconds
 */
#define W_PROPS_FIXED		(4 + 4 + 4 + 4 + 8 + 4)
/* After them, the creator's signature: be16 length (0 in a psk group). */
#define W_PROPS_TAIL		(W_PROPS_FIXED + 2)
#define W_PROPS_MAX		(2 + PEERGROUP_IDENTITY_MAX + W_PROPS_TAIL + W_SEC_MAX)
#define W_LIFETIME_MIN		1
#define W_LIFETIME_MAX		(3650 * 86400)
#define SOLICIT_CURSOR		0x1
#define RC_START		0x1
#define RC_DONE			0x2
#define RC_SKIP			0
#define RC_FP			1
#define RC_LIST			2
#define RC_NEED			3
#define RC_END			0x80
#define RC_LIST_MAX		32
#define RC_BUCKETS		16

/* records.rst, "Canonical encoding": attribute kinds */
#define A_STR	1
#define A_INT	2
#define A_DATE	3

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* A growing byte buffer; a failed allocation ends the program. */
struct buf {
	u8 *p;
	size_t len, cap;
};

void buf_put(struct buf *b, const void *p, size_t n);
void buf_u8(struct buf *b, u8 v);
void buf_be(struct buf *b, u64 v, unsigned int n);
void buf_str16(struct buf *b, const char *s);
void buf_free(struct buf *b);

/* A reader of len bytes at p, at off: once a read fails, all do (bad). */
struct rd {
	const u8 *p;
	size_t len, off;
	bool bad;
};

const u8 *rd_bytes(struct rd *r, size_t n);
u64 rd_be(struct rd *r, unsigned int n);
void put_be(u8 *p, u64 v, unsigned int n);
u64 get_be(const u8 *p, unsigned int n);
/* A u16-prefixed identity (at most 255 bytes, no NUL), allocated; NULL if not. */
char *rd_identity(struct rd *r);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrndup(const char *s, size_t n);
void *xgrow(void *p, size_t n, size_t *cap, size_t size);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
extern const char *prog;
extern int verbose;
/* Added to the peer time our WELCOME says (-T): a peer whose clock is off. */
extern long long welcome_skew_ns;
void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Crypto (OpenSSL 3 libcrypto) */
void sha256(const void *p, size_t n, u8 out[32]);
void hmac256(const u8 *key, size_t klen, const void *p, size_t n, u8 out[32]);
void hkdf_expand(const u8 prk[32], const void *info, size_t ilen, u8 *out,
		 size_t olen);
void random_bytes(void *p, size_t n);

/* A record as records.rst describes it. */
struct attr {
	char *name;
	u8 kind;
	u8 *str;	/* A_STR: len bytes, no NUL */
	u32 len;
	u64 val;	/* A_INT (two's complement), A_DATE */
};

struct record {
	u8 id[16], type[16];
	u32 version, flags;
	char *creator, *modifier;
	u64 created, modified, expires;
	u32 nattrs;
	struct attr *attrs;
	u8 *data;
	u32 data_len;
	u8 *sec;
	u32 sec_len;
	u8 kind;	/* as received in a RECORD frame */
};

/*
 * How the group key is derived from the password (records.rst, psk):
 * Argon2id's passes, memory in KiB and lanes, as the CHALLENGE's kdf block
 * says them. From -k or PEERGROUP_KDF, else RFC 9106's second option.
 */
struct kdf {
	u32 time, memory, lanes;
};

extern struct kdf peer_kdf;
int kdf_parse(const char *s, struct kdf *k);
/* The 12 bytes of a CHALLENGE's kdf block for k (NULL: a random key). */
void kdf_block(const struct kdf *k, u8 out[12]);
/* Argon2id of password for group id under k, 32 bytes; exits on failure. */
void kdf_derive(const char *password, const char *id, const struct kdf *k,
		u8 key[32]);

/*
 * What the group's members share: its id and key (records.rst, psk); in a
 * certificate group (pki), our key and chain and the certificates we know
 * instead (pg_peer_pki.c).
 */
struct group {
	const char *id;
	struct pki *pki;	/* NULL: a psk group */
	struct kdf kdf;	/* how key was derived */
	u8 key[32];	/* K: Argon2id of the password */
	u8 auth[32];	/* A */
	u8 session[32];	/* S */
	u32 max_record_size;
};

void group_init(struct group *g, const char *id, const char *password);
void id_binding(const char *identity, u8 out[8]);
bool id_bound(const struct record *r);
void record_canonical(const struct group *g, const struct record *r,
		      struct buf *b);
void record_wire(const struct group *g, const struct record *r, u8 kind,
		 struct buf *b);
void record_sign(const struct group *g, struct record *r);
bool record_verifies(const struct group *g, const struct record *r);
void record_digest(const struct record *r, u8 out[16]);
int record_parse(const struct group *g, const u8 *p, size_t len,
		 struct record *r, const char **why);
void record_copy(struct record *dst, const struct record *src);
void record_free(struct record *r);
void record_json(const struct group *g, const struct record *r);
void guid_format(const u8 g[16], char out[37]);
int guid_parse(const char *s, u8 out[16]);

/* pg_peer_pki.c: PASSWORD "pki:KEYFILE:CHAINFILE"; exits on failure. */
void pki_init(struct group *g, const char *spec);
const char *pki_creator(const struct group *g);		/* the root's */
u64 pki_not_after(const struct group *g);		/* ours, ns */
const u8 *pki_chain(const struct group *g, size_t *len);
bool pki_membership_type(const u8 type[16]);
void pki_membership_type_set(u8 type[16]);
/* Security data of ours over SHA-256(msg), appended to *sec. */
void pki_security(const struct group *g, const void *msg, size_t n,
		  struct buf *sec);
bool pki_record_verifies(const struct group *g, const struct record *r,
			 const struct buf *canonical);
/* A membership record's chain: its certificates known from now on. */
void pki_learn(const struct group *g, const struct record *r);
/* A proof (protocol.rst, "Proofs") for role over th, appended to *b. */
void pki_proof(const struct group *g, const char *role, const u8 th[32],
	       struct buf *b);
/* Checks one, said on stderr if not; the prover's chain is kept. */
bool pki_proof_verifies(const struct group *g, const char *role,
			const u8 th[32], const u8 *p, size_t n,
			const char *identity, u64 now);
/* PROPERTIES' signature over its fields, creator to max lifetime. */
bool pki_props_verify(const struct group *g, const u8 *fields, size_t n,
		      const u8 *sig, size_t len);
void pki_props_sign(const struct group *g, const u8 *fields, size_t n,
		    struct buf *sec);

/* A table: records in id order. */
struct table {
	struct record *r;
	size_t n, cap;
};

void table_put(struct table *t, const struct record *r);
void table_sort(struct table *t);
struct record *table_find(struct table *t, const u8 id[16]);
bool table_same(const struct table *a, const struct table *b);
void table_free(struct table *t);

/* A connection, as the initiator. */
struct conn {
	int fd;
	const struct group *g;
	bool sealed;
	u8 tx_key[W_KEY], rx_key[W_KEY];
	struct evp_cipher_ctx_st *tx_ctx, *rx_ctx;	/* OpenSSL's, keyed */
	u64 tx_seq, rx_seq;
	bool after_proof;	/* a plaintext REFUSE may still come */
	bool eof;
	u8 *rbuf;
	size_t rlen, rcap;
	u8 peer_node[W_NODE_ID];
	char peer_identity[PEERGROUP_IDENTITY_MAX + 1];
	u64 peer_time;		/* from its WELCOME */
	struct timespec welcomed;
	bool peer_synchronized;
	int refused;		/* the reason of a REFUSE received, or 0 */
	bool quiet;		/* say nothing of a REFUSE */
	size_t consumed;	/* of rbuf, by the last frame handed out */
	u64 unsolicited;	/* records of another kind during a stream */
	/* The peer's last PROPERTIES (conn_recv checks and takes them). */
	u8 props[W_PROPS_MAX];
	size_t props_len;
	char creator[PEERGROUP_IDENTITY_MAX + 1];
	u64 properties_rx;
	u64 frames_tx, frames_rx;
};

/* A frame received and opened: payload points into the connection. */
struct frame {
	u8 type, version;
	u16 flags;
	const u8 *p;
	u32 len;
};

struct hs_opts {
	const char *identity;
	bool force;		/* send our proof even if the responder's fails */
	const u8 *node_id;	/* NULL: random */
};

enum hs_result {
	HS_OK,
	HS_REFUSED,		/* the responder sent a REFUSE */
	HS_AUTH,		/* the responder's proof did not verify */
	HS_KDF,			/* its kdf block was not ours: we refused */
	HS_ERROR,
};

/* A connected TCP socket, non-blocking; -1 (said on stderr) if none. */
int tcp_connect(const char *addr, const char *port);
/* A TCP socket listening on PORT of every IPv4 address; exits on failure. */
int tcp_listen(const char *port);
void fd_blocking(int fd);
void conn_init(struct conn *c, int fd, const struct group *g);
void conn_close(struct conn *c);
int conn_send_raw(struct conn *c, const void *p, size_t n);
void frame_build(struct conn *c, struct buf *b, u8 version, u8 type, u16 flags,
		 const void *payload, size_t len, bool seal);
int conn_send(struct conn *c, u8 type, const void *payload, size_t len);
int conn_recv(struct conn *c, struct frame *f, int timeout_ms);
int conn_pump(struct conn *c);
enum hs_result handshake(struct conn *c, const struct hs_opts *o);
int respond_refuse(struct conn *c, const char *identity);
int challenge_check(struct conn *c, const char *identity, const char *password);
int session_open(struct conn *c, bool synchronized, int timeout_ms);
u64 peer_now(const struct conn *c);
/* The max lifetime of the peer's PROPERTIES, in ns; 0 before any came. */
u64 props_lifetime(const struct conn *c);
const char *reason_name(int reason);
const char *type_name(u8 type);

/* Solicits the whole table; 0, or -1 if the connection failed. */
int solicit(struct conn *c, struct table *t, int timeout_ms);
/* A RECORD frame parsed into *r; -1 (said on stderr) if it does not parse. */
int record_received(struct conn *c, const struct frame *f, struct record *r);

/* pg_peer.c */
struct target {
	const char *addr, *port, *identity;
	struct group g;
};

long number_arg(const char *what, const char *s, long min, long max);
void target_args(char **argv, struct target *t, u32 max_record_size);
void connect_peer(struct conn *c, const struct target *t, bool synchronized,
		  bool force);
void record_new(const struct conn *c, const char *identity, const u8 type[16],
		struct record *r);

/* A HELLO payload (the handshake's, and the fuzzer's bad ones). */
void hello_build(struct buf *b, u8 suite, const u8 node[W_NODE_ID],
		 const u8 ni[W_NONCE], const u8 ei[W_KEY], const char *group_id,
		 const char *identity);

/* pg_peer_fuzz.c: fuzz ADDR PORT GROUP-ID IDENTITY PASSWORD FRAMES SEED */
void fuzz_option(int opt, const char *arg);
int fuzz_main(char **argv, u32 max_record_size);
/* pg_peer_relay.c: relay LISTEN-PORT UPSTREAM-ADDR UPSTREAM-PORT MODE N */
int relay_main(char **argv);
/* pg_peer_flood.c */
int flood_main(char **argv);

#endif /* _PG_PEER_H */
