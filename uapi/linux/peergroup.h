/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * peergroup: a group of peers sharing a table of signed records, after the
 * Windows Peer Grouping API (p2p.h), as a generic netlink family.
 *
 * This header is the whole contract between the kernel module and userspace.
 *
 * Family
 * ------
 * The generic netlink family is PEERGROUP_GENL_NAME, version
 * PEERGROUP_GENL_VERSION. It is network-namespace aware: every command acts on
 * the groups of the network namespace of the requesting socket, and nothing is
 * shared between namespaces. Requests are validated strictly: unknown
 * attributes, attributes not allowed for a command, and the nlmsg flags
 * NLM_F_CREATE/NLM_F_EXCL/NLM_F_REPLACE are rejected. Every failure returns a
 * negative errno and an extended ACK message (NLMSGERR_ATTR_MSG) naming the
 * field at fault; where one attribute is at fault, NLMSGERR_ATTR_OFFS points at
 * it, and a missing one is named by NLMSGERR_ATTR_MISS_TYPE. EEXIST and
 * ENOENT about a group point at PEERGROUP_A_GROUP_NAME.
 *
 * 64-bit attributes are aligned with PEERGROUP_A_PAD attributes (see
 * nla_put_u64_64bit()); readers skip those.
 *
 * Commands that change state, or would reveal secrets, need CAP_NET_ADMIN in
 * the user namespace that owns the network namespace (EPERM otherwise).
 *
 * Names
 * -----
 * A group name is 1 to PEERGROUP_GROUP_NAME_MAX characters from
 * [A-Za-z0-9._-]. An identity (the local peer name in a group) is
 * PEERGROUP_IDENTITY_MIN to PEERGROUP_IDENTITY_MAX printable ASCII characters
 * without space (0x21..0x7e). Both are sent as NUL-terminated strings.
 *
 * A group id is derived by the module from its creator's identity: 40
 * lowercase hex digits (the first 20 bytes of a SHA-256 hash of the creator's
 * identity) then '.' and the group name, the shape of a Windows secured peer
 * name ("authority.classifier").
 *
 * Limits
 * ------
 * The number of groups per network namespace is capped by the sysctl
 * net.peergroup.max_groups (default PEERGROUP_MAX_GROUPS_DEFAULT, at most
 * PEERGROUP_MAX_GROUPS_LIMIT); creating one more fails with ENOSPC.
 *
 * PEERGROUP_CMD_GROUP_ADD (CAP_NET_ADMIN)
 *   Creates a group (Windows PeerGroupCreate), or, with a creator other than
 *   the local identity or with a group id, prepares to join one
 *   (PeerGroupJoin).
 *   Request:  PEERGROUP_A_GROUP_NAME (required), PEERGROUP_A_IDENTITY
 *             (required), PEERGROUP_A_GROUP_CREATOR (optional: the identity
 *             that created the group; default the local identity) or
 *             PEERGROUP_A_GROUP_ID (optional, not with a creator: the id of
 *             the group to join, PEERGROUP_GROUP_AUTHORITY_LEN lowercase hex
 *             digits, '.', then the group name itself),
 *             PEERGROUP_A_GROUP_KEY (optional, write-only: no command ever
 *             returns it; exactly PEERGROUP_GROUP_KEY_LEN bytes) with, all
 *             three required with it and refused without it,
 *             PEERGROUP_A_GROUP_KDF_TIME (1..PEERGROUP_KDF_TIME_MAX),
 *             PEERGROUP_A_GROUP_KDF_MEMORY (KiB, PEERGROUP_KDF_MEMORY_MIN..
 *             PEERGROUP_KDF_MEMORY_MAX, at least 8 per lane) and
 *             PEERGROUP_A_GROUP_KDF_LANES (1..PEERGROUP_KDF_LANES_MAX).
 *   A created group (creator == identity) is synchronized at once, and the
 *   local identity is its administrator. A joined group (creator !=
 *   identity) makes the local identity a member, and is not ready (EAGAIN
 *   for record commands and time conversion) until its first
 *   synchronization: an import (PEERGROUP_CMD_RECORD_IMPORT) counts as one.
 *   A group joined by its id knows only the hash of its creator's identity:
 *   its first neighbour tells the creator and the creator's properties
 *   (Documentation/protocol.rst, PROPERTIES); until then its messages carry
 *   no PEERGROUP_A_GROUP_CREATOR, and an import fails with EAGAIN.
 *   A joined group has the default properties until it takes the
 *   creator's, but for its max lifetime: PEERGROUP_MAX_LIFETIME_LIMIT, so
 *   that an import that bootstraps it keeps every record the creator's
 *   bound may allow.
 *   Records are secured by the psk provider (PEERGROUP_SECURITY_PSK): an
 *   HMAC-SHA256 under the group key. The kernel never sees a password: the
 *   caller derives the key from it with Argon2id (RFC 9106) of the
 *   parameters given alongside, salt "peergroup psk v2 " followed by the
 *   group id (libpeergroup does; Documentation/records.rst). The kernel
 *   records the parameters and tells them in its handshake, so that a
 *   joiner that derived its key otherwise is told so (REASON_KDF) rather
 *   than "wrong password". A group created without a key gets a random
 *   one instead: its
 *   records are secured all the same, but no other peer can ever verify
 *   them, and its export (a dump with tombstones) imports only into this
 *   same group while it lives: deleted and created again, or after the
 *   module is reloaded, it has another key. Such a group's replies carry
 *   PEERGROUP_A_GROUP_KEY_RANDOM.
 *   With PEERGROUP_A_GROUP_SECURITY = PEERGROUP_SECURITY_PKI (u8) the group
 *   is a certificate group: PEERGROUP_A_GROUP_KEY_SERIAL (required: the
 *   serial of this node's RSA private key, an asymmetric key in the
 *   kernel keyring that the caller may search) and PEERGROUP_A_GROUP_CERTS
 *   (required: this node's certificate chain, DER certificates one after
 *   another, this node's first, the group's self-signed root last; at
 *   most PEERGROUP_CHAIN_MAX certificates, PEERGROUP_CERTS_BYTES_MAX bytes)
 *   replace the key and the creator: the group id is the hash of the
 *   root's public key (a PEERGROUP_A_GROUP_ID given must be it), the
 *   creator the root's subject, and this node an administrator if its
 *   certificate says cA (Documentation/admin-guide.rst).
 *   Reply:    the new group, as for PEERGROUP_CMD_GROUP_GET.
 *   Errors:   EINVAL (missing or malformed attribute, certificates that do
 *             not chain to a root), EEXIST (a group of that name exists in
 *             this namespace), ENOSPC (max_groups reached), ENOKEY, EACCES,
 *             EKEYREJECTED (no such key, not searchable, not the private
 *             key of the first certificate), ENOMEM, EPERM.
 *
 * PEERGROUP_CMD_GROUP_DEL (CAP_NET_ADMIN)
 *   Deletes a group and everything it holds.
 *   Request:  PEERGROUP_A_GROUP_NAME (required).
 *   Errors:   EINVAL, ENOENT (no such group), EPERM.
 *
 * PEERGROUP_CMD_GROUP_GET
 *   As a plain request: one group. Request: PEERGROUP_A_GROUP_NAME
 *   (required). Errors: EINVAL, ENOENT.
 *   With NLM_F_DUMP: every group of the namespace, one message each, in name
 *   order; takes no attributes. A dump that spans several messages while
 *   groups are added or deleted is flagged NLM_F_DUMP_INTR: start it again.
 *   Each message carries:
 *     PEERGROUP_A_GROUP_NAME     string
 *     PEERGROUP_A_GROUP_ID       string, the derived group id
 *     PEERGROUP_A_IDENTITY       string, the local identity in the group
 *     PEERGROUP_A_GROUP_CREATED  u64, creation time, ns since the Unix epoch
 *     PEERGROUP_A_GROUP_CREATOR  string, the identity that created the group
 *                                (absent while a group joined by id has not
 *                                learned it)
 *     PEERGROUP_A_GROUP_ROLE     u8, enum peergroup_role of the local identity
 *     PEERGROUP_A_GROUP_SECURITY u8, enum peergroup_security
 *     PEERGROUP_A_GROUP_STATUS   u32, PEERGROUP_STATUS_* bits
 *     PEERGROUP_A_GROUP_FLAGS    u32, PEERGROUP_GROUP_F_* property bits
 *     PEERGROUP_A_GROUP_MAX_RECORD_SIZE u32, bytes (see Records)
 *     PEERGROUP_A_GROUP_MAX_RECORDS     u32, cap on records (tombstones count)
 *     PEERGROUP_A_GROUP_MAX_BYTES       u64, cap on the table's memory
 *     PEERGROUP_A_GROUP_MAX_LIFETIME    u32, seconds a record may live
 *                                after it was written (see Records)
 *     PEERGROUP_A_GROUP_RECORDS  u32, records now held (tombstones included)
 *     PEERGROUP_A_GROUP_BYTES    u64, memory the records now take
 *     PEERGROUP_A_GROUP_NEIGHBOURS u32, connected neighbours
 *     PEERGROUP_A_GROUP_KEY_RANDOM flag, present when the group's key was
 *                                drawn at random by this kernel and exists
 *                                nowhere else (a group created without a
 *                                key): no other peer can join it, and
 *                                its records verify in this group only,
 *                                until it is deleted or the module unloaded.
 *                                Absent when the key can be made again
 *                                elsewhere (derived from a password). The
 *                                key itself is never returned.
 *     PEERGROUP_A_GROUP_KDF_TIME, _KDF_MEMORY, _KDF_LANES u32 each, the
 *                                Argon2id parameters the key was derived
 *                                with, as given to GROUP_ADD (absent for
 *                                a random key).
 *
 * PEERGROUP_CMD_GROUP_SET (CAP_NET_ADMIN; the group's creator only)
 *   Changes group properties (PeerGroupSetProperties). Request:
 *   PEERGROUP_A_GROUP_NAME (required) and any of PEERGROUP_A_GROUP_FLAGS
 *   (only PEERGROUP_GROUP_F_DEFER_EXPIRATION may be set),
 *   PEERGROUP_A_GROUP_MAX_RECORD_SIZE (PEERGROUP_RECORD_SIZE_MIN..
 *   PEERGROUP_RECORD_SIZE_MAX), PEERGROUP_A_GROUP_MAX_RECORDS
 *   (1..PEERGROUP_MAX_RECORDS_LIMIT), PEERGROUP_A_GROUP_MAX_BYTES
 *   (PEERGROUP_MAX_BYTES_MIN..PEERGROUP_MAX_BYTES_LIMIT),
 *   PEERGROUP_A_GROUP_MAX_LIFETIME (PEERGROUP_MAX_LIFETIME_MIN..
 *   PEERGROUP_MAX_LIFETIME_LIMIT seconds; 0 is no value: no record lives for
 *   ever). Lowered caps apply to later writes; nothing already stored is
 *   dropped or shortened. Raises a group event
 *   PEERGROUP_GROUP_EVENT_PROPERTIES. The properties replicate: every
 *   member takes them from its neighbours (and raises the same event), so
 *   that the group's limits are the creator's on every peer; in a psk group
 *   a member's properties of a higher version override them until the
 *   creator's next set.
 *   Errors: EINVAL, ENOENT, EACCES (the local identity is not the creator),
 *   EAGAIN (not yet synchronized), EPERM, EOVERFLOW (the properties' version
 *   is at the bound of the peer time: try again a few seconds later).
 *
 * PEERGROUP_CMD_GROUP_TIME
 *   Converts between UTC and the group's peer time (PeerGroupUniversalTime
 *   ToPeerTime and back). Request: PEERGROUP_A_GROUP_NAME (required) and at
 *   most one of PEERGROUP_A_TIME_UTC, PEERGROUP_A_TIME_PEER (u64 ns since
 *   the Unix epoch); with neither, the current time is converted. Reply:
 *   PEERGROUP_A_GROUP_NAME, PEERGROUP_A_TIME_UTC, PEERGROUP_A_TIME_PEER.
 *   Errors: EINVAL, ENOENT, EAGAIN (not yet synchronized).
 *
 * Records
 * -------
 * A record (Windows PEER_RECORD) is a PEERGROUP_A_RECORD nest of
 * PEERGROUP_RECORD_A_* attributes:
 *   ID        16 bytes  unique id, chosen by the module on add. Its first
 *                       8 bytes are bound to the creator: bytes 0..7 XOR
 *                       bytes 8..15 of SHA-256(creator identity); the last 8
 *                       bytes are random. Records that break the binding
 *                       are refused.
 *   TYPE      16 bytes  application record type, required on add, never
 *                       changes. A type whose bytes 4..15 are all zero is
 *                       reserved to the module (this covers the Windows
 *                       reserved types such as {01000000-0000-...}); the nil
 *                       type is invalid.
 *   VERSION   u32       1 on add, +1 per update and delete
 *   FLAGS     u32       PEERGROUP_RECORD_F_*: AUTOREFRESH may be asked for
 *                       on add; DELETED marks a tombstone
 *   CREATOR   string    creator's identity (module)
 *   MODIFIER  string    last modifier's identity (module); equals CREATOR
 *                       until the first update
 *   CREATED, MODIFIED   u64 peer time, ns since the Unix epoch (module)
 *   EXPIRES   u64       peer time, required on add, later than now, and at
 *                       most the group's max lifetime after the write; an
 *                       update may keep or extend it, never shorten it
 *   ATTRS     nest      the typed attributes: PEERGROUP_ATTRS_A_ATTR
 *                       entries, each a nest of PEERGROUP_ATTR_A_NAME and
 *                       exactly one value attribute, PEERGROUP_ATTR_A_STR
 *                       (UTF-8 string), _INT (s64) or _DATE (u64 peer
 *                       time). Names: 1..PEERGROUP_ATTR_NAME_MAX letters and
 *                       digits, unique within the record, none of the
 *                       reserved names (peercreatorid peerrecordid
 *                       peerrecordtype peercreationtime
 *                       peerlastmodificationtime peerlastmodifiedby). At most
 *                       PEERGROUP_RECORD_ATTRS_MAX attributes.
 *   SECURITY  binary    security data from the group's provider (module)
 *   DATA      binary    application data, optional
 * The size of a record is its DATA length plus the canonical encoding
 * length of its attributes (Documentation/records.rst): for each
 * attribute 7 + name length + value length, where an int or a date is 8
 * bytes and a string its UTF-8 bytes. It may not exceed the group's max
 * record size (EMSGSIZE); exactly the limit is allowed. A record must also
 * fit one netlink attribute (64 KiB with all its fields): with long
 * identities and many attributes that is reached slightly before the
 * largest max record size (EMSGSIZE as well).
 * The lifetime of a record, from its write to its expiration, may not
 * exceed the group's max lifetime (PEERGROUP_A_GROUP_MAX_LIFETIME, default
 * PEERGROUP_MAX_LIFETIME_DEFAULT seconds): EXPIRES - MODIFIED <= max
 * lifetime, MODIFIED counted no later than the peer time now plus 2 seconds
 * (Documentation/records.rst, "Lifetime"); beyond it a write is EINVAL, and
 * so is a record imported or received.
 * Fields the module sets are accepted in requests and ignored.
 *
 * PEERGROUP_CMD_RECORD_ADD (CAP_NET_ADMIN)
 *   Request: PEERGROUP_A_GROUP_NAME, PEERGROUP_A_RECORD with TYPE and
 *   EXPIRES (required), ATTRS, DATA, FLAGS (optional).
 *   Reply: PEERGROUP_A_GROUP_NAME and PEERGROUP_A_RECORD with ID and VERSION.
 * PEERGROUP_CMD_RECORD_UPDATE (CAP_NET_ADMIN)
 *   Request: PEERGROUP_A_GROUP_NAME, PEERGROUP_A_RECORD with ID, TYPE,
 *   FLAGS, EXPIRES (required; TYPE and FLAGS equal to the stored ones),
 *   ATTRS and DATA (the new content; absent means none). Reply as for add.
 * PEERGROUP_CMD_RECORD_DEL (CAP_NET_ADMIN)
 *   Request: PEERGROUP_A_GROUP_NAME, PEERGROUP_A_RECORD with ID. The record
 *   becomes a tombstone: DELETED set, attributes and data emptied, version
 *   +1, re-secured; it is purged at its expiration. Reply as for add.
 * PEERGROUP_CMD_RECORD_GET
 *   As a plain request: one live record, PEERGROUP_A_RECORD with ID.
 *   With NLM_F_DUMP: the group's records in id order, one message each,
 *   filtered by the optional PEERGROUP_A_RECORD_TYPE (16 bytes),
 *   PEERGROUP_A_RECORD_CREATOR (string) and PEERGROUP_A_DUMP_FLAGS
 *   (PEERGROUP_DUMP_F_TOMBSTONES: include tombstones). A dump interrupted by
 *   a change of the table is flagged NLM_F_DUMP_INTR. Each message carries
 *   PEERGROUP_A_GROUP_NAME and a whole PEERGROUP_A_RECORD. A dump is not a
 *   snapshot: each record is sent as the table held it at a moment during
 *   the dump, when the dump reached it, and may have changed since; a dump
 *   without NLM_F_DUMP_INTR saw no change from its first record to its
 *   last.
 * PEERGROUP_CMD_RECORD_SEARCH (dump only)
 *   As the dump above, filtered by PEERGROUP_A_QUERY (required): a nest
 *   holding exactly one node, PEERGROUP_QUERY_A_AND, _OR (nests holding one
 *   or more nodes) or _CLAUSE (a nest of PEERGROUP_CLAUSE_A_ATTR, the
 *   attribute name, _COMPARE, an enum peergroup_compare, default equal, and
 *   exactly one value: _STR, _INT or _DATE, whose kind must be the
 *   attribute's). String values take the wildcards * (any run) and ? (one
 *   character) with the escapes \* \? \\; any other escape is EINVAL.
 *   Ordering comparisons of strings compare bytes, after escapes, without
 *   wildcards. A clause about an attribute a record lacks, or holds with
 *   another kind, is false (notequal too). The reserved names are
 *   searchable: peerrecordid and peerrecordtype as strings in the form
 *   xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lowercase), peercreatorid and
 *   peerlastmodifiedby as strings, peercreationtime and
 *   peerlastmodificationtime as dates. At most PEERGROUP_QUERY_DEPTH_MAX
 *   levels and PEERGROUP_QUERY_NODES_MAX nodes. A string value holding a
 *   wildcard (an unescaped * or ?) is a pattern: at most
 *   PEERGROUP_QUERY_PATTERN_MAX bytes as sent, escapes included, with at
 *   most PEERGROUP_QUERY_STARS_MAX *; a longer one is EINVAL. (A value
 *   without a wildcard may be as long as a record.) So matching one clause
 *   against one record is bounded work.
 * PEERGROUP_CMD_RECORD_IMPORT (CAP_NET_ADMIN)
 *   Stores one whole record as exported by a dump with tombstones (every
 *   field, the security data included), validated exactly like a record
 *   received from a peer: structure, id binding, size, security provider.
 *   A copy of a record already held replaces it only when it wins the
 *   conflict rule (higher version, ...); otherwise nothing changes.
 *   The first import into a joined group synchronizes it. A record whose
 *   security data does not verify under the group's key is refused with
 *   EINVAL at PEERGROUP_RECORD_A_SECURITY, the message saying which key
 *   the group has: it was secured under another (another password, or the
 *   random key of a group that no longer exists, see
 *   PEERGROUP_CMD_GROUP_ADD).
 *   Errors as for add, and EBUSY once the group has neighbours.
 *
 * Record errors: EINVAL (missing or malformed attribute; invalid record
 * field; invalid attributes; invalid query; rejected by the security
 * provider), ENOENT (no such group; no such record: pointing at
 * PEERGROUP_RECORD_A_ID), EACCES (not the record's creator nor an
 * administrator; reserved type), EMSGSIZE (larger than the max record size),
 * EAGAIN (joined group not yet synchronized), EBUSY (import into a connected
 * group), ENOSPC (max records or max bytes reached), EOVERFLOW (a version
 * ahead of the record's age), ENOMEM, EPERM.
 * A failed command changes nothing and raises no event.
 *
 * Expiration: records whose expiration has passed are purged (a live one
 * raises PEERGROUP_CHANGE_EXPIRED). An AUTOREFRESH record of the local
 * identity is updated by the module when three quarters of its lifetime
 * have passed, with its expiration moved on by the same lifetime (no more
 * than the group's max lifetime). With
 * PEERGROUP_GROUP_F_DEFER_EXPIRATION nothing expires while the group has no
 * neighbour.
 *
 * Replication
 * -----------
 * Peers exchange their tables over the module's own protocol on TCP
 * (Documentation/protocol.rst). Nothing listens and nothing connects until
 * the administrator says so.
 *
 * PEERGROUP_CMD_LISTEN_ADD (CAP_NET_ADMIN)
 *   Opens a TCP listener of this namespace: PEERGROUP_A_ADDR (optional,
 *   4 bytes for IPv4 or 16 for IPv6, network order as in struct in_addr;
 *   default the IPv6 wildcard, which takes IPv4 as well) and
 *   PEERGROUP_A_PORT (optional, a u16 in host order like every netlink
 *   integer, 1..65535; default PEERGROUP_DEFAULT_PORT). Answers nothing
 *   but the ACK, like LISTEN_DEL and NEIGHBOUR_DEL. One listener serves every group of the
 *   namespace: the peer names its group in the handshake. At most
 *   PEERGROUP_LISTENERS_MAX per namespace (ENOSPC). Sets
 *   PEERGROUP_STATUS_LISTENING on every group.
 *   Errors: EINVAL, EEXIST (that address and port already listens),
 *   EADDRINUSE (taken by another socket), ENOSPC, ENOMEM, EPERM.
 * PEERGROUP_CMD_LISTEN_DEL (CAP_NET_ADMIN)
 *   Closes the listener on PEERGROUP_A_ADDR and PEERGROUP_A_PORT (same
 *   defaults); connections it accepted stay up. Errors: EINVAL, ENOENT.
 * PEERGROUP_CMD_LISTEN_GET (dump)
 *   One message per listener: PEERGROUP_A_ADDR, PEERGROUP_A_PORT, and what
 *   became of the connections it accepted: PEERGROUP_A_LISTEN_ACCEPTED
 *   (taken into a handshake), PEERGROUP_A_LISTEN_RATELIMITED (closed at
 *   once, with nothing said: their source address, an IPv6 one by its /64,
 *   had started 20 handshakes in the last second, 5 at once in a burst, or
 *   had 8 under way), PEERGROUP_A_LISTEN_BUSY (closed at once: the
 *   namespace had net.peergroup.max_handshakes accepted connections not yet
 *   authenticated, or max_connections connections). An accepted connection
 *   must send its whole HELLO within 3 s, and end its handshake within 10.
 *
 * PEERGROUP_CMD_NEIGHBOUR_ADD (CAP_NET_ADMIN)
 *   Connects a group to a peer: PEERGROUP_A_GROUP_NAME, PEERGROUP_A_ADDR
 *   (required), PEERGROUP_A_PORT (default PEERGROUP_DEFAULT_PORT). The
 *   module keeps the connection up, connecting again after a failure with
 *   a capped, jittered exponential backoff (0.5 s doubling to 30 s). At
 *   most PEERGROUP_NEIGHBOURS_MAX per group (ENOSPC). Reply: the neighbour,
 *   as for PEERGROUP_CMD_NEIGHBOUR_GET.
 *   Errors: EINVAL, ENOENT (no such group), EEXIST (that neighbour is
 *   there), ENOSPC, ENOMEM, EPERM.
 * PEERGROUP_CMD_NEIGHBOUR_DEL (CAP_NET_ADMIN)
 *   PEERGROUP_A_GROUP_NAME and either PEERGROUP_A_ADDR (with the optional
 *   PEERGROUP_A_PORT) of a neighbour added, or PEERGROUP_A_NEIGHBOUR_ID of
 *   any, an accepted one too: closes its connection and forgets it.
 *   Errors: EINVAL, ENOENT, EPERM.
 * PEERGROUP_CMD_NEIGHBOUR_GET (dump; CAP_NET_ADMIN)
 *   PEERGROUP_A_GROUP_NAME: one message per neighbour of the group, the
 *   ones added and the connections accepted, each PEERGROUP_A_GROUP_NAME
 *   and a PEERGROUP_A_NEIGHBOUR nest (enum peergroup_neighbour_attr): id,
 *   address and port, direction, state, the peer's proved identity, the
 *   last reason a connection ended with, since when it is in its state,
 *   and its counters. Ids are never reused in a namespace. ERRNO is a
 *   positive errno.
 *
 * PEERGROUP_CMD_MEMBER_GET (dump)
 *   PeerGroupEnumMembers. PEERGROUP_A_GROUP_NAME (required): one message
 *   per member a certificate group knows, each PEERGROUP_A_GROUP_NAME and a
 *   PEERGROUP_A_MEMBER nest (enum peergroup_member_attr), in fingerprint
 *   order. A member is a certificate of the group's store: this node's
 *   chain, and every chain that verified to the group's root, brought by a
 *   handshake or a membership record; the issuers in a chain are members
 *   too. IDENTITY is the certificate's subject, ISSUER its issuer's, ROLE
 *   admin for a certificate with basicConstraints cA, else member;
 *   NOT_BEFORE and NOT_AFTER its validity, UTC ns since the Unix epoch (a
 *   time before 1970 reads 0, one after 2554 U64_MAX); FINGERPRINT the
 *   SHA-256 of its DER (PEERGROUP_FINGERPRINT_LEN bytes), which a record's
 *   security data names; REVOKED and OWN (this node's certificate) flags.
 *   The store only grows while the group lives, so a member stays listed
 *   after its certificate expires. A dump interrupted by a change of the
 *   store is flagged NLM_F_DUMP_INTR. Anyone may ask, as for RECORD_GET:
 *   certificates are public. Errors: EINVAL, ENOENT, EOPNOTSUPP (a
 *   password group: it has no member list, every member holds the one
 *   key).
 *
 * PEERGROUP_CMD_MEMBER_REVOKE (CAP_NET_ADMIN)
 *   An administrator of a certificate group revokes a membership:
 *   PEERGROUP_A_GROUP_NAME and PEERGROUP_A_MEMBER holding
 *   PEERGROUP_MEMBER_A_FINGERPRINT, the SHA-256 of the certificate revoked
 *   (it may not be known here yet). The module writes a revocation record
 *   (Documentation/records.rst, "Revocations"): every peer that takes it
 *   refuses the certificate's records modified from then on and its
 *   connections, and closes those open. It cannot be undone.
 *   Errors: EINVAL, ENOENT, EAGAIN (not synchronized yet), EACCES (this
 *   node is no administrator), EINVAL (the root's certificate),
 *   EOPNOTSUPP (a password group), ENOMEM.
 *
 * PEERGROUP_CMD_MEMBER_INVITE (CAP_NET_ADMIN)
 *   PeerGroupCreateInvitation: an administrator of a certificate group
 *   issues a certificate for another identity's key, signed by the private
 *   key the group holds. PEERGROUP_A_GROUP_NAME and PEERGROUP_A_MEMBER
 *   holding IDENTITY (the invitee's), PUBLIC_KEY (its RSA key of 2048 to
 *   4096 bits, a DER SubjectPublicKeyInfo of at most
 *   PEERGROUP_PUBLIC_KEY_BYTES_MAX bytes), ROLE (admin or member; member
 *   if absent), NOT_BEFORE and NOT_AFTER (UTC ns; from now and to the end
 *   of this node's certificate if absent; seconds are kept). The validity
 *   must lie inside this node's certificate's. The reply:
 *   PEERGROUP_A_GROUP_NAME, PEERGROUP_A_GROUP_CERTS (the new certificate,
 *   then this node's chain: what the invitee joins with) and
 *   PEERGROUP_A_MEMBER (what the new certificate says, as MEMBER_GET
 *   gives it). Nothing is stored: the invitee's membership record brings
 *   its certificate to the group when it joins.
 *   Errors: EINVAL (a bad key, identity or validity), ENOENT, EACCES (this
 *   node is no administrator), EKEYREVOKED (its certificate was revoked,
 *   or its key in the keyring), EKEYEXPIRED (its certificate expired),
 *   EMSGSIZE (the chain would exceed PEERGROUP_CHAIN_MAX certificates or
 *   PEERGROUP_CERTS_BYTES_MAX bytes), EOPNOTSUPP (a password group),
 *   ENOMEM.
 *
 * A joined group takes the whole table from its first neighbour, then is
 * synchronized; two synchronized groups reconcile on connect, exchanging
 * only the records that differ (Documentation/protocol.rst). Every accepted change is sent to
 * every connected neighbour but the one it came from. The group's status
 * keeps PEERGROUP_STATUS_HAS_CONNECTIONS while a neighbour is connected,
 * and PEERGROUP_A_GROUP_NEIGHBOURS counts them. Caps per namespace, as
 * sysctls: net.peergroup.max_connections (every connection, accepted or
 * made), net.peergroup.max_handshakes (connections not yet authenticated)
 * and net.peergroup.queue_bytes (the bytes queued to one neighbour; a
 * change that does not fit is not queued, and the neighbour is reconciled
 * with once its queue drains).
 *
 * Events
 * ------
 * Two multicast groups carry, in each network namespace, the events of that
 * namespace only, sent once the table holds the change. Anyone may join
 * PEERGROUP_MCGRP_EVENTS (record and group events). PEERGROUP_MCGRP_NEIGHBOURS
 * carries the neighbour events, which tell what NEIGHBOUR_GET tells, and
 * joining it takes what NEIGHBOUR_GET takes: CAP_NET_ADMIN in the user
 * namespace that owns the network namespace, checked when the socket joins
 * (EPERM otherwise).
 *   PEERGROUP_CMD_RECORD_EVENT: PEERGROUP_A_GROUP_NAME,
 *     PEERGROUP_A_RECORD_CHANGE (enum peergroup_change), PEERGROUP_A_RECORD
 *     with ID, TYPE and VERSION, and PEERGROUP_A_RECORD_ORIGIN (enum
 *     peergroup_origin): where the change comes from, LOCAL (a command of
 *     this node, its expiry or autorefresh), IMPORT (an imported record) or
 *     PEER (received from the neighbour PEERGROUP_A_NEIGHBOUR_ID).
 *   PEERGROUP_CMD_GROUP_EVENT: PEERGROUP_A_GROUP_NAME,
 *     PEERGROUP_A_GROUP_EVENT (enum peergroup_group_event),
 *     PEERGROUP_A_GROUP_STATUS.
 *   PEERGROUP_CMD_MEMBER_EVENT: PEERGROUP_A_GROUP_NAME,
 *     PEERGROUP_A_MEMBER_EVENT (enum peergroup_member_event) and the
 *     PEERGROUP_A_MEMBER nest as MEMBER_GET gives it. JOINED: a
 *     certificate group's store took a certificate it did not know (a
 *     member's chain came, by a handshake, a membership record, received
 *     or imported), once for each certificate; those a group is created
 *     with raise none. REVOKED: a revocation of a certificate it knows
 *     was taken.
 *   PEERGROUP_CMD_NEIGHBOUR_EVENT (on PEERGROUP_MCGRP_NEIGHBOURS):
 *     PEERGROUP_A_GROUP_NAME, PEERGROUP_A_NEIGHBOUR_EVENT (enum
 *     peergroup_neighbour_event) and the PEERGROUP_A_NEIGHBOUR nest as
 *     NEIGHBOUR_GET gives it (its REASON the one the event is about). A
 *     connection a listener accepted that fails before it names a known
 *     group belongs to no group: it raises no event, and the kernel log
 *     says why (rate-limited).
 * An event the module cannot allocate is announced to the listeners as
 * ENOBUFS on their next read, like an overflow of their socket.
 */
#ifndef _UAPI_LINUX_PEERGROUP_H
#define _UAPI_LINUX_PEERGROUP_H

#define PEERGROUP_GENL_NAME		"peergroup"
#define PEERGROUP_GENL_VERSION		1
#define PEERGROUP_MCGRP_EVENTS		"events"
#define PEERGROUP_MCGRP_NEIGHBOURS	"neighbours"	/* CAP_NET_ADMIN */

/* The IANA port of p2pgroup, where replication listens by default. */
#define PEERGROUP_DEFAULT_PORT		3587

#define PEERGROUP_GROUP_NAME_MAX	64
#define PEERGROUP_IDENTITY_MIN		2
#define PEERGROUP_IDENTITY_MAX		255
#define PEERGROUP_GROUP_AUTHORITY_LEN	40
#define PEERGROUP_GROUP_ID_MAX		(PEERGROUP_GROUP_AUTHORITY_LEN + 1 + \
					 PEERGROUP_GROUP_NAME_MAX)
#define PEERGROUP_PASSWORD_MAX		256	/* libpeergroup's bound */

/*
 * The group key (PEERGROUP_A_GROUP_KEY) and the bounds of the Argon2id
 * parameters it was derived with: passes, memory in KiB (Argon2 wants 8
 * per lane at least; the maximum is 4 GiB), lanes.
 */
#define PEERGROUP_GROUP_KEY_LEN		32
#define PEERGROUP_KDF_TIME_MAX		1000
#define PEERGROUP_KDF_MEMORY_MIN	8
#define PEERGROUP_KDF_MEMORY_MAX	(4U * 1024 * 1024)
#define PEERGROUP_KDF_LANES_MAX		255

/*
 * Records from neighbours that the group's provider cannot judge yet (a
 * certificate group's, signed with a certificate not known yet), kept
 * until it can, per group: at most so many, and so many bytes.
 */
#define PEERGROUP_PARKED_MAX		256
#define PEERGROUP_PARKED_BYTES_MAX	(1024 * 1024)

/* A certificate group's chain (PEERGROUP_A_GROUP_CERTS): its bounds. */
#define PEERGROUP_CHAIN_MAX		24
#define PEERGROUP_CERTS_BYTES_MAX		49152
/* An invitee's public key (PEERGROUP_MEMBER_A_PUBLIC_KEY): at most. */
#define PEERGROUP_PUBLIC_KEY_BYTES_MAX	1024
/* A certificate's fingerprint (PEERGROUP_MEMBER_A_FINGERPRINT): SHA-256. */
#define PEERGROUP_FINGERPRINT_LEN	32

#define PEERGROUP_MAX_GROUPS_DEFAULT	1024
#define PEERGROUP_MAX_GROUPS_LIMIT	65536

/* Replication: caps per namespace (sysctls net.peergroup.*) and group. */
#define PEERGROUP_LISTENERS_MAX		16
#define PEERGROUP_NEIGHBOURS_MAX	64	/* configured, per group */
#define PEERGROUP_MAX_CONNECTIONS_DEFAULT	256
#define PEERGROUP_MAX_CONNECTIONS_LIMIT	4096
#define PEERGROUP_MAX_HANDSHAKES_DEFAULT	32
#define PEERGROUP_QUEUE_BYTES_DEFAULT	(4 * 1024 * 1024)
#define PEERGROUP_QUEUE_BYTES_MIN	(256 * 1024)
#define PEERGROUP_QUEUE_BYTES_LIMIT	(256 * 1024 * 1024)

/* Group properties: defaults and bounds. */
#define PEERGROUP_RECORD_SIZE_MIN	1024
#define PEERGROUP_RECORD_SIZE_MAX	65000
#define PEERGROUP_RECORD_SIZE_DEFAULT	65000
#define PEERGROUP_MAX_RECORDS_DEFAULT	131072
#define PEERGROUP_MAX_RECORDS_LIMIT	1048576
#define PEERGROUP_MAX_BYTES_MIN		65536
#define PEERGROUP_MAX_BYTES_DEFAULT	(128ULL * 1024 * 1024)
#define PEERGROUP_MAX_BYTES_LIMIT	(1024ULL * 1024 * 1024)
/* Max lifetime of a record, in seconds: 1 s to 10 years, default 30 days. */
#define PEERGROUP_MAX_LIFETIME_MIN	1
#define PEERGROUP_MAX_LIFETIME_DEFAULT	(30 * 86400)
#define PEERGROUP_MAX_LIFETIME_LIMIT	(3650 * 86400)

/* Records. */
#define PEERGROUP_GUID_LEN		16
#define PEERGROUP_ATTR_NAME_MAX		64
#define PEERGROUP_RECORD_ATTRS_MAX	256

/* Search queries. */
#define PEERGROUP_QUERY_DEPTH_MAX	8
#define PEERGROUP_QUERY_NODES_MAX	64
#define PEERGROUP_QUERY_PATTERN_MAX	128	/* bytes of a value with a wildcard */
#define PEERGROUP_QUERY_STARS_MAX	16	/* '*' in one pattern */

/* PEERGROUP_A_GROUP_FLAGS: the Windows PEER_GROUP_PROPERTIES flag values. */
#define PEERGROUP_GROUP_F_DEFER_EXPIRATION	0x4

/* PEERGROUP_A_GROUP_STATUS (PEER_GROUP_STATUS_* and the graph's SYNCHRONIZED) */
#define PEERGROUP_STATUS_LISTENING		0x1
#define PEERGROUP_STATUS_HAS_CONNECTIONS	0x2
#define PEERGROUP_STATUS_SYNCHRONIZED		0x4

/* PEERGROUP_RECORD_A_FLAGS (PEER_RECORD_FLAG_*) */
#define PEERGROUP_RECORD_F_AUTOREFRESH		0x1
#define PEERGROUP_RECORD_F_DELETED		0x2

/* PEERGROUP_A_DUMP_FLAGS */
#define PEERGROUP_DUMP_F_TOMBSTONES		0x1

enum peergroup_security {
	PEERGROUP_SECURITY_UNSPEC,
	PEERGROUP_SECURITY_PSK,		/* HMAC-SHA256, password group */
	PEERGROUP_SECURITY_PKI,		/* RSA, certificate group */
};

enum peergroup_role {
	PEERGROUP_ROLE_UNSPEC,
	PEERGROUP_ROLE_ADMIN,
	PEERGROUP_ROLE_MEMBER,
};

/* PEER_RECORD_CHANGE_TYPE */
enum peergroup_change {
	PEERGROUP_CHANGE_UNSPEC,
	PEERGROUP_CHANGE_ADDED,
	PEERGROUP_CHANGE_UPDATED,
	PEERGROUP_CHANGE_DELETED,
	PEERGROUP_CHANGE_EXPIRED,
};

/* Where a change comes from (PEERGROUP_A_RECORD_ORIGIN) */
enum peergroup_origin {
	PEERGROUP_ORIGIN_UNSPEC,
	PEERGROUP_ORIGIN_LOCAL,
	PEERGROUP_ORIGIN_IMPORT,
	PEERGROUP_ORIGIN_PEER,		/* a neighbour: PEERGROUP_A_NEIGHBOUR_ID */
};

/* PEERGROUP_NEIGHBOUR_A_DIRECTION */
enum peergroup_direction {
	PEERGROUP_DIRECTION_UNSPEC,
	PEERGROUP_DIRECTION_OUT,	/* added by neighbour add: we connect */
	PEERGROUP_DIRECTION_IN,		/* accepted by a listener */
};

/*
 * PEERGROUP_NEIGHBOUR_A_STATE. A neighbour is ESTABLISHED, and raises
 * PEERGROUP_NEIGHBOUR_EVENT_SYNCED, once the tables converged: a joiner
 * when the first synchronization it asked for has ended (or its
 * reconciliation), the side it asked when its stream has ended (SYNC_END
 * queued),
 * two synchronized peers when their reconciliation has. A neighbour that
 * is not synchronized and asks for nothing stays SYNCING; so do two that
 * are both not synchronized. Changes flow to SYNCING neighbours too.
 *
 * An accepted (DIRECTION_IN) neighbour exists once its handshake is over:
 * when the peer proved membership, or when a peer that named the group
 * failed (a wrong password: REASON_AUTH; other key derivation parameters:
 * REASON_KDF). When its connection ends it stays
 * CLOSED, with the reason and errno of its end, among the group's last 8
 * so kept, the oldest going first; NEIGHBOUR_DEL removes one sooner.
 */
enum peergroup_neighbour_state {
	PEERGROUP_NEIGHBOUR_UNSPEC,
	PEERGROUP_NEIGHBOUR_BACKOFF,	/* waiting to connect again */
	PEERGROUP_NEIGHBOUR_CONNECTING,	/* TCP connect under way */
	PEERGROUP_NEIGHBOUR_HANDSHAKE,	/* proving membership */
	PEERGROUP_NEIGHBOUR_SYNCING,	/* authenticated, tables converging */
	PEERGROUP_NEIGHBOUR_ESTABLISHED,/* in sync, changes flow (below) */
	PEERGROUP_NEIGHBOUR_CLOSED,	/* accepted, its connection over (below) */
};

/*
 * Why a connection ended or failed (PEERGROUP_NEIGHBOUR_A_REASON), as both
 * sides report it; the wire carries the same values (protocol.rst).
 */
enum peergroup_reason {
	PEERGROUP_REASON_NONE,
	PEERGROUP_REASON_CLOSED,	/* the peer closed the connection */
	PEERGROUP_REASON_CONNECT,	/* TCP connect failed (_A_ERRNO) */
	PEERGROUP_REASON_VERSION,	/* other protocol version */
	PEERGROUP_REASON_UNKNOWN_GROUP,	/* the peer holds no such group */
	PEERGROUP_REASON_AUTH,		/* membership not proved: password */
	PEERGROUP_REASON_TIMEOUT,	/* handshake or keepalive timed out */
	PEERGROUP_REASON_PROTOCOL,	/* a frame not parsed, not opened */
	PEERGROUP_REASON_OVERFLOW,	/* unused: a full queue reconciles */
	PEERGROUP_REASON_DELETED,	/* neighbour, group or namespace gone */
	PEERGROUP_REASON_LIMIT,		/* a cap on connections was reached */
	PEERGROUP_REASON_SELF,		/* the peer is this very node */
	PEERGROUP_REASON_ERROR,		/* a local error (_A_ERRNO) */
	PEERGROUP_REASON_KDF,		/* the key derived with other params */

	__PEERGROUP_REASON_MAX
};

#define PEERGROUP_REASON_MAX (__PEERGROUP_REASON_MAX - 1)

/* PEERGROUP_A_NEIGHBOUR_EVENT */
enum peergroup_neighbour_event {
	PEERGROUP_NEIGHBOUR_EVENT_UNSPEC,
	PEERGROUP_NEIGHBOUR_EVENT_CONNECTED,	/* authenticated */
	PEERGROUP_NEIGHBOUR_EVENT_DISCONNECTED,	/* was connected: _A_REASON */
	PEERGROUP_NEIGHBOUR_EVENT_FAILED,	/* never got there: _A_REASON */
	PEERGROUP_NEIGHBOUR_EVENT_SYNCED,	/* the tables converged */
};

/* PEER_GROUP_EVENT_TYPE values that concern a whole group */
enum peergroup_group_event {
	PEERGROUP_GROUP_EVENT_UNSPEC,
	PEERGROUP_GROUP_EVENT_STATUS,
	PEERGROUP_GROUP_EVENT_PROPERTIES,
};

/* PEER_SEARCH compare values; absent means equal */
enum peergroup_compare {
	PEERGROUP_COMPARE_UNSPEC,
	PEERGROUP_COMPARE_EQUAL,
	PEERGROUP_COMPARE_NOTEQUAL,
	PEERGROUP_COMPARE_LESS,
	PEERGROUP_COMPARE_GREATER,
	PEERGROUP_COMPARE_LESSOREQUAL,
	PEERGROUP_COMPARE_GREATEROREQUAL,

	__PEERGROUP_COMPARE_MAX
};

#define PEERGROUP_COMPARE_MAX (__PEERGROUP_COMPARE_MAX - 1)

/* PEERGROUP_A_MEMBER_EVENT */
enum peergroup_member_event {
	PEERGROUP_MEMBER_EVENT_UNSPEC,
	PEERGROUP_MEMBER_EVENT_JOINED,	/* its certificate entered the store */
	PEERGROUP_MEMBER_EVENT_REVOKED,	/* an administrator revoked it */
};

enum peergroup_cmd {
	PEERGROUP_CMD_UNSPEC,
	PEERGROUP_CMD_GROUP_ADD,
	PEERGROUP_CMD_GROUP_DEL,
	PEERGROUP_CMD_GROUP_GET,
	PEERGROUP_CMD_GROUP_SET,
	PEERGROUP_CMD_GROUP_TIME,
	PEERGROUP_CMD_RECORD_ADD,
	PEERGROUP_CMD_RECORD_UPDATE,
	PEERGROUP_CMD_RECORD_DEL,
	PEERGROUP_CMD_RECORD_GET,
	PEERGROUP_CMD_RECORD_SEARCH,
	PEERGROUP_CMD_RECORD_IMPORT,
	PEERGROUP_CMD_RECORD_EVENT,
	PEERGROUP_CMD_GROUP_EVENT,
	PEERGROUP_CMD_LISTEN_ADD,
	PEERGROUP_CMD_LISTEN_DEL,
	PEERGROUP_CMD_LISTEN_GET,
	PEERGROUP_CMD_NEIGHBOUR_ADD,
	PEERGROUP_CMD_NEIGHBOUR_DEL,
	PEERGROUP_CMD_NEIGHBOUR_GET,
	PEERGROUP_CMD_NEIGHBOUR_EVENT,
	PEERGROUP_CMD_MEMBER_GET,
	PEERGROUP_CMD_MEMBER_EVENT,
	PEERGROUP_CMD_MEMBER_REVOKE,
	PEERGROUP_CMD_MEMBER_INVITE,

	__PEERGROUP_CMD_MAX
};

#define PEERGROUP_CMD_MAX (__PEERGROUP_CMD_MAX - 1)

enum peergroup_attr {
	PEERGROUP_A_UNSPEC,
	PEERGROUP_A_PAD,
	PEERGROUP_A_GROUP_NAME,
	PEERGROUP_A_GROUP_ID,
	PEERGROUP_A_IDENTITY,
	PEERGROUP_A_GROUP_CREATED,
	PEERGROUP_A_GROUP_CREATOR,
	PEERGROUP_A_GROUP_KEY,		/* PEERGROUP_GROUP_KEY_LEN bytes */
	PEERGROUP_A_GROUP_ROLE,
	PEERGROUP_A_GROUP_SECURITY,
	PEERGROUP_A_GROUP_STATUS,
	PEERGROUP_A_GROUP_FLAGS,
	PEERGROUP_A_GROUP_MAX_RECORD_SIZE,
	PEERGROUP_A_GROUP_MAX_RECORDS,
	PEERGROUP_A_GROUP_MAX_BYTES,
	PEERGROUP_A_GROUP_RECORDS,
	PEERGROUP_A_GROUP_BYTES,
	PEERGROUP_A_GROUP_NEIGHBOURS,
	PEERGROUP_A_GROUP_EVENT,
	PEERGROUP_A_TIME_UTC,
	PEERGROUP_A_TIME_PEER,
	PEERGROUP_A_RECORD,
	PEERGROUP_A_RECORD_CHANGE,
	PEERGROUP_A_RECORD_TYPE,
	PEERGROUP_A_RECORD_CREATOR,
	PEERGROUP_A_DUMP_FLAGS,
	PEERGROUP_A_QUERY,
	PEERGROUP_A_RECORD_ORIGIN,
	PEERGROUP_A_ADDR,		/* 4 bytes (IPv4) or 16 (IPv6) */
	PEERGROUP_A_PORT,		/* u16 */
	PEERGROUP_A_NEIGHBOUR,		/* nest of PEERGROUP_NEIGHBOUR_A_* */
	PEERGROUP_A_NEIGHBOUR_ID,	/* u64 */
	PEERGROUP_A_NEIGHBOUR_EVENT,	/* u8, enum peergroup_neighbour_event */
	PEERGROUP_A_LISTEN_ACCEPTED,	/* u64: connections handshaking */
	PEERGROUP_A_LISTEN_RATELIMITED,	/* u64: closed at once, over a rate */
	PEERGROUP_A_LISTEN_BUSY,	/* u64: closed at once, over a limit */
	PEERGROUP_A_GROUP_KEY_RANDOM,	/* flag: the key exists only here */
	PEERGROUP_A_GROUP_MAX_LIFETIME,	/* u32, seconds */
	PEERGROUP_A_GROUP_KDF_TIME,	/* u32, Argon2id passes */
	PEERGROUP_A_GROUP_KDF_MEMORY,	/* u32, Argon2id memory, KiB */
	PEERGROUP_A_GROUP_KDF_LANES,	/* u32, Argon2id lanes */
	PEERGROUP_A_GROUP_KEY_SERIAL,	/* s32, the private key's serial */
	PEERGROUP_A_GROUP_CERTS,	/* binary: the chain, DER, root last */
	PEERGROUP_A_GROUP_PARKED,	/* u32: records parked (deferred) */
	PEERGROUP_A_GROUP_PARKED_DROPPED, /* u64: parked ones dropped */
	PEERGROUP_A_MEMBER,		/* nest of PEERGROUP_MEMBER_A_* */
	PEERGROUP_A_MEMBER_EVENT,	/* u8, enum peergroup_member_event */

	__PEERGROUP_A_MAX
};

#define PEERGROUP_A_MAX (__PEERGROUP_A_MAX - 1)

/* Inside PEERGROUP_A_RECORD */
enum peergroup_record_attr {
	PEERGROUP_RECORD_A_UNSPEC,
	PEERGROUP_RECORD_A_PAD,
	PEERGROUP_RECORD_A_ID,
	PEERGROUP_RECORD_A_TYPE,
	PEERGROUP_RECORD_A_VERSION,
	PEERGROUP_RECORD_A_FLAGS,
	PEERGROUP_RECORD_A_CREATOR,
	PEERGROUP_RECORD_A_MODIFIER,
	PEERGROUP_RECORD_A_CREATED,
	PEERGROUP_RECORD_A_MODIFIED,
	PEERGROUP_RECORD_A_EXPIRES,
	PEERGROUP_RECORD_A_ATTRS,
	PEERGROUP_RECORD_A_SECURITY,
	PEERGROUP_RECORD_A_DATA,

	__PEERGROUP_RECORD_A_MAX
};

#define PEERGROUP_RECORD_A_MAX (__PEERGROUP_RECORD_A_MAX - 1)

/* Inside PEERGROUP_RECORD_A_ATTRS */
enum peergroup_attrs_attr {
	PEERGROUP_ATTRS_A_UNSPEC,
	PEERGROUP_ATTRS_A_ATTR,		/* nest, repeated */

	__PEERGROUP_ATTRS_A_MAX
};

#define PEERGROUP_ATTRS_A_MAX (__PEERGROUP_ATTRS_A_MAX - 1)

/* Inside PEERGROUP_ATTRS_A_ATTR */
enum peergroup_attr_attr {
	PEERGROUP_ATTR_A_UNSPEC,
	PEERGROUP_ATTR_A_PAD,
	PEERGROUP_ATTR_A_NAME,		/* string */
	PEERGROUP_ATTR_A_STR,		/* string, UTF-8 */
	PEERGROUP_ATTR_A_INT,		/* s64 */
	PEERGROUP_ATTR_A_DATE,		/* u64, peer time */

	__PEERGROUP_ATTR_A_MAX
};

#define PEERGROUP_ATTR_A_MAX (__PEERGROUP_ATTR_A_MAX - 1)

/* Inside PEERGROUP_A_QUERY, PEERGROUP_QUERY_A_AND and PEERGROUP_QUERY_A_OR */
enum peergroup_query_attr {
	PEERGROUP_QUERY_A_UNSPEC,
	PEERGROUP_QUERY_A_AND,		/* nest of nodes */
	PEERGROUP_QUERY_A_OR,		/* nest of nodes */
	PEERGROUP_QUERY_A_CLAUSE,	/* nest of PEERGROUP_CLAUSE_A_* */

	__PEERGROUP_QUERY_A_MAX
};

#define PEERGROUP_QUERY_A_MAX (__PEERGROUP_QUERY_A_MAX - 1)

/* Inside PEERGROUP_QUERY_A_CLAUSE */
enum peergroup_clause_attr {
	PEERGROUP_CLAUSE_A_UNSPEC,
	PEERGROUP_CLAUSE_A_PAD,
	PEERGROUP_CLAUSE_A_ATTR,	/* string: attribute name */
	PEERGROUP_CLAUSE_A_COMPARE,	/* u8, enum peergroup_compare */
	PEERGROUP_CLAUSE_A_STR,		/* string */
	PEERGROUP_CLAUSE_A_INT,		/* s64 */
	PEERGROUP_CLAUSE_A_DATE,	/* u64 */

	__PEERGROUP_CLAUSE_A_MAX
};

#define PEERGROUP_CLAUSE_A_MAX (__PEERGROUP_CLAUSE_A_MAX - 1)

/* Inside PEERGROUP_A_NEIGHBOUR */
enum peergroup_neighbour_attr {
	PEERGROUP_NEIGHBOUR_A_UNSPEC,
	PEERGROUP_NEIGHBOUR_A_PAD,
	PEERGROUP_NEIGHBOUR_A_ID,	/* u64, unique in the namespace */
	PEERGROUP_NEIGHBOUR_A_ADDR,	/* 4 or 16 bytes: the peer's address */
	PEERGROUP_NEIGHBOUR_A_PORT,	/* u16: the peer's port */
	PEERGROUP_NEIGHBOUR_A_DIRECTION,/* u8, enum peergroup_direction */
	PEERGROUP_NEIGHBOUR_A_STATE,	/* u8, enum peergroup_neighbour_state */
	PEERGROUP_NEIGHBOUR_A_IDENTITY,	/* string: the peer, once proved */
	PEERGROUP_NEIGHBOUR_A_REASON,	/* u8, enum peergroup_reason: the last */
	PEERGROUP_NEIGHBOUR_A_ERRNO,	/* u32: with REASON_CONNECT, _ERROR */
	PEERGROUP_NEIGHBOUR_A_SINCE,	/* u64: UTC ns of the last state change */
	PEERGROUP_NEIGHBOUR_A_FRAMES_TX,	/* u64 */
	PEERGROUP_NEIGHBOUR_A_FRAMES_RX,	/* u64 */
	PEERGROUP_NEIGHBOUR_A_BYTES_TX,		/* u64 */
	PEERGROUP_NEIGHBOUR_A_BYTES_RX,		/* u64 */
	PEERGROUP_NEIGHBOUR_A_RECORDS_TX,	/* u64 */
	PEERGROUP_NEIGHBOUR_A_RECORDS_RX,	/* u64: stored */
	PEERGROUP_NEIGHBOUR_A_REFUSED,		/* u64: records refused */
	PEERGROUP_NEIGHBOUR_A_QUEUE,		/* u32: bytes queued to send */
	PEERGROUP_NEIGHBOUR_A_CONNECTS,		/* u32: connections made */
	PEERGROUP_NEIGHBOUR_A_LAG,		/* u32: ms the oldest queued */
	/* The last record refused: why (as an extack would say), errno. */
	PEERGROUP_NEIGHBOUR_A_REFUSED_WHY,	/* string */
	PEERGROUP_NEIGHBOUR_A_REFUSED_ERRNO,	/* u32 */

	__PEERGROUP_NEIGHBOUR_A_MAX
};

#define PEERGROUP_NEIGHBOUR_A_MAX (__PEERGROUP_NEIGHBOUR_A_MAX - 1)

/* Inside PEERGROUP_A_MEMBER: a certificate a certificate group knows. */
enum peergroup_member_attr {
	PEERGROUP_MEMBER_A_UNSPEC,
	PEERGROUP_MEMBER_A_PAD,
	PEERGROUP_MEMBER_A_IDENTITY,	/* string: the certificate's subject */
	PEERGROUP_MEMBER_A_ISSUER,	/* string: its issuer's subject */
	PEERGROUP_MEMBER_A_ROLE,	/* u8, enum peergroup_role */
	PEERGROUP_MEMBER_A_NOT_BEFORE,	/* u64: UTC ns, its validity's start */
	PEERGROUP_MEMBER_A_NOT_AFTER,	/* u64: UTC ns, its validity's end */
	PEERGROUP_MEMBER_A_FINGERPRINT,	/* PEERGROUP_FINGERPRINT_LEN bytes */
	PEERGROUP_MEMBER_A_REVOKED,	/* flag */
	PEERGROUP_MEMBER_A_OWN,		/* flag: this node's certificate */
	PEERGROUP_MEMBER_A_PUBLIC_KEY,	/* binary: SubjectPublicKeyInfo, DER */

	__PEERGROUP_MEMBER_A_MAX
};

#define PEERGROUP_MEMBER_A_MAX (__PEERGROUP_MEMBER_A_MAX - 1)

#endif /* _UAPI_LINUX_PEERGROUP_H */
