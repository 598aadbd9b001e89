// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * PEM into DER and back with OpenSSL's libcrypto, opened with dlopen()
 * only when a PEM file is read or written: linked, it would be loaded at every start
 * of the tool (a fifth of a second under emulation). OpenSSL's headers
 * give the types of the few functions taken from it, so that the compiler
 * checks how they are called.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include "pem.h"

#define BEGIN "-----BEGIN "

unsigned int pem_blocks(const char *text, size_t len)
{
	const size_t begin = strlen(BEGIN);
	unsigned int n = 0;
	const char *p = text, *end = text + len, *nl;

	while (p < end) {
		if ((size_t)(end - p) >= begin && !memcmp(p, BEGIN, begin))
			n++;
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return n;
}

struct libcrypto {
	void *dl;
	__typeof__(&BIO_new_mem_buf) bio_new_mem_buf;
	__typeof__(&BIO_free) bio_free;
	__typeof__(&PEM_read_bio) pem_read_bio;
	__typeof__(&PEM_write) pem_write;
	__typeof__(&CRYPTO_free) crypto_free;
};

static int libcrypto_open(struct libcrypto *c, const char *lib)
{
	c->dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!c->dl)
		return -ENOENT;
	c->bio_new_mem_buf = dlsym(c->dl, "BIO_new_mem_buf");
	c->bio_free = dlsym(c->dl, "BIO_free");
	c->pem_read_bio = dlsym(c->dl, "PEM_read_bio");
	c->pem_write = dlsym(c->dl, "PEM_write");
	c->crypto_free = dlsym(c->dl, "CRYPTO_free");
	if (c->bio_new_mem_buf && c->bio_free && c->pem_read_bio &&
	    c->pem_write && c->crypto_free)
		return 0;
	dlclose(c->dl);
	return -ENOENT;
}

/* What PEM_read_bio() allocated, freed as OPENSSL_free() would. */
static void libcrypto_free(const struct libcrypto *c, void *p)
{
	c->crypto_free(p, __FILE__, __LINE__);
}

/* Block i (from 1) of bio, a "want" block, into der at *der_len. */
static int one_block(const struct libcrypto *c, BIO *bio, const char *want,
		     unsigned int i, uint8_t *der, size_t max, size_t *der_len,
		     char *why, size_t size)
{
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long len = 0;
	int err = 0;

	if (!c->pem_read_bio(bio, &name, &header, &data, &len)) {
		snprintf(why, size, "block %u does not decode as PEM (its base64 or its END line)",
			 i);
		return -EINVAL;
	}
	if (strcmp(name, want)) {
		snprintf(why, size, "block %u is a \"%s\", not a %s", i, name,
			 want);
		err = -EINVAL;
	} else if ((size_t)len > max - *der_len) {
		err = -EMSGSIZE;
	} else {
		memcpy(der + *der_len, data, (size_t)len);
		*der_len += (size_t)len;
	}
	libcrypto_free(c, name);
	libcrypto_free(c, header);
	libcrypto_free(c, data);
	return err;
}

static int not_loaded(const char *lib, const char *what, char *why,
		      size_t size)
{
	snprintf(why, size, "PEM needs %s (Debian package %s)%s", lib,
		 PEM_LIBCRYPTO_PACKAGE, what);
	return -ENOENT;
}

int pem_decode(const char *lib, const char *want, const char *text,
	       size_t len, uint8_t *der, size_t max, size_t *der_len,
	       unsigned int *count, char *why, size_t size)
{
	unsigned int n = pem_blocks(text, len), i;
	struct libcrypto c;
	int err = 0;
	BIO *bio;

	*der_len = 0;
	*count = 0;
	if (len > INT_MAX)
		return -EMSGSIZE;
	if (libcrypto_open(&c, lib))
		return not_loaded(lib, "; or give DER", why, size);
	bio = c.bio_new_mem_buf(text, (int)len);
	if (!bio) {
		snprintf(why, size, "out of memory");
		err = -ENOMEM;
	}
	for (i = 1; bio && !err && i <= n; i++)
		err = one_block(&c, bio, want, i, der, max, der_len, why,
				size);
	if (bio)
		c.bio_free(bio);
	dlclose(c.dl);
	if (!err)
		*count = n;
	return err;
}

int pem_certs(const char *lib, const char *text, size_t len, uint8_t *der,
	      size_t max, size_t *der_len, unsigned int *count, char *why,
	      size_t size)
{
	return pem_decode(lib, "CERTIFICATE", text, len, der, max, der_len,
			  count, why, size);
}

int pem_write(const char *lib, FILE *f, const char *name, const uint8_t *der,
	      const size_t *lens, unsigned int n, char *why, size_t size)
{
	struct libcrypto c;
	unsigned int i;
	int err = 0;

	if (libcrypto_open(&c, lib))
		return not_loaded(lib, "", why, size);
	for (i = 0; !err && i < n; der += lens[i], i++)
		if (lens[i] > LONG_MAX ||
		    !c.pem_write(f, name, "", der, (long)lens[i])) {
			snprintf(why, size, "block %u could not be written", i + 1);
			err = -EIO;
		}
	dlclose(c.dl);
	return err;
}
