// The library API as a service would use it: only `import Docket` (no @testable), load once,
// classify single texts and batches from concurrent tasks, read label / score / top-k.
import Docket
import Foundation
import TestSupport
import XCTest

final class PublicAPIExampleTests: XCTestCase {
    func testServiceStyleUsage() async throws {
        let dir = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
        let classifier = try TextClassifier(directory: dir, options: .init(maxLength: 32, topK: 2))

        let one = try classifier.classify("The plaintiff filed a motion in the court.")
        XCTAssertTrue(classifier.labels.contains(one.label))
        XCTAssertEqual(one.topK.count, 2)
        XCTAssertEqual(one.probabilities.values.reduce(0, +), 1, accuracy: 1e-5)

        let texts = ["A patent claim", "This Agreement is entered into by the parties.", "x"]
        let batch = try classifier.classify(texts, batchSize: 2)
        let concurrent = try await withThrowingTaskGroup(of: (Int, Prediction).self) { group in
            for (i, t) in texts.enumerated() { group.addTask { (i, try classifier.classify(t)) } }
            var out = [Prediction?](repeating: nil, count: texts.count)
            for try await (i, p) in group { out[i] = p }
            return out.compactMap { $0 }
        }
        XCTAssertEqual(concurrent.map(\.label), batch.map(\.label))

        // Errors are typed values, not crashes.
        XCTAssertThrowsError(try classifier.classify(["a"], batchSize: 0)) { XCTAssertTrue($0 is ClassifierError) }
    }
}
