// What the bf16 and int8 inference tests share: running a model on fixture inputs, the RMS
// and kept-row helpers, the "FP32 untouched, training stays FP32" checks on the tiny
// fixtures, and the real-MiniLM inputs. Each test keeps its own error bound.
import DocketBase
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

/// One forward's hidden states (eval mode; empty for a training workspace) and logits.
struct PrecisionRun { let states: [[Float]]; let logits: [Float] }

func precisionRun(_ model: EncoderModel, ids: [Int32], typeIds: [Int32]?, mask: [Int32], batch: Int, seqLen: Int,
                  training: Bool = false) throws -> PrecisionRun {
    let ws = try model.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: training)
    let states = training ? [] : try model.hiddenStates(ids: ids, typeIds: typeIds, mask: mask, batch: batch,
                                                         seqLen: seqLen, workspace: ws)
    var rng = SeededRNG(seed: 1)
    let logits = try model.forward(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                                   workspace: ws, rng: &rng)
    return PrecisionRun(states: states, logits: Array(logits))
}

func rootMeanSquare(_ x: [Float]) -> Double {
    (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
}

/// The rows (each `hidden` wide) of x whose index passes `keep` (real tokens), concatenated.
func keptRows(_ x: [Float], hidden: Int, _ keep: (Int) -> Bool) -> [Float] {
    var out: [Float] = []
    for r in 0..<(x.count / hidden) where keep(r) { out += x[(r * hidden)..<((r + 1) * hidden)] }
    return out
}

/// A tiny fixture model at FP32 and prepared at `precision`, with both runs; also checks that
/// preparing the sibling leaves FP32 untouched (before and after, and back from the sibling)
/// and that training workspaces of the sibling run FP32.
func tinyPrecisionRuns(_ family: String, precision: InferencePrecision)
    throws -> (model: EncoderModel, fp32: PrecisionRun, reduced: PrecisionRun, realToken: (Int) -> Bool) {
    let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
    let ref = try TinyReference("tiny-\(family)-ref.safetensors")
    func go(_ m: EncoderModel, training: Bool = false) throws -> PrecisionRun {
        try precisionRun(m, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch, seqLen: ref.seqLen,
                         training: training)
    }
    let before = try go(model)
    let sibling = try model.preparedForInference(precision: precision)
    XCTAssertEqual(model.inferencePrecision, .fp32)
    XCTAssertEqual(sibling.inferencePrecision, precision)
    let reduced = try go(sibling)

    let after = try go(model), back = try go(try sibling.preparedForInference(precision: .fp32))
    XCTAssertEqual(after.logits, before.logits, "FP32 logits changed after preparing a \(precision) sibling")
    XCTAssertEqual(after.states, before.states)
    XCTAssertEqual(back.logits, before.logits, "\(precision) → fp32 model must be the FP32 model")
    XCTAssertTrue(try model.preparedForInference(precision: .fp32) === model)
    XCTAssertEqual(try go(sibling, training: true).logits, try go(model, training: true).logits,
                   "a training workspace must run FP32")
    let mask = ref.mask
    return (model, before, reduced, { mask[$0] != 0 })
}

/// all-MiniLM-L6-v2 (skips when absent) on the committed reference inputs, at FP32 and at
/// `precision`.
func miniLMPrecisionRuns(precision: InferencePrecision)
    throws -> (model: EncoderModel, fp32: PrecisionRun, reduced: PrecisionRun, realToken: (Int) -> Bool) {
    let (model, _) = try EncoderModel.load(directory: try miniLMDirectory())
    let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/minilm-ref.safetensors"))
    let shape = try ref.info("input_ids").shape
    let (b, t) = (shape[0], shape[1])
    let ids = try ref.floats("input_ids").map { Int32($0) }, mask = try ref.floats("attention_mask").map { Int32($0) }
    let fp32 = try precisionRun(model, ids: ids, typeIds: nil, mask: mask, batch: b, seqLen: t)
    let reduced = try precisionRun(try model.preparedForInference(precision: precision), ids: ids, typeIds: nil,
                                   mask: mask, batch: b, seqLen: t)
    return (model, fp32, reduced, { mask[$0] != 0 })
}
