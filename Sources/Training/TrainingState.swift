// Everything needed to continue a run exactly: weights, Adam moments and step, the dropout
// generator, the current epoch's batch order and position, the best dev metric so far, the
// patience counter and how many bytes of the training log belong to the saved state.
//
// Layout under the state directory (each save is a fresh sub-directory; `latest` is switched
// atomically only once the sub-directory is complete, so a kill at any moment leaves a
// consistent state behind):
//   latest                         → "state-<serial>"
//   state-<serial>/weights.safetensors     parameters by name (F32)
//   state-<serial>/optimizer.safetensors   exp_avg.<name>, exp_avg_sq.<name>
//   state-<serial>/trainer_state.json      TrainerState
import DocketBase
import Foundation
import Kernels
import SafeTensors

public struct TrainerState: Codable, Sendable, Equatable {
    public var step: Int = 0
    public var epoch: Int = 0
    public var batchInEpoch: Int = 0
    /// Batches of the current epoch (example indices), fixed when the epoch starts.
    public var epochOrder: [[Int]] = []
    public var dropoutRNG: SeededRNG
    public var bestMetric: Double?
    public var bestEpoch: Int?
    /// Optimizer step of the best evaluation (keeps its checkpoint-<step> from rotation).
    public var bestStep: Int?
    /// Dev evaluations since the last improvement (per epoch, or per --eval-steps evaluation).
    public var epochsWithoutImprovement: Int = 0
    public var logBytes: UInt64 = 0
    public var finished: Bool = false
    public var stoppedEarly: Bool = false
    public var saveSerial: Int = 0
    public var options: TrainingOptions
    public var trainCount: Int
    /// `DataFingerprint` of the training and dev examples (nil in states saved before it existed).
    public var dataFingerprint: String?
}

extension TrainerState {
    /// Where a run starts: a fresh state, or with `resume` the one saved in `store` (weights and
    /// Adam moments loaded into `parameters` / `optimizer`), which must have been saved by a run
    /// with the same options, the same number of examples (`unit`: "examples", "texts") and,
    /// when both have one, the same data fingerprint. Shared by Trainer and MaskedLMTrainer.
    static func starting(resume: Bool, store: TrainingStateStore?, parameters: ParameterBuffer, optimizer: AdamW,
                         options: TrainingOptions, count: Int, unit: String,
                         dataFingerprint: String? = nil) throws -> TrainerState {
        guard resume else {
            return TrainerState(dropoutRNG: SeededRNG(seed: options.seed &+ 0x5EED), options: options, trainCount: count,
                                dataFingerprint: dataFingerprint)
        }
        guard let store, store.exists else {
            throw TrainingError.invalidArgument("--resume: no saved training state in \(store?.directory.path ?? "the output directory")")
        }
        let state = try store.load(into: parameters, optimizer: optimizer)
        try state.check(options: options, count: count, unit: unit)
        if let saved = state.dataFingerprint, let dataFingerprint, saved != dataFingerprint {
            throw TrainingError.stateMismatch("the training or dev data differ from the saved run's (same example count, "
                + "different texts, labels or order; fingerprint \(saved), now \(dataFingerprint))")
        }
        return state
    }

    /// Throws unless this saved state was written by a run with `options` over `count` examples.
    func check(options: TrainingOptions, count: Int, unit: String = "examples") throws {
        guard self.options == options, trainCount == count else {
            throw TrainingError.stateMismatch("the saved run used different options or training data (\(trainCount) \(unit), now \(count))")
        }
    }
}

public struct TrainingStateStore {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    public var exists: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("latest").path) }

    /// Writes a complete new state sub-directory, then points `latest` at it and removes older ones.
    public func save(_ state: TrainerState, parameters: ParameterBuffer, optimizer: AdamW) throws {
        let name = "state-\(state.saveSerial)"
        let dir = directory.appendingPathComponent(name)
        let fm = FileManager.default
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let meta = ["step": String(state.step)]
        try SafeTensorsWriter.write(parameters.entries.map {
            (name: $0.name, shape: $0.shape, data: UnsafeBufferPointer(start: parameters.baseAddress + $0.offset, count: $0.count))
        }, metadata: meta, to: dir.appendingPathComponent("weights.safetensors"))
        var moments: [SafeTensorsWriter.Tensor] = []
        for e in parameters.entries {
            moments.append((name: "exp_avg.\(e.name)", shape: e.shape, data: UnsafeBufferPointer(start: optimizer.m + e.offset, count: e.count)))
            moments.append((name: "exp_avg_sq.\(e.name)", shape: e.shape, data: UnsafeBufferPointer(start: optimizer.v + e.offset, count: e.count)))
        }
        try SafeTensorsWriter.write(moments, metadata: ["step": String(optimizer.step)], to: dir.appendingPathComponent("optimizer.safetensors"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(state), to: dir.appendingPathComponent("trainer_state.json"))
        try AtomicFile.write(name + "\n", to: directory.appendingPathComponent("latest"))
        for old in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] where old.hasPrefix("state-") && old != name {
            try? fm.removeItem(at: directory.appendingPathComponent(old))
        }
    }

    /// Loads the latest state into `parameters` and `optimizer` (layouts must match).
    public func load(into parameters: ParameterBuffer, optimizer: AdamW) throws -> TrainerState {
        let latest = directory.appendingPathComponent("latest")
        guard let name = try? String(contentsOf: latest, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
              name.hasPrefix("state-") else {
            throw TrainingError.io(file: latest.path, message: "no saved training state to resume from")
        }
        let dir = directory.appendingPathComponent(name)
        let stateURL = dir.appendingPathComponent("trainer_state.json")
        let state: TrainerState
        do { state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: stateURL)) }
        catch { throw TrainingError.io(file: stateURL.path, message: "unreadable training state: \(error)") }
        let weightsURL = dir.appendingPathComponent("weights.safetensors")
        let weights = try SafeTensorsFile(contentsOf: weightsURL)
        let moments = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("optimizer.safetensors"))
        for e in parameters.entries {
            try checkShape(weights, e.name, e.shape)
            try weights.copyFloats(e.name, into: parameters.baseAddress + e.offset, count: e.count)
            try checkShape(moments, "exp_avg.\(e.name)", e.shape)
            try moments.copyFloats("exp_avg.\(e.name)", into: optimizer.m + e.offset, count: e.count)
            try checkShape(moments, "exp_avg_sq.\(e.name)", e.shape)
            try moments.copyFloats("exp_avg_sq.\(e.name)", into: optimizer.v + e.offset, count: e.count)
        }
        if let bad = parameters.firstNonFiniteEntry() { throw TrainingError.nonFiniteWeights(file: weightsURL.path, tensor: bad) }
        optimizer.step = Int(moments.metadata["step"] ?? "") ?? state.step
        return state
    }

    private func checkShape(_ file: SafeTensorsFile, _ name: String, _ shape: [Int]) throws {
        guard file.contains(name) else { throw TrainingError.stateMismatch("\(file.url.path) has no tensor '\(name)'") }
        let info = try file.info(name)
        guard info.shape == shape else {
            throw TrainingError.stateMismatch("\(file.url.path): '\(name)' has shape \(info.shape), the model has \(shape)")
        }
    }
}

/// `--save-total-limit` rotation of `checkpoint-<step>` directories, as transformers' Trainer
/// (`_rotate_checkpoints`): keep the newest `limit`; the best checkpoint is never deleted —
/// when it is older than those, it takes the place of the oldest kept one, except with a limit
/// of 1, where the newest is kept beside it (so training can always resume from the last one).
public enum CheckpointRotation {
    /// The steps (of `steps`) to delete.
    public static func stepsToDelete(steps: [Int], limit: Int, best: Int?) -> [Int] {
        let sorted = steps.sorted()
        guard limit >= 1, sorted.count > limit else { return [] }
        var keep = Set(sorted.suffix(limit))
        if let best, sorted.contains(best), !keep.contains(best) {
            if limit > 1, let oldestKept = sorted.first(where: keep.contains) { keep.remove(oldestKept) }
            keep.insert(best)
        }
        return sorted.filter { !keep.contains($0) }
    }
}
