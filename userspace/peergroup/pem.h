/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PEM certificates into DER, for "cert FILE" of a certificate group.
 */
#ifndef _PG_PEM_H
#define _PG_PEM_H

#include <stddef.h>
#include <stdint.h>

/* The Debian package that has the library pem_certs() loads. */
#define PEM_LIBCRYPTO		"libcrypto.so.3"
#define PEM_LIBCRYPTO_PACKAGE	"libssl3"

/* How many lines of text (len bytes) start a PEM block ("-----BEGIN "). */
unsigned int pem_blocks(const char *text, size_t len);

/*
 * The DER of every PEM block of text (len bytes), each of which must be a
 * CERTIFICATE, one after another into der (room for max bytes): *der_len
 * bytes, *count blocks. The blocks are decoded by OpenSSL's libcrypto,
 * loaded from lib (PEM_LIBCRYPTO) by this call alone: the tool is not
 * linked with it, so that no other command pays for loading it.
 * 0; -EMSGSIZE when the DER is more than max bytes; -EINVAL when a block is
 * no certificate or does not decode; -ENOENT when lib cannot be loaded:
 * each but -EMSGSIZE with why (size bytes) saying so.
 */
int pem_certs(const char *lib, const char *text, size_t len, uint8_t *der,
	      size_t max, size_t *der_len, unsigned int *count, char *why,
	      size_t size);

#endif /* _PG_PEM_H */
