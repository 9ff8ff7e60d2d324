/*
 * chain.h — the hash chain that makes the audit log tamper-evident.
 *
 * Each audit row carries SHA-256(previous row's hash, then the row's
 * fields), written as lowercase hex.  The fields are encoded without
 * ambiguity: each as its byte length, ':', its bytes and ','; an absent
 * field as '-,'.  Editing, inserting or removing a row breaks the chain
 * at that row.  SHA-256 is nettle's.
 */
#ifndef FAIRTOP_CHAIN_H
#define FAIRTOP_CHAIN_H

#include <stddef.h>

#define CHAIN_HEX_SIZE 65 /* 64 hex digits and a NUL */

/* The hash before the first row: 64 zeros. */
extern const char chain_genesis[CHAIN_HEX_SIZE];

/* hex = SHA-256(prev_hex, field[0..n)) (NULL fields are absent). */
void chain_hash(const char *prev_hex, const char *const *field, size_t n,
		char hex[CHAIN_HEX_SIZE]);

#endif
