// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Names of the replication enums of the uapi header, the words the tool
 * prints and scripts match: lowercase, '-' between words.
 */
#include <stddef.h>
#include "internal.h"

#define NAME_OF(table, v) \
	((v) < sizeof(table) / sizeof((table)[0]) ? (table)[v] : NULL)

static const char *const direction_names[] = {
	[PEERGROUP_DIRECTION_OUT] = "out",
	[PEERGROUP_DIRECTION_IN] = "in",
};

static const char *const state_names[] = {
	[PEERGROUP_NEIGHBOUR_BACKOFF] = "backoff",
	[PEERGROUP_NEIGHBOUR_CONNECTING] = "connecting",
	[PEERGROUP_NEIGHBOUR_HANDSHAKE] = "handshake",
	[PEERGROUP_NEIGHBOUR_SYNCING] = "syncing",
	[PEERGROUP_NEIGHBOUR_ESTABLISHED] = "established",
	[PEERGROUP_NEIGHBOUR_CLOSED] = "closed",
};

static const char *const reason_names[] = {
	[PEERGROUP_REASON_NONE] = "none",
	[PEERGROUP_REASON_CLOSED] = "closed",
	[PEERGROUP_REASON_CONNECT] = "connect",
	[PEERGROUP_REASON_VERSION] = "version",
	[PEERGROUP_REASON_UNKNOWN_GROUP] = "unknown-group",
	[PEERGROUP_REASON_AUTH] = "auth",
	[PEERGROUP_REASON_TIMEOUT] = "timeout",
	[PEERGROUP_REASON_PROTOCOL] = "protocol",
	[PEERGROUP_REASON_OVERFLOW] = "overflow",
	[PEERGROUP_REASON_DELETED] = "deleted",
	[PEERGROUP_REASON_LIMIT] = "limit",
	[PEERGROUP_REASON_SELF] = "self",
	[PEERGROUP_REASON_ERROR] = "error",
	[PEERGROUP_REASON_KDF] = "kdf",
};

static const char *const event_names[] = {
	[PEERGROUP_NEIGHBOUR_EVENT_CONNECTED] = "connected",
	[PEERGROUP_NEIGHBOUR_EVENT_DISCONNECTED] = "disconnected",
	[PEERGROUP_NEIGHBOUR_EVENT_FAILED] = "failed",
	[PEERGROUP_NEIGHBOUR_EVENT_SYNCED] = "synced",
};

static const char *const member_event_names[] = {
	[PEERGROUP_MEMBER_EVENT_JOINED] = "joined",
	[PEERGROUP_MEMBER_EVENT_REVOKED] = "revoked",
};

/* Every reason has its name: the table grows with the enum or fails here. */
_Static_assert(sizeof(reason_names) / sizeof(reason_names[0]) ==
	       PEERGROUP_REASON_MAX + 1, "a peergroup_reason without a name");

const char *pg_direction_name(unsigned int direction)
{
	return NAME_OF(direction_names, direction);
}

const char *pg_neighbour_state_name(unsigned int state)
{
	return NAME_OF(state_names, state);
}

const char *pg_reason_name(unsigned int reason)
{
	return NAME_OF(reason_names, reason);
}

const char *pg_neighbour_event_name(unsigned int event)
{
	return NAME_OF(event_names, event);
}

const char *pg_member_event_name(unsigned int event)
{
	return NAME_OF(member_event_names, event);
}
