// Calibration against references: hand-computed ECE, and Tests/Fixtures/legal/calibration.json
// (Scripts/fixtures/make_calibration_fixture.py: Guo et al.'s ECE loop in torch float64, and the
// NLL-optimal temperature from scipy's bounded minimiser on log T).
import Docket
import DocketBase
import Foundation
import Kernels
import TestSupport
import XCTest

final class CalibrationTests: XCTestCase {
    func testECEHandComputed() throws {
        // Bins of width 1/15: 0.95 → (0.933, 1] acc 1/2 → 2/5·0.45; 0.65 → (0.6, 0.667] acc 1 → 2/5·0.35;
        // 0.25 → (0.2, 0.267] acc 0 → 1/5·0.25. ECE = 0.18 + 0.14 + 0.05 = 0.37.
        let ece = try Calibration.expectedCalibrationError(confidences: [0.95, 0.95, 0.65, 0.65, 0.25],
                                                           correct: [true, false, true, true, false])
        XCTAssertEqual(ece, 0.37, accuracy: 1e-12)
        XCTAssertEqual(try Calibration.expectedCalibrationError(confidences: [1, 1], correct: [true, true]), 0)
        let bins = try Calibration.reliabilityBins(confidences: [0, 1.0 / 3, 1], correct: [false, true, true])
        XCTAssertEqual(bins.map(\.count).reduce(0, +), 3)
        XCTAssertEqual(bins[0].count, 1, "confidence 0 joins the first bin")
        XCTAssertEqual(bins[14].count, 1, "confidence 1 is in the last bin")
    }

    struct Fixture: Decodable {
        var logits: [[Double]]; var labels: [Int]
        var ece: Double; var temperature: Double; var nll_at_1: Double; var nll_at_t: Double; var ece_after: Double
    }

    func testAgainstTorchAndScipyReference() throws {
        let url = fixturesDirectory.appendingPathComponent("legal/calibration.json")
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        func ece(_ t: Double) throws -> Double {
            let probs = f.logits.map { Calibration.softmax($0, temperature: t) }
            let conf = probs.map { $0.max() ?? 0 }
            let correct = zip(probs, f.labels).map { p, y in p.firstIndex(of: p.max() ?? 0) == y }
            return try Calibration.expectedCalibrationError(confidences: conf, correct: correct)
        }
        // Both sides are float64 sums of 300 terms: agreement to ~1e-15; assert 1e-12.
        XCTAssertEqual(try ece(1), f.ece, accuracy: 1e-12)
        XCTAssertEqual(try Calibration.negativeLogLikelihood(logits: f.logits, labels: f.labels, temperature: 1), f.nll_at_1, accuracy: 1e-12)
        // The optimum of a smooth function is located from values only to ~sqrt(eps) ≈ 1.5e-8
        // relative (scipy's side); Newton on the gradient is tighter. Assert 1e-6 relative on T,
        // and 1e-12 on the NLL there (flat at the minimum).
        let t = try Calibration.fitTemperature(logits: f.logits, labels: f.labels)
        XCTAssertEqual(t, f.temperature, accuracy: 1e-6 * f.temperature)
        XCTAssertEqual(try Calibration.negativeLogLikelihood(logits: f.logits, labels: f.labels, temperature: t), f.nll_at_t, accuracy: 1e-12)
        XCTAssertEqual(try ece(t), f.ece_after, accuracy: 1e-9)
        print("calibration vs reference: |ΔECE| \(abs(try ece(1) - f.ece)), |ΔT| \(abs(t - f.temperature)), |ΔECE after| \(abs(try ece(t) - f.ece_after))")
        XCTAssertLessThan(f.ece_after, f.ece, "scaling improves calibration on this over-confident set")
    }

    func testTemperatureRecoversTheGeneratingTemperature() throws {
        // Labels drawn from softmax(z / 2): with 4,000 examples the fitted T is within ~0.1 of 2
        // (standard error ≈ 0.04 here; 0.15 leaves > 3σ).
        var rng = SeededRNG(seed: 11)
        var logits: [[Double]] = [], labels: [Int] = []
        for _ in 0..<4000 {
            let z = (0..<4).map { _ in Double(rng.nextGaussian()) * 3 }
            let p = Calibration.softmax(z, temperature: 2)
            var u = Double(rng.nextUniform()), y = 0
            while y < 3 && u >= p[y] { u -= p[y]; y += 1 }
            logits.append(z); labels.append(y)
        }
        XCTAssertEqual(try Calibration.fitTemperature(logits: logits, labels: labels), 2, accuracy: 0.15)
    }

    func testDegenerateAndBadInputs() throws {
        // Every prediction right and confident: NLL keeps falling as T → 0, so the lower bound is returned.
        XCTAssertEqual(try Calibration.fitTemperature(logits: [[3, 0], [0, 3]], labels: [0, 1]), 0.01)
        // Every prediction wrong: the flattest allowed temperature.
        XCTAssertEqual(try Calibration.fitTemperature(logits: [[3, 0], [0, 3]], labels: [1, 0]), 100)
        XCTAssertThrowsError(try Calibration.fitTemperature(logits: [[1, 2]], labels: [2]))
        XCTAssertThrowsError(try Calibration.fitTemperature(logits: [[1, .nan]], labels: [0]))
        XCTAssertThrowsError(try Calibration.fitTemperature(logits: [], labels: []))
        XCTAssertThrowsError(try Calibration.expectedCalibrationError(confidences: [0.5], correct: []))
    }
}
