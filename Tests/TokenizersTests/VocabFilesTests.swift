// The committed vocabularies in Vocab/: reproducible from Corpora/train.jsonl and usable on
// held-out text (Corpora/dev.jsonl) without [UNK].
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class VocabFilesTests: XCTestCase {
    let vocabDir = repositoryRoot.appendingPathComponent("Vocab")
    let corpora = repositoryRoot.appendingPathComponent("Corpora")

    func texts(_ file: String, limit: Int) throws -> [String] {
        let url = corpora.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("\(url.path) not present (merge branch legal)") }
        let data = try Data(contentsOf: url)
        return try data.split(separator: UInt8(ascii: "\n")).prefix(limit).map { line in
            let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            return try XCTUnwrap(obj?["text"] as? String)
        }
    }

    func testWordPieceVocabIsReproducible() throws {
        let committed = try String(contentsOf: vocabDir.appendingPathComponent("legal-wordpiece-4k.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let retrained = try WordPieceTrainer.train(texts: try texts("train.jsonl", limit: .max), vocabSize: 4096)
        XCTAssertEqual(retrained.count, committed.count)
        if let i = zip(retrained, committed).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            XCTFail("line \(i + 1): retrained \(retrained[i]) vs committed \(committed[i])")
        }
    }

    func testVocabsEncodeHeldOutTextWithoutUnknowns() throws {
        let dev = try texts("dev.jsonl", limit: 100)
        for name in ["legal-wordpiece-4k.txt", "legal-unigram-4k.model"] {
            let tok = try Tokenizer.load(from: vocabDir.appendingPathComponent(name))
            XCTAssertEqual(tok.vocabSize, 4096, name)
            XCTAssertEqual([tok.padId, tok.unkId, tok.clsId, tok.sepId], [0, 1, 2, 3], name)
            var tokens = 0, unknown = 0
            for t in dev {
                let e = try tok.encode(t)
                tokens += e.count
                unknown += e.ids.filter { $0 == tok.unkId }.count
            }
            XCTAssertEqual(unknown, 0, "\(name): \(unknown) of \(tokens) tokens are [UNK]")
        }
    }
}
