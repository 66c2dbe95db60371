// Ensembles: one directory (ensemble.json + member subdirectories) loaded by TextClassifier,
// pooling members log-linearly, softmax(Σ wₘ log pₘ); weights fitted by class-balanced NLL.
import Docket
import Foundation
import TestSupport
import XCTest

final class EnsembleTests: XCTestCase {
    func trainingSet() throws -> [LabeledExample] {
        Array(try LabeledExample.load(from: repositoryRoot.appendingPathComponent("Corpora/train.jsonl").path).prefix(80))
    }

    /// Two different linear models saved as members of `dir` with the given weights.
    func makeEnsemble(in dir: URL, weights: [Double]) throws -> [LinearTextModel] {
        let train = try trainingSet()
        var a = LinearModelOptions(), b = LinearModelOptions()
        a.c = 0.5; b.maxNgram = 1; b.c = 5; b.classWeights = nil
        a.tolerance = 1e-5; b.tolerance = 1e-5
        let models = try [a, b].map { try LinearTextModel.train(texts: train.map(\.text), labels: train.map(\.label), options: $0).0 }
        var members: [Ensemble.Member] = []
        for (i, m) in models.enumerated() {
            try m.save(to: dir.appendingPathComponent("m\(i)"))
            members.append(.init(directory: "m\(i)", weight: weights[i], classifier: try TextClassifier(linear: m)))
        }
        try Ensemble(members: members).saveConfig(to: dir, fittedOn: nil)
        return models
    }

    func testAnEnsembleDirectoryLoadsAsOneClassifierPoolingLogLinearly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ensemble-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let models = try makeEnsemble(in: dir, weights: [0.7, 1.3])
        let classifier = try TextClassifier(directory: dir)
        guard case let .ensemble(e) = classifier.backend else { return XCTFail("not loaded as an ensemble") }
        XCTAssertEqual(e.members.map(\.weight), [0.7, 1.3])
        let texts = try LabeledExample.load(from: repositoryRoot.appendingPathComponent("Corpora/test.jsonl").path).prefix(10).map(\.text)
        let got = try classifier.classify(Array(texts))
        let p0 = models[0].probabilities(Array(texts)), p1 = models[1].probabilities(Array(texts))
        for i in texts.indices {
            let z = classifier.labels.indices.map { 0.7 * log(p0[i][$0]) + 1.3 * log(p1[i][$0]) }
            let m = z.max()!, s = z.reduce(0) { $0 + exp($1 - m) }
            assertClose(classifier.labels.map { Double(got[i].probabilities[$0]!) }, z.map { exp($0 - m) / s }, atol: 1e-5, "document \(i)")
        }
    }

    func testFittedWeightsMinimiseTheBalancedNLL() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ensemble-fit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try makeEnsemble(in: dir, weights: [1, 1])
        let e = try Ensemble.load(directory: dir)
        let dev = Array(try LabeledExample.load(from: repositoryRoot.appendingPathComponent("Corpora/dev.jsonl").path).prefix(60))
        let gold = dev.map { e.labels.firstIndex(of: $0.label)! }
        let probs = try e.memberProbabilities(dev.map(\.text))
        let w = Ensemble.fitWeights(probs, gold: gold, classes: e.labels.count)
        func loss(_ w: [Double]) -> Double {
            var counts = [Double](repeating: 0, count: e.labels.count)
            for g in gold { counts[g] += 1 }
            let pooled = Ensemble.pool(probs, weights: w)
            let s = gold.map { Double(gold.count) / (Double(e.labels.count) * counts[$0]) }
            return zip(pooled, zip(gold, s)).reduce(0) { $0 - $1.1.1 * log($1.0[$1.1.0]) } / s.reduce(0, +)
        }
        let best = loss(w)
        for a in [0.25, 0.5, 1, 2, 4] { for b in [0.25, 0.5, 1, 2, 4] {
            XCTAssertLessThanOrEqual(best, loss([w[0] * a, w[1] * b]) + 1e-6, "weights \(w) scaled by (\(a), \(b))")
        } }
        let crossFitted = Ensemble.crossFitted(probs, gold: gold, classes: e.labels.count, folds: 3)
        XCTAssertEqual(crossFitted.count, dev.count)
        for row in crossFitted { XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-9) }
    }

    func testBadEnsembleConfigsNameTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ensemble-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try makeEnsemble(in: dir, weights: [1, 1])
        let config = dir.appendingPathComponent(Ensemble.configFile)
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"m1\"", with: "\"..\\/m1\"").write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: dir)) { e in
            XCTAssertTrue("\(e)".contains("ensemble.json") && "\(e)".contains("plain subdirectory"), "\(e)")
        }
        try text.replacingOccurrences(of: "\"weight\" : 1", with: "\"weight\" : -1").write(to: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: dir)) { e in XCTAssertTrue("\(e)".contains("weight"), "\(e)") }
    }
}
