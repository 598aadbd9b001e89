/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection over the connection paths, for the debug lane's sweeps.
 *
 * failslab's fail-nth targets one task's allocations; the connection paths
 * run in workers, where no test can reach a task's counter. So a DEBUG build
 * on a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS gets a fault attribute of
 * its own, /sys/kernel/debug/fail_peergroup/ (probability, interval, times:
 * Documentation/fault-injection/fault-injection.rst), that fails what the
 * code at a site asks for as if memory were short:
 *
 *   sites     which sites may fail, a bitmask of 1 << enum pg_fault_site
 *             (default: all)
 *   injected  how many failures each site has had since load
 *
 * Every other build compiles pg_fault() to false.
 */
#ifndef _PG_FAULT_H
#define _PG_FAULT_H

#include <linux/kconfig.h>
#include <linux/types.h>

enum pg_fault_site {
	PG_FAULT_CONNECT,	/* an outbound connection: its state, its socket */
	PG_FAULT_ACCEPT,	/* an inbound one, from the listener */
	PG_FAULT_HANDSHAKE,	/* the handshake's buffers, kpp, hmac, seals */
	PG_FAULT_RECEIVE,	/* a frame received, its reconcile message */
	PG_FAULT_SEND,		/* a frame to send: flood, sync, reconcile */
	PG_FAULT_RECORD,	/* a record received: its strings, attributes */
	PG_FAULT_NR,
};

#if defined(DEBUG) && IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS)
bool pg_fault(enum pg_fault_site site);
void pg_fault_init(void);
void pg_fault_uninit(void);
#else
static inline bool pg_fault(enum pg_fault_site site)
{
	return false;
}

static inline void pg_fault_init(void)
{
}

static inline void pg_fault_uninit(void)
{
}
#endif

#endif /* _PG_FAULT_H */
