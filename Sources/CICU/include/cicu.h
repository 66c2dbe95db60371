// A tiny C shim over ICU. Its public header uses only <stdint.h> types, so ICU's headers
// never meet the copy of ICU that Foundation ships (DESIGN.md §8).
#ifndef CICU_H
#define CICU_H
#include <stdint.h>

/// ICU major version this shim was built against (sanity check for tests).
int32_t cicu_version_major(void);

/// Bits returned by cicu_char_flags.
enum {
    // The three category bits follow Unicode 8.0, as HF's `unicode_categories` crate does:
    CICU_OTHER = 1,        // Cc, Cf, Cs, Co (not Cn) — unicode_categories `is_other`
    CICU_WHITESPACE = 2,   // White_Space property (current Unicode) — Rust char::is_whitespace
    CICU_PUNCTUATION = 4,  // P* — unicode_categories `is_punctuation`
    CICU_MARK_NONSPACING = 8, // Mn — unicode_categories `is_mark_nonspacing`
    CICU_CHANGES_LOWER = 16,  // full lowercase mapping differs from the scalar itself
    // The two NFD bits follow Unicode 9.0, as HF's unicode-normalization-alignments crate:
    CICU_CHANGES_NFD = 32,    // NFD of the scalar alone differs from the scalar itself
    CICU_COMBINING = 64       // canonical combining class is not 0 (NFD reorders it)
};

/// Canonical combining class (0 for starters).
int32_t cicu_combining_class(uint32_t c);

/// Classification bits (CICU_*) for one Unicode scalar.
int32_t cicu_char_flags(uint32_t c);

/// Full (SpecialCasing-aware, context-free) lowercase mapping of one scalar, as Rust's
/// char::to_lowercase: writes up to `cap` scalars into `out`, returns how many (≥ 1).
int32_t cicu_to_lower(uint32_t c, uint32_t *out, int32_t cap);

/// Canonical decomposition (NFD) of one scalar: writes up to `cap` scalars, returns the count.
int32_t cicu_nfd(uint32_t c, uint32_t *out, int32_t cap);

#endif
