// Character classes the BERT normalizer and pre-tokenizer need, answered by ICU (through the
// CICU shim) and cached in a flat table for the Basic Multilingual Plane.
import CICU

enum CharFlags {
    static let other: UInt8 = 1          // C* categories (Rust unicode_categories `is_other`)
    static let whitespace: UInt8 = 2     // White_Space (Rust `char::is_whitespace`)
    static let punctuation: UInt8 = 4    // P* categories or ASCII punctuation
    static let markNonspacing: UInt8 = 8 // Mn
    static let changesLower: UInt8 = 16  // lowercase mapping is not the identity
    static let changesNFD: UInt8 = 32    // NFD is not the identity
    static let combining: UInt8 = 64     // canonical combining class ≠ 0
}

/// Flags for U+0000...U+FFFF, computed once (65,536 ICU queries, a few milliseconds).
private let bmpFlags: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 0x10000)
    for c in 0..<0x10000 {
        var f = UInt8(truncatingIfNeeded: cicu_char_flags(UInt32(c)))
        if c < 0x80, isASCIIPunctuation(UInt8(c)) { f |= CharFlags.punctuation }
        table[c] = f
    }
    return table
}()

@inline(__always) func charFlags(_ c: UInt32) -> UInt8 {
    c < 0x10000 ? bmpFlags[Int(c)] : UInt8(truncatingIfNeeded: cicu_char_flags(c))
}

/// ASCII 33–47, 58–64, 91–96, 123–126 (Rust `char::is_ascii_punctuation`).
@inline(__always) func isASCIIPunctuation(_ b: UInt8) -> Bool {
    (b >= 33 && b <= 47) || (b >= 58 && b <= 64) || (b >= 91 && b <= 96) || (b >= 123 && b <= 126)
}

/// The CJK ideograph blocks HF's BertNormalizer surrounds with spaces (`is_chinese_char`).
@inline(__always) func isChineseChar(_ c: UInt32) -> Bool {
    switch c {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
         0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
        return true
    default:
        return false
    }
}

/// Full lowercase mapping of one scalar (Rust `char::to_lowercase`), appended to `out`.
@inline(__always) func appendLowercase(_ c: UInt32, to out: inout GrowBuffer<UInt32>) {
    if c < 0x80 {
        out.append(c >= 65 && c <= 90 ? c + 32 : c); return
    }
    if charFlags(c) & CharFlags.changesLower == 0 { out.append(c); return }
    var buf: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    let n = withUnsafeMutableBytes(of: &buf) { raw in
        cicu_to_lower(c, raw.baseAddress!.assumingMemoryBound(to: UInt32.self), 8)
    }
    withUnsafeBytes(of: &buf) { raw in
        let p = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
        for k in 0..<Int(n) { out.append(p[k]) }
    }
}

/// Canonical decomposition of one scalar, appended to `out`.
@inline(__always) func appendNFD(_ c: UInt32, to out: inout GrowBuffer<UInt32>) {
    if c < 0x80 || charFlags(c) & CharFlags.changesNFD == 0 { out.append(c); return }
    var buf: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)
    let n = withUnsafeMutableBytes(of: &buf) { raw in
        cicu_nfd(c, raw.baseAddress!.assumingMemoryBound(to: UInt32.self), 8)
    }
    withUnsafeBytes(of: &buf) { raw in
        let p = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
        for k in 0..<Int(n) { out.append(p[k]) }
    }
}

/// Canonical combining class of one scalar (0 for starters).
@inline(__always) func combiningClass(_ c: UInt32) -> Int32 {
    c < 0x80 || charFlags(c) & CharFlags.combining == 0 ? 0 : cicu_combining_class(c)
}
