// The real all-MiniLM-L6-v2 checkpoint (a bare BertModel: no `bert.` prefix, no classifier)
// on 8 legal sentences written for this test (Scripts/fixtures/make_encoder_fixtures.py): hidden states
// of layer 3 and the last layer equal PyTorch's within 1e-4 on every real (unpadded) token.
// Skips when the checkpoint is not installed.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

final class MiniLMParityTests: XCTestCase {
    func testMiniLMHiddenStatesMatchPyTorch() throws {
        let dir = try miniLMDirectory()
        let (model, notices) = try EncoderModel.load(directory: dir)
        // BertModel checkpoint: pooler present, classifier created (HF does the same).
        XCTAssertEqual(notices.count, 2, "\(notices)")
        XCTAssertTrue(notices.allSatisfy { $0.contains("classifier") }, "\(notices)")
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/minilm-ref.safetensors"))
        let shape = try ref.info("input_ids").shape
        let (b, t, c) = (shape[0], shape[1], model.config.hiddenSize)
        let ids = try ref.floats("input_ids").map { Int32($0) }, mask = try ref.floats("attention_mask").map { Int32($0) }
        let ws = try model.makeWorkspace(maxBatch: b, maxSeqLen: t, training: false)
        let states = try model.hiddenStates(ids: ids, mask: mask, batch: b, seqLen: t, workspace: ws)
        for layer in [3, 6] {
            // keep the rows of real tokens only (the fixture stores those, in (b, t) order)
            var valid: [Float] = []
            for r in 0..<(b * t) where mask[r] != 0 { valid += states[layer][(r * c)..<((r + 1) * c)] }
            let expected = try ref.floats("hidden.\(layer)")
            // measured float32-vs-float64 gap 2.3e-6 (layer 3), 1.6e-6 (layer 6); required 1e-4
            assertClose(valid, expected, atol: 1e-4, "MiniLM hidden.\(layer)")
            print("MiniLM hidden.\(layer): max |diff| vs PyTorch \(maxAbsDiff(valid, expected)) over \(valid.count / c) tokens")
        }
    }
}
