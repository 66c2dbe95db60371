// Whole-model training steps against PyTorch: the tiny DistilBERT / BERT classifiers of
// Tests/Fixtures/encoder, one padded batch (lengths 7, 1, 4, 6), dropout off, 5 steps of
// Trainer (mean CE → backward → clip 1.0 → AdamW with HF decay groups, linear warmup 2 +
// decay); every parameter compared by HF name (Scripts/fixtures/make_training_fixtures.py, steps_*).
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class FullStepParityTests: XCTestCase {
    func testDistilBertStepsMatchPyTorch() throws { try check("distilbert") }
    func testBertStepsMatchPyTorch() throws { try check("bert") }

    private func check(_ family: String) throws {
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("training/steps_\(family).safetensors"))
        let (loaded, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        let model = try EncoderModel(config: loaded.config.withDropout(0), seed: 0)
        try model.parameters.copy(from: loaded.parameters)

        let ids = try ref.floats("input_ids"), mask = try ref.floats("attention_mask")
        let types = try ref.floats("token_type_ids"), labels = try ref.floats("labels")
        let t = ids.count / labels.count
        let examples = labels.indices.map { b in
            let n = Int(mask[(b * t)..<((b + 1) * t)].reduce(0, +))
            return TrainingExample(ids: ids[(b * t)..<(b * t + n)].map { Int32($0) },
                                   typeIds: types[(b * t)..<(b * t + n)].map { Int32($0) }, label: Int(labels[b]))
        }
        var o = TrainingOptions()
        o.maxSteps = 5; o.batchSize = 4; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 2; o.gradClip = 1.0; o.schedule = .linear
        let trainer = try Trainer(model: EncoderTrainable(model: model), options: o, labels: model.config.labels,
                                  train: examples, dev: nil, stateDirectory: nil, logURL: nil)
        var losses: [Double] = []
        trainer.onProgress = { if $0.evaluation == nil { losses.append($0.loss) } }
        _ = try trainer.run()

        // Loss before each step: f32 forward of a 2-layer model, ≲1e-6 from torch; 1e-4 bound.
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) losses")
        var checked = 0, worstRatio = 0.0
        for e in model.parameters.entries {
            let want = try ref.floats("after.\(e.name)")
            let got = Array(try model.parameters.buffer(e.name))
            // Tolerance: 10× the float32-vs-float64 gap of this tensor after the same 5 steps
            // (Adam normalises each update, so elements whose gradient is near zero amplify
            // rounding: gaps range ~1e-7…1e-3 by tensor), floored at 1e-6.
            let gap = Double(ref.metadata["gap.\(e.name)"] ?? "") ?? 0
            assertClose(got, want, atol: 10 * max(gap, 1e-6), "\(family) \(e.name)")
            worstRatio = max(worstRatio, maxAbsDiff(got, want) / max(gap, 1e-6))
            checked += 1
        }
        XCTAssertEqual(checked, model.parameters.entries.count)
        XCTAssertGreaterThan(checked, 30)
        print("\(family): \(checked) tensors after 5 steps; worst |Docket − torch| / f32-f64 gap = \(worstRatio)")
    }
}
