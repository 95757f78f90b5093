#!/usr/bin/env python3
"""Writes the seed corpus of the FuzzInflate target into Corpus/FuzzInflate/ (run from anywhere).

Each seed is: a mode byte (0 gzip file, 1 raw DEFLATE stream, 2 plain bytes for self-made stored blocks), a
piece-size byte, then the data. The data is made here from fixed text, compressed by Python's zlib and gzip
modules with every strategy, so the fuzzer starts from valid stored, fixed and dynamic blocks.
"""
import os
import zlib

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "Corpus", "FuzzInflate")
os.makedirs(out, exist_ok=True)

text = b"".join(b"line %d of the spindle corpus, word %d\n" % (i, i * 7 % 13) for i in range(60))
text += bytes(range(256)) + b"a" * 300 + b"abcabcabc" * 40


def raw(data, level, strategy):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


def gz(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, 31, 9, strategy)
    return c.compress(data) + c.flush()


# FHCRC, FEXTRA, FNAME and FCOMMENT all set.
header = b"\x1f\x8b\x08\x1e\x00\x00\x00\x00\x00\x03" + b"\x03\x00abc" + b"name.txt\x00" + b"a comment\x00"
seeds = {
    "seed-gzip-default": bytes([0, 3]) + gz(text),
    "seed-gzip-best": bytes([0, 0]) + gz(text, 9),
    "seed-gzip-stored": bytes([0, 1]) + gz(text, 0),
    "seed-gzip-fixed": bytes([0, 2]) + gz(text, 6, zlib.Z_FIXED),
    "seed-gzip-huffman-only": bytes([0, 9]) + gz(text, 6, zlib.Z_HUFFMAN_ONLY),
    "seed-gzip-rle": bytes([0, 4]) + gz(text, 6, zlib.Z_RLE),
    "seed-gzip-filtered": bytes([0, 5]) + gz(text, 6, zlib.Z_FILTERED),
    "seed-gzip-empty": bytes([0, 0]) + gz(b""),
    "seed-gzip-two-members": bytes([0, 7]) + gz(text[:500], 1) + gz(text[500:], 9),
    "seed-gzip-header-fields": bytes([0, 6]) + header + (zlib.crc32(header) & 0xFFFF).to_bytes(2, "little")
    + raw(text, 6, zlib.Z_DEFAULT_STRATEGY) + zlib.crc32(text).to_bytes(4, "little") + len(text).to_bytes(4, "little"),
    "seed-raw-dynamic": bytes([1, 3]) + raw(text, 9, zlib.Z_DEFAULT_STRATEGY),
    "seed-raw-fixed": bytes([1, 1]) + raw(text[:200], 6, zlib.Z_FIXED),
    "seed-raw-stored": bytes([1, 0]) + raw(text[:100], 0, zlib.Z_DEFAULT_STRATEGY),
    "seed-stored-roundtrip": bytes([2, 2, 2]) + (40).to_bytes(2, "little") + (0).to_bytes(2, "little") + text[:200],
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), out))
