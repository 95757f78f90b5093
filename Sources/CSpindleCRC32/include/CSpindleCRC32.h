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

#endif
