// A TextClassifier loaded from a directory owns its encoder: at bf16 / int8 it keeps only the
// packed block linears (EncoderModel.isInferenceOnly) and classifies exactly as a classifier
// wrapping an in-memory model that keeps its FP32 weights; wrapping an in-memory model never
// releases the caller's weights. The checkpoint is random and just large enough (256 wide) for
// whole pages of each linear to be released; the tokenizer is the tiny BERT fixture's.
import Encoder
import Foundation
import Kernels
import Tokenizers
import XCTest
@testable import Docket
import TestSupport

final class InferenceOnlyClassifierTests: XCTestCase {
    private let texts = ["The plaintiff filed a motion to dismiss.", "The lease term is five years.", "Claim 1 recites a method.",
                         "The court granted the motion and the lease was terminated by the landlord."]

    func testDirectoryClassifierReleasesFP32WeightsAndClassifiesTheSame() throws {
        let precisions = (Int8Support.isAvailable ? [InferencePrecision.int8] : []) + (BF16Support.isAvailable ? [.bf16] : [])
        guard !precisions.isEmpty else { throw XCTSkip("this CPU has neither AVX512_VNNI nor AVX512_BF16") }
        let fixture = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
        let scratch = try ScratchDirectory(prefix: "inference-only-classifier")
        defer { try? FileManager.default.removeItem(at: scratch.url) }
        let config = ModelConfig(family: .bert, hiddenSize: 256, numLayers: 2, numHeads: 4, intermediateSize: 1024,
                                 vocabSize: 120, maxPositions: 64, labels: ["contract", "litigation", "regulatory"])
        try EncoderModel(config: config, seed: 11).save(to: scratch.url)
        for name in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: scratch.url.appendingPathComponent(name))
        }
        for precision in precisions {
            let loaded = try TextClassifier(directory: scratch.url, options: .init(precision: precision))
            let (model, _) = try EncoderModel.load(directory: scratch.url)
            let wrapped = try TextClassifier(model: model, tokenizer: try Tokenizer.load(from: scratch.url),
                                             options: .init(precision: precision))
            XCTAssertEqual(loaded.precision, precision)
            XCTAssertTrue(loaded.model?.isInferenceOnly == true, "the directory classifier owns its model")
            XCTAssertFalse(model.isInferenceOnly, "the caller's model keeps its FP32 weights")
            XCTAssertFalse(wrapped.model?.isInferenceOnly ?? true)
            let a = try loaded.classify(texts, batchSize: 3), b = try wrapped.classify(texts, batchSize: 3)
            XCTAssertEqual(a.map(\.logits), b.map(\.logits), "\(precision): same logits with and without the FP32 weights")
            XCTAssertThrowsError(try loaded.model!.save(to: scratch.url.appendingPathComponent("copy"))) {
                guard case EncoderError.fp32WeightsReleased = $0 else { return XCTFail("\($0)") }
            }
        }
        let fp32 = try TextClassifier(directory: scratch.url)
        XCTAssertFalse(fp32.model?.isInferenceOnly ?? true, "fp32 packs nothing and releases nothing")
    }
}
