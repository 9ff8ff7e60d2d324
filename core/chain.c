/*
 * chain.c — SHA-256 hash chaining.  See chain.h.
 */
#include "core/chain.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

const char chain_genesis[CHAIN_HEX_SIZE] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void update_field(struct sha256_ctx *ctx, const char *s)
{
	char len[32];
	if (s == NULL) {
		sha256_update(ctx, 2, (const uint8_t *)"-,");
		return;
	}
	size_t n = strlen(s);
	int w = snprintf(len, sizeof len, "%zu:", n);
	sha256_update(ctx, (size_t)w, (const uint8_t *)len);
	sha256_update(ctx, n, (const uint8_t *)s);
	sha256_update(ctx, 1, (const uint8_t *)",");
}

void chain_hash(const char *prev_hex, const char *const *field, size_t n,
		char hex[CHAIN_HEX_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	static const char digits[] = "0123456789abcdef";
	sha256_init(&ctx);
	update_field(&ctx, prev_hex);
	for (size_t i = 0; i < n; i++)
		update_field(&ctx, field[i]);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}
