/* hash.h -- SHA-256 (FIPS 180-4) and Keccak-256 (original padding, as
 * Ethereum uses) for the checksums the core needs in the browser. */
#ifndef REKEY_HASH_H
#define REKEY_HASH_H
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};
void hash_sha256_init(struct sha256 *c);
void hash_sha256_update(struct sha256 *c, const void *p, size_t n);
void hash_sha256_final(struct sha256 *c, unsigned char out[32]);
void hash_sha256(const void *p, size_t n, unsigned char out[32]);

void hash_keccak256(const void *p, size_t n, unsigned char out[32]);

/* CRC-32 (ISO-HDLC, as PNG spec Annex D). */
uint32_t hash_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif
