// The linear model against scikit-learn (Scripts/fixtures/make_linear_fixture.py):
// TfidfVectorizer(sublinear_tf) + LogisticRegression(lbfgs) on the embedded corpus
// (Tests/Fixtures/legal/linear-embedded.json) and, when ../shared is present, on the real
// corpora's dev splits (Tests/Fixtures/legal/linear-real.json: numbers only).
import Docket
import Foundation
import TestSupport
import Training
import XCTest

final class LinearModelTests: XCTestCase {
    struct Config: Decodable { var ngram: Int; var min_df: Int; var max_features: Int?; var C: Double; var class_weight: String? }
    struct Reference: Decodable {
        var config: Config; var classes: [String]; var vocabulary_size: Int; var first_terms: [String]?; var first_idf: [Double]?
        var probabilities_first20: [[Double]]; var predicted: [String]?; var accuracy: Double; var macro_f1: Double
    }

    static func options(_ c: Config) -> LinearModelOptions {
        var o = LinearModelOptions()
        o.maxNgram = c.ngram; o.minDocumentFrequency = c.min_df; o.maxFeatures = c.max_features; o.c = c.C
        o.classWeights = c.class_weight == "balanced" ? .balanced : nil
        o.tolerance = 1e-8
        return o
    }

    func examples(_ url: URL, first n: Int = .max) throws -> [LabeledExample] {
        Array(try LabeledExample.load(from: url.path).prefix(n))
    }

    func testMatchesScikitLearnOnTheEmbeddedCorpus() throws {
        let refs = try JSONDecoder().decode([String: Reference].self,
                                            from: Data(contentsOf: fixturesDirectory.appendingPathComponent("legal/linear-embedded.json")))
        let train = try examples(repositoryRoot.appendingPathComponent("Corpora/train.jsonl"), first: 400)
        let test = try examples(repositoryRoot.appendingPathComponent("Corpora/test.jsonl"), first: 100)
        XCTAssertEqual(refs.count, 2)
        for (name, ref) in refs.sorted(by: { $0.key < $1.key }) {
            let (model, summary) = try LinearTextModel.train(texts: train.map(\.text), labels: train.map(\.label), options: Self.options(ref.config))
            XCTAssertTrue(summary.converged, name)
            XCTAssertEqual(model.labels, ref.classes, name)
            XCTAssertEqual(model.vocabularySize, ref.vocabulary_size, "\(name): same n-grams, min_df and max_features as TfidfVectorizer")
            XCTAssertEqual(Array(model.vectorizer.terms.prefix(20)), ref.first_terms, "\(name): sklearn's feature order")
            assertClose(Array(model.vectorizer.idf.prefix(20)), ref.first_idf ?? [], atol: 1e-12, "\(name) idf")
            let p = model.probabilities(test.map(\.text))
            // Both solvers stop at a gradient tolerance of ~1e-8; probabilities agree to ~1e-6.
            for (i, expected) in ref.probabilities_first20.enumerated() {
                assertClose(p[i], expected, atol: 1e-5, "\(name): probabilities of test document \(i)")
            }
            let predicted = p.map { row in model.labels[row.indices.max { row[$0] < row[$1] }!] }
            XCTAssertEqual(predicted, ref.predicted, "\(name): every prediction equals sklearn's")
            let score = try LinearTextModel.score(model, texts: test.map(\.text), labels: test.map(\.label))
            XCTAssertEqual(score.accuracy, ref.accuracy, accuracy: 1e-12, name)
            XCTAssertEqual(score.macroF1, ref.macro_f1, accuracy: 1e-12, name)
        }
    }

    /// Dev accuracy within 0.5 point of scikit-learn's and probabilities close on ../shared's real corpora.
    func testMatchesScikitLearnOnRealCorporaWhenPresent() throws {
        let refs = try JSONDecoder().decode([String: Reference].self,
                                            from: Data(contentsOf: fixturesDirectory.appendingPathComponent("legal/linear-real.json")))
        for name in ["scotus-issue", "legal5-real"] {
            let dir = try sharedCorpus(name), ref = try XCTUnwrap(refs[name])
            let train = try examples(dir.appendingPathComponent("train.jsonl")), dev = try examples(dir.appendingPathComponent("dev.jsonl"))
            let (model, _) = try LinearTextModel.train(texts: train.map(\.text), labels: train.map(\.label), options: Self.options(ref.config))
            XCTAssertEqual(model.vocabularySize, ref.vocabulary_size, name)
            let score = try LinearTextModel.score(model, texts: dev.map(\.text), labels: dev.map(\.label))
            print("\(name) dev: Docket accuracy \(score.accuracy) macro-F1 \(score.macroF1); sklearn \(ref.accuracy) / \(ref.macro_f1)")
            XCTAssertEqual(score.accuracy, ref.accuracy, accuracy: 0.005, "\(name): accuracy within 0.5 point of sklearn")
            XCTAssertEqual(score.macroF1, ref.macro_f1, accuracy: 0.01, name)
            let p = model.probabilities(dev.prefix(20).map(\.text))
            for (i, expected) in ref.probabilities_first20.enumerated() { assertClose(p[i], expected, atol: 1e-4, "\(name) dev document \(i)") }
        }
    }

    func testTokenizationIsScikitLearnsDefault() {
        // re.findall(r"(?u)\b\w\w+\b", text.lower())
        XCTAssertEqual(TfidfVectorizer.tokens("Section 4.2 — the Licensee's_right; Ünïcode x ²³"),
                       ["section", "the", "licensee", "s_right", "ünïcode", "²³"])
    }

    func testSavedModelLoadsAsATextClassifier() throws {
        let texts = ["the court held the contract void", "the patent claims a method", "the contract was breached",
                     "a patent infringement claim", "court of appeals reversed", "the method of the patent"]
        let labels = ["contract", "patent", "contract", "patent", "contract", "patent"]
        let (model, _) = try LinearTextModel.train(texts: texts, labels: labels)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linear-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let classifier = try TextClassifier(directory: dir, options: .init(topK: 2))
        XCTAssertNil(classifier.model)
        XCTAssertEqual(classifier.labels, ["contract", "patent"])
        let queries = ["patent method", "breach of contract in court", "unrelated words only"]
        let got = try classifier.classify(queries)
        for (q, (prediction, expected)) in zip(queries, zip(got, model.probabilities(queries))) {
            assertClose(classifier.labels.map { Double(prediction.probabilities[$0]!) }, expected, atol: 1e-6, q)
            XCTAssertEqual(prediction.topK.count, 2)
        }
        XCTAssertEqual(got[0].label, "patent"); XCTAssertEqual(got[1].label, "contract")
        XCTAssertThrowsError(try classifier.classify(["a"], pairs: ["b"]), "a linear model takes no text pairs")
    }

    func testCorruptModelDirectoriesFailWithTheFileNamed() throws {
        let (model, _) = try LinearTextModel.train(texts: ["aa bb", "cc dd", "aa cc"], labels: ["x", "y", "x"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linear-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let config = dir.appendingPathComponent(LinearTextModel.configFile)
        var json = try String(contentsOf: config, encoding: .utf8)
        try json.replacingOccurrences(of: "\"vocabulary\":[", with: "\"vocabulary\":[\"extra\",").write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LinearTextModel.load(directory: dir)) { e in
            XCTAssertTrue("\(e)".contains("linear_model.safetensors") && "\(e)".contains("shape"), "\(e)")
        }
        json = "{\"model_type\": 3}"
        try json.write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: dir)) { e in XCTAssertTrue("\(e)".contains("linear_model.json"), "\(e)") }
    }

    func testCrossValidationChoosesAmongCValues() throws {
        let train = try examples(repositoryRoot.appendingPathComponent("Corpora/train.jsonl"), first: 60)
        var options = LinearModelOptions()
        options.tolerance = 1e-5
        let scores = try LinearTextModel.crossValidate(texts: train.map(\.text), labels: train.map(\.label), options: options,
                                                       cValues: [0.1, 10], folds: 3)
        XCTAssertEqual(scores.map(\.c), [0.1, 10])
        for s in scores { XCTAssertTrue((0...1).contains(s.accuracy) && (0...1).contains(s.macroF1)) }
        XCTAssertEqual(LinearTextModel.stratifiedFolds(labels: ["a", "b", "a", "a", "b"], folds: 2), [0, 0, 1, 0, 1])
    }
}
