/*
 * pagerank: Spindle's `pagerank` job done by one thread, as a speed reference for `spindle bench --baseline`.
 *
 * Input: an edge list as SNAP publishes it and Spindle reads it: `#` comment lines, blank lines, and
 * `src dst [weight]` separated by spaces or tabs, with 64-bit integer ids (a trailing `\r` is ignored; the
 * weight is checked but not used). Every line is an edge, parallel edges and self-loops included; a vertex
 * that appears only as a target exists with no out-edges.
 *
 * PageRank as the job defines it (networkx's definition on a multigraph): r0 = 1/N, then ITERATIONS steps of
 * r'(v) = (1-d)/N + d * (dangling/N + sum over edges u->v of r(u)/outdeg(u)), where dangling is the rank of
 * the vertices without out-edges. Ranks agree with the job's to about 1e-12 relative (sums run in another order).
 *
 * Output: `vertex<TAB>rank` lines on stdout in ascending vertex order, each rank with 17 significant digits
 * (it reads back as exactly the same double; the job writes the shortest decimal that does, so compare the
 * two numerically), and one line of figures on stderr.
 *
 * Usage: pagerank FILE [ITERATIONS [DAMPING]]   (defaults 20 and 0.85, as the job's parameters)
 * Exit 0 on success, 2 for bad usage, an unreadable file or a malformed line (named as FILE:LINE).
 *
 * The file is read with read(2) in 4 MiB blocks. Ids are numbered densely in ascending order through a direct
 * table when they span a small range (generated graphs) and through a sorted hash table otherwise; the graph is
 * kept as CSR by target, so each step pulls the contributions of a vertex's in-edges.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BLOCK = 4 << 20 };

static const char *path;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void *allocate(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) { fprintf(stderr, "pagerank: out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

static void *resize(void *p, size_t bytes) {
    p = realloc(p, bytes ? bytes : 1);
    if (!p) { fprintf(stderr, "pagerank: out of memory (%zu bytes)\n", bytes); exit(1); }
    return p;
}

/* ---- reading the edge list ---- */

static int64_t *sources, *targets;
static size_t edges, edgeCapacity;

static void malformed(uint64_t line, const char *why) {
    fprintf(stderr, "pagerank: malformed edge at %s:%llu: %s\n", path, (unsigned long long)line, why);
    exit(2);
}

static inline int blank(char c) { return c == ' ' || c == '\t'; }

/* A decimal int64 with an optional sign, ending at `end` or a blank; advances *p. Returns 0 when malformed. */
static int integer(const char **p, const char *end, int64_t *value) {
    const char *q = *p;
    int negative = 0;
    if (q < end && (*q == '-' || *q == '+')) negative = *q++ == '-';
    const char *digits = q;
    uint64_t v = 0;
    while (q < end && *q >= '0' && *q <= '9') {
        unsigned d = (unsigned)(*q++ - '0');
        if (v > (UINT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    if (q == digits || (q < end && !blank(*q))) return 0;
    if (v > (negative ? (uint64_t)1 << 63 : (uint64_t)INT64_MAX)) return 0;
    *value = negative ? (int64_t)(0 - v) : (int64_t)v;
    *p = q;
    return 1;
}

/* Parses one line [p, end) without its `\n`. */
static void parseLine(const char *p, const char *end, uint64_t line) {
    if (end > p && end[-1] == '\r') end--;
    while (p < end && blank(*p)) p++;
    if (p == end || *p == '#') return;
    int64_t s, t;
    if (!integer(&p, end, &s)) malformed(line, "the source is not a 64-bit integer");
    while (p < end && blank(*p)) p++;
    if (p == end) malformed(line, "expected 2 or 3 fields, found 1");
    if (!integer(&p, end, &t)) malformed(line, "the target is not a 64-bit integer");
    while (p < end && blank(*p)) p++;
    if (p < end) { /* the weight: a finite number, then nothing but blanks */
        const char *field = p;
        while (p < end && !blank(*p)) p++;
        char text[64];
        size_t n = (size_t)(p - field);
        char *stop;
        if (n >= sizeof text) malformed(line, "the weight is not a number");
        memcpy(text, field, n);
        text[n] = 0;
        double w = strtod(text, &stop);
        if (*stop || !isfinite(w)) malformed(line, "the weight is not a finite number");
        while (p < end && blank(*p)) p++;
        if (p < end) malformed(line, "expected 2 or 3 fields, found more");
    }
    if (edges == edgeCapacity) {
        edgeCapacity = edgeCapacity ? edgeCapacity * 2 : 1 << 20;
        sources = resize(sources, edgeCapacity * sizeof *sources);
        targets = resize(targets, edgeCapacity * sizeof *targets);
    }
    sources[edges] = s;
    targets[edges] = t;
    edges++;
}

static void readEdges(void) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "pagerank: cannot open '%s': %s\n", path, strerror(errno)); exit(2); }
    size_t size = BLOCK, carried = 0;
    char *buffer = allocate(size);
    uint64_t line = 1;
    for (;;) {
        if (size - carried < BLOCK) { size = carried + BLOCK; buffer = resize(buffer, size); }
        ssize_t n = read(fd, buffer + carried, BLOCK);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { fprintf(stderr, "pagerank: cannot read '%s': %s\n", path, strerror(errno)); exit(2); }
        char *p = buffer, *end = buffer + carried + n, *newline;
        while ((newline = memchr(p, '\n', (size_t)(end - p)))) {
            parseLine(p, newline, line++);
            p = newline + 1;
        }
        carried = (size_t)(end - p);
        if (n == 0) { /* a last line without `\n` counts */
            if (carried) parseLine(p, end, line);
            break;
        }
        memmove(buffer, p, carried);
    }
    close(fd);
    free(buffer);
}

/* ---- numbering the vertices densely, in ascending id order ---- */

static int64_t *ids;      /* dense index -> id, ascending */
static uint32_t vertices;
static uint32_t *sourceIndex, *targetIndex;

static int compareIds(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static inline uint64_t mix(int64_t id) {
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static void number(void) {
    sourceIndex = allocate(edges * sizeof *sourceIndex);
    targetIndex = allocate(edges * sizeof *targetIndex);
    if (edges == 0) { ids = allocate(0); return; }
    int64_t low = sources[0], high = sources[0];
    for (size_t e = 0; e < edges; e++) {
        if (sources[e] < low) low = sources[e];
        if (sources[e] > high) high = sources[e];
        if (targets[e] < low) low = targets[e];
        if (targets[e] > high) high = targets[e];
    }
    uint64_t range = (uint64_t)high - (uint64_t)low + 1;
    if (range != 0 && range <= 4 * (uint64_t)edges + (1 << 20) && range < UINT32_MAX) {
        /* Direct: a table over [low, high]. */
        uint32_t *index = allocate(range * sizeof *index);
        memset(index, 0xFF, range * sizeof *index);
        for (size_t e = 0; e < edges; e++) index[sources[e] - low] = index[targets[e] - low] = 0;
        uint64_t count = 0;
        for (uint64_t k = 0; k < range; k++) if (!index[k]) count++;
        ids = allocate(count * sizeof *ids);
        for (uint64_t k = 0; k < range; k++) if (!index[k]) { ids[vertices] = low + (int64_t)k; index[k] = vertices++; }
        for (size_t e = 0; e < edges; e++) { sourceIndex[e] = index[sources[e] - low]; targetIndex[e] = index[targets[e] - low]; }
        free(index);
        return;
    }
    /* Hashed: collect the distinct ids, sort them, then look each endpoint up. */
    uint64_t capacity = 1;
    while (capacity < 4 * (uint64_t)edges) capacity *= 2;
    uint64_t mask = capacity - 1;
    int64_t *keys = allocate(capacity * sizeof *keys);
    uint32_t *values = allocate(capacity * sizeof *values);
    uint8_t *used = calloc(capacity, 1);
    if (!used) { fprintf(stderr, "pagerank: out of memory\n"); exit(1); }
    uint64_t count = 0;
    for (size_t k = 0; k < 2 * edges; k++) {
        int64_t id = k < edges ? sources[k] : targets[k - edges];
        uint64_t j = mix(id) & mask;
        while (used[j] && keys[j] != id) j = (j + 1) & mask;
        if (!used[j]) { used[j] = 1; keys[j] = id; count++; }
    }
    if (count >= UINT32_MAX) { fprintf(stderr, "pagerank: more than 2^32 vertices\n"); exit(1); }
    ids = allocate(count * sizeof *ids);
    for (uint64_t j = 0; j < capacity; j++) if (used[j]) ids[vertices++] = keys[j];
    qsort(ids, vertices, sizeof *ids, compareIds);
    for (uint32_t v = 0; v < vertices; v++) {
        uint64_t j = mix(ids[v]) & mask;
        while (keys[j] != ids[v]) j = (j + 1) & mask;
        values[j] = v;
    }
    for (size_t e = 0; e < 2 * edges; e++) {
        int64_t id = e < edges ? sources[e] : targets[e - edges];
        uint64_t j = mix(id) & mask;
        while (keys[j] != id) j = (j + 1) & mask;
        if (e < edges) sourceIndex[e] = values[j]; else targetIndex[e - edges] = values[j];
    }
    free(keys);
    free(values);
    free(used);
}

/* ---- output: 17 significant digits, so that every rank reads back as exactly the same double ---- */

static int formatRank(char *out, size_t size, double x) {
    int n = snprintf(out, size, "%.17g", x);
    if (!strpbrk(out, ".eni")) { memcpy(out + n, ".0", 3); n += 2; } /* as Swift writes 1.0, not 1 */
    return n;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 4) { fprintf(stderr, "usage: pagerank FILE [ITERATIONS [DAMPING]]\n"); return 2; }
    path = argv[1];
    char *stop;
    long iterations = argc > 2 ? strtol(argv[2], &stop, 10) : 20;
    if (argc > 2 && (*stop || iterations < 0)) { fprintf(stderr, "pagerank: ITERATIONS must be a whole number >= 0, got '%s'\n", argv[2]); return 2; }
    double damping = argc > 3 ? strtod(argv[3], &stop) : 0.85;
    if (argc > 3 && (*stop || !(damping > 0 && damping < 1))) { fprintf(stderr, "pagerank: DAMPING must be in (0, 1), got '%s'\n", argv[3]); return 2; }

    double t0 = now();
    readEdges();
    number();
    free(sources);
    free(targets);
    uint32_t n = vertices;
    uint32_t *outDegree = calloc(n + 1, sizeof *outDegree), *inStart = calloc(n + 2, sizeof *inStart);
    uint32_t *inSources = allocate(edges * sizeof *inSources);
    if (!outDegree || !inStart) { fprintf(stderr, "pagerank: out of memory\n"); return 1; }
    for (size_t e = 0; e < edges; e++) { outDegree[sourceIndex[e]]++; inStart[targetIndex[e] + 1]++; }
    for (uint32_t v = 0; v < n; v++) inStart[v + 1] += inStart[v];
    uint32_t *next = allocate((n + 1) * sizeof *next);
    memcpy(next, inStart, (n + 1) * sizeof *next);
    for (size_t e = 0; e < edges; e++) inSources[next[targetIndex[e]]++] = sourceIndex[e];
    free(next);
    free(sourceIndex);
    free(targetIndex);

    double t1 = now();
    double *rank = allocate(n * sizeof *rank), *share = allocate(n * sizeof *share);
    for (uint32_t v = 0; v < n; v++) rank[v] = 1.0 / n;
    for (long step = 0; step < iterations; step++) {
        double dangling = 0;
        for (uint32_t v = 0; v < n; v++) {
            if (outDegree[v]) share[v] = rank[v] / outDegree[v];
            else { share[v] = 0; dangling += rank[v]; }
        }
        double teleport = (1 - damping) / n, spread = dangling / n;
        for (uint32_t v = 0; v < n; v++) {
            double sum = 0;
            for (uint32_t e = inStart[v]; e < inStart[v + 1]; e++) sum += share[inSources[e]];
            rank[v] = teleport + damping * (sum + spread);
        }
    }
    double t2 = now();

    static char out[1 << 16];
    setvbuf(stdout, out, _IOFBF, sizeof out);
    char text[40];
    for (uint32_t v = 0; v < n; v++) {
        formatRank(text, sizeof text, rank[v]);
        printf("%lld\t%s\n", (long long)ids[v], text);
    }
    if (fflush(stdout) != 0) { fprintf(stderr, "pagerank: cannot write the output: %s\n", strerror(errno)); return 1; }
    double t3 = now();
    fprintf(stderr, "pagerank: %u vertices, %zu edges, load %.3f s, %ld iterations %.3f s (%.4f s per iteration), output %.3f s\n",
        n, edges, t1 - t0, iterations, t2 - t1, iterations ? (t2 - t1) / iterations : 0.0, t3 - t2);
    return 0;
}
