// Head pooling (config "docket_pooling" mean / max) against PyTorch: the tiny DistilBERT /
// BERT classifiers of Tests/Fixtures/encoder, one padded batch (lengths 7, 1, 4, 6), dropout
// off, 3 Trainer steps (mean CE → backward → clip 1.0 → AdamW, linear decay); every parameter
// compared by HF name with Scripts/fixtures/pooling_reference.py's modules
// (Scripts/fixtures/make_pooling_fixtures.py, pooling_*). cls is FullStepParityTests.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class PoolingParityTests: XCTestCase {
    func testDistilBertMeanPooling() throws { try check("distilbert", .mean) }
    func testDistilBertMaxPooling() throws { try check("distilbert", .max) }
    func testBertMeanPooling() throws { try check("bert", .mean) }
    func testBertMaxPooling() throws { try check("bert", .max) }

    /// The pooling is recorded in config.json and read back; cls writes no extra key.
    func testPoolingRoundTripsThroughConfigJSON() throws {
        let (loaded, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-bert"))
        XCTAssertEqual(loaded.config.pooling, .cls)
        XCTAssertNil(loaded.config.jsonObject()["docket_pooling"])
        for p in HeadPooling.allCases {
            var c = loaded.config
            c.pooling = p
            XCTAssertEqual(try ModelConfig.parse(c.jsonData(), file: "config.json").pooling, p)
        }
        var json = loaded.config.jsonObject()
        json["docket_pooling"] = "attention"
        let data = try JSONSerialization.data(withJSONObject: json)
        XCTAssertThrowsError(try ModelConfig.parse(data, file: "bad/config.json")) { error in
            XCTAssertTrue("\(error)".contains("docket_pooling"), "\(error)")
        }
    }

    private func check(_ family: String, _ pooling: HeadPooling) throws {
        let ref = try trainingFixture("pooling_\(family)_\(pooling)")
        let model = try dropoutFreeModel("encoder/tiny-\(family)", pooling: pooling)
        let examples = try stepExamples(ref)
        var o = TrainingOptions()
        o.maxSteps = 3; o.batchSize = 4; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 0; o.gradClip = 1.0; o.schedule = .linear
        let losses = try stepLosses(try parityTrainer(model, o, examples))
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) \(pooling) losses")
        let worst = try assertWeightsMatch(model.parameters, ref, "\(family) \(pooling)")
        print("\(family) \(pooling) pooling: 3 steps; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }
}
