/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Command-line values of the peergroup tool: times, attributes, numbers,
 * addresses, files. Pure functions (but read_input()), tested offline by
 * unit.c.
 */
#ifndef _PG_ARGS_H
#define _PG_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libpeergroup.h"

/*
 * WHEN: "+N" and a unit s, m, h or d (from now, a peer time), or an
 * absolute ISO-8601 date (pg_date_parse()). 0 and *out, or -1 with *why
 * saying what is wrong.
 */
int parse_when(const char *s, uint64_t now, uint64_t *out, const char **why);

/* Does s start like a relative time (then the group's clock is needed)? */
bool when_is_relative(const char *s);

/*
 * NAME=VALUE[:string|:int|:date] into *a (a string by default; the suffix
 * is taken off only when it is one of the three). a's strings point into
 * spec's copy *copy (free() it). 0, or -1 with *why.
 */
int parse_attr(const char *spec, struct pg_attribute *a, char **copy,
	       const char **why);

/*
 * One line of a "record load" file into words, the way a shell splits
 * simple command lines: words are separated by blanks (space, tab, CR);
 * '...' takes everything in it as it is; "..." too, but for \" and \\
 * which stand for " and \; outside quotes a \ takes the next character as
 * it is; a # that starts a word starts a comment to the end of the line.
 * Refused (-1 with *why): $ and ` (nothing is expanded), the operators ;
 * & | < > ( ) outside quotes, an unterminated quote, a \ at the end.
 * line is changed in place: argv[] points into it and needs room for
 * strlen(line) / 2 + 1 words. 0 and *argc (0 for a blank or comment line).
 */
int split_words(char *line, char **argv, int *argc, const char **why);

/* A decimal number up to max into *v: 0 or -1. */
int parse_u64(const char *s, uint64_t max, uint64_t *v);

/*
 * Seconds, up to max, into *v: a decimal number, or one and a unit s, m,
 * h or d (e.g. 3600, 90m, 30d). 0 or -1.
 */
int parse_seconds(const char *s, uint64_t max, uint64_t *v);

/*
 * A size in KiB, up to max KiB, into *v: a decimal number of KiB, or one
 * and a unit k, m or g (KiB, MiB, GiB; either case), e.g. 65536, 64m, 1g.
 * 0 or -1.
 */
int parse_kib(const char *s, uint64_t max, uint64_t *v);

/* The Argon2id parameters, as parse_kdf_value() and kdf_field() name them. */
enum { KDF_TIME, KDF_MEMORY, KDF_LANES };

/* Which field of *k holds parameter which. */
uint32_t *kdf_field(struct pg_kdf *k, unsigned int which);

/*
 * One parameter's value into *out, within the uapi's bounds: passes and
 * lanes a decimal number, memory a size (parse_kib()). 0 or -1.
 */
int parse_kdf_value(unsigned int which, const char *s, uint32_t *out);

/*
 * The key derivation's parameters from the environment (PEERGROUP_KDF):
 * comma-separated time=N, memory=SIZE (parse_kib()) and lanes=N, each at
 * most once, any left out staying as *k has it. 0, or -1 with *why naming
 * the bad part (checked against the uapi's bounds; memory against lanes
 * by the library).
 */
int parse_kdf_spec(const char *s, struct pg_kdf *k, const char **why);

/*
 * Where a listener or neighbour is: "[ADDR] [port P]", and with allow_id
 * "id N" instead (neighbour del). ADDR is an IPv4 or IPv6 literal
 * (pg_addr_parse()), P is 1 to 65535, N a decimal u64; the words may come
 * in any order, each once.
 */
struct endpoint {
	struct pg_addr addr;	/* AF_UNSPEC: none given */
	uint16_t port;		/* 0: none given */
	bool has_id;
	uint64_t id;
};

/*
 * argv[0..argc) into *e: 0, or -1 with a message naming the bad argument
 * in msg (size bytes), e.g. bad address "x" (expected ...).
 */
int parse_endpoint(int argc, char **argv, bool allow_id, struct endpoint *e,
		   char *msg, size_t size);

/* Are all len bytes printable ASCII (then data prints as a string)? */
bool printable(const uint8_t *p, size_t len);

/*
 * Whether p (len bytes) is DER certificates one after another, as far as
 * their outer shape tells: each a SEQUENCE of definite length, the next
 * starting where it ends, the last ending at len. 0 and *count of them
 * (0 for len 0), or -1.
 */
int der_certs(const uint8_t *p, size_t len, unsigned int *count);

/* The length of the certificate that starts p (len bytes) as above, or 0. */
size_t der_cert_len(const uint8_t *p, size_t len);

/*
 * File path ("-" for stdin) into *buf (NUL-terminated after *len bytes;
 * free() it), up to max + 1 bytes and no further: *len > max says that the
 * file holds more than max. 0 or a negative errno.
 */
int read_input(const char *path, size_t max, char **buf, size_t *len);

#endif /* _PG_ARGS_H */
