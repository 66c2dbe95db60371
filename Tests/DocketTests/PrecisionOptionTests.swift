// TextClassifier.Options.precision: bf16 and int8 classify close to fp32 without changing the
// caller's model, and fp32 stays the default.
import Encoder
import Foundation
import Kernels
import Tokenizers
import XCTest
@testable import Docket
import TestSupport

final class PrecisionOptionTests: XCTestCase {
    private let directory = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
    private let texts = ["The plaintiff filed a motion to dismiss.", "The lease term is five years.", "Claim 1 recites a method."]

    func testBF16ClassifierIsCloseToFP32AndLeavesTheModelAlone() throws {
        guard BF16Support.isAvailable else { throw XCTSkip("this CPU has no AVX512_BF16: bf16 inference cannot run here") }
        let (model, _) = try EncoderModel.load(directory: directory)
        let tokenizer = try Tokenizer.load(from: directory)
        let fp32 = try TextClassifier(model: model, tokenizer: tokenizer)
        let bf16 = try TextClassifier(model: model, tokenizer: tokenizer, options: .init(precision: .bf16))
        XCTAssertEqual(fp32.precision, .fp32, "fp32 is the default")
        XCTAssertEqual(bf16.precision, .bf16)
        XCTAssertEqual(model.inferencePrecision, .fp32, "the caller's model is not switched")
        let a = try fp32.classify(texts), b = try bf16.classify(texts)
        // bf16 operands (unit roundoff 2⁻⁸) through 2 tiny layers: measured |Δlogit| ≤ 2e-3.
        for (p, q) in zip(a, b) { assertClose(q.logits, p.logits, atol: 0.05, "bf16 logits") }
    }

    func testInt8ClassifierIsCloseToFP32AndLeavesTheModelAlone() throws {
        guard Int8Support.isAvailable else { throw XCTSkip("this CPU has no AVX512_VNNI: int8 inference cannot run here") }
        let (model, _) = try EncoderModel.load(directory: directory)
        let tokenizer = try Tokenizer.load(from: directory)
        let fp32 = try TextClassifier(model: model, tokenizer: tokenizer)
        let int8 = try TextClassifier(model: model, tokenizer: tokenizer, options: .init(precision: .int8))
        XCTAssertEqual(int8.precision, .int8)
        XCTAssertEqual(model.inferencePrecision, .fp32, "the caller's model is not switched")
        let a = try fp32.classify(texts), b = try int8.classify(texts)
        // int8 codes (relative step ≈ 1/127 of a row's largest value) through 2 tiny layers:
        // measured max |Δlogit| 0.018 on these texts (the encoder tests bound the hidden states).
        for (p, q) in zip(a, b) { assertClose(q.logits, p.logits, atol: 0.15, "int8 logits") }
    }
}
