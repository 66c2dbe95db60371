// INT8 inference (EncoderModel.preparedForInference(precision: .int8)) against the FP32 forward
// of the same model: the tiny DistilBERT/BERT fixtures and the real all-MiniLM-L6-v2.
//
// The bound. A linear quantizes its input row with step s_x = range/255 and each weight row
// with step s_w = max/127; rounding errors are uniform (RMS s/√12) and independent, so the
// output's relative RMS error is ≈ (s_x/RMS(x) + s_w/RMS(w))/√12 = (c_x/127.5 + c_w/127)/√12,
// c = max/RMS of a row (its crest factor; range/2 ≤ max for x). Gaussian weight rows of
// 32–3072 values have c_w ≈ 2.5–4.5; activation rows are heavier-tailed (LayerNorm outlier
// channels, GELU): we allow c_x + c_w ≤ 24, i.e. ε = 24/(127·√12) ≈ 0.055 per linear. As for
// bf16, a layer applies 4 linears in sequence and LayerNorm rescales to RMS ≈ |γ|, so after L
// layers the relative RMS error is ≈ ε·√(4L) if the errors add in quadrature; allowing 2× for
// amplification through softmax and GELU:
//     RMS(int8 − fp32) ≤ 2 · ε · √(4L) · RMS(fp32)
//     max |int8 − fp32| ≤ 5 × that (a Gaussian tail over ≤ 10⁵ elements stays under 4.5σ)
// Logits: the same with RMS(fp32) replaced by RMS(last hidden state) × the head's gain
// (RMS(logits) / RMS(hidden), measured from the FP32 run). A wrong product (e.g. a lost zero
// point or a scrambled panel) gives RMS errors ≈ √2 · RMS, far above the bound (0.22–0.54 of
// RMS for L = 1…6).
// Measured (fractions of the RMS / max bounds; the tests print them): tiny DistilBERT hidden.2
// 0.10 / 0.10, logits 0.04 / 0.01; tiny BERT hidden.2 0.09 / 0.05, logits 0.16 / 0.07; MiniLM
// hidden.1–6 0.08–0.10 / 0.13–0.44 (RMS(Δ) 0.011–0.023 against RMS 0.41–0.62; the largest
// max |Δ| sits on MiniLM's outlier channels), logits 0.09 / 0.04. The bound is pessimistic
// (errors entering q and k are damped by the softmax, the residual path carries none), which
// is the direction a test bound should err in.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

final class Int8InferenceTests: XCTestCase {
    override func setUpWithError() throws {
        guard Int8Support.isAvailable else {
            throw XCTSkip("this CPU (or DOCKET_DISABLE_INT8=1) has no AVX512_VNNI: int8 inference cannot run here")
        }
    }

    static let epsilon = 24 / (127 * 12.0.squareRoot())

    /// The bound on RMS(int8 − fp32) after `layers` layers for values of RMS `rms`.
    static func rmsBound(rms: Double, layers: Int) -> Double {
        2 * epsilon * Double(4 * layers).squareRoot() * rms
    }

    static func rms(_ x: [Float]) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
    }

    static func rmsDiff(_ a: [Float], _ b: [Float]) -> Double {
        (zip(a, b).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) } / Double(max(1, a.count))).squareRoot()
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

    /// Checks one tensor against both bounds and prints the measured fractions of them.
    func check(_ label: String, int8: [Float], fp32: [Float], rmsBound: Double) {
        let rmsErr = Self.rmsDiff(int8, fp32), maxErr = maxAbsDiff(int8, fp32)
        XCTAssertLessThanOrEqual(rmsErr, rmsBound, "\(label): RMS(int8 − fp32)")
        XCTAssertLessThanOrEqual(maxErr, 5 * rmsBound, "\(label): max |int8 − fp32|")
        print(String(format: "%@: RMS(Δ) %.3g = %.3f of bound, max |Δ| %.3g = %.3f of bound (RMS fp32 %.3g)",
                     label, rmsErr, rmsErr / rmsBound, maxErr, maxErr / (5 * rmsBound), Self.rms(fp32)))
    }

    /// Compares int8 with fp32 on every hidden state (rows where `keep` is true) and the logits.
    func compare(_ name: String, fp32: Run, int8: Run, layers: Int, hidden: Int, keep: (Int) -> Bool) {
        func rows(_ x: [Float]) -> [Float] {
            var out: [Float] = []
            for r in 0..<(x.count / hidden) where keep(r) { out += x[(r * hidden)..<((r + 1) * hidden)] }
            return out
        }
        for l in 1...layers {
            let a = rows(fp32.states[l]), b = rows(int8.states[l])
            check("\(name) hidden.\(l)", int8: b, fp32: a, rmsBound: Self.rmsBound(rms: Self.rms(a), layers: l))
        }
        let last = rows(fp32.states[layers])
        let gain = Self.rms(fp32.logits) / max(Self.rms(last), 1e-30)
        check("\(name) logits", int8: int8.logits, fp32: fp32.logits,
              rmsBound: Self.rmsBound(rms: Self.rms(last), layers: layers) * gain)
    }

    func checkTiny(_ family: String) throws {
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        let ref = try TinyReference("tiny-\(family)-ref.safetensors")
        let go = { (m: EncoderModel) in
            try self.run(m, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch, seqLen: ref.seqLen)
        }
        let before = try go(model)
        let int8 = try model.preparedForInference(precision: .int8)
        XCTAssertEqual(model.inferencePrecision, .fp32)
        XCTAssertEqual(int8.inferencePrecision, .int8)
        let reduced = try go(int8)
        compare("tiny \(family)", fp32: before, int8: reduced, layers: model.config.numLayers,
                hidden: model.config.hiddenSize) { ref.mask[$0] != 0 }

        // FP32 unchanged: the original model, and an FP32 model made back from the int8 one.
        let after = try go(model), back = try go(try int8.preparedForInference(precision: .fp32))
        XCTAssertEqual(after.logits, before.logits, "FP32 logits changed after preparing an int8 sibling")
        XCTAssertEqual(after.states, before.states)
        XCTAssertEqual(back.logits, before.logits, "int8 → fp32 model must be the FP32 model")
        XCTAssertEqual(try int8.preparedForInference(precision: .fp32).inferencePrecision, .fp32)

        // Training workspaces ignore the int8 weights.
        let trainFP32 = try run(model, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                seqLen: ref.seqLen, training: true)
        let trainInt8 = try run(int8, ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                seqLen: ref.seqLen, training: true)
        XCTAssertEqual(trainInt8.logits, trainFP32.logits, "a training workspace must run FP32")
    }

    func testTinyDistilBertInt8NearFP32() throws { try checkTiny("distilbert") }
    func testTinyBertInt8NearFP32() throws { try checkTiny("bert") }

    func testMiniLMInt8NearFP32() throws {
        let (model, _) = try EncoderModel.load(directory: try miniLMDirectory())
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/minilm-ref.safetensors"))
        let shape = try ref.info("input_ids").shape
        let (b, t) = (shape[0], shape[1])
        let ids = try ref.floats("input_ids").map { Int32($0) }, mask = try ref.floats("attention_mask").map { Int32($0) }
        let fp32 = try run(model, ids: ids, typeIds: nil, mask: mask, batch: b, seqLen: t)
        let int8 = try run(try model.preparedForInference(precision: .int8), ids: ids, typeIds: nil,
                           mask: mask, batch: b, seqLen: t)
        compare("MiniLM", fp32: fp32, int8: int8, layers: model.config.numLayers,
                hidden: model.config.hiddenSize) { mask[$0] != 0 }
    }
}
