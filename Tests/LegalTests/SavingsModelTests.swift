// The savings model against hand-computed figures. Tolerance: the arithmetic is a handful of
// double-precision operations on values ≤ 1e7, so results agree with exact decimal
// arithmetic to ~1e-9 relative; we assert 1e-9 absolute on payback and 1e-6 on dollar sums.
import Docket
import Foundation
import Legal
import XCTest

final class SavingsModelTests: XCTestCase {
    func testDefaultModelAtAccuracy085() throws {
        let r = try SavingsModel.report(accuracy: 0.85)
        XCTAssertEqual(r.hoursSavedPerMonth, 490, accuracy: 1e-9)           // 1000 × (0.5 − 0.01)
        XCTAssertEqual(r.costSavedPerMonth, 147_000, accuracy: 1e-6)         // × $300
        XCTAssertEqual(r.misclassificationCostPerMonth, 75_000, accuracy: 1e-6) // 1000 × 0.15 × $500
        XCTAssertEqual(r.netMonthlySavings, 72_000, accuracy: 1e-6)
        XCTAssertEqual(r.annualSavings, 864_000, accuracy: 1e-6)
        XCTAssertEqual(r.paybackMonths, 150_000.0 / 72_000.0, accuracy: 1e-9) // 2.0833…
        XCTAssertEqual((r.paybackMonths * 100).rounded() / 100, 2.08)
    }

    func testPaybackIsInfiniteWhenNetIsNotPositive() throws {
        // 147,000 = 1000 × (1 − a) × 500  ⇔  a = 0.706: net 0 → payback ∞; below it, negative.
        let r = try SavingsModel.report(accuracy: 0.5)
        XCTAssertEqual(r.netMonthlySavings, -103_000, accuracy: 1e-6)
        XCTAssertEqual(r.paybackMonths, .infinity)
        var p = SavingsParameters(); p.misclassificationCost = 490 * 300 / 1000 / 0.5   // net exactly 0 at a = 0.5
        XCTAssertEqual(try SavingsModel.report(accuracy: 0.5, parameters: p).paybackMonths, .infinity)
    }

    func testROIAndNPV() throws {
        var p = SavingsParameters()
        p.horizonYears = 1; p.annualDiscountRate = 0
        let flat = try SavingsModel.report(accuracy: 0.85, parameters: p)
        XCTAssertEqual(flat.npv, 12 * 72_000 - 150_000, accuracy: 1e-6)
        XCTAssertEqual(flat.roi, (12 * 72_000 - 150_000) / 150_000.0, accuracy: 1e-12)  // 4.76
        p.annualDiscountRate = 0.12; p.horizonYears = 2
        let discounted = try SavingsModel.report(accuracy: 0.85, parameters: p)
        // Annuity closed form with monthly rate i = 1.12^(1/12) − 1 over 24 months: (1+i)^-24 = 1/1.12².
        let i = pow(1.12, 1.0 / 12) - 1
        let expected = -150_000 + 72_000 * (1 - 1 / (1.12 * 1.12)) / i
        XCTAssertEqual(discounted.npv, expected, accuracy: 1e-6)
        XCTAssertEqual(discounted.horizonMonths, 24)
    }

    func testUniformCostMatrixReducesToTheDefaultModel() throws {
        let confusion = [[40, 5, 5], [2, 45, 3], [0, 0, 50]]                 // 135/150 = 0.9 correct
        let viaMatrix = try SavingsModel.report(confusion: confusion)
        let viaAccuracy = try SavingsModel.report(accuracy: 0.9)
        XCTAssertEqual(viaMatrix.netMonthlySavings, viaAccuracy.netMonthlySavings, accuracy: 1e-6)
        XCTAssertEqual(viaMatrix.netMonthlySavings, 147_000 - 1000 * 0.1 * 500, accuracy: 1e-6)
    }

    func testCostMatrixHandComputed() throws {
        let confusion = [[8, 1, 1], [0, 9, 1], [2, 0, 8]]                    // N = 30
        let costs = try CostMatrix(costs: [[0, 1000, 200], [100, 0, 600], [300, 100, 0]])
        let r = try SavingsModel.report(confusion: confusion, costs: costs)
        // (1·1000 + 1·200 + 1·600 + 2·300) / 30 = 80 $/document → 80,000 $/month.
        XCTAssertEqual(r.misclassificationCostPerDocument, 80, accuracy: 1e-9)
        XCTAssertEqual(r.misclassificationCostPerMonth, 80_000, accuracy: 1e-6)
        XCTAssertEqual(r.netMonthlySavings, 67_000, accuracy: 1e-6)
        XCTAssertEqual(r.paybackMonths, 150_000.0 / 67_000.0, accuracy: 1e-9)
        XCTAssertEqual(r.misclassificationRate, 5.0 / 30, accuracy: 1e-12)
    }

    let four = [ScoredPrediction(gold: 0, predicted: 0, confidence: 0.9), ScoredPrediction(gold: 0, predicted: 1, confidence: 0.55),
                ScoredPrediction(gold: 1, predicted: 1, confidence: 0.8), ScoredPrediction(gold: 1, predicted: 0, confidence: 0.6)]

    func testRoutingHandComputed() throws {
        // t = 0: nothing routed, accuracy 0.5 → 147,000 − 250,000 = −103,000.
        XCTAssertEqual(try SavingsModel.report(predictions: four, classCount: 2, threshold: 0).netMonthlySavings, -103_000, accuracy: 1e-6)
        // t = 0.6: routes the 0.55 error → automated 3/4: 110,250 − 1000·(1/4)·500 = −14,750.
        XCTAssertEqual(try SavingsModel.report(predictions: four, classCount: 2, threshold: 0.6).netMonthlySavings, -14_750, accuracy: 1e-6)
        // t = 0.8: routes both errors → automated 1/2: 73,500, no misclassification.
        let r = try SavingsModel.report(predictions: four, classCount: 2, threshold: 0.8)
        XCTAssertEqual(r.netMonthlySavings, 73_500, accuracy: 1e-6)
        XCTAssertEqual(r.automatedFraction, 0.5)
        XCTAssertEqual(r.misclassificationCostPerMonth, 0)
        // t = 1: everything routed, nothing saved, nothing lost.
        XCTAssertEqual(try SavingsModel.report(predictions: four, classCount: 2, threshold: 1).netMonthlySavings, 0, accuracy: 1e-9)
    }

    func testThresholdScanFindsTheBestThreshold() throws {
        let scan = try SavingsModel.scanThresholds(predictions: four, classCount: 2)
        XCTAssertEqual(scan.best.threshold, 0.8)
        XCTAssertEqual(scan.best.netMonthlySavings, 73_500, accuracy: 1e-6)
        XCTAssertTrue(scan.curve.count >= 101)
        XCTAssertEqual(scan.curve.first?.netMonthlySavings ?? 0, -103_000, accuracy: 1e-6)
        let maxOnCurve = scan.curve.map(\.netMonthlySavings).max() ?? 0
        XCTAssertEqual(maxOnCurve, 73_500, accuracy: 1e-6)
        // With all predictions right, routing only loses: the best threshold is 0.
        let right = four.map { ScoredPrediction(gold: $0.gold, predicted: $0.gold, confidence: $0.confidence) }
        XCTAssertEqual(try SavingsModel.scanThresholds(predictions: right, classCount: 2).best.threshold, 0)
    }

    func testScanAgreesWithDirectRoutingOnRandomPredictions() throws {
        // The O(N log N) sweep against the direct O(N) report at every grid threshold,
        // with a non-uniform cost matrix and ties in confidence.
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let predictions = (0..<500).map { _ in
            ScoredPrediction(gold: Int(next() * 3), predicted: Int(next() * 3), confidence: (next() * 20).rounded() / 20)
        }
        let costs = try CostMatrix(costs: [[0, 100, 700], [300, 0, 50], [900, 200, 0]])
        let scan = try SavingsModel.scanThresholds(predictions: predictions, classCount: 3, costs: costs)
        var bestDirect = -Double.infinity
        for point in scan.curve {
            let direct = try SavingsModel.report(predictions: predictions, classCount: 3, costs: costs, threshold: point.threshold)
            XCTAssertEqual(point.netMonthlySavings, direct.netMonthlySavings, accuracy: 1e-6, "t = \(point.threshold)")
            XCTAssertEqual(point.automatedFraction, direct.automatedFraction, accuracy: 1e-15)
            bestDirect = max(bestDirect, direct.netMonthlySavings)
        }
        XCTAssertGreaterThanOrEqual(scan.best.netMonthlySavings, bestDirect - 1e-6, "the best candidate beats every grid point")
    }

    func testCostMatrixFileReordersLabelsAndRejectsBadFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-costs-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("costs.json")
        try Data(#"{"labels":["B","A"],"costs":[[0,7],[3,0]]}"#.utf8).write(to: good)
        XCTAssertEqual(try CostMatrix.load(good, labels: ["A", "B"]).costs, [[0, 3], [7, 0]])
        let cases = [(#"{"costs":[[0,1],[1]]}"#, "row 2"), (#"{"costs":[[0,-1],[1,0]]}"#, "[1, 2]"),
                     (#"{"costs":[[0,1,1],[1,0,1],[1,1,0]]}"#, "3 classes"), (#"{"labels":["A","C"],"costs":[[0,1],[1,0]]}"#, "do not match"),
                     ("not json", "invalid JSON"), (#"{"labels":["A","B"]}"#, "missing key 'costs'")]
        for (text, expected) in cases {
            let bad = dir.appendingPathComponent("bad.json")
            try Data(text.utf8).write(to: bad)
            XCTAssertThrowsError(try CostMatrix.load(bad, labels: ["A", "B"])) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("bad.json") && message.contains(expected), message)
            }
        }
    }

    func testInvalidParametersAreRejected() {
        var p = SavingsParameters(); p.hourlyRate = -1
        XCTAssertThrowsError(try SavingsModel.report(accuracy: 0.9, parameters: p)) {
            XCTAssertEqual($0 as? SavingsError, .invalidParameter(name: "hourly rate", value: -1))
        }
        XCTAssertThrowsError(try SavingsModel.report(accuracy: 1.5))
        XCTAssertThrowsError(try SavingsModel.report(predictions: four, classCount: 2, threshold: 2))
        XCTAssertThrowsError(try SavingsModel.report(predictions: [], classCount: 2, threshold: 0))
    }

    func testHugeFiguresAreReportedNotTrapped() throws {
        var p = SavingsParameters(); p.documentsPerMonth = 1e300
        let r = try SavingsModel.report(accuracy: 0.9, parameters: p)
        XCTAssertEqual(r.netMonthlySavings, 1e300 * (147 - 50), accuracy: 1e287)
        let eval = try EvaluationReport.make(labels: ["A", "B"], gold: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]])
        let report = try LegalEvaluation.make(inputs: .init(model: "m", test: "t"), evaluation: eval, parameters: p, costs: nil, threshold: 0)
        XCTAssertTrue(report.renderText().contains("e+"), "scientific notation for figures beyond 1e15")
        XCTAssertTrue(report.renderHTML().contains("<svg"))
    }

    func testJSONEncodesInfinitePaybackAsNull() throws {
        let r = try SavingsModel.report(accuracy: 0.2)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        XCTAssertTrue(json.contains("\"paybackMonths\":null"), json)
    }
}
