#ifndef SPINDLE_CLIBFUZZER_H
#define SPINDLE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`): parses libFuzzer's flags from argv and
/// calls `callback` with each input. SwiftPM renames an executable's `main` to `<Target>_main` and links
/// `main` to it, so libFuzzer's own `main` is never used; each target's `<Target>_main` calls this instead.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
