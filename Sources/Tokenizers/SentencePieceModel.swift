// SentencePiece through libsentencepiece (CSentencePiece shim): load a .model, encode to ids
// with byte spans (converted to Unicode-scalar offsets), decode, and train new models.
// SentencePieceProcessor's encode/decode are const and thread-safe, so one instance is shared.
import CSentencePiece
import Foundation

final class SentencePieceModel: @unchecked Sendable {
    private let handle: OpaquePointer
    let path: String
    let pieces: [String]
    let unkId: Int32, bosId: Int32, eosId: Int32, padId: Int32
    let controlIds: Set<Int32>

    /// The .model bytes (validated, then handed to libsentencepiece; saved with checkpoints).
    private let data: Data

    init(path: String) throws {
        let data = try Tokenizer.readFile(URL(fileURLWithPath: path), limit: SentencePieceModelValidation.maxFileBytes)
        try SentencePieceModelValidation.validate(data, path: path)
        var err = [CChar](repeating: 0, count: 512)
        let loaded = data.withUnsafeBytes { b in
            csp_load_bytes(b.baseAddress?.assumingMemoryBound(to: CChar.self), b.count, &err, Int32(err.count))
        }
        guard let h = loaded else {
            let msg = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TokenizerError.sentencePiece(path: path, reason: msg.isEmpty ? "cannot load the model" : msg)
        }
        handle = h
        self.path = path
        self.data = data
        let n = csp_vocab_size(h)
        var pieces: [String] = [], control = Set<Int32>()
        pieces.reserveCapacity(Int(n))
        for id in 0..<n {
            var len: Int32 = 0
            let p = csp_id_to_piece(h, id, &len)!
            pieces.append(p.withMemoryRebound(to: UInt8.self, capacity: Int(len)) {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(len)), as: UTF8.self)
            })
            if csp_is_control(h, id) != 0 { control.insert(id) }
        }
        self.pieces = pieces; self.controlIds = control
        unkId = csp_special_id(h, 0); bosId = csp_special_id(h, 1); eosId = csp_special_id(h, 2); padId = csp_special_id(h, 3)
    }

    deinit { csp_free(handle) }

    func id(of piece: String) -> Int32? {
        var s = piece
        let id = s.withUTF8 { b in b.withMemoryRebound(to: CChar.self) { csp_piece_to_id(handle, $0.baseAddress, Int32($0.count)) } }
        if id == unkId && piece != pieces[Int(unkId)] { return nil }
        return id
    }

    /// Encodes a UTF-8 segment starting at original scalar `scalarBase`; returns scalars consumed.
    /// libsentencepiece reports byte spans; they become scalar offsets (a span edge inside a
    /// multi-byte scalar maps to that scalar's index, as the Python fixture does).
    @discardableResult
    func encode(_ bytes: UnsafeBufferPointer<UInt8>, scalarBase: Int32, into out: inout TokenSink) -> Int32 {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let n = bytes.count
        var cap = n / 2 + 16
        while true {
            let buf = UnsafeMutablePointer<Int32>.allocate(capacity: 3 * cap)
            defer { buf.deallocate() }
            let got = p.withMemoryRebound(to: CChar.self, capacity: n) {
                csp_encode(handle, $0, Int32(n), buf, buf + cap, buf + 2 * cap, Int32(cap))
            }
            if got < 0 { var w = ScalarWalker(p, n); return w.index(at: n) }
            if Int(got) > cap { cap = Int(got); continue }
            var begins = ScalarWalker(p, n), ends = ScalarWalker(p, n)
            for i in 0..<Int(got) {
                let s = begins.index(at: Int(buf[cap + i])), e = ends.index(at: Int(buf[2 * cap + i]))
                out.append(buf[i], scalarBase + s, scalarBase + e)
            }
            return ends.index(at: n)  // scalars in the segment (the walker is already near the end)
        }
    }

    /// Ids only, straight from libsentencepiece (used by the benchmark as the peer's own speed).
    func encodeIds(_ text: String) -> [Int32] {
        var text = text
        return text.withUTF8 { bytes in
            var cap = bytes.count / 2 + 16
            while true {
                var ids = [Int32](repeating: 0, count: cap)
                let n = bytes.withMemoryRebound(to: CChar.self) { csp_encode_ids(handle, $0.baseAddress, Int32(bytes.count), &ids, Int32(cap)) }
                if n < 0 { return [] }
                if Int(n) > cap { cap = Int(n); continue }
                return Array(ids.prefix(Int(n)))
            }
        }
    }

    func decode(_ ids: [Int32]) -> String {
        var cap = ids.count * 8 + 64
        while true {
            var buf = [CChar](repeating: 0, count: cap)
            let n = csp_decode(handle, ids, Int32(ids.count), &buf, Int32(cap))
            if n < 0 { return "" }
            if Int(n) > cap { cap = Int(n); continue }
            return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Raw bytes of the .model file (for saving into a checkpoint directory).
    func modelData() throws -> Data { data }
}

/// Byte offset → scalar index over UTF-8, walking forward (offsets arrive in increasing order).
struct ScalarWalker {
    let p: UnsafePointer<UInt8>, n: Int
    var byte = 0, scalar: Int32 = 0   // scalar = lead bytes in p[0..<byte]
    init(_ p: UnsafePointer<UInt8>, _ n: Int) { self.p = p; self.n = n }

    mutating func index(at target: Int) -> Int32 {
        let t = max(0, min(target, n))
        if t < byte { byte = 0; scalar = 0 }
        while byte + 8 <= t {  // eight bytes at a time: count the bytes that are not 10xxxxxx
            let w = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: byte, as: UInt64.self)
            let continuation = w & ~(w << 1) & 0x8080_8080_8080_8080
            scalar += Int32(8 - continuation.nonzeroBitCount)
            byte += 8
        }
        while byte < t { if p[byte] & 0xC0 != 0x80 { scalar += 1 }; byte += 1 }
        return t < n && p[t] & 0xC0 == 0x80 ? scalar - 1 : scalar
    }
}
