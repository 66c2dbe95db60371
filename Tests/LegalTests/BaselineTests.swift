// The bag-of-words baseline against scikit-learn (Tests/Fixtures/legal/baseline-nb.json,
// Scripts/make-baseline-fixture.py: CountVectorizer + MultinomialNB(alpha=1) on Corpora/).
import Foundation
import Legal
import TestSupport
import XCTest

final class BaselineTests: XCTestCase {
    struct Fixture: Decodable {
        var classes: [String]; var vocabulary_size: Int; var accuracy: Double
        var ids: [String]; var predicted: [String]; var joint_log_likelihood_first20: [[Double]]
    }

    struct Line: Decodable { var text: String; var label: String; var id: String }

    func load(_ name: String) throws -> [Line] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Corpora/\(name)"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
    }

    func testMatchesScikitLearnOnTheEmbeddedCorpus() throws {
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("legal/baseline-nb.json")))
        let train = try load("train.jsonl"), test = try load("test.jsonl")
        let nb = try BagOfWordsBaseline.train(texts: train.map(\.text), labels: train.map(\.label))
        XCTAssertEqual(nb.labels, f.classes)
        XCTAssertEqual(nb.vocabularySize, f.vocabulary_size, "same tokenisation as CountVectorizer")
        XCTAssertEqual(test.map(\.id), f.ids)
        XCTAssertEqual(test.map { nb.predict($0.text) }, f.predicted, "every prediction equals sklearn's")
        // Sums of ~300 float64 log terms (|total| ~ 3e3) in a different order: ~1e-12 relative; assert 1e-8 absolute.
        var worst = 0.0
        for (i, expected) in f.joint_log_likelihood_first20.enumerated() {
            let got = nb.jointLogLikelihood(test[i].text)
            assertClose(got, expected, atol: 1e-8, "joint log-likelihood of test document \(i)")
            worst = max(worst, maxAbsDiff(got, expected))
        }
        print("baseline vs sklearn: max |Δ joint log-likelihood| \(worst)")
        let score = try nb.score(texts: test.map(\.text), labels: test.map(\.label))
        XCTAssertEqual(score.accuracy, f.accuracy, accuracy: 1e-12)
    }

    func testHandComputedNaiveBayes() throws {
        // Vocabulary {aa, bb}; class X counts aa:2 bb:0, class Y aa:0 bb:1, α = 1:
        // θ_X = (3/4, 1/4), θ_Y = (1/3, 2/3); priors 1/2 each. "aa bb" → X: log(1/2·3/4·1/4), Y: log(1/2·1/3·2/3).
        let nb = try BagOfWordsBaseline.train(texts: ["aa AA a", "bb"], labels: ["X", "Y"])
        let jll = nb.jointLogLikelihood("aa, bb! zz")
        XCTAssertEqual(jll[0], log(0.5 * 0.75 * 0.25), accuracy: 1e-12)
        XCTAssertEqual(jll[1], log(0.5 * (1.0 / 3) * (2.0 / 3)), accuracy: 1e-12)
        XCTAssertEqual(nb.predict("aa"), "X")
        // Same as Python: re.findall(r"(?u)\b\w\w+\b", text.lower()).
        XCTAssertEqual(BagOfWordsBaseline.tokens("Section 4.2 — the Licensee's_right; Ünïcode x"), ["section", "the", "licensee", "s_right", "ünïcode"])
    }

    func testBadInputs() {
        XCTAssertThrowsError(try BagOfWordsBaseline.train(texts: [], labels: []))
        XCTAssertThrowsError(try BagOfWordsBaseline.train(texts: ["a"], labels: []))
        XCTAssertThrowsError(try BagOfWordsBaseline.train(texts: ["aa"], labels: ["X"], alpha: 0))
    }
}
