// Saving and loading checkpoints: round trips, name aliases, missing/mis-shaped tensors,
// created heads, fresh initialisation, dropout determinism and concurrent inference.
import DocketBase
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

final class CheckpointTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("docket-encoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func tiny(_ family: String) -> URL { fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)") }

    /// Writes `tensors` (name → floats with shape) + the tiny config into a checkpoint dir.
    func writeCheckpoint(_ family: String, transform: (String) -> String?, reshape: [String: [Int]] = [:],
                         extra: [(String, [Int])] = []) throws -> URL {
        let src = try SafeTensorsFile(contentsOf: tiny(family).appendingPathComponent("model.safetensors"))
        var arrays: [(String, [Int], [Float])] = []
        for name in src.names {
            guard let newName = transform(name) else { continue }
            var data = try src.floats(name), shape = try src.info(name).shape
            if let s = reshape[name] { shape = s; data = Array(data.prefix(s.reduce(1, *))) }
            arrays.append((newName, shape, data))
        }
        for (name, shape) in extra { arrays.append((name, shape, [Float](repeating: 0.5, count: shape.reduce(1, *)))) }
        let dir = tmp.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: tiny(family).appendingPathComponent("config.json"),
                                         to: dir.appendingPathComponent("config.json"))
        let buffers = arrays.map { a -> UnsafeMutableBufferPointer<Float> in
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: a.2.count)
            _ = p.initialize(from: a.2)
            return p
        }
        defer { buffers.forEach { $0.deallocate() } }
        let tensors: [SafeTensorsWriter.Tensor] = arrays.enumerated().map { i, a in
            (name: a.0, shape: a.1, data: UnsafeBufferPointer(buffers[i]))
        }
        try SafeTensorsWriter.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    func logits(_ model: EncoderModel) throws -> [Float] { try Self.logits(model) }

    static func logits(_ model: EncoderModel) throws -> [Float] {
        let ref = try TinyReference("tiny-\(model.config.family.rawValue)-ref.safetensors")
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: false)
        var rng = SeededRNG(seed: 0)
        return Array(try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                       seqLen: ref.seqLen, workspace: ws, rng: &rng))
    }

    func testSaveThenLoadIsExact() throws {
        for family in ["distilbert", "bert"] {
            let (model, _) = try EncoderModel.load(directory: tiny(family))
            let out = tmp.appendingPathComponent(family)
            try model.save(to: out)
            let (again, notices) = try EncoderModel.load(directory: out)
            XCTAssertEqual(notices, [])
            XCTAssertEqual(again.config, model.config)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: again.parameters.baseAddress, count: again.parameters.count)),
                           Array(UnsafeBufferPointer(start: model.parameters.baseAddress, count: model.parameters.count)))
            let names = try SafeTensorsFile(contentsOf: out.appendingPathComponent("model.safetensors")).names
            XCTAssertEqual(Set(names), Set(model.layout.map(\.name)))
        }
    }

    func testBF16SaveLoadsWithinBF16Rounding() throws {
        let (model, _) = try EncoderModel.load(directory: tiny("bert"))
        try model.save(to: tmp, dtype: .bf16)
        let (again, _) = try EncoderModel.load(directory: tmp)
        let a = UnsafeBufferPointer(start: again.parameters.baseAddress, count: again.parameters.count)
        let m = UnsafeBufferPointer(start: model.parameters.baseAddress, count: model.parameters.count)
        // bf16 keeps 8 significant bits: round-to-nearest relative error ≤ 2^-8
        assertClose(Array(a), Array(m), atol: 1e-30, rtol: 1.0 / 256, "bf16 round trip")
    }

    func testBareModelNamesAndGammaBetaAreAccepted() throws {
        // strip the family prefix and use old LayerNorm.gamma/beta names; add unrelated tensors (masked-LM heads, position_ids) that must be ignored
        let dir = try writeCheckpoint("bert", transform: { name in
            var n = name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
            if n.contains("LayerNorm") { n = n.replacingOccurrences(of: ".weight", with: ".gamma").replacingOccurrences(of: ".bias", with: ".beta") }
            return n
        }, extra: [("cls.predictions.bias", [100]), ("cls.predictions.transform.dense.weight", [32, 32]),
                  ("embeddings.position_ids", [1, 16]), ("vocab_projector.weight", [100, 32])])
        let (model, notices) = try EncoderModel.load(directory: dir)
        XCTAssertEqual(notices, [])
        let (reference, _) = try EncoderModel.load(directory: tiny("bert"))
        XCTAssertEqual(try logits(model), try logits(reference))
    }

    func testMissingHeadIsCreatedWithNotice() throws {
        let dir = try writeCheckpoint("distilbert") { $0.hasPrefix("classifier") || $0.hasPrefix("pre_classifier") ? nil : $0 }
        let (model, notices) = try EncoderModel.load(directory: dir, seed: 3)
        XCTAssertEqual(notices.count, 4, "\(notices)")
        XCTAssertTrue(notices[0].contains("pre_classifier.weight"), notices[0])
        XCTAssertEqual(Array(try model.parameters.buffer("classifier.bias")), [0, 0, 0])
        let w = Array(try model.parameters.buffer("classifier.weight"))
        let std = (w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.006, "N(0, 0.02) over 96 draws")
    }

    func testMissingEncoderTensorIsAnErrorNamingIt() throws {
        let dir = try writeCheckpoint("bert") { $0.contains("layer.1.intermediate.dense.weight") ? nil : $0 }
        XCTAssertThrowsError(try EncoderModel.load(directory: dir)) { error in
            XCTAssertEqual(error as? EncoderError, .missingTensor(
                file: dir.appendingPathComponent("model.safetensors").path,
                name: "bert.encoder.layer.1.intermediate.dense.weight"))
        }
    }

    func testWrongShapeIsAnErrorNamingBothShapes() throws {
        let name = "distilbert.transformer.layer.0.ffn.lin1.bias"
        let dir = try writeCheckpoint("distilbert", transform: { $0 }, reshape: [name: [60]])
        XCTAssertThrowsError(try EncoderModel.load(directory: dir)) { error in
            XCTAssertEqual(error as? EncoderError, .shapeMismatch(
                file: dir.appendingPathComponent("model.safetensors").path, name: name, expected: [64], found: [60]))
            XCTAssertTrue("\(error)".contains(name))
        }
    }

    func testNewLabelsCreateAFreshClassifier() throws {
        let (model, notices) = try EncoderModel.load(directory: tiny("bert"), labels: ["a", "b", "c", "d", "e"])
        XCTAssertEqual(model.config.numLabels, 5)
        XCTAssertEqual(notices.count, 2, "\(notices)")
        XCTAssertEqual(try model.parameters.entry("classifier.weight").shape, [5, 32])
    }

    func testMissingFilesAreTypedErrors() throws {
        XCTAssertThrowsError(try EncoderModel.load(directory: tmp)) { XCTAssertTrue($0 is EncoderError, "\($0)") }
        try FileManager.default.copyItem(at: tiny("bert").appendingPathComponent("config.json"), to: tmp.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try EncoderModel.load(directory: tmp)) { error in
            guard case EncoderError.io = error else { return XCTFail("\(error)") }
        }
        try Data("garbage".utf8).write(to: tmp.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try EncoderModel.load(directory: tmp)) { error in
            guard case EncoderError.io = error else { return XCTFail("\(error)") }
        }
    }

    func testFreshInitIsHuggingFaceStyleAndSeeded() throws {
        let config = ModelConfig(family: .bert, hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64,
                                 vocabSize: 100, maxPositions: 16, labels: ["x", "y"])
        let a = try EncoderModel(config: config, seed: 7), b = try EncoderModel(config: config, seed: 7)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: a.parameters.baseAddress, count: a.parameters.count)),
                       Array(UnsafeBufferPointer(start: b.parameters.baseAddress, count: b.parameters.count)))
        XCTAssertTrue(try a.parameters.buffer("bert.encoder.layer.0.output.LayerNorm.weight").allSatisfy { $0 == 1 })
        XCTAssertTrue(try a.parameters.buffer("bert.encoder.layer.0.output.dense.bias").allSatisfy { $0 == 0 })
        XCTAssertTrue(try a.parameters.buffer("bert.embeddings.word_embeddings.weight").prefix(32).allSatisfy { $0 == 0 },
                      "padding row zeroed")
        let w = Array(try a.parameters.buffer("bert.encoder.layer.1.intermediate.dense.weight"))
        let std = (w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, 0.02, accuracy: 0.001, "N(0, 0.02) over 2048 draws")
    }

    func testDropoutIsSeededAndOffInEval() throws {
        let (model, _) = try EncoderModel.load(directory: tiny("distilbert"))
        let ref = try TinyReference("tiny-distilbert-ref.safetensors")
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: true)
        func run(_ seed: UInt64, training: Bool) throws -> [Float] {
            var rng = SeededRNG(seed: seed)
            return Array(try model.forward(ids: ref.ids, mask: ref.mask, batch: ref.batch, seqLen: ref.seqLen,
                                           workspace: ws, training: training, rng: &rng))
        }
        XCTAssertEqual(try run(1, training: true), try run(1, training: true))
        XCTAssertNotEqual(try run(1, training: true), try run(2, training: true))
        XCTAssertEqual(try run(1, training: false), try run(2, training: false))
        let inference = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: false)
        var rng = SeededRNG(seed: 0)
        XCTAssertThrowsError(try model.forward(ids: ref.ids, mask: ref.mask, batch: ref.batch, seqLen: ref.seqLen,
                                               workspace: inference, training: true, rng: &rng))
    }

    func testBadInputsAreTypedErrors() throws {
        let (model, _) = try EncoderModel.load(directory: tiny("bert"))
        let ws = try model.makeWorkspace(maxBatch: 2, maxSeqLen: 4, training: false)
        var rng = SeededRNG(seed: 0)
        let ok = [Int32](repeating: 1, count: 8)
        for (ids, types, b, t) in [([Int32](repeating: 1, count: 8), ok, 3, 4), (ok, ok, 2, 5),
                                   ([Int32](repeating: 100, count: 8), ok, 2, 4), (ok, [Int32](repeating: 2, count: 8), 2, 4),
                                   ([1, 2, 3], ok, 2, 4)] {
            XCTAssertThrowsError(try model.forward(ids: ids, typeIds: types, mask: ok.prefix(b * t).map { $0 }, batch: b, seqLen: t,
                                                   workspace: ws, rng: &rng)) { XCTAssertTrue($0 is EncoderError, "\($0)") }
        }
        XCTAssertThrowsError(try model.makeWorkspace(maxBatch: 1, maxSeqLen: 17, training: false))
        XCTAssertThrowsError(try model.makeWorkspace(maxBatch: 1 << 40, maxSeqLen: 16, training: true), "absurd size refused")
        XCTAssertThrowsError(try model.makeWorkspace(maxBatch: Int.max, maxSeqLen: 16, training: false), "overflow refused")
        // a workspace made for another model's sizes is refused, not overrun
        let (other, _) = try EncoderModel.load(directory: tiny("bert"), labels: ["a", "b", "c", "d"])
        let otherWS = try other.makeWorkspace(maxBatch: 2, maxSeqLen: 4, training: false)
        XCTAssertThrowsError(try model.forward(ids: ok, mask: ok, batch: 2, seqLen: 4, workspace: otherWS, rng: &rng)) {
            XCTAssertTrue($0 is EncoderError, "\($0)")
        }
    }

    func testBackwardNeedsACompletedTrainingForward() throws {
        let (model, _) = try EncoderModel.load(directory: tiny("distilbert"))
        let ws = try model.makeWorkspace(maxBatch: 1, maxSeqLen: 4, training: true)
        let grads = model.makeGradientBuffer(), dLogits: [Float] = [1, 0, -1]
        XCTAssertThrowsError(try model.backward(dLogits: dLogits, workspace: ws, gradients: grads), "before any forward")
        var rng = SeededRNG(seed: 0)
        _ = try model.forward(ids: [1, 2, 3, 4], mask: [1, 1, 1, 1], batch: 1, seqLen: 4, workspace: ws, rng: &rng)
        XCTAssertThrowsError(try model.forward(ids: [1, 2, 3, 400], mask: [1, 1, 1, 1], batch: 1, seqLen: 4, workspace: ws, rng: &rng))
        XCTAssertThrowsError(try model.backward(dLogits: dLogits, workspace: ws, gradients: grads), "after a failed forward")
        let inference = try model.makeWorkspace(maxBatch: 1, maxSeqLen: 4, training: false)
        _ = try model.forward(ids: [1, 2, 3, 4], mask: [1, 1, 1, 1], batch: 1, seqLen: 4, workspace: inference, rng: &rng)
        XCTAssertThrowsError(try model.backward(dLogits: dLogits, workspace: inference, gradients: grads), "inference workspace")
        XCTAssertTrue(grads.entries.allSatisfy { e in (try? grads.buffer(e.name).allSatisfy { $0 == 0 }) ?? false },
                      "refused calls leave the gradients untouched")
    }

    func testConcurrentInferenceMatchesSequential() throws {
        let (model, _) = try EncoderModel.load(directory: tiny("bert"))
        let expected = try Self.logits(model)
        final class Results: @unchecked Sendable { let lock = NSLock(); var all: [[Float]] = [] }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let r = (try? Self.logits(model)) ?? []
            results.lock.lock(); results.all.append(r); results.lock.unlock()
        }
        XCTAssertEqual(results.all.count, 4)
        for r in results.all { XCTAssertEqual(r, expected) }
    }
}
