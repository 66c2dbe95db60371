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
        let ref = try trainingFixture("steps_\(family)")
        let model = try dropoutFreeModel("encoder/tiny-\(family)")
        let examples = try stepExamples(ref)
        var o = TrainingOptions()
        o.maxSteps = 5; o.batchSize = 4; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 2; o.gradClip = 1.0; o.schedule = .linear
        let losses = try stepLosses(try parityTrainer(model, o, examples))

        // Loss before each step: f32 forward of a 2-layer model, ≲1e-6 from torch; 1e-4 bound.
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) losses")
        // Tolerance: 10× the float32-vs-float64 gap of each tensor after the same 5 steps (Adam
        // normalises each update, so elements whose gradient is near zero amplify rounding: gaps
        // range ~1e-7…1e-3 by tensor), floored at 1e-6.
        let worstRatio = try assertWeightsMatch(model.parameters, ref, family)
        let checked = model.parameters.entries.count
        print("\(family): \(checked) tensors after 5 steps; worst |Docket − torch| / f32-f64 gap = \(worstRatio)")
    }
}
