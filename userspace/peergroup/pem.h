/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PEM into DER and back, for the certificates and keys of a certificate
 * group: "cert FILE", "key FILE" and "out FILE".
 */
#ifndef _PG_PEM_H
#define _PG_PEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* The same, for blocks that must each be a "want" (e.g. "PUBLIC KEY"). */
int pem_decode(const char *lib, const char *want, const char *text,
	       size_t len, uint8_t *der, size_t max, size_t *der_len,
	       unsigned int *count, char *why, size_t size);

/*
 * The n DER blocks at der, one after another, lens[i] bytes each, as PEM
 * blocks "name" to f, through libcrypto loaded from lib as above. 0;
 * -ENOENT when lib cannot be loaded, -EIO when a block is not written:
 * both with why.
 */
int pem_write(const char *lib, FILE *f, const char *name, const uint8_t *der,
	      const size_t *lens, unsigned int n, char *why, size_t size);

#endif /* _PG_PEM_H */
