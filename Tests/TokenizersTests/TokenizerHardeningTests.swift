// Hostile tokenizer files (issue 12): tokenizer.json integers beyond Int32 (item 2), crafted
// SentencePiece models that crash libsentencepiece 0.1.97 (item 3), CRLF vocab.txt (item 7),
// the SentencePiece training temp directory (item 8) and FIFOs. Each gives a typed error
// naming the file and the field, never a trap.
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class TokenizerHardeningTests: XCTestCase {
    var tmp: URL!
    let tokenizers = fixturesDirectory.appendingPathComponent("tokenizers")

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tok-hardening-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func assertMalformed(_ url: URL, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Tokenizer.load(from: url), file: file, line: line) { error in
            guard case let TokenizerError.malformed(path, reason) = error else {
                return XCTFail("expected .malformed, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(path, url.path, file: file, line: line)
            for m in mentions { XCTAssertTrue(reason.contains(m), "'\(reason)' should mention '\(m)'", file: file, line: line) }
        }
    }

    // MARK: item 2: tokenizer.json integers

    /// tiny_tokenizer.json with `edit` applied to its JSON object, written to tmp.
    func tokenizerJSON(_ edit: (inout [String: Any]) -> Void) throws -> URL {
        let data = try Data(contentsOf: tokenizers.appendingPathComponent("tiny_tokenizer.json"))
        var obj = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&obj)
        let dir = tmp.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: obj).write(to: url)
        return url
    }

    func testTokenizerJSONFixtureLoads() throws {
        let t = try Tokenizer.load(from: tokenizers.appendingPathComponent("tiny_tokenizer.json"))
        XCTAssertEqual(try t.encode("the court").ids, [2, 5, 9, 3])
    }

    func testTokenizerJSONIntegersBeyondInt32AreErrors() throws {
        let huge = 99_999_999_999
        assertMalformed(try tokenizerJSON { o in
            var p = o["padding"] as! [String: Any]; p["pad_id"] = huge; o["padding"] = p
        }, mentions: ["padding.pad_id", "0...114"])
        assertMalformed(try tokenizerJSON { o in
            var post = o["post_processor"] as! [String: Any]
            var specials = post["special_tokens"] as! [String: Any]
            var cls = specials["[CLS]"] as! [String: Any]; cls["ids"] = [huge]; specials["[CLS]"] = cls
            post["special_tokens"] = specials; o["post_processor"] = post
        }, mentions: ["special_tokens.[CLS].ids"])
        assertMalformed(try tokenizerJSON { o in
            var post = o["post_processor"] as! [String: Any]
            var single = post["single"] as! [[String: Any]]
            single[1] = ["Sequence": ["id": "A", "type_id": huge]]
            post["single"] = single; o["post_processor"] = post
        }, mentions: ["type_id", "0...1023"])
        assertMalformed(try tokenizerJSON { o in
            o["post_processor"] = ["type": "BertProcessing", "cls": ["[CLS]", huge], "sep": ["[SEP]", 3]]
        }, mentions: ["post_processor.cls id"])
        assertMalformed(try tokenizerJSON { o in
            var t = o["truncation"] as! [String: Any]; t["max_length"] = huge; o["truncation"] = t
        }, mentions: ["truncation.max_length"])
        assertMalformed(try tokenizerJSON { o in
            var p = o["padding"] as! [String: Any]; p["strategy"] = ["Fixed": huge]; o["padding"] = p
        }, mentions: ["padding.strategy.Fixed"])
    }

    // MARK: item 3: SentencePiece models

    /// A minimal ModelProto: pieces <unk>, ▁a, b, a unigram trainer_spec, and a normalizer_spec
    /// with the given precompiled_charsmap.
    func modelProto(charsMap: [UInt8], userDefined: [String] = []) -> [UInt8] {
        func varint(_ v: Int) -> [UInt8] {
            var v = UInt64(v), out: [UInt8] = []
            repeat { out.append(UInt8(v & 0x7F) | (v >= 0x80 ? 0x80 : 0)); v >>= 7 } while v > 0
            return out
        }
        func bytes(_ n: Int, _ b: [UInt8]) -> [UInt8] { varint(n << 3 | 2) + varint(b.count) + b }
        func number(_ n: Int, _ v: Int) -> [UInt8] { varint(n << 3) + varint(v) }
        func piece(_ s: String, type: Int) -> [UInt8] {
            bytes(1, bytes(1, Array(s.utf8)) + [0x15, 0, 0, 0x80, 0xBF] + number(3, type))  // score -1.0
        }
        return piece("<unk>", type: 2) + piece("▁a", type: 1) + piece("b", type: 1) + userDefined.flatMap { piece($0, type: 4) }
            + bytes(2, number(3, 1) + number(40, 0))  // trainer_spec: model_type UNIGRAM, unk_id 0
            + bytes(3, bytes(1, Array("custom".utf8)) + (charsMap.isEmpty ? [] : bytes(2, charsMap)))
    }

    func writeModel(_ bytes: [UInt8]) throws -> URL {
        let url = tmp.appendingPathComponent("\(UUID().uuidString).model")
        try Data(bytes).write(to: url)
        return url
    }

    func testMinimalModelLoads() throws {
        let t = try Tokenizer.load(from: try writeModel(modelProto(charsMap: [])))
        XCTAssertEqual(t.vocabSize, 3)
    }

    func testCraftedCharsMapIsRefusedBeforeLibsentencepiece() throws {
        // The file: trie size 8, eight 0xFF bytes, then "abc" (SIGSEGV in 0.1.97).
        let crafted: [UInt8] = [8, 0, 0, 0] + [UInt8](repeating: 0xFF, count: 8) + Array("abc".utf8)
        assertMalformed(try writeModel(modelProto(charsMap: crafted)), mentions: ["precompiled_charsmap", "not divisible by 1024"])
        // A trie of the right size whose unit points outside it.
        var trie = [UInt8](repeating: 0, count: 1024)
        trie[0] = 0; trie[1] = 0xFC; trie[2] = 0xFF; trie[3] = 0x7F  // offset field huge, not a value unit
        assertMalformed(try writeModel(modelProto(charsMap: [0, 4, 0, 0] + trie + [0x61, 0])),
                        mentions: ["points outside the trie"])
        // A value unit pointing past the normalized strings.
        var valued = [UInt8](repeating: 0, count: 1024)
        valued[4] = 0x10; valued[7] = 0x80  // unit 1: value 16 with bit 31 set
        assertMalformed(try writeModel(modelProto(charsMap: [0, 4, 0, 0] + valued + [0x61, 0])),
                        mentions: ["points outside the 2 bytes"])
        assertMalformed(try writeModel(modelProto(charsMap: [0, 0x10, 0, 0, 1, 2])), mentions: ["exceeds the blob size"])
        assertMalformed(try writeModel(modelProto(charsMap: [0, 4, 0, 0] + [UInt8](repeating: 0, count: 1024) + [0x61])),
                        mentions: ["not NUL-terminated"])
    }

    /// Found by `Scripts/checks/fuzz.sh` (target sentencepiece): a piece consisting of one NUL byte made
    /// darts throw "failed to insert key: zero-length key" inside libsentencepiece (abort).
    func testPieceWithANulByteIsRefused() throws {
        var proto = modelProto(charsMap: [])
        let at = try XCTUnwrap(proto.firstRange(of: Array("b".utf8)))
        proto[at.lowerBound] = 0  // piece "b" → "\0" (same length, so the framing stays valid)
        assertMalformed(try writeModel(proto), mentions: ["piece 2 contains a NUL byte"])
        // The fuzzer's own input (Tests/Fixtures/fuzz/), byte for byte.
        let found = fixturesDirectory.appendingPathComponent("fuzz/sentencepiece-nul-piece.model")
        assertMalformed(found, mentions: ["contains a NUL byte"])
    }

    /// Found by `Scripts/checks/fuzz.sh` (target sentencepiece, AddressSanitizer: "heap-use-after-free"
    /// in Normalizer::NormalizePrefix). darts reads a rule's value from the unit at a has_leaf
    /// unit's offset whether or not it is a value unit; in this input unit 1 ('A', has_leaf)
    /// leads to unit 3 = 0x9800, so the normalizer read the string at normalized[38912] of a
    /// 4-byte table: wild heap memory (freed memory, hence the report). Now refused.
    func testLeafThatIsNotAValueUnitIsRefused() throws {
        let found = fixturesDirectory.appendingPathComponent("fuzz/sentencepiece-charsmap-after-free.model")
        assertMalformed(found, mentions: ["normalizer_spec.precompiled_charsmap", "trie unit 1 has its leaf at unit 3",
                                          "not a value unit", "38912"])
        // The same defect built by hand: 'a' → unit 0xE1 (has_leaf), its leaf unit 0xE3 holds 1000.
        var units = emptyTrie()
        units[0] = 0x80 << 10                // root: offset 0x80, so byte b leads to unit 0x80 ^ b
        units[0xE1] = 2 << 10 | 1 << 8 | 0x61  // label 'a', has_leaf, offset 2: leaf at 0xE3
        units[0xE3] = 1000                   // not a value unit (bit 31 clear)
        assertMalformed(try writeModel(modelProto(charsMap: charsMap(units))),
                        mentions: ["trie unit 225 has its leaf at unit 227", "not a value unit", "1000"])
        units[0xE3] = 0x8000_0000            // value 0: the rule 'a' → "x", as darts-clone writes it
        let t = try Tokenizer.load(from: try writeModel(modelProto(charsMap: charsMap(units))))
        XCTAssertEqual(t.vocabSize, 3)
        _ = try t.encode("a b a", addSpecialTokens: false)
        units[0] = 0x8000_0000             // a value unit as the root: its offset would leave the trie
        assertMalformed(try writeModel(modelProto(charsMap: charsMap(units))), mentions: ["root (unit 0) is a value unit"])
    }

    /// NormalizePrefix keeps 32 rule matches per position in a stack array but reads as many as
    /// the trie reports: a chain of 33 rules ("\u{1}", "\u{1}\u{1}", …) would overrun it; a cycle
    /// gives unboundedly many. 32 are accepted.
    func testTooManyRulesAlongOnePathAndCyclesAreRefused() throws {
        func chain(_ rules: Int, cycle: Bool = false) -> [UInt32] {
            // Node k (root k = 0, then units 3, 5, 7, …) has base 2k + 2: its leaf there, its
            // child (byte 1) at base ^ 1.
            var units = emptyTrie()
            var node = 0
            for k in 0...rules {
                let base = 2 * k + 2
                let leaf: UInt32 = k > 0 ? 1 << 8 : 0
                let label: UInt32 = k > 0 ? 1 : 0
                let child = k < rules ? base ^ 1 : (cycle ? node : base ^ 1)
                let offset = UInt32((node ^ child ^ 1))
                units[node] = offset << 10 | leaf | label
                units[base] = 0x8000_0000  // value 0
                if k == rules { break }
                node = child
            }
            return units
        }
        let ok = try Tokenizer.load(from: try writeModel(modelProto(charsMap: charsMap(chain(32)))))
        _ = try ok.encode(String(repeating: "\u{1}", count: 40), addSpecialTokens: false)
        assertMalformed(try writeModel(modelProto(charsMap: charsMap(chain(33)))), mentions: ["more than 32 rules"])
        assertMalformed(try writeModel(modelProto(charsMap: charsMap(chain(3, cycle: true)))), mentions: ["cycle"])
    }

    /// PrefixMatcher (user-defined pieces) reads up to as many matches as its trie reports into
    /// an array of 64: 65 user-defined pieces nested as prefixes ("a", "aa", …) are refused.
    func testTooManyNestedUserDefinedPiecesAreRefused() throws {
        let nested = (1...65).map { String(repeating: "q", count: $0) }
        assertMalformed(try writeModel(modelProto(charsMap: [], userDefined: nested)), mentions: ["65 user-defined pieces"])
        XCTAssertNoThrow(try Tokenizer.load(from: try writeModel(modelProto(charsMap: [], userDefined: Array(nested.prefix(64))))))
    }

    /// 256 value units of value 0 (they match no label): a blank double array to edit.
    func emptyTrie() -> [UInt32] { [UInt32](repeating: 0x8000_0000, count: 256) }

    /// [u32 trie bytes][units, little-endian]["x\0"]: a precompiled_charsmap of `units`.
    func charsMap(_ units: [UInt32]) -> [UInt8] {
        func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return le(UInt32(units.count * 4)) + units.flatMap(le) + Array("x".utf8) + [0]
    }

    func testMalformedProtobufIsRefused() throws {
        let good = modelProto(charsMap: [])
        assertMalformed(try writeModel(Array(good.dropLast(3))), mentions: ["runs past the end"])
        assertMalformed(try writeModel([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), mentions: ["varint"])
        assertMalformed(try writeModel([0x12, 0x02, 0x18, 0x09] + good), mentions: ["model_type"])
        assertMalformed(try writeModel([]), mentions: ["no pieces"])
    }

    func testRealModelsPassValidation() throws {
        for url in [tokenizers.appendingPathComponent("sp_unigram.model"), tokenizers.appendingPathComponent("sp_bpe.model"),
                    tokenizers.appendingPathComponent("sp_tiny.model"), repositoryRoot.appendingPathComponent("Vocab/legal-unigram-4k.model")] {
            XCTAssertNoThrow(try SentencePieceModelValidation.validate(try Data(contentsOf: url), path: url.path), url.lastPathComponent)
        }
        let tiny = try Tokenizer.load(from: tokenizers.appendingPathComponent("sp_tiny.model"))
        XCTAssertEqual(tiny.decode(try tiny.encode("AB court", addSpecialTokens: false).ids), "ab court", "the TSV rules map A→a, B→b")
    }

    // MARK: item 7: vocab.txt with CRLF line ends

    func testCRLFVocabularyLoadsLikeLF() throws {
        let lf = try String(contentsOf: fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier/vocab.txt"), encoding: .utf8)
        let crlfURL = tmp.appendingPathComponent("vocab.txt")
        try Data(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: crlfURL)
        let a = try Tokenizer.load(from: fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier/vocab.txt"))
        let b = try Tokenizer.load(from: crlfURL)
        XCTAssertEqual(b.vocabSize, a.vocabSize)
        let text = "The plaintiff filed a motion in court."
        XCTAssertEqual(try b.encode(text).ids, try a.encode(text).ids)
        XCTAssertEqual(b.token(for: 5), "the")
    }

    // MARK: item 8: SentencePiece training directory

    func testTrainingUsesAFreshPrivateDirectoryAndPathsWithSpaces() throws {
        let a = try SentencePieceTrainer.privateDirectory(), b = try SentencePieceTrainer.privateDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        XCTAssertNotEqual(a, b)
        let mode = try FileManager.default.attributesOfItem(atPath: a.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o700)

        // A planted docket-spm-<pid> symlink (the old fixed name) is never followed, and a
        // TMPDIR with spaces works because paths are not joined into a command line.
        let spaced = tmp.appendingPathComponent("dir with spaces --input=x")
        let trap = tmp.appendingPathComponent("trap")
        try FileManager.default.createDirectory(at: spaced, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: trap, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: spaced.appendingPathComponent("docket-spm-\(getpid())"), withDestinationURL: trap)
        let saved = ProcessInfo.processInfo.environment["TMPDIR"]
        setenv("TMPDIR", spaced.path, 1)
        defer { if let saved { setenv("TMPDIR", saved, 1) } else { unsetenv("TMPDIR") } }
        let out = tmp.appendingPathComponent("out model.model")
        let texts = (0..<200).map { "the court granted motion \($0 % 7) against the defendant party \($0 % 5)" }
        try SentencePieceTrainer.train(texts: texts, type: .unigram, vocabSize: 40, output: out)
        XCTAssertGreaterThan(try Tokenizer.load(from: out).vocabSize, 8)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: trap.path), [], "nothing written through the planted link")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spaced.path), ["docket-spm-\(getpid())"], "work directory removed")
    }

    // MARK: FIFOs are refused, not read

    func testFIFOIsRefusedWithoutBlocking() throws {
        let fifo = tmp.appendingPathComponent("vocab.txt")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertThrowsError(try Tokenizer.load(from: fifo)) { error in
            XCTAssertEqual(error as? TokenizerError, .unreadable(path: fifo.path, reason: "not a regular file"))
        }
    }
}
