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
//     a non-empty trie whose size is a multiple of 1024 bytes (at most 16 MiB), read as
//     libsentencepiece's normalizer reads it (checkCharsMap): every unit's child block inside
//     the trie, every rule's leaf a value unit whose value is an offset inside the normalized
//     strings, and at most 32 rules along any path of a tree (no cycle);
//   - at most 64 user-defined pieces nested as prefixes of one another.
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
            var userDefined: [[UInt8]] = []
            var reader = ProtoReader(bytes)
            while let field = try reader.next(bad) {
                switch (field.number, field.payload) {
                case (1, .bytes(let piece)):
                    pieces += 1
                    guard pieces <= maxPieces else { throw bad("more than \(maxPieces) pieces") }
                    if let text = try checkPiece(piece, index: pieces - 1, bad) { userDefined.append(text) }
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
            try checkUserDefinedNesting(userDefined, bad)
        }
    }

    /// Checks one SentencePiece message; returns its text when it is a user-defined piece (type 4).
    private static func checkPiece(_ bytes: UnsafeRawBufferPointer, index: Int, _ bad: (String) -> TokenizerError) throws -> [UInt8]? {
        var reader = ProtoReader(bytes)
        var text: UnsafeRawBufferPointer?
        var type: UInt64 = 1  // NORMAL
        while let field = try reader.next(bad) {
            switch (field.number, field.payload) {
            case (1, .bytes(let b)): text = b
            case (3, .varint(let t)):
                guard (1...6).contains(t) else { throw bad("piece \(index) has type \(t) (known: 1...6)") }
                type = t
            case (1, _), (3, _): throw bad("piece \(index) has a field of the wrong wire type")
            default: continue
            }
        }
        guard let text, !text.isEmpty else { throw bad("piece \(index) is empty") }
        // libsentencepiece builds a darts trie keyed by NUL-terminated pieces: a piece holding a
        // NUL byte becomes a zero-length key, and darts throws an uncaught exception (abort).
        guard !text.contains(0) else { throw bad("piece \(index) contains a NUL byte") }
        guard String(validating: text, as: UTF8.self) != nil else { throw bad("piece \(index) is not UTF-8") }
        return type == 4 ? Array(text) : nil
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

    /// Largest accepted precompiled_charsmap trie (the nmt_nfkc one is 175 KB).
    static let maxCharsMapTrieBytes = 16 << 20
    /// libsentencepiece's Normalizer::NormalizePrefix collects the rules matching at one input
    /// position into a stack array of 32 (kMaxTrieResultsSize) but then reads as many entries as
    /// the trie reports: a trie with more rules along one path overruns it.
    static let maxRulesAlongAPath = 32
    /// PrefixMatcher (user-defined pieces) reads up to as many matches as the trie reports into
    /// an array of 64 (kResultSize): more user-defined pieces nested as prefixes overrun it.
    static let maxNestedUserDefinedPieces = 64

    /// The double-array trie of a precompiled_charsmap (darts-clone units, 4 bytes each):
    /// value units have bit 31 set and hold value = unit & 0x7FFFFFFF; other units hold
    /// label = unit & 0x800000FF, has_leaf = bit 8 and offset = (unit >> 10) << (bit 9 ? 8 : 0).
    /// darts' commonPrefixSearch, as libsentencepiece 0.1.97 calls it for every input position:
    ///   id = root(0) ^ offset(unit[0]); per input byte b: id ^= b; stop unless label(unit[id]) == b;
    ///   id ^= offset(unit[id]); if has_leaf: a rule with value(unit[id]) (read whatever bit 31
    ///   says), and the Normalizer then reads the NUL-terminated string at normalized[value].
    /// So: the root is not a value unit; every other unit's child block lies inside the trie; a
    /// has_leaf unit's leaf is a value unit; every value indexes the normalized strings; and no
    /// path from the root passes more than maxRulesAlongAPath leaves (the trie is a tree, as
    /// darts-clone builds it: a cycle is refused).
    static func checkCharsMap(_ blob: UnsafeRawBufferPointer, _ bad: (String) -> TokenizerError) throws {
        guard !blob.isEmpty else { return }  // no normalization rules
        guard blob.count > 4 else { throw bad("blob of \(blob.count) bytes is broken") }
        let trieBytes = Int(blob.loadUnaligned(as: UInt32.self).littleEndian)
        guard 4 + trieBytes <= blob.count else {
            throw bad("trie size \(trieBytes) exceeds the blob size \(blob.count - 4)")
        }
        guard trieBytes > 0 else { throw bad("the trie is empty") }
        guard trieBytes % 1024 == 0 else { throw bad("trie data size \(trieBytes) is not divisible by 1024") }
        guard trieBytes <= maxCharsMapTrieBytes else { throw bad("trie of \(trieBytes) bytes, above the limit of \(maxCharsMapTrieBytes)") }
        let normalized = UnsafeRawBufferPointer(rebasing: blob[(4 + trieBytes)...])
        guard let last = normalized.last, last == 0 else { throw bad("the normalized strings are not NUL-terminated") }
        let trie = DartsTrie(UnsafeRawBufferPointer(rebasing: blob[4..<(4 + trieBytes)]))
        guard !trie.isValue(0) else { throw bad("the trie's root (unit 0) is a value unit") }
        for i in 0..<trie.count {
            if trie.isValue(i) {
                guard trie.value(i) < normalized.count else {
                    throw bad("trie value \(trie.value(i)) points outside the \(normalized.count) bytes of normalized strings")
                }
                continue
            }
            let base = trie.base(i)
            guard base < trie.count else { throw bad("trie unit \(i) points outside the trie (\(trie.count) units)") }
            guard !trie.hasLeaf(i) || trie.isValue(base) else {
                throw bad("trie unit \(i) has its leaf at unit \(base), which is not a value unit "
                          + "(libsentencepiece would read normalized string \(trie.value(base)) of \(normalized.count) bytes)")
            }
        }
        try checkRulesAlongPaths(trie, bad)
    }

    /// Depth-first from the root over label-matching children, memoising the most leaves below
    /// each unit; iterative, so a deep crafted path cannot exhaust the stack. Unit j (not a value
    /// unit) is the child of every unit whose child block starts at j ^ label(j), so the children
    /// are listed once by that key (O(units), not 256 probes per unit).
    private static func checkRulesAlongPaths(_ trie: DartsTrie, _ bad: (String) -> TokenizerError) throws {
        let n = trie.count
        let units = (0..<n).map { trie.unit($0) }
        var first = [Int32](repeating: 0, count: n + 1)  // children of key k: list[first[k] ..< first[k + 1]]
        for j in 0..<n where units[j] & 0x8000_0000 == 0 { first[(j ^ Int(units[j] & 0xFF)) + 1] += 1 }
        for k in 0..<n { first[k + 1] += first[k] }
        var list = [Int32](repeating: 0, count: Int(first[n]))
        var next = first
        for j in 0..<n where units[j] & 0x8000_0000 == 0 {
            let k = j ^ Int(units[j] & 0xFF)
            list[Int(next[k])] = Int32(j); next[k] += 1
        }
        let open: UInt8 = 1, done: UInt8 = 2
        var state = [UInt8](repeating: 0, count: n)
        var leaves = [UInt8](repeating: 0, count: n)  // saturates above the limit
        var stack: [(unit: Int, next: Int)] = [(0, Int(first[trie.base(0)]))]
        state[0] = open
        while let (i, c) = stack.last {
            guard c < Int(first[trie.base(i) + 1]) else {
                stack.removeLast()
                state[i] = done
                if i != 0, units[i] & (1 << 8) != 0 { leaves[i] = min(leaves[i], UInt8(maxRulesAlongAPath)) + 1 }
                if leaves[i] > maxRulesAlongAPath {
                    throw bad("more than \(maxRulesAlongAPath) rules match along one path of the trie (libsentencepiece keeps \(maxRulesAlongAPath))")
                }
                if let parent = stack.last?.unit { leaves[parent] = max(leaves[parent], leaves[i]) }
                continue
            }
            stack[stack.count - 1].next = c + 1
            let child = Int(list[c])
            switch state[child] {
            case open: throw bad("the trie has a cycle through unit \(child) (darts-clone builds a tree)")
            case done: leaves[i] = max(leaves[i], leaves[child])
            default: state[child] = open; stack.append((child, Int(first[trie.base(child)])))
            }
        }
    }

    /// User-defined pieces nested as prefixes of one another ("a", "ab", "abc", ...): at most
    /// maxNestedUserDefinedPieces in one chain.
    static func checkUserDefinedNesting(_ pieces: [[UInt8]], _ bad: (String) -> TokenizerError) throws {
        let all = Set(pieces)
        for piece in pieces where piece.count > maxNestedUserDefinedPieces {
            var nested = 0
            for n in 1...piece.count where all.contains(Array(piece[..<n])) { nested += 1 }
            guard nested <= maxNestedUserDefinedPieces else {
                throw bad("\(nested) user-defined pieces are prefixes of one another (libsentencepiece handles \(maxNestedUserDefinedPieces))")
            }
        }
    }
}

/// Read access to darts-clone double-array units (little-endian UInt32) for the checks above.
struct DartsTrie {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
    var count: Int { bytes.count / 4 }
    func unit(_ i: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian }
    func isValue(_ i: Int) -> Bool { unit(i) & 0x8000_0000 != 0 }
    func value(_ i: Int) -> Int { Int(unit(i) & 0x7FFF_FFFF) }
    func label(_ i: Int) -> UInt32 { unit(i) & 0x8000_00FF }
    func hasLeaf(_ i: Int) -> Bool { unit(i) & (1 << 8) != 0 }
    func offset(_ i: Int) -> Int { let u = unit(i); return Int(u >> 10) << Int((u & (1 << 9)) >> 6) }
    /// Where unit i's children (and leaf, at label 0) start: i ^ offset.
    func base(_ i: Int) -> Int { i ^ offset(i) }
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
