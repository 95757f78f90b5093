/*
 * wordcount: Spindle's `wordcount` job done by one thread, as a speed reference for `spindle bench --baseline`.
 *
 * A word is a maximal run of ASCII letters; case is kept unless -l is given. Every other byte separates words,
 * so on ASCII text (such as `spindle generate text` corpora and Datasets/sample-text.txt) the output equals
 * the job's; on text with non-ASCII letters the job counts Unicode letters and this program does not.
 *
 * Output: `word<TAB>count` lines on stdout in byte order of the words (as `LC_ALL=C sort` orders the job's
 * part files), and one line of figures on stderr.
 *
 * Usage: wordcount [-l] FILE...      exit 0 on success, 2 for bad usage or an unreadable file.
 *
 * Files are read with read(2) in 4 MiB blocks; words are counted in an open-addressing hash table whose keys
 * live in one growing byte arena, so nothing is allocated per word.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BLOCK = 4 << 20 };

typedef struct {
    uint64_t hash;   /* 0 marks an empty slot (a real hash of 0 is stored as 1) */
    uint64_t count;
    uint64_t offset; /* of the word's bytes in the arena */
    uint32_t length;
} Entry;

static Entry *table;
static uint64_t capacity = 1 << 16, distinct;
static unsigned char *arena;
static uint64_t arenaUsed, arenaCapacity = 1 << 20;
static unsigned char isLetter[256], fold[256];

static void *allocate(size_t bytes) {
    void *p = calloc(1, bytes);
    if (!p) { fprintf(stderr, "wordcount: out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

static void grow(void) {
    uint64_t newCapacity = capacity * 2, mask = newCapacity - 1;
    Entry *bigger = allocate(newCapacity * sizeof(Entry));
    for (uint64_t i = 0; i < capacity; i++) {
        if (!table[i].hash) continue;
        uint64_t j = table[i].hash & mask;
        while (bigger[j].hash) j = (j + 1) & mask;
        bigger[j] = table[i];
    }
    free(table);
    table = bigger;
    capacity = newCapacity;
}

static uint64_t store(const unsigned char *word, uint32_t length) {
    if (arenaUsed + length > arenaCapacity) {
        while (arenaUsed + length > arenaCapacity) arenaCapacity *= 2;
        arena = realloc(arena, arenaCapacity);
        if (!arena) { fprintf(stderr, "wordcount: out of memory for the words\n"); exit(1); }
    }
    memcpy(arena + arenaUsed, word, length);
    arenaUsed += length;
    return arenaUsed - length;
}

/* Counts one occurrence of `word` (already case-folded when -l). */
static inline void count(const unsigned char *word, uint32_t length) {
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (uint32_t i = 0; i < length; i++) h = (h ^ word[i]) * 0x100000001b3ULL;
    h |= !h;
    uint64_t mask = capacity - 1, j = h & mask;
    for (;;) {
        Entry *e = &table[j];
        if (!e->hash) {
            *e = (Entry){h, 1, store(word, length), length};
            if (++distinct * 10 > capacity * 7) grow();
            return;
        }
        if (e->hash == h && e->length == length && !memcmp(arena + e->offset, word, length)) { e->count++; return; }
        j = (j + 1) & mask;
    }
}

static int compareWords(const void *a, const void *b) {
    const Entry *x = a, *y = b;
    uint32_t n = x->length < y->length ? x->length : y->length;
    int c = memcmp(arena + x->offset, arena + y->offset, n);
    return c ? c : (x->length > y->length) - (x->length < y->length);
}

/* Counts the words of one file; a word may span blocks, so the unfinished one moves to the buffer's front. */
static uint64_t countFile(const char *path, int lowercase, unsigned char **buffer, size_t *bufferSize) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "wordcount: cannot open '%s': %s\n", path, strerror(errno)); exit(2); }
    uint64_t bytes = 0;
    size_t carried = 0;
    for (;;) {
        if (*bufferSize - carried < BLOCK) {
            *bufferSize = carried + BLOCK;
            *buffer = realloc(*buffer, *bufferSize);
            if (!*buffer) { fprintf(stderr, "wordcount: out of memory for a word of %zu bytes\n", carried); exit(1); }
        }
        unsigned char *b = *buffer;
        ssize_t n = read(fd, b + carried, BLOCK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { fprintf(stderr, "wordcount: cannot read '%s': %s\n", path, strerror(errno)); exit(2); }
        bytes += (uint64_t)n;
        size_t end = carried + (size_t)n, i = 0;
        if (lowercase) for (size_t k = carried; k < end; k++) b[k] = fold[b[k]];
        while (i < end) {
            while (i < end && !isLetter[b[i]]) i++;
            size_t start = i;
            while (i < end && isLetter[b[i]]) i++;
            if (i == end && n > 0) { /* the word may go on in the next block */
                carried = end - start;
                memmove(b, b + start, carried);
                break;
            }
            if (i > start) count(b + start, (uint32_t)(i - start));
            carried = 0;
        }
        if (n == 0) break;
    }
    close(fd);
    return bytes;
}

int main(int argc, char **argv) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int lowercase = 0, first = 1;
    if (argc > 1 && !strcmp(argv[1], "-l")) { lowercase = 1; first = 2; }
    if (first >= argc) { fprintf(stderr, "usage: wordcount [-l] FILE...\n"); return 2; }
    for (int c = 0; c < 256; c++) {
        isLetter[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        fold[c] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : (unsigned char)c;
    }
    table = allocate(capacity * sizeof(Entry));
    arena = allocate(arenaCapacity);
    unsigned char *buffer = NULL;
    size_t bufferSize = 0;
    uint64_t bytes = 0;
    for (int a = first; a < argc; a++) bytes += countFile(argv[a], lowercase, &buffer, &bufferSize);

    uint64_t k = 0;
    for (uint64_t i = 0; i < capacity; i++) if (table[i].hash) table[k++] = table[i];
    qsort(table, k, sizeof(Entry), compareWords);
    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    for (uint64_t i = 0; i < k; i++) {
        fwrite(arena + table[i].offset, 1, table[i].length, stdout);
        printf("\t%llu\n", (unsigned long long)table[i].count);
    }
    if (fflush(stdout) != 0) { fprintf(stderr, "wordcount: cannot write the output: %s\n", strerror(errno)); return 1; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "wordcount: %llu bytes, %llu distinct words, %.3f s\n", (unsigned long long)bytes,
        (unsigned long long)distinct, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
