#ifndef CSPINDLECRC32_H
#define CSPINDLECRC32_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the carry-less multiply (x86-64 PCLMULQDQ) that spindle_crc32_fold uses.
int spindle_crc32_fold_available(void);

/// Advances the CRC-32 (gzip's reflected polynomial 0xEDB88320) register `crc`, kept inverted as in
/// SpindleCore's CRC32, over the `count` bytes at `bytes` by folding 64 bytes per step with carry-less
/// multiplies. `count` must be at least 64 and a multiple of 16, and spindle_crc32_fold_available() true.
uint32_t spindle_crc32_fold(uint32_t crc, const uint8_t *bytes, size_t count);

/// Whether this CPU has the CRC-32C instruction spindle_crc32c uses (x86-64: SSE 4.2 and PCLMULQDQ;
/// aarch64: the ARMv8 CRC extension).
int spindle_crc32c_available(void);

/// Advances the CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) register `crc`, kept inverted as in
/// SpindleCore's CRC32C, over the `count` bytes at `bytes` (any length, any alignment) with the CPU's CRC-32C
/// instruction. spindle_crc32c_available() must be true.
uint32_t spindle_crc32c(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
