// Checks a SentencePiece .model (a serialized ModelProto) before libsentencepiece sees it.
// Debian's libsentencepiece 0.1.97 trusts `precompiled_charsmap`: a crafted one makes it read
// outside the buffer (SIGSEGV). Python sentencepiece 0.2 rejects such files ("Trie data size is
// not divisible by 1024", ...); this reader applies those checks and more:
//   - the bytes are well-formed protobuf (varints, lengths and wire types in range);
//   - 1 ... maxPieces pieces, each a non-empty UTF-8 string without NUL bytes, with a known
//     type (1...6);
//   - trainer_spec.model_type is 1...4 (unigram, bpe, word, char) when present;
//   - each precompiled_charsmap (normalizer_spec and denormalizer_spec) is either empty or
//     [u32 trie size][trie: darts-clone double array][normalized strings, '\0'-terminated] with
//     a non-empty trie whose size is a multiple of 1024 bytes, every unit's child block inside
//     the trie, and every value an offset inside the normalized strings.
// ModelProto field numbers (sentencepiece_model.proto): 1 pieces, 2 trainer_spec,
// 3 normalizer_spec, 4 self_test_data, 5 denormalizer_spec; SentencePiece: 1 piece, 2 score,
// 3 type; TrainerSpec: 3 model_type; NormalizerSpec: 2 precompiled_charsmap.
import Foundation

enum SentencePieceModelValidation {
    /// Largest accepted .model file (Google's largest published models are ~10 MB).
    static let maxFileBytes = 256 << 20
    /// Most pieces accepted (the vocabulary size limit; see docs/limits.md).
    static let maxPieces = TokenizerLimits.maxVocabulary

    static func validate(_ data: Data, path: String) throws {
        func bad(_ reason: String) -> TokenizerError { .malformed(path: path, reason: "invalid SentencePiece model: \(reason)") }
        guard data.count <= maxFileBytes else { throw bad("\(data.count) bytes, above the limit of \(maxFileBytes)") }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var pieces = 0
            var reader = ProtoReader(bytes)
            while let field = try reader.next(bad) {
                switch (field.number, field.payload) {
                case (1, .bytes(let piece)):
                    pieces += 1
                    guard pieces <= maxPieces else { throw bad("more than \(maxPieces) pieces") }
                    try checkPiece(piece, index: pieces - 1, bad)
                case (2, .bytes(let spec)):
                    try checkTrainerSpec(spec, bad)
                case (3, .bytes(let spec)), (5, .bytes(let spec)):
                    try checkNormalizerSpec(spec, name: field.number == 3 ? "normalizer_spec" : "denormalizer_spec", bad)
                case (1...5, _):
                    throw bad("field \(field.number) of ModelProto has the wrong wire type")
                default:
                    continue  // unknown fields are skipped, as protobuf does
                }
            }
            guard pieces > 0 else { throw bad("the model has no pieces") }
        }
    }

    private static func checkPiece(_ bytes: UnsafeRawBufferPointer, index: Int, _ bad: (String) -> TokenizerError) throws {
        var reader = ProtoReader(bytes)
        var text: UnsafeRawBufferPointer?
        while let field = try reader.next(bad) {
            switch (field.number, field.payload) {
            case (1, .bytes(let b)): text = b
            case (3, .varint(let t)):
                guard (1...6).contains(t) else { throw bad("piece \(index) has type \(t) (known: 1...6)") }
            case (1, _), (3, _): throw bad("piece \(index) has a field of the wrong wire type")
            default: continue
            }
        }
        guard let text, !text.isEmpty else { throw bad("piece \(index) is empty") }
        // libsentencepiece builds a darts trie keyed by NUL-terminated pieces: a piece holding a
        // NUL byte becomes a zero-length key, and darts throws an uncaught exception (abort).
        guard !text.contains(0) else { throw bad("piece \(index) contains a NUL byte") }
        guard String(validating: text, as: UTF8.self) != nil else { throw bad("piece \(index) is not UTF-8") }
    }

    private static func checkTrainerSpec(_ bytes: UnsafeRawBufferPointer, _ bad: (String) -> TokenizerError) throws {
        var reader = ProtoReader(bytes)
        while let field = try reader.next(bad) {
            if field.number == 3 {
                guard case .varint(let t) = field.payload, (1...4).contains(t) else {
                    throw bad("trainer_spec.model_type must be 1...4 (unigram, bpe, word, char)")
                }
            }
        }
    }

    private static func checkNormalizerSpec(_ bytes: UnsafeRawBufferPointer, name: String, _ bad: (String) -> TokenizerError) throws {
        var reader = ProtoReader(bytes)
        while let field = try reader.next(bad) {
            guard field.number == 2 else { continue }
            guard case .bytes(let blob) = field.payload else { throw bad("\(name).precompiled_charsmap is not bytes") }
            try checkCharsMap(blob) { bad("\(name).precompiled_charsmap: \($0)") }
        }
    }

    /// The double-array trie of a precompiled_charsmap (darts-clone units, 4 bytes each):
    /// value units have bit 31 set and hold value = unit & 0x7FFFFFFF; other units hold
    /// has_leaf = bit 8 and offset = (unit >> 10) << (bit 9 ? 8 : 0), and lookups read units at
    /// index ^ offset ^ byte (byte < 256), so that block must lie inside the trie.
    static func checkCharsMap(_ blob: UnsafeRawBufferPointer, _ bad: (String) -> TokenizerError) throws {
        guard !blob.isEmpty else { return }  // no normalization rules
        guard blob.count > 4 else { throw bad("blob of \(blob.count) bytes is broken") }
        let trieBytes = Int(blob.loadUnaligned(as: UInt32.self).littleEndian)
        guard 4 + trieBytes <= blob.count else {
            throw bad("trie size \(trieBytes) exceeds the blob size \(blob.count - 4)")
        }
        guard trieBytes > 0 else { throw bad("the trie is empty") }
        guard trieBytes % 1024 == 0 else { throw bad("trie data size \(trieBytes) is not divisible by 1024") }
        let normalized = UnsafeRawBufferPointer(rebasing: blob[(4 + trieBytes)...])
        guard let last = normalized.last, last == 0 else { throw bad("the normalized strings are not NUL-terminated") }
        let units = trieBytes / 4
        for i in 0..<units {
            let unit = blob.loadUnaligned(fromByteOffset: 4 + 4 * i, as: UInt32.self).littleEndian
            if unit & 0x8000_0000 != 0 {
                guard Int(unit & 0x7FFF_FFFF) < normalized.count else {
                    throw bad("trie value \(unit & 0x7FFF_FFFF) points outside the \(normalized.count) bytes of normalized strings")
                }
                continue
            }
            let offset = Int(unit >> 10) << Int((unit & (1 << 9)) >> 6)
            guard (i ^ offset) < units else { throw bad("trie unit \(i) points outside the trie (\(units) units)") }
        }
    }
}

/// A minimal protobuf wire-format reader over a byte buffer (varint, 64-bit, length-delimited
/// and 32-bit fields; groups are rejected). Every length is checked against the buffer.
struct ProtoReader {
    enum Payload { case varint(UInt64), fixed, bytes(UnsafeRawBufferPointer) }
    struct Field { let number: UInt64; let payload: Payload }

    private let bytes: UnsafeRawBufferPointer
    private var pos = 0
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func next(_ bad: (String) -> TokenizerError) throws -> Field? {
        guard pos < bytes.count else { return nil }
        let key = try varint(bad)
        let number = key >> 3
        guard number > 0 else { throw bad("field number 0 at byte \(pos)") }
        switch key & 7 {
        case 0: return Field(number: number, payload: .varint(try varint(bad)))
        case 1: try skip(8, bad); return Field(number: number, payload: .fixed)
        case 5: try skip(4, bad); return Field(number: number, payload: .fixed)
        case 2:
            let length = try varint(bad)
            guard length <= UInt64(bytes.count - pos) else { throw bad("a field of \(length) bytes runs past the end of the file") }
            let start = pos
            pos += Int(length)
            return Field(number: number, payload: .bytes(UnsafeRawBufferPointer(rebasing: bytes[start..<pos])))
        default: throw bad("unsupported protobuf wire type \(key & 7) at byte \(pos)")
        }
    }

    private mutating func skip(_ n: Int, _ bad: (String) -> TokenizerError) throws {
        guard bytes.count - pos >= n else { throw bad("truncated field at byte \(pos)") }
        pos += n
    }

    private mutating func varint(_ bad: (String) -> TokenizerError) throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard pos < bytes.count else { throw bad("truncated varint at byte \(pos)") }
            let b = bytes[pos]; pos += 1
            guard shift < 64 else { throw bad("varint longer than 10 bytes at byte \(pos)") }
            value |= UInt64(b & 0x7F) << UInt64(shift)
            if b & 0x80 == 0 { return value }
        }
        throw bad("varint longer than 10 bytes at byte \(pos)")
    }
}
