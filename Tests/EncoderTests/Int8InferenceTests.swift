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

    static func rmsDiff(_ a: [Float], _ b: [Float]) -> Double {
        (zip(a, b).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) } / Double(max(1, a.count))).squareRoot()
    }

    /// Checks one tensor against both bounds and prints the measured fractions of them.
    func check(_ label: String, int8: [Float], fp32: [Float], rmsBound: Double) {
        let rmsErr = Self.rmsDiff(int8, fp32), maxErr = maxAbsDiff(int8, fp32)
        XCTAssertLessThanOrEqual(rmsErr, rmsBound, "\(label): RMS(int8 − fp32)")
        XCTAssertLessThanOrEqual(maxErr, 5 * rmsBound, "\(label): max |int8 − fp32|")
        print(String(format: "%@: RMS(Δ) %.3g = %.3f of bound, max |Δ| %.3g = %.3f of bound (RMS fp32 %.3g)",
                     label, rmsErr, rmsErr / rmsBound, maxErr, maxErr / (5 * rmsBound), rootMeanSquare(fp32)))
    }

    /// Compares int8 with fp32 on every hidden state (rows where `keep` is true) and the logits.
    func compare(_ name: String, fp32: PrecisionRun, int8: PrecisionRun, layers: Int, hidden: Int, keep: (Int) -> Bool) {
        func rows(_ x: [Float]) -> [Float] { keptRows(x, hidden: hidden, keep) }
        for l in 1...layers {
            let a = rows(fp32.states[l]), b = rows(int8.states[l])
            check("\(name) hidden.\(l)", int8: b, fp32: a, rmsBound: Self.rmsBound(rms: rootMeanSquare(a), layers: l))
        }
        let last = rows(fp32.states[layers])
        let gain = rootMeanSquare(fp32.logits) / max(rootMeanSquare(last), 1e-30)
        check("\(name) logits", int8: int8.logits, fp32: fp32.logits,
              rmsBound: Self.rmsBound(rms: rootMeanSquare(last), layers: layers) * gain)
    }

    func checkTiny(_ family: String) throws {
        let r = try tinyPrecisionRuns(family, precision: .int8)
        compare("tiny \(family)", fp32: r.fp32, int8: r.reduced, layers: r.model.config.numLayers,
                hidden: r.model.config.hiddenSize, keep: r.realToken)
    }

    func testTinyDistilBertInt8NearFP32() throws { try checkTiny("distilbert") }
    func testTinyBertInt8NearFP32() throws { try checkTiny("bert") }

    func testMiniLMInt8NearFP32() throws {
        let r = try miniLMPrecisionRuns(precision: .int8)
        compare("MiniLM", fp32: r.fp32, int8: r.reduced, layers: r.model.config.numLayers,
                hidden: r.model.config.hiddenSize, keep: r.realToken)
    }
}
