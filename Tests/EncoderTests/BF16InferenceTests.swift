// BF16 inference (EncoderModel.preparedForInference(precision: .bf16)) against the FP32
// forward of the same model: the tiny DistilBERT/BERT fixtures and the real all-MiniLM-L6-v2.
//
// The bound, derived from bf16's 8 significant bits (unit roundoff u = 2⁻⁸): each linear
// rounds both operands, so every product carries a relative error ≤ 2u with independent
// signs; over a K-term dot product the error's RMS is ≈ (2u/√3)·RMS(output) (uniform rounding
// errors have RMS u/√3 relative). A layer applies 4 linears in sequence (v → out; FFN in →
// FFN out; q and k enter through the softmax), LayerNorm rescales to RMS ≈ |γ|, so after L
// layers the relative RMS error is ≈ (2u/√3)·√(4L) if the errors add in quadrature. The
// maximum over the elements is allowed 5× that RMS (a Gaussian tail over ≤ 10⁵ elements
// stays under 4.5σ) and a further 2× for amplification through softmax and GELU:
//     max |bf16 − fp32| ≤ 10 · (2u/√3) · √(4L) · RMS(fp32 values)
// Logits are compared the same way against the RMS of the last hidden state times the
// head's gain (RMS(logits) / RMS(hidden), measured from the FP32 run).
// Measured (max |Δ| / bound): tiny DistilBERT hidden.2 0.035 / 0.123, logits 0.036 / 0.42;
// tiny BERT hidden.2 0.032 / 0.125, logits 0.015 / 0.080; MiniLM hidden.6 0.017 / 0.091
// (RMS 0.41), logits 1.8e-4 / 5.3e-3.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

final class BF16InferenceTests: XCTestCase {
    override func setUpWithError() throws {
        guard BF16Support.isAvailable else {
            throw XCTSkip("this CPU (or DOCKET_DISABLE_BF16=1) has no AVX512_BF16: bf16 inference cannot run here")
        }
    }

    static let u = 0x1p-8

    static func bound(rms: Double, layers: Int) -> Double {
        10 * (2 * u / 3.0.squareRoot()) * Double(4 * layers).squareRoot() * rms
    }

    static func rms(_ x: [Float]) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
    }

    struct Run { let states: [[Float]]; let logits: [Float] }

    func run(_ model: EncoderModel, ids: [Int32], typeIds: [Int32]?, mask: [Int32], batch: Int, seqLen: Int,
             training: Bool = false) throws -> Run {
        let ws = try model.makeWorkspace(maxBatch: batch, maxSeqLen: seqLen, training: training)
        let states = training ? [] : try model.hiddenStates(ids: ids, typeIds: typeIds, mask: mask, batch: batch,
                                                             seqLen: seqLen, workspace: ws)
        var rng = SeededRNG(seed: 1)
        let logits = try model.forward(ids: ids, typeIds: typeIds, mask: mask, batch: batch, seqLen: seqLen,
                                       workspace: ws, rng: &rng)
        return Run(states: states, logits: Array(logits))
    }

    /// Compares bf16 with fp32 on every hidden state (rows where `keep` is true) and the logits.
    func compare(_ name: String, fp32: Run, bf16: Run, layers: Int, hidden: Int, keep: (Int) -> Bool) {
        func rows(_ x: [Float]) -> [Float] {
            var out: [Float] = []
            for r in 0..<(x.count / hidden) where keep(r) { out += x[(r * hidden)..<((r + 1) * hidden)] }
            return out
        }
        for l in 1...layers {
            let a = rows(fp32.states[l]), b = rows(bf16.states[l])
            let bound = Self.bound(rms: Self.rms(a), layers: l)
            assertClose(b, a, atol: bound, "\(name) bf16 hidden.\(l)")
            print("\(name) hidden.\(l): max |bf16 − fp32| \(maxAbsDiff(b, a)), bound \(bound), RMS \(Self.rms(a))")
        }
        let gain = Self.rms(fp32.logits) / max(Self.rms(rows(fp32.states[layers])), 1e-30)
        let bound = Self.bound(rms: Self.rms(rows(fp32.states[layers])), layers: layers) * gain
        assertClose(bf16.logits, fp32.logits, atol: bound, "\(name) bf16 logits")
        print("\(name) logits: max |bf16 − fp32| \(maxAbsDiff(bf16.logits, fp32.logits)), bound \(bound), RMS \(Self.rms(fp32.logits))")
    }

    func checkTiny(_ family: String) throws {
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        let ref = try TinyReference("tiny-\(family)-ref.safetensors")
        let go = { (m: EncoderModel) in
            try self.run(m, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch, seqLen: ref.seqLen)
        }
        let before = try go(model)
        let bf16 = try model.preparedForInference(precision: .bf16)
        XCTAssertEqual(model.inferencePrecision, .fp32)
        XCTAssertEqual(bf16.inferencePrecision, .bf16)
        let reduced = try go(bf16)
        compare("tiny \(family)", fp32: before, bf16: reduced, layers: model.config.numLayers,
                hidden: model.config.hiddenSize) { ref.mask[$0] != 0 }

        // FP32 unchanged: the original model, and an FP32 model made back from the bf16 one.
        let after = try go(model), back = try go(try bf16.preparedForInference(precision: .fp32))
        XCTAssertEqual(after.logits, before.logits, "FP32 logits changed after preparing a bf16 sibling")
        XCTAssertEqual(after.states, before.states)
        XCTAssertEqual(back.logits, before.logits, "bf16 → fp32 model must be the FP32 model")
        XCTAssertTrue(try model.preparedForInference(precision: .fp32) === model)

        // Training workspaces ignore the bf16 weights.
        let trainFP32 = try run(model, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                seqLen: ref.seqLen, training: true)
        let trainBF16 = try run(bf16, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                seqLen: ref.seqLen, training: true)
        XCTAssertEqual(trainBF16.logits, trainFP32.logits, "a training workspace must run FP32")
    }

    func testTinyDistilBertBF16NearFP32() throws { try checkTiny("distilbert") }
    func testTinyBertBF16NearFP32() throws { try checkTiny("bert") }

    func testMiniLMBF16NearFP32() throws {
        let (model, _) = try EncoderModel.load(directory: try miniLMDirectory())
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/minilm-ref.safetensors"))
        let shape = try ref.info("input_ids").shape
        let (b, t) = (shape[0], shape[1])
        let ids = try ref.floats("input_ids").map { Int32($0) }, mask = try ref.floats("attention_mask").map { Int32($0) }
        let fp32 = try run(model, ids: ids, typeIds: nil, mask: mask, batch: b, seqLen: t)
        let bf16 = try run(try model.preparedForInference(precision: .bf16), ids: ids, typeIds: nil,
                           mask: mask, batch: b, seqLen: t)
        compare("MiniLM", fp32: fp32, bf16: bf16, layers: model.config.numLayers,
                hidden: model.config.hiddenSize) { mask[$0] != 0 }
    }
}
