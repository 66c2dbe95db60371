// ICU calls behind a stdint-only interface (see include/cicu.h).
#include "cicu.h"
#include <unicode/uversion.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

int32_t cicu_version_major(void) { return U_ICU_VERSION_MAJOR_NUM; }

// UTF-16 → scalars; returns the number written (bounded by cap).
static int32_t utf16_to_scalars(const UChar *s, int32_t n, uint32_t *out, int32_t cap) {
    int32_t i = 0, k = 0;
    while (i < n && k < cap) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        out[k++] = (uint32_t)c;
    }
    return k;
}

static int32_t scalar_to_utf16(uint32_t c, UChar *buf) {
    int32_t len = 0;
    UBool err = 0;
    U16_APPEND((UChar *)buf, len, 2, (UChar32)c, err);
    return err ? 0 : len;
}

int32_t cicu_combining_class(uint32_t c) { return c > 0x10FFFF ? 0 : (int32_t)u_getCombiningClass((UChar32)c); }

int32_t cicu_to_lower(uint32_t c, uint32_t *out, int32_t cap) {
    UChar src[2], dst[16];
    int32_t n = scalar_to_utf16(c, src);
    UErrorCode status = U_ZERO_ERROR;
    int32_t m = n > 0 ? u_strToLower(dst, 16, src, n, "", &status) : 0;
    if (n == 0 || U_FAILURE(status) || m <= 0 || m > 16) { out[0] = c; return 1; }
    return utf16_to_scalars(dst, m, out, cap);
}

int32_t cicu_nfd(uint32_t c, uint32_t *out, int32_t cap) {
    UChar src[2], dst[32];
    int32_t n = scalar_to_utf16(c, src);
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    if (n == 0 || U_FAILURE(status)) { out[0] = c; return 1; }
    int32_t m = unorm2_normalize(nfd, src, n, dst, 32, &status);
    if (U_FAILURE(status) || m <= 0 || m > 32) { out[0] = c; return 1; }
    return utf16_to_scalars(dst, m, out, cap);
}

// HF tokenizers classifies with the `unicode_categories` crate, whose tables are Unicode 8.0
// general categories (unassigned code points are never "other"). So the category bits are set
// only for characters assigned by Unicode 8.0, with the category they had then; the handful
// whose category changed since are listed (verified over all code points against HF 0.23).
static int assigned_by_unicode_8(uint32_t c) {
    UVersionInfo v;
    u_charAge((UChar32)c, v);
    return v[0] < 8 || (v[0] == 8 && v[1] == 0);
}

// HF's NFD (the unicode-normalization-alignments crate) carries Unicode 9.0 data: characters
// assigned later neither decompose nor reorder there (verified over every combining mark).
static int assigned_by_unicode_9(uint32_t c) {
    UVersionInfo v;
    u_charAge((UChar32)c, v);
    return v[0] < 9 || (v[0] == 9 && v[1] == 0);
}

int32_t cicu_char_flags(uint32_t c) {
    if (c > 0x10FFFF) return 0;
    int32_t f = 0;
    if (assigned_by_unicode_8(c)) {
        switch (u_charType((UChar32)c)) {
        case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_SURROGATE: case U_PRIVATE_USE_CHAR:
            f |= CICU_OTHER; break;
        case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION:
        case U_CONNECTOR_PUNCTUATION: case U_OTHER_PUNCTUATION: case U_INITIAL_PUNCTUATION:
        case U_FINAL_PUNCTUATION:
            f |= CICU_PUNCTUATION; break;
        case U_NON_SPACING_MARK:
            f |= CICU_MARK_NONSPACING; break;
        default: break;
        }
        switch (c) {
        case 0x166D: f |= CICU_PUNCTUATION; break;                          // So since 12.0, Po in 8.0
        case 0x111C9: f = (f & ~CICU_MARK_NONSPACING) | CICU_PUNCTUATION; break; // Mn since 11.0
        case 0x1734: f |= CICU_MARK_NONSPACING; break;                      // Mc since 14.0
        case 0x1885: case 0x1886: case 0xA9BD: f &= ~CICU_MARK_NONSPACING; break; // Mn since 9.0 / 12.0
        default: break;
        }
    }
    if (u_hasBinaryProperty((UChar32)c, UCHAR_WHITE_SPACE)) f |= CICU_WHITESPACE;
    uint32_t buf[8];
    int32_t n = cicu_to_lower(c, buf, 8);
    if (n != 1 || buf[0] != c) f |= CICU_CHANGES_LOWER;
    if (assigned_by_unicode_9(c)) {
        if (u_getCombiningClass((UChar32)c) != 0) f |= CICU_COMBINING;
        n = cicu_nfd(c, buf, 8);
        if (n != 1 || buf[0] != c) f |= CICU_CHANGES_NFD;
    }
    return f;
}
