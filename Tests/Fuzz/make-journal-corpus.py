#!/usr/bin/env python3
"""Writes seeds of the FuzzJournal target into Corpus/FuzzJournal/ from real journals (run from anywhere).

Usage: make-journal-corpus.py NAME=JOURNAL [NAME=JOURNAL ...]

Each JOURNAL is an `OUTPUT/_temporary/journal` left by a coordinator killed with SIGKILL (a word count, a PageRank
with checkpoints, a resumed run). For each, three seeds: `seed-NAME` (mode 0: the file as it is),
`seed-NAME-torn` (mode 0: its last record cut in half) and `seed-NAME-records` (mode 1: its record payloads as
`u16 length | payload`, which the target frames with correct CRCs, so mutations reach the record decoder).
"""
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "Corpus", "FuzzJournal")
os.makedirs(out, exist_ok=True)


def records(journal):
    assert journal[:8] == b"SPINDLEJ", "not a journal"
    offset, found = 8, []
    while offset + 8 <= len(journal):
        (length,) = struct.unpack_from("<I", journal, offset)
        if offset + 8 + length > len(journal):
            break
        found.append(journal[offset + 8:offset + 8 + length])
        offset += 8 + length
    return found


for argument in sys.argv[1:]:
    name, path = argument.split("=", 1)
    journal = open(path, "rb").read()
    payloads = [p for p in records(journal) if len(p) < 65536]
    last = 8 + sum(8 + len(p) for p in records(journal)[:-1])
    with open(os.path.join(out, "seed-" + name), "wb") as f:
        f.write(b"\x00" + journal)
    with open(os.path.join(out, "seed-" + name + "-torn"), "wb") as f:
        f.write(b"\x00" + journal[:last + (len(journal) - last) // 2])
    with open(os.path.join(out, "seed-" + name + "-records"), "wb") as f:
        f.write(b"\x01" + b"".join(struct.pack("<H", len(p)) + p for p in payloads))
    print("seed-%s: %d bytes, %d records" % (name, len(journal), len(payloads)))
