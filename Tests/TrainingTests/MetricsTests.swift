// ClassificationMetrics against scikit-learn 1.9 on known confusion matrices
// (Tests/Fixtures/training/metrics.json, made by Scripts/fixtures/make_training_fixtures.py).
import Foundation
import TestSupport
import Training
import XCTest

final class MetricsTests: XCTestCase {
    private struct Case: Decodable {
        let name: String, labels: [String], counts: [[Int]]
        let accuracy: Double, precision: [Double], recall: [Double], f1: [Double], support: [Int]
        let macro_precision: Double, macro_recall: Double, macro_f1: Double
        let weighted_precision: Double, weighted_recall: Double, weighted_f1: Double
    }
    private struct File: Decodable { let cases: [Case] }

    /// Every sklearn case: both sides are double-precision ratios of the same integers, so
    /// they agree to rounding (atol 1e-12).
    func testMatchesSklearnOnKnownMatrices() throws {
        let url = fixturesDirectory.appendingPathComponent("training/metrics.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        XCTAssertGreaterThanOrEqual(file.cases.count, 7)
        for c in file.cases {
            let m = ClassificationMetrics(confusion: try ConfusionMatrix(labels: c.labels, counts: c.counts))
            assertClose([m.accuracy], [c.accuracy], atol: 1e-12, "\(c.name) accuracy")
            assertClose(m.perClass.map(\.precision), c.precision, atol: 1e-12, "\(c.name) precision")
            assertClose(m.perClass.map(\.recall), c.recall, atol: 1e-12, "\(c.name) recall")
            assertClose(m.perClass.map(\.f1), c.f1, atol: 1e-12, "\(c.name) f1")
            XCTAssertEqual(m.perClass.map(\.support), c.support, "\(c.name) support")
            assertClose([m.macroPrecision, m.macroRecall, m.macroF1],
                        [c.macro_precision, c.macro_recall, c.macro_f1], atol: 1e-12, "\(c.name) macro")
            assertClose([m.weightedPrecision, m.weightedRecall, m.weightedF1],
                        [c.weighted_precision, c.weighted_recall, c.weighted_f1], atol: 1e-12, "\(c.name) weighted")
        }
    }

    /// A hand-computed case: gold [0,0,1,1,2], predicted [0,1,1,1,0].
    func testFromIndicesHandComputed() throws {
        let m = try ClassificationMetrics(labels: ["a", "b", "c"], gold: [0, 0, 1, 1, 2], predicted: [0, 1, 1, 1, 0])
        XCTAssertEqual(m.confusion.counts, [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        XCTAssertEqual(m.accuracy, 0.6, accuracy: 1e-15)
        // a: P 1/2 R 1/2 F 1/2; b: P 2/3 R 1 F 4/5; c: never predicted, P R F 0.
        assertClose(m.perClass.map(\.f1), [0.5, 0.8, 0], atol: 1e-15, "f1")
        XCTAssertEqual(m.macroF1, 1.3 / 3, accuracy: 1e-15)
        XCTAssertEqual(m.weightedF1, (0.5 * 2 + 0.8 * 2) / 5, accuracy: 1e-15)
    }

    func testRejectsBadInput() {
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a", "b"], counts: [[1, 2]])) {
            XCTAssertEqual($0 as? MetricsError, .notSquare(labels: 2, rows: 1, badRow: nil))
        }
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a", "b"], counts: [[1, 2], [3]])) {
            XCTAssertEqual($0 as? MetricsError, .notSquare(labels: 2, rows: 2, badRow: 1))
        }
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a"], counts: [[-1]])) {
            XCTAssertEqual($0 as? MetricsError, .negativeCount(row: 0, column: 0))
        }
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a"], gold: [0, 1], predicted: [0, 0])) {
            XCTAssertEqual($0 as? MetricsError, .indexOutOfRange(index: 1, labels: 1))
        }
        XCTAssertThrowsError(try ConfusionMatrix(labels: ["a"], gold: [0], predicted: [])) {
            XCTAssertEqual($0 as? MetricsError, .lengthMismatch(gold: 1, predicted: 0))
        }
    }
}
