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

    /// Compares bf16 with fp32 on every hidden state (rows where `keep` is true) and the logits.
    func compare(_ name: String, fp32: PrecisionRun, bf16: PrecisionRun, layers: Int, hidden: Int, keep: (Int) -> Bool) {
        func rows(_ x: [Float]) -> [Float] { keptRows(x, hidden: hidden, keep) }
        for l in 1...layers {
            let a = rows(fp32.states[l]), b = rows(bf16.states[l])
            let bound = Self.bound(rms: rootMeanSquare(a), layers: l)
            assertClose(b, a, atol: bound, "\(name) bf16 hidden.\(l)")
            print("\(name) hidden.\(l): max |bf16 − fp32| \(maxAbsDiff(b, a)), bound \(bound), RMS \(rootMeanSquare(a))")
        }
        let gain = rootMeanSquare(fp32.logits) / max(rootMeanSquare(rows(fp32.states[layers])), 1e-30)
        let bound = Self.bound(rms: rootMeanSquare(rows(fp32.states[layers])), layers: layers) * gain
        assertClose(bf16.logits, fp32.logits, atol: bound, "\(name) bf16 logits")
        print("\(name) logits: max |bf16 − fp32| \(maxAbsDiff(bf16.logits, fp32.logits)), bound \(bound), RMS \(rootMeanSquare(fp32.logits))")
    }

    func checkTiny(_ family: String) throws {
        let r = try tinyPrecisionRuns(family, precision: .bf16)
        compare("tiny \(family)", fp32: r.fp32, bf16: r.reduced, layers: r.model.config.numLayers,
                hidden: r.model.config.hiddenSize, keep: r.realToken)
    }

    func testTinyDistilBertBF16NearFP32() throws { try checkTiny("distilbert") }
    func testTinyBertBF16NearFP32() throws { try checkTiny("bert") }

    func testMiniLMBF16NearFP32() throws {
        let r = try miniLMPrecisionRuns(precision: .bf16)
        compare("MiniLM", fp32: r.fp32, bf16: r.reduced, layers: r.model.config.numLayers,
                hidden: r.model.config.hiddenSize, keep: r.realToken)
    }
}
