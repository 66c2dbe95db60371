// Issue 12 items 5 and 6: divergence stops training with a clear error before the bad update
// (nothing non-finite is ever saved; non-finite saved weights are refused on resume), and
// `resume` refuses data that differs from the saved run's with the same example count.
import Encoder
import Foundation
import Kernels
import TestSupport
import Training
import XCTest

final class TrainerSafetyTests: XCTestCase {
    private func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("docket-trainer-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    private func trainer(_ model: EncoderTrainable, options: TrainingOptions, train: [TrainingExample],
                         dev: [TrainingExample]? = nil, dir: URL?) throws -> Trainer {
        try Trainer(model: model, options: options, labels: TrainerTests.labels, train: train, dev: dev,
                    stateDirectory: dir?.appendingPathComponent("state"), logURL: nil)
    }

    func testHugeLearningRateStopsAtTheFirstNonFiniteLossOrNorm() throws {
        let dir = try tempDir()
        var o = TrainerTests.options(); o.learningRate = 1e30; o.warmupRatio = nil; o.saveSteps = 1; o.gradClip = 0
        let model = try TrainerTests.tinyModel()
        var checkpoints = 0
        let t = try trainer(model, options: o, train: TrainerTests.examples(37, seed: 1), dir: dir)
        t.onCheckpoint = { _ in checkpoints += 1 }
        XCTAssertThrowsError(try t.run()) { error in
            guard case let TrainingError.diverged(step, loss, norm) = error else { return XCTFail("expected diverged, got \(error)") }
            XCTAssertGreaterThan(step, 1)
            XCTAssertTrue(!loss.isFinite || !norm.isFinite)
            XCTAssertTrue("\(error)".contains("--learning-rate"), "\(error)")
        }
        XCTAssertEqual(checkpoints, 0, "no checkpoint is written from a diverged run")
        // Whatever was saved is finite: resuming it works or stops with the same clear error,
        // never on NaN weights.
        let again = try trainer(try TrainerTests.tinyModel(seed: 3), options: o, train: TrainerTests.examples(37, seed: 1), dir: dir)
        XCTAssertThrowsError(try again.run(resume: true)) { error in
            guard case TrainingError.diverged = error else { return XCTFail("expected diverged, got \(error)") }
        }
    }

    func testResumeRefusesNonFiniteSavedWeights() throws {
        let dir = try tempDir()
        let t = try trainer(try TrainerTests.tinyModel(), options: TrainerTests.options(), train: TrainerTests.examples(37, seed: 1), dir: dir)
        t.stopAfterStep = 3
        _ = try t.run()
        // Poison the saved weights file in place (one float of the first tensor → NaN).
        let state = dir.appendingPathComponent("state")
        let latest = try String(contentsOf: state.appendingPathComponent("latest"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let url = state.appendingPathComponent(latest).appendingPathComponent("weights.safetensors")
        var bytes = try Data(contentsOf: url)
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        bytes.replaceSubrange((8 + headerLength)..<(12 + headerLength), with: [0x00, 0x00, 0xC0, 0x7F])
        try bytes.write(to: url)
        let resumed = try trainer(try TrainerTests.tinyModel(), options: TrainerTests.options(), train: TrainerTests.examples(37, seed: 1), dir: dir)
        XCTAssertThrowsError(try resumed.run(resume: true)) { error in
            guard case let TrainingError.nonFiniteWeights(file, _) = error else { return XCTFail("expected nonFiniteWeights, got \(error)") }
            XCTAssertEqual(file, url.path)
        }
    }

    func testResumeRefusesDifferentDataWithTheSameCount() throws {
        let dir = try tempDir()
        let train = TrainerTests.examples(37, seed: 1), dev = TrainerTests.examples(12, seed: 2)
        let first = try trainer(try TrainerTests.tinyModel(), options: TrainerTests.options(), train: train, dev: dev, dir: dir)
        first.stopAfterStep = 3
        _ = try first.run()
        var permuted = train
        for i in permuted.indices { permuted[i].label = (permuted[i].label + 1) % 3 }
        var edited = train
        edited[5].ids[1] = edited[5].ids[1] == 7 ? 8 : 7
        for (name, t, d) in [("permuted labels", permuted, dev), ("an edited text", edited, dev),
                             ("another dev set", train, TrainerTests.examples(12, seed: 5))] {
            let again = try trainer(try TrainerTests.tinyModel(), options: TrainerTests.options(), train: t, dev: d, dir: dir)
            XCTAssertThrowsError(try again.run(resume: true), name) { error in
                guard case let TrainingError.stateMismatch(m) = error else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue(m.contains("data differ"), m)
            }
        }
        // The same data still resumes.
        let same = try trainer(try TrainerTests.tinyModel(), options: TrainerTests.options(), train: train, dev: dev, dir: dir)
        XCTAssertEqual(try same.run(resume: true).steps, 10)
    }

    func testTrainingOptionsRefuseOverflowingSizes() {
        for edit: (inout TrainingOptions) -> Void in [{ $0.epochs = 4_611_686_018_427_387_904 }, { $0.maxSteps = Int.max },
                                                      { $0.batchSize = Int.max }, { $0.saveSteps = Int.max }, { $0.warmupSteps = Int.max }] {
            var o = TrainerTests.options(); o.warmupRatio = nil
            edit(&o)
            XCTAssertThrowsError(try o.validate()) { XCTAssertTrue("\($0)".contains("at most"), "\($0)") }
        }
    }
}
