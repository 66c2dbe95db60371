// Class weights: "balanced" against sklearn's compute_class_weight; parsing of explicit lists.
import Foundation
import TestSupport
import Training
import XCTest

final class ClassWeightsTests: XCTestCase {
    private struct Case: Decodable { let labels: [Int]; let classes: Int; let weights: [Double] }
    private struct File: Decodable { let cases: [Case] }

    func testBalancedMatchesSklearn() throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("training/class_weights.json")))
        for c in file.cases {
            let w = try ClassWeightSpec.balanced.weights(classes: c.classes, trainingLabels: c.labels)
            // float32 rounding of a double ratio: relative 6e-8.
            assertClose(w, c.weights, atol: 0, rtol: 1e-7, "balanced weights for \(c.labels)")
        }
    }

    func testParsingAndErrors() throws {
        XCTAssertEqual(try ClassWeightSpec(parsing: "Balanced"), .balanced)
        XCTAssertEqual(try ClassWeightSpec(parsing: "1, 2.5,1"), .explicit([1, 2.5, 1]))
        XCTAssertThrowsError(try ClassWeightSpec(parsing: "1,x"))
        XCTAssertThrowsError(try ClassWeightSpec(parsing: "1,-2"))
        XCTAssertThrowsError(try ClassWeightSpec(parsing: "1,,2"))
        XCTAssertThrowsError(try ClassWeightSpec.explicit([1, 2]).weights(classes: 3, trainingLabels: []))
        XCTAssertThrowsError(try ClassWeightSpec.balanced.weights(classes: 3, trainingLabels: [0, 0, 1]))
    }
}
