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

int32_t cicu_char_flags(uint32_t c) {
    if (c > 0x10FFFF) return CICU_OTHER;
    int32_t f = 0;
    int8_t t = u_charType((UChar32)c);
    switch (t) {
    case U_CONTROL_CHAR: case U_FORMAT_CHAR: case U_SURROGATE: case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED:
        f |= CICU_OTHER; break;
    case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION: case U_OTHER_PUNCTUATION: case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
        f |= CICU_PUNCTUATION; break;
    case U_NON_SPACING_MARK:
        f |= CICU_MARK_NONSPACING; break;
    default: break;
    }
    if (u_hasBinaryProperty((UChar32)c, UCHAR_WHITE_SPACE)) f |= CICU_WHITESPACE;
    uint32_t buf[8];
    int32_t n = cicu_to_lower(c, buf, 8);
    if (n != 1 || buf[0] != c) f |= CICU_CHANGES_LOWER;
    n = cicu_nfd(c, buf, 8);
    if (n != 1 || buf[0] != c) f |= CICU_CHANGES_NFD;
    return f;
}
