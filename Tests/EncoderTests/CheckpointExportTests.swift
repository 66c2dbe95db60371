// Writes Docket checkpoints plus the logits Docket computes for them, for
// Scripts/checks/check_checkpoint_in_pytorch.py to load with transformers' from_pretrained and compare.
// Runs only when DOCKET_EXPORT_DIR is set (the script sets it); skips otherwise.
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
import XCTest

final class CheckpointExportTests: XCTestCase {
    func testExportCheckpointsForPyTorch() throws {
        guard let out = ProcessInfo.processInfo.environment["DOCKET_EXPORT_DIR"], !out.isEmpty else {
            throw XCTSkip("set DOCKET_EXPORT_DIR (Scripts/checks/check_checkpoint_in_pytorch.py does) to export checkpoints")
        }
        let root = URL(fileURLWithPath: out)
        var models: [(String, EncoderModel)] = []
        // 1. fresh DistilBERT and BERT with larger init so logits are far from zero
        for family in [ModelFamily.distilbert, .bert] {
            let config = ModelConfig(family: family, hiddenSize: 48, numLayers: 3, numHeads: 6, intermediateSize: 96,
                                     vocabSize: 120, maxPositions: 32, initializerRange: 0.2,
                                     labels: ["nda", "lease", "pleading", "memo"])
            models.append(("fresh-\(family.rawValue)", try EncoderModel(config: config, seed: 11)))
        }
        // 1b. a multi-label BERT (problem_type multi_label_classification in config.json)
        let multi = ModelConfig(family: .bert, hiddenSize: 48, numLayers: 2, numHeads: 6, intermediateSize: 96,
                                vocabSize: 120, maxPositions: 32, initializerRange: 0.2,
                                labels: ["antitrust", "employment", "privacy", "tax", "ip"], problemType: .multiLabel)
        models.append(("multilabel-bert", try EncoderModel(config: multi, seed: 12)))
        // 2. tiny BERT reloaded with new labels (a created classifier)
        let tiny = fixturesDirectory.appendingPathComponent("encoder/tiny-bert")
        models.append(("relabelled-bert", try EncoderModel.load(directory: tiny, labels: ["x", "y"], seed: 4).model))
        // 3. the real MiniLM with a created 3-way head, when installed
        if let dir = try? miniLMDirectory() {
            models.append(("minilm-head", try EncoderModel.load(directory: dir, labels: ["a", "b", "c"], seed: 9).model))
        }
        let (b, t) = (3, 9)
        let lengths = [9, 1, 5]
        for (name, model) in models {
            var rng = SeededRNG(seed: 77)
            var ids = [Int32](repeating: 0, count: b * t), mask = ids, types = ids
            for i in 0..<b {
                for j in 0..<lengths[i] {
                    ids[i * t + j] = Int32(1 + Int(rng.next() % UInt64(min(model.config.vocabSize, 2000) - 1)))
                    mask[i * t + j] = 1
                    types[i * t + j] = j >= lengths[i] / 2 && model.config.family == .bert ? 1 : 0
                }
            }
            let ws = try model.makeWorkspace(maxBatch: b, maxSeqLen: t, training: false)
            let logits = try model.forward(ids: ids, typeIds: types, mask: mask, batch: b, seqLen: t, workspace: ws, rng: &rng)
            let dir = root.appendingPathComponent(name)
            try model.save(to: dir)
            let record: [String: Any] = ["input_ids": ids.map(Int.init), "attention_mask": mask.map(Int.init),
                                         "token_type_ids": types.map(Int.init), "batch": b, "seq_len": t,
                                         "logits": Array(logits).map(Double.init)]
            try JSONSerialization.data(withJSONObject: record).write(to: dir.appendingPathComponent("docket_logits.json"))
        }
    }
}
