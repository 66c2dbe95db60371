// MultiLabelMetrics against scikit-learn on label-indicator matrices
// (Scripts/fixtures/make_trainer_feature_fixtures.py → multilabel_metrics.json), and per-label
// threshold tuning against a brute-force search.
import DocketBase
import Foundation
import Kernels
import TestSupport
@testable import Training
import XCTest

final class MultiLabelMetricsTests: XCTestCase {
    func testMatchesSklearn() throws {
        struct Case: Decodable {
            let name: String; let labels: [String]; let gold: [[Int]]; let predicted: [[Int]]
            let subset_accuracy: Double; let hamming_loss: Double
            let precision: [Double]; let recall: [Double]; let f1: [Double]; let support: [Int]
            let micro: [Double]; let macro: [Double]
        }
        struct File: Decodable { let cases: [Case] }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("training/multilabel_metrics.json")))
        XCTAssertEqual(file.cases.count, 4)
        for c in file.cases {
            let m = try MultiLabelMetrics(labels: c.labels, gold: c.gold, predicted: c.predicted)
            XCTAssertEqual(m.subsetAccuracy, c.subset_accuracy, accuracy: 1e-12, c.name)
            XCTAssertEqual(m.hammingLoss, c.hamming_loss, accuracy: 1e-12, c.name)
            assertClose(m.perLabel.map(\.precision), c.precision, atol: 1e-12, "\(c.name) precision")
            assertClose(m.perLabel.map(\.recall), c.recall, atol: 1e-12, "\(c.name) recall")
            assertClose(m.perLabel.map(\.f1), c.f1, atol: 1e-12, "\(c.name) f1")
            XCTAssertEqual(m.perLabel.map(\.support), c.support, c.name)
            assertClose([m.microPrecision, m.microRecall, m.microF1], c.micro, atol: 1e-12, "\(c.name) micro")
            assertClose([m.macroPrecision, m.macroRecall, m.macroF1], c.macro, atol: 1e-12, "\(c.name) macro")
        }
    }

    func testRejectsBadInput() {
        XCTAssertThrowsError(try MultiLabelMetrics(labels: ["a"], gold: [[0]], predicted: []))
        XCTAssertThrowsError(try MultiLabelMetrics(labels: ["a"], gold: [[1]], predicted: [[0]]))
    }

    /// Tuned thresholds reach the best F1 any threshold can (brute force over a fine grid), and
    /// a label without positives keeps 0.5.
    func testThresholdTuningMaximisesPerLabelF1() {
        var rng = SeededRNG(seed: 3)
        let n = 60, k = 3
        var probs: [[Float]] = [], gold: [[Int]] = []
        for _ in 0..<n {
            let row = (0..<k).map { _ in Float(rng.next() % 1000) / 1000 }
            probs.append(row)
            // Label 0 tends to be present when its probability is above 0.3, label 1 above 0.7; label 2 never.
            gold.append((0..<2).filter { row[$0] > ($0 == 0 ? 0.3 : 0.7) || rng.next() % 10 == 0 })
        }
        let t = DecisionThresholds.tune(probabilities: probs, gold: gold, classes: k)
        XCTAssertEqual(t[2], 0.5, "no positives: default kept")
        for j in 0..<2 {
            func f1(_ c: Float) -> Double {
                var tp = 0, fp = 0, fn = 0
                for (p, g) in zip(probs, gold) {
                    switch (p[j] > c, g.contains(j)) { case (true, true): tp += 1; case (true, false): fp += 1
                    case (false, true): fn += 1; default: break }
                }
                return Double(2 * tp) / Double(max(1, 2 * tp + fp + fn))
            }
            let best = stride(from: Float(0), through: 1, by: 0.0005).map(f1).max()!
            XCTAssertEqual(f1(t[j]), best, accuracy: 1e-12, "label \(j): tuned threshold \(t[j]) reaches the best F1")
            XCTAssertGreaterThan(f1(t[j]), f1(0.5) - 1e-12)
        }
        XCTAssertEqual(DecisionThresholds.predict([0.2, 0.9, 0.5], thresholds: [0.1, 0.95, 0.5]), [0])
    }
}
