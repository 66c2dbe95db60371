// Inference-only models (`preparedForInference(precision:releasingFP32Weights: true)`): the
// FP32 pages of the packed block linears are given back to the OS, the reduced-precision
// forward is bit-identical to the one of a model that kept them, everything else in the
// parameter buffer is untouched, and every operation that would read the released weights
// (FP32 / training forwards, backward, saving, preparing another precision, copying the
// buffer) throws instead of computing with zeros. The model is random and just large enough
// (256 wide, 1024 FFN: 64–256 pages per linear) for whole pages to be released.
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
import XCTest

final class InferenceOnlyModelTests: XCTestCase {
    private let config = ModelConfig(family: .bert, hiddenSize: 256, numLayers: 2, numHeads: 4, intermediateSize: 1024,
                                     vocabSize: 500, maxPositions: 32, labels: ["a", "b", "c"])
    private let (batch, seqLen) = (3, 12)

    /// Seeded ids with the last 4 positions of sequence 1 padded.
    private func inputs() -> (ids: [Int32], types: [Int32], mask: [Int32]) {
        var rng = SeededRNG(seed: 3)
        let n = batch * seqLen
        let ids = (0..<n).map { _ in Int32(5 + Int(rng.next() % 495)) }
        let types = (0..<n).map { Int32(($0 % seqLen) >= seqLen / 2 ? 1 : 0) }
        let mask = (0..<n).map { Int32($0 / seqLen == 1 && $0 % seqLen >= seqLen - 4 ? 0 : 1) }
        return (ids, types, mask)
    }

    private func logits(_ m: EncoderModel, training: Bool = false) throws -> [Float] {
        let x = inputs()
        let ws = try m.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: training)
        return Array(try m.logits(ids: x.ids, typeIds: x.types, mask: x.mask, batch: batch, seqLen: seqLen, workspace: ws))
    }

    private func hiddenStates(_ m: EncoderModel) throws -> [[Float]] {
        let x = inputs()
        let ws = try m.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: false)
        return try m.hiddenStates(ids: x.ids, typeIds: x.types, mask: x.mask, batch: batch, seqLen: seqLen, workspace: ws)
    }

    /// The reduced precisions this CPU runs (skips the test when none).
    private func precisions() throws -> [InferencePrecision] {
        let p = (BF16Support.isAvailable ? [InferencePrecision.bf16] : []) + (Int8Support.isAvailable ? [.int8] : [])
        guard !p.isEmpty else { throw XCTSkip("this CPU has neither AVX512_BF16 nor AVX512_VNNI: no reduced precision to prepare") }
        return p
    }

    private func assertReleased<T>(_ expression: @autoclosure () throws -> T, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), what, file: file, line: line) { error in
            guard case EncoderError.fp32WeightsReleased = error else {
                return XCTFail("\(what): expected fp32WeightsReleased, got \(error)", file: file, line: line)
            }
        }
    }

    func testReleasedModelGivesTheSameReducedLogitsAndKeepsTheOtherTensors() throws {
        for precision in try precisions() {
            let kept = try EncoderModel(config: config, seed: 7), owned = try EncoderModel(config: config, seed: 7)
            let reference = try kept.preparedForInference(precision: precision)
            let released = try owned.preparedForInference(precision: precision, releasingFP32Weights: true)
            XCTAssertFalse(reference.isInferenceOnly)
            XCTAssertTrue(released.isInferenceOnly && owned.isInferenceOnly, "the buffer is shared: both are inference-only")
            XCTAssertEqual(released.inferencePrecision, precision)
            XCTAssertEqual(try logits(released), try logits(reference), "\(precision) logits after the release")
            XCTAssertEqual(try hiddenStates(released), try hiddenStates(reference), "\(precision) hidden states")

            let linears = (0..<config.numLayers).flatMap { l in
                [BlockTensor.queryWeight, .keyWeight, .valueWeight, .attnOutWeight, .ffnInWeight, .ffnOutWeight]
                    .map { config.parameterName(.block(l, $0)) }
            }
            XCTAssertEqual(owned.parameters.releasedEntries, linears, "exactly the 6 block linears of every layer, in order")
            for e in owned.parameters.entries {
                let a = try kept.parameters.buffer(e.name), b = try owned.parameters.buffer(e.name)
                if linears.contains(e.name) {
                    // MADV_DONTNEED really dropped the pages: the middle of the range reads as zeros now.
                    XCTAssertNotEqual(a[e.count / 2], 0)
                    XCTAssertEqual(b[e.count / 2], 0, "\(e.name): page still resident")
                } else {
                    XCTAssertEqual(Array(a), Array(b), "\(e.name) must be untouched")
                }
            }
            XCTAssertTrue(try released.preparedForInference(precision: precision) === released,
                          "preparing an inference-only model for its own precision returns it")
        }
    }

    func testInferenceOnlyModelRefusesEverythingThatReadsFP32Weights() throws {
        let precision = try precisions()[0]
        let fp32 = try EncoderModel(config: config, seed: 7)
        let trainingSpace = try fp32.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: true)
        let released = try fp32.preparedForInference(precision: precision, releasingFP32Weights: true)
        let x = inputs()
        var rng = SeededRNG(seed: 1)

        assertReleased(try logits(fp32), "FP32 forward of the model sharing the buffer")
        assertReleased(try released.preparedForInference(precision: .fp32), "preparing fp32")
        assertReleased(try released.preparedForInference(precision: precision == .int8 ? .bf16 : .int8), "preparing the other precision")
        assertReleased(try fp32.preparedForInference(precision: precision), "re-packing from released weights")
        assertReleased(try released.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: true), "a training workspace")
        assertReleased(try released.forward(ids: x.ids, typeIds: x.types, mask: x.mask, batch: batch, seqLen: seqLen,
                                            workspace: trainingSpace, training: true, rng: &rng), "a training forward")
        assertReleased(try released.logits(ids: x.ids, typeIds: x.types, mask: x.mask, batch: batch, seqLen: seqLen,
                                           workspace: trainingSpace), "an inference forward on a training workspace")
        let gradients = released.makeGradientBuffer()
        let dLogits = [Float](repeating: 0.1, count: batch * config.numLabels)
        assertReleased(try released.backward(dLogits: dLogits, workspace: trainingSpace, gradients: gradients), "backward")

        let scratch = try ScratchDirectory(prefix: "inference-only")
        defer { try? FileManager.default.removeItem(at: scratch.url) }
        let target = scratch.url.appendingPathComponent("checkpoint")
        assertReleased(try released.save(to: target), "saving")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "a refused save writes nothing")

        XCTAssertThrowsError(try gradients.copy(from: released.parameters)) { error in
            XCTAssertEqual(error as? KernelsError, .releasedStorage(config.parameterName(.block(0, .queryWeight))))
        }
        XCTAssertEqual(try logits(released).count, batch * config.numLabels, "inference at \(precision) still runs")
    }

    func testFP32AndUnreleasedModelsAreUnaffected() throws {
        let model = try EncoderModel(config: config, seed: 7)
        XCTAssertFalse(model.isInferenceOnly)
        XCTAssertTrue(try model.preparedForInference(precision: .fp32, releasingFP32Weights: true) === model,
                      "fp32 has nothing packed, so nothing is released")
        XCTAssertFalse(model.isInferenceOnly)
        XCTAssertEqual(try logits(model, training: true).count, batch * config.numLabels, "training workspaces still run")
        XCTAssertTrue(model.parameters.releasedEntries.isEmpty)
    }
}
