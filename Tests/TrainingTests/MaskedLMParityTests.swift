// Masked-LM pretraining against PyTorch: the tiny DistilBERT / BERT encoders of
// Tests/Fixtures/encoder as Distil/BertForMaskedLM (decoder tied to the word embeddings, the
// head transformers created exported as init.*), one padded batch with the masks PyTorch drew
// (the fixture's corrupted input_ids and labels), dropout off, 3 MaskedLMTrainer steps (CE over
// masked positions → backward → clip 1.0 → AdamW, linear decay); losses and every parameter
// compared by HF name (Scripts/fixtures/make_mlm_fixtures.py). Also: the masking's statistics and
// determinism, and the masked-LM checkpoint's names and round trip.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class MaskedLMParityTests: XCTestCase {
    func testDistilBertMaskedLMStepsMatchPyTorch() throws { try check("distilbert") }
    func testBertMaskedLMStepsMatchPyTorch() throws { try check("bert") }

    private func tinyMaskedLM(_ family: String) throws -> (EncoderModel, [String]) {
        let (loaded, notices) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"),
                                                      objective: .maskedLM)
        let model = try EncoderModel(config: loaded.config.withDropout(0), seed: 0, objective: .maskedLM)
        try model.parameters.copy(from: loaded.parameters)
        return (model, notices)
    }

    private func check(_ family: String) throws {
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("training/mlm_\(family).safetensors"))
        let (model, notices) = try tinyMaskedLM(family)
        XCTAssertEqual(notices.count, 5, "the 5 masked-LM head tensors are created: \(notices)")
        XCTAssertFalse(model.layout.contains { $0.role.isHead }, "no pooler / classifier in a masked LM")
        for spec in model.layout where spec.role.isMaskedLMHead {
            try model.parameters.buffer(spec.name).update(fromContentsOf: try ref.floats("init.\(spec.name)"))
        }
        let ids = try ref.floats("input_ids").map { Int32($0) }, labels = try ref.floats("labels").map { Int32($0) }
        let mask = try ref.floats("attention_mask"), types = try ref.floats("token_type_ids").map { Int32($0) }
        let b = 4, t = ids.count / b
        let examples = (0..<b).map { r in
            let n = Int(mask[(r * t)..<((r + 1) * t)].reduce(0, +))
            return TrainingExample(ids: Array(ids[(r * t)..<(r * t + n)]), typeIds: Array(types[(r * t)..<(r * t + n)]), label: 0)
        }
        var o = TrainingOptions()
        o.maxSteps = 3; o.batchSize = 4; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 0; o.gradClip = 1.0; o.schedule = .linear
        let masking = MaskedLMMasking(maskId: 3, vocabSize: model.config.vocabSize, specialIds: [])
        let trainer = try MaskedLMTrainer(model: model, options: o, masking: masking, examples: examples,
                                          stateDirectory: nil, logURL: nil)
        trainer.maskOverride = { _, batch in
            XCTAssertEqual(batch.seqLen, t)
            batch.ids = ids  // PyTorch's corrupted inputs (padding id 0 as in TokenBatch)
            return labels
        }
        var losses: [Double] = []
        trainer.onProgress = { losses.append($0.loss) }
        _ = try trainer.run()
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) masked-LM losses")
        let worst = try assertWeightsMatch(model.parameters, ref, "\(family) masked LM")
        print("\(family) masked LM: 3 steps; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }

    /// 15% of the non-special, non-padding tokens selected; of those 80% [MASK], 10% random,
    /// 10% unchanged; the same seed and step give the same masks.
    func testMaskingFollowsTheDataCollatorsDistribution() throws {
        let n = 200, t = 64
        let examples = (0..<n).map { i in
            let body: [Int32] = (0..<(t - 2 - i % 7)).map { j -> Int32 in Int32(10 + (j * 7 + i) % 90) }
            return TrainingExample(ids: [2] + body + [3], label: 0)
        }
        let masking = MaskedLMMasking(maskId: 4, vocabSize: 100, specialIds: [0, 1, 2, 3, 4])
        var selected = 0, masked = 0, random = 0, unchanged = 0, eligible = 0
        for step in 0..<4 {
            let indices = Array((step * 50)..<((step + 1) * 50))
            var batch = TokenBatch(examples: examples, indices: indices, padId: 0)
            let original = batch.ids
            var rng = MaskedLMMasking.stepRNG(seed: 7, step: step)
            let labels = masking.apply(to: &batch, rng: &rng)
            var again = TokenBatch(examples: examples, indices: indices, padId: 0)
            var rng2 = MaskedLMMasking.stepRNG(seed: 7, step: step)
            XCTAssertEqual(masking.apply(to: &again, rng: &rng2), labels)
            XCTAssertEqual(again.ids, batch.ids, "deterministic for a seed and step")
            for i in original.indices {
                let special = batch.mask[i] == 0 || original[i] < 5
                if !special { eligible += 1 }
                guard labels[i] != maskedLMIgnoreLabel else { XCTAssertEqual(batch.ids[i], original[i]); continue }
                XCTAssertFalse(special, "special tokens and padding are never selected")
                XCTAssertEqual(labels[i], original[i])
                selected += 1
                if batch.ids[i] == 4 { masked += 1 } else if batch.ids[i] == original[i] { unchanged += 1 } else { random += 1 }
            }
        }
        let rate = Double(selected) / Double(eligible)
        XCTAssertEqual(rate, 0.15, accuracy: 0.01, "selection rate over \(eligible) tokens")
        XCTAssertEqual(Double(masked) / Double(selected), 0.8, accuracy: 0.03)
        // a random draw can hit the original id (1 in 100): counted as unchanged
        XCTAssertEqual(Double(random) / Double(selected), 0.1, accuracy: 0.025)
        XCTAssertEqual(Double(unchanged) / Double(selected), 0.1, accuracy: 0.025)
        var r1 = MaskedLMMasking.stepRNG(seed: 7, step: 0), r2 = MaskedLMMasking.stepRNG(seed: 7, step: 1)
        XCTAssertNotEqual(r1.next(), r2.next(), "each step draws other masks")
    }

    /// Saved with HF's masked-LM names (no decoder weight: tied), config architectures
    /// *ForMaskedLM; reloads as a masked LM unchanged and as a classifier with its encoder.
    func testMaskedLMCheckpointNamesAndRoundTrip() throws {
        let scratch = try ScratchDirectory(prefix: "mlm-checkpoint")
        defer { scratch.remove() }
        for (family, head) in [("bert", "cls.predictions.bias"), ("distilbert", "vocab_projector.bias")] {
            let (model, _) = try tinyMaskedLM(family)
            let dir = scratch.url.appendingPathComponent(family)
            try model.save(to: dir)
            let file = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("model.safetensors"))
            XCTAssertTrue(file.contains(head))
            XCTAssertFalse(file.contains("classifier.weight"))
            XCTAssertFalse(file.names.contains { $0.contains("decoder.weight") || $0.contains("vocab_projector.weight") })
            let config = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("config.json"))) as? [String: Any]
            XCTAssertEqual(config?["architectures"] as? [String], [model.config.maskedLMArchitecture])
            let (again, notices) = try EncoderModel.load(directory: dir, objective: .maskedLM)
            XCTAssertEqual(notices, [])
            XCTAssertEqual(Array(try again.parameters.buffer(head)), Array(try model.parameters.buffer(head)))
            let (classifier, created) = try EncoderModel.load(directory: dir)
            XCTAssertEqual(created.count, 4, "pooler/pre_classifier and classifier created: \(created)")
            let word = model.config.parameterName(.wordEmbeddings)
            XCTAssertEqual(Array(try classifier.parameters.buffer(word)), Array(try model.parameters.buffer(word)))
        }
    }
}
