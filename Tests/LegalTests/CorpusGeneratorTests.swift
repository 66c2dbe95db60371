// The embedded corpus: the committed Corpora/*.jsonl must be exactly what the generator writes
// (byte for byte), the splits stratified, and the template mode shaped like the original corpus.
import Foundation
import Legal
import TestSupport
import XCTest

final class CorpusGeneratorTests: XCTestCase {
    func testCommittedCorpusIsRegeneratedByteForByte() throws {
        let corpus = try LegalCorpusGenerator(kind: .realistic, seed: 42).generate()
        let dir = repositoryRoot.appendingPathComponent("Corpora")
        for (name, docs) in corpus.splits {
            let committed = try Data(contentsOf: dir.appendingPathComponent("\(name).jsonl"))
            let regenerated = Data(LegalCorpus.jsonl(docs).utf8)
            XCTAssertEqual(committed.count, regenerated.count, "\(name).jsonl size")
            XCTAssertTrue(committed == regenerated, "\(name).jsonl differs from `docket corpus generate --seed 42`")
        }
    }

    func testRealisticSplitsAreStratifiedAndVaried() throws {
        let corpus = try LegalCorpusGenerator(kind: .realistic, seed: 7).generate()
        let expected = [("train", 400), ("dev", 50), ("test", 50)]
        for ((name, counts), (expectedName, perClass)) in zip(corpus.classCounts(), expected) {
            XCTAssertEqual(name, expectedName)
            XCTAssertEqual(counts, Dictionary(uniqueKeysWithValues: LegalClass.labelNames.map { ($0, perClass) }), name)
        }
        let all = corpus.train + corpus.dev + corpus.test
        XCTAssertEqual(Set(all.map(\.id)).count, all.count, "ids are unique")
        for d in all { XCTAssertFalse(d.id.lowercased().contains(d.label.lowercased()), "id \(d.id) must not reveal the label") }
        let words = all.map { $0.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count }.sorted()
        XCTAssertGreaterThanOrEqual(words.first ?? 0, 50)
        XCTAssertLessThanOrEqual(words.last ?? 0, 900)
        XCTAssertLessThan(words[words.count / 4], 220, "a quarter of the documents are short")
        XCTAssertGreaterThan(words[words.count * 9 / 10], 450, "a tenth are long")
        let ambiguousShare = Double(corpus.ambiguousIDs.count) / Double(all.count)
        XCTAssertGreaterThan(ambiguousShare, 0.22)
        XCTAssertLessThan(ambiguousShare, 0.34)
        // Shared vocabulary: these words occur in documents of at least four classes.
        for word in ["Agreement", "Court", "Board", "claims", "compliance"] {
            let classes = Set(all.filter { $0.text.contains(word) }.map(\.label))
            XCTAssertGreaterThanOrEqual(classes.count, 4, "'\(word)' appears in classes \(classes.sorted())")
        }
    }

    func testSameSeedSameCorpusDifferentSeedDifferentCorpus() throws {
        let a = try LegalCorpusGenerator(kind: .realistic, seed: 3).generate()
        let b = try LegalCorpusGenerator(kind: .realistic, seed: 3).generate()
        let c = try LegalCorpusGenerator(kind: .realistic, seed: 4).generate()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.test.map(\.text), c.test.map(\.text))
    }

    func testTemplateModeReproducesTheOriginalShape() throws {
        let corpus = try LegalCorpusGenerator(kind: .template, seed: 42).generate()
        XCTAssertEqual([corpus.train.count, corpus.dev.count, corpus.test.count], [640, 80, 80])
        for (_, counts) in corpus.classCounts() { XCTAssertEqual(Set(counts.values).count, 1, "stratified: \(counts)") }
        let filler = "This document is provided for reference and record keeping purposes."
        var repeats = Set<Int>()
        for d in corpus.train + corpus.dev + corpus.test {
            let n = d.text.components(separatedBy: filler).count - 1
            XCTAssertTrue((10...29).contains(n), "filler repeated \(n) times")
            repeats.insert(n)
        }
        XCTAssertEqual(repeats, Set(10...29), "every repeat count from 10 to 29 occurs")
        XCTAssertTrue(corpus.ambiguousIDs.isEmpty)
    }

    func testJSONLinesEscapeQuotesBackslashesAndControls() throws {
        let d = LegalDocument(text: "a \"b\" \\ c\nd\te\u{1}§", label: "Contract", id: "x-1")
        XCTAssertEqual(d.jsonLine, #"{"text":"a \"b\" \\ c\nd\te\u0001§","label":"Contract","id":"x-1"}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(d.jsonLine.utf8)) as? [String: String]
        XCTAssertEqual(parsed?["text"], d.text)
    }
}
