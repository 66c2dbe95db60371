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
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("training/pooling_\(family)_\(pooling).safetensors"))
        let (loaded, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        var config = loaded.config.withDropout(0)
        config.pooling = pooling
        let model = try EncoderModel(config: config, seed: 0)
        try model.parameters.copy(from: loaded.parameters)
        let examples = try stepExamples(ref)
        var o = TrainingOptions()
        o.maxSteps = 3; o.batchSize = 4; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 0; o.gradClip = 1.0; o.schedule = .linear
        let trainer = try Trainer(model: EncoderTrainable(model: model), options: o, labels: model.config.labels,
                                  train: examples, dev: nil, stateDirectory: nil, logURL: nil)
        var losses: [Double] = []
        trainer.onProgress = { if $0.evaluation == nil { losses.append($0.loss) } }
        _ = try trainer.run()
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) \(pooling) losses")
        let worst = try assertWeightsMatch(model.parameters, ref, "\(family) \(pooling)")
        print("\(family) \(pooling) pooling: 3 steps; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }
}

/// The examples of a step fixture's padded batch (input_ids, attention_mask, token_type_ids, labels).
func stepExamples(_ ref: SafeTensorsFile) throws -> [TrainingExample] {
    let ids = try ref.floats("input_ids"), mask = try ref.floats("attention_mask")
    let types = try ref.floats("token_type_ids"), labels = try ref.floats("labels")
    let t = ids.count / labels.count
    return labels.indices.map { b in
        let n = Int(mask[(b * t)..<((b + 1) * t)].reduce(0, +))
        return TrainingExample(ids: ids[(b * t)..<(b * t + n)].map { Int32($0) },
                               typeIds: types[(b * t)..<(b * t + n)].map { Int32($0) }, label: Int(labels[b]))
    }
}

/// Every tensor equals the fixture's `after.<name>` within 10× its float32-vs-float64 gap
/// (metadata `gap.<name>`, floored at 1e-6); returns the worst |diff| / gap ratio.
@discardableResult
func assertWeightsMatch(_ parameters: ParameterBuffer, _ ref: SafeTensorsFile, _ label: String,
                        file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    var worstRatio = 0.0
    for e in parameters.entries {
        let want = try ref.floats("after.\(e.name)")
        let got = Array(try parameters.buffer(e.name))
        let gap = Double(ref.metadata["gap.\(e.name)"] ?? "") ?? 0
        assertClose(got, want, atol: 10 * max(gap, 1e-6), "\(label) \(e.name)", file: file, line: line)
        worstRatio = max(worstRatio, maxAbsDiff(got, want) / max(gap, 1e-6))
    }
    XCTAssertGreaterThan(parameters.entries.count, 30, file: file, line: line)
    return worstRatio
}
