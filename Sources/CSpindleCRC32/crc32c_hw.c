// CRC-32C (Castagnoli) by the CPU's own instruction: SSE 4.2's crc32 on x86-64, the ARMv8 CRC extension's
// crc32c on aarch64. Each function is compiled for its instruction set alone by a target attribute (no build
// flags), and callers check spindle_crc32c_available() first; elsewhere SpindleCore's tables do the work.
//
// On x86-64 the crc32 instruction has a latency of three cycles and a throughput of one, so long buffers
// run as three interleaved streams whose registers are joined by shifting with a carry-less multiply
// (PCLMULQDQ), as in Intel's "Fast CRC Computation for iSCSI Polynomial Using CRC32 Instruction" (2011).

#include "CSpindleCRC32.h"

#include <string.h>

#if defined(__x86_64__)

#include <immintrin.h>

int spindle_crc32c_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul");
}

// Lane lengths of the three-way loops, and for each the reflected x^(8 * lane - 33) mod P by which a lane's
// register is multiplied to move it past the next lane's bytes (the -33 undoes the x of a reflected carry-less
// product and the x^32 of the crc32 reduction that follows).
enum { LONG_LANE = 2048, SHORT_LANE = 128 };
static const uint64_t LONG_SHIFT = 0xa51b6135;
static const uint64_t SHORT_SHIFT = 0x0d3b6092;

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// The register `crc` advanced over `shift`'s lane of zero bytes: a carry-less product reduced by crc32.
__attribute__((target("sse4.2,pclmul")))
static inline uint64_t shift_lane(uint64_t crc, uint64_t shift) {
    __m128i product = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)crc), _mm_cvtsi64_si128((long long)shift), 0x00);
    return _mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(product));
}

// Three lanes of `lane` bytes at a time while they last: lane 0 continues `crc`, lanes 1 and 2 start at zero,
// and the three registers join as crc0 * x^lane + crc1, times x^lane, + crc2.
#define THREE_WAY(lane, shift)                                                   \
    while (len >= 3 * (size_t)(lane)) {                                          \
        uint64_t c1 = 0, c2 = 0;                                                 \
        const uint8_t *end = buf + (lane);                                       \
        do {                                                                     \
            crc = _mm_crc32_u64(crc, load64(buf));                               \
            c1 = _mm_crc32_u64(c1, load64(buf + (lane)));                        \
            c2 = _mm_crc32_u64(c2, load64(buf + 2 * (lane)));                    \
            buf += 8;                                                            \
        } while (buf < end);                                                     \
        crc = shift_lane(crc, (shift)) ^ c1;                                     \
        crc = shift_lane(crc, (shift)) ^ c2;                                     \
        buf += 2 * (lane);                                                       \
        len -= 3 * (size_t)(lane);                                               \
    }

__attribute__((target("sse4.2,pclmul")))
uint32_t spindle_crc32c(uint32_t start, const uint8_t *buf, size_t len) {
    uint64_t crc = start;
    // Eight-byte alignment first, so that the lanes' loads do not straddle cache lines.
    while (len > 0 && ((uintptr_t)buf & 7) != 0) {
        crc = _mm_crc32_u8((uint32_t)crc, *buf++);
        len--;
    }
    THREE_WAY(LONG_LANE, LONG_SHIFT)
    THREE_WAY(SHORT_LANE, SHORT_SHIFT)
    while (len >= 8) {
        crc = _mm_crc32_u64(crc, load64(buf));
        buf += 8;
        len -= 8;
    }
    while (len > 0) {
        crc = _mm_crc32_u8((uint32_t)crc, *buf++);
        len--;
    }
    return (uint32_t)crc;
}

#elif defined(__aarch64__)

#include <arm_acle.h>
#if defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#endif

int spindle_crc32c_available(void) {
#if defined(__linux__)
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
#elif defined(__APPLE__)
    return 1;  // every Apple arm64 CPU has the CRC extension
#else
    return 0;
#endif
}

__attribute__((target("crc")))
uint32_t spindle_crc32c(uint32_t crc, const uint8_t *buf, size_t len) {
    while (len > 0 && ((uintptr_t)buf & 7) != 0) {
        crc = __crc32cb(crc, *buf++);
        len--;
    }
    while (len >= 8) {
        uint64_t v;
        memcpy(&v, buf, 8);
        crc = __crc32cd(crc, v);
        buf += 8;
        len -= 8;
    }
    while (len > 0) {
        crc = __crc32cb(crc, *buf++);
        len--;
    }
    return crc;
}

#else

int spindle_crc32c_available(void) { return 0; }

uint32_t spindle_crc32c(uint32_t crc, const uint8_t *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
