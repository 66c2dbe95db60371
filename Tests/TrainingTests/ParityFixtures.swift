// What the training parity tests share (Scripts/fixtures/training_reference.py on the Python
// side): a fixture's tiny classifier with dropout off, the examples of a fixture's padded
// batch, a Trainer over them that records each step's loss, and the weights-after comparison
// within each tensor's float32-vs-float64 gap.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

/// The step fixture Tests/Fixtures/training/NAME.safetensors.
func trainingFixture(_ name: String) throws -> SafeTensorsFile {
    try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("training/\(name).safetensors"))
}

/// The checkpoint in Tests/Fixtures/DIRECTORY with dropout off (and `pooling` when given), its
/// weights copied: PyTorch's model in eval mode, whose gradients still flow.
func dropoutFreeModel(_ directory: String, pooling: HeadPooling? = nil) throws -> EncoderModel {
    let (loaded, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent(directory))
    var config = loaded.config.withDropout(0)
    if let pooling { config.pooling = pooling }
    let model = try EncoderModel(config: config, seed: 0)
    try model.parameters.copy(from: loaded.parameters)
    return model
}

/// A Trainer of `model` on `examples` with no dev set, no state and no log.
func parityTrainer(_ model: EncoderModel, _ options: TrainingOptions, _ examples: [TrainingExample]) throws -> Trainer {
    try Trainer(model: EncoderTrainable(model: model), options: options, labels: model.config.labels,
                train: examples, dev: nil, stateDirectory: nil, logURL: nil)
}

/// Runs `trainer` to the end and returns the loss of each optimizer step.
func stepLosses(_ trainer: Trainer) throws -> [Double] {
    var losses: [Double] = []
    trainer.onProgress = { if $0.evaluation == nil { losses.append($0.loss) } }
    _ = try trainer.run()
    return losses
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

/// Every tensor of `buffer` equals the fixture's `<tensor>.<name>` within 10× its
/// float32-vs-float64 gap (metadata `<gap>.<name>`, floored at `floor`); returns the worst
/// |diff| / gap ratio.
@discardableResult
func assertTensorsMatch(_ buffer: ParameterBuffer, _ ref: SafeTensorsFile, tensor: String = "after", gap gapKey: String = "gap",
                        floor: Double = 1e-6, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    var worstRatio = 0.0
    for e in buffer.entries {
        let want = try ref.floats("\(tensor).\(e.name)")
        let got = Array(try buffer.buffer(e.name))
        let gap = Double(ref.metadata["\(gapKey).\(e.name)"] ?? "") ?? 0
        assertClose(got, want, atol: 10 * max(gap, floor), "\(label) \(e.name)", file: file, line: line)
        worstRatio = max(worstRatio, maxAbsDiff(got, want) / max(gap, floor))
    }
    return worstRatio
}

/// The weights after the fixture's steps (`after.<name>`, gaps `gap.<name>`, floor 1e-6), every
/// tensor of a whole classifier (more than 30); returns the worst |diff| / gap ratio.
@discardableResult
func assertWeightsMatch(_ parameters: ParameterBuffer, _ ref: SafeTensorsFile, _ label: String,
                        file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    let worstRatio = try assertTensorsMatch(parameters, ref, label, file: file, line: line)
    XCTAssertGreaterThan(parameters.entries.count, 30, file: file, line: line)
    return worstRatio
}
