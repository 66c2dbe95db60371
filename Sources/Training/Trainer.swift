// The fine-tuning loop. One optimizer step reads top to bottom:
//   zero grads → pad batch → forward (dropout from the saved generator) → softmax-CE (class
//   weights) → backward → clip global norm → lr = schedule(step) → AdamW → log
// At each epoch end: dev evaluation, best checkpoint (by the chosen metric), early stopping.
// State is saved every `saveSteps` steps and at each epoch end, so `resume` continues exactly
// (bit-identical weights for a fixed BLAS thread count).
import Foundation
import Kernels

/// What the trainer reports to callers (CLI progress line, library users).
public struct TrainingProgress: Sendable {
    public let step: Int
    public let totalSteps: Int
    public let epoch: Int
    public let loss: Double
    public let learningRate: Double
    public let gradNorm: Double
    public let sequencesPerSecond: Double
    /// Seconds left at the recent pace.
    public let etaSeconds: Double
    /// Set on the epoch-end report when a dev set is given.
    public let evaluation: EvaluationResult?
}

public struct TrainingSummary: Sendable {
    public let steps: Int
    public let epochsCompleted: Int
    public let finalLoss: Double?
    public let bestMetric: Double?
    public let bestEpoch: Int?
    public let stoppedEarly: Bool
    /// True when `stopAfterStep` ended the run before completion (state saved).
    public let interrupted: Bool
    public let evaluations: [EvaluationResult]
}

public final class Trainer {
    public let model: TrainableModel
    public let options: TrainingOptions
    public let labels: [String]
    private let train: [TrainingExample]
    private let dev: [TrainingExample]?
    private let store: TrainingStateStore?
    private let logURL: URL?

    /// Called after each step and after each evaluation.
    public var onProgress: ((TrainingProgress) -> Void)?
    /// Called when the dev metric improves (or at the end of a run without a dev set):
    /// the orchestration writes the HF checkpoint directory from the model's current weights.
    public var onCheckpoint: ((EvaluationResult?) throws -> Void)?
    /// Tests: stop (saving state) right after this step, as if the process were killed.
    public var stopAfterStep: Int?

    public init(model: TrainableModel, options: TrainingOptions, labels: [String], train: [TrainingExample],
                dev: [TrainingExample]?, stateDirectory: URL?, logURL: URL?) throws {
        try options.validate()
        guard !train.isEmpty else { throw TrainingError.invalidArgument("the training set is empty") }
        guard labels.count == model.numLabels else {
            throw TrainingError.invalidArgument("\(labels.count) labels but the model has \(model.numLabels) outputs")
        }
        for e in train + (dev ?? []) where !(0..<labels.count).contains(e.label) || e.ids.isEmpty {
            throw TrainingError.invalidArgument("an example has label id \(e.label) or no tokens")
        }
        if options.windowPooling != nil {
            try DocumentWindows.check(train, "training"); try dev.map { try DocumentWindows.check($0, "dev") }
        }
        self.model = model; self.options = options; self.labels = labels
        self.train = train; self.dev = dev
        self.store = stateDirectory.map(TrainingStateStore.init(directory:))
        self.logURL = logURL
    }

    public var batchesPerEpoch: Int {
        let units = options.windowPooling != nil ? DocumentWindows.groups(train).count : train.count
        return (units + options.batchSize - 1) / options.batchSize
    }

    /// Runs (or, with `resume`, continues) training to the end.
    public func run(resume: Bool = false) throws -> TrainingSummary {
        let totalSteps = options.totalSteps(batchesPerEpoch: batchesPerEpoch)
        let epochs = options.epochCount(batchesPerEpoch: batchesPerEpoch)
        let schedule = options.schedule(totalSteps: totalSteps)
        let optimizer = try AdamW(config: optimizerConfig, segments: model.parameterSegments, count: model.parameters.count)
        let weights = try classWeights()
        var state = try initialState(resume: resume, optimizer: optimizer)
        let log = try logURL.map { try TrainingLog(url: $0, truncateTo: resume ? state.logBytes : 0) }
        let maxLen = (train + (dev ?? [])).map(\.ids.count).max() ?? 1
        try model.prepare(maxBatch: options.batchSize, maxSeqLen: maxLen, training: true)

        var evaluations: [EvaluationResult] = [], lastLoss: Double?
        let clock = ThroughputClock(totalSteps: totalSteps, startStep: state.step)
        while !state.finished {
            if state.batchInEpoch == 0 && state.epochOrder.isEmpty { state.epochOrder = planEpoch(state.epoch) }
            while state.batchInEpoch < state.epochOrder.count && state.step < totalSteps {
                let indices = state.epochOrder[state.batchInEpoch]
                let batch = TokenBatch(examples: train, indices: indices, padId: model.padTokenId)
                let lr = schedule.learningRate(atStep: state.step)
                let (loss, norm) = try step(batch, lr: lr, weights: weights, rng: &state.dropoutRNG, optimizer: optimizer)
                state.step += 1; state.batchInEpoch += 1; lastLoss = loss
                let rate = clock.record(step: state.step, sequences: batch.batch)
                let epochPos = Double(state.epoch) + Double(state.batchInEpoch) / Double(max(1, state.epochOrder.count))
                try log?.write([("type", .string("step")), ("step", .int(state.step)), ("epoch", .double(epochPos)),
                                ("loss", .double(loss)), ("lr", .double(lr)), ("grad_norm", .double(norm)),
                                ("seq_per_s", .double(rate.current))])
                onProgress?(TrainingProgress(step: state.step, totalSteps: totalSteps, epoch: state.epoch, loss: loss,
                                             learningRate: lr, gradNorm: norm, sequencesPerSecond: rate.current,
                                             etaSeconds: rate.eta, evaluation: nil))
                if options.saveSteps > 0 && state.step % options.saveSteps == 0 {
                    try save(&state, log: log, optimizer: optimizer)
                }
                if let stop = stopAfterStep, state.step >= stop {
                    try save(&state, log: log, optimizer: optimizer)
                    return summary(state, lastLoss, evaluations, interrupted: true)
                }
            }
            // Epoch end (or the last, partial epoch of a --max-steps run).
            if let evaluation = try endEpoch(&state, log: log) { evaluations.append(evaluation) }
            state.epoch += 1; state.batchInEpoch = 0; state.epochOrder = []
            if state.step >= totalSteps || state.epoch >= epochs || state.stoppedEarly { state.finished = true }
            if state.finished && dev == nil { try onCheckpoint?(nil) }
            try save(&state, log: log, optimizer: optimizer)
        }
        return summary(state, lastLoss, evaluations, interrupted: false)
    }

    private var optimizerConfig: AdamWConfig {
        var c = options.adam
        c.weightDecay = options.weightDecay
        return c
    }

    private func classWeights() throws -> [Float]? {
        try options.classWeights?.weights(classes: labels.count, trainingLabels: train.map(\.label))
    }

    private func planEpoch(_ epoch: Int) -> [[Int]] {
        var rng = EpochPlanner.epochRNG(seed: options.seed, epoch: epoch)
        if options.windowPooling != nil {  // batches of whole documents, expanded to their windows
            let groups = DocumentWindows.groups(train)
            return EpochPlanner.batches(lengths: groups.map { $0.reduce(0) { $0 + train[$1].ids.count } },
                                        batchSize: options.batchSize, shuffle: options.shuffle,
                                        bucketBatches: options.bucketBatches, rng: &rng).map { $0.flatMap { groups[$0] } }
        }
        return EpochPlanner.batches(lengths: train.map(\.ids.count), batchSize: options.batchSize,
                                    shuffle: options.shuffle, bucketBatches: options.bucketBatches, rng: &rng)
    }

    private func initialState(resume: Bool, optimizer: AdamW) throws -> TrainerState {
        if resume {
            guard let store, store.exists else {
                throw TrainingError.invalidArgument("--resume: no saved training state in \(store?.directory.path ?? "the output directory")")
            }
            let state = try store.load(into: model.parameters, optimizer: optimizer)
            guard state.options == options, state.trainCount == train.count else {
                throw TrainingError.stateMismatch("the saved run used different options or training data (\(state.trainCount) examples, now \(train.count))")
            }
            if let saved = state.dataFingerprint, saved != dataFingerprint {
                throw TrainingError.stateMismatch("the training or dev data differ from the saved run's (same example count, "
                    + "different texts, labels or order; fingerprint \(saved), now \(dataFingerprint))")
            }
            return state
        }
        return TrainerState(dropoutRNG: SeededRNG(seed: options.seed &+ 0x5EED), options: options, trainCount: train.count,
                            dataFingerprint: dataFingerprint)
    }

    /// Fingerprint of the tokenized training and dev examples, in order (saved with the state).
    private var dataFingerprint: String { DataFingerprint.of(train: train, dev: dev)
    }

    /// One optimizer step on `batch`; returns (loss, gradient norm before clipping).
    private func step(_ batch: TokenBatch, lr: Double, weights: [Float]?, rng: inout SeededRNG,
                      optimizer: AdamW) throws -> (Double, Double) {
        model.gradients.zero()
        let logits = try model.forward(batch, training: true, rng: &rng)
        let k = model.numLabels
        var probs = [Float](repeating: 0, count: logits.count), dLogits = probs
        let loss: Float
        if let pooling = options.windowPooling {  // chunked documents: pooled over each document's windows
            let docs = DocumentWindows.rowDocuments(batch)
            loss = try WindowPooledLoss.lossAndGradient(logits: logits, documents: docs.rows, labels: docs.labels,
                                                        classWeights: weights, pooling: pooling, k: k, dLogits: &dLogits)
        } else {
            loss = try lossAndGradient(logits: logits, labels: batch.labels, weights: weights, k: k,
                                       probs: &probs, dLogits: &dLogits)
        }
        try model.backward(dLogits: dLogits, batch: batch)
        let grads = model.gradients
        let norm = GradientClipping.clip(grads.baseAddress, count: grads.count, maxNorm: options.gradClip)
        guard loss.isFinite, norm.isFinite else {  // stop before the update: the weights stay those of the last step
            throw TrainingError.diverged(step: optimizer.step + 1, loss: Double(loss), gradNorm: norm)
        }
        optimizer.update(parameters: model.parameters.baseAddress, gradients: grads.baseAddress, lr: lr)
        return (Double(loss), norm)
    }

    /// Mean (class-weighted) cross-entropy of logits (B×K) and its gradient (Kernels' softmax-CE).
    private func lossAndGradient(logits: [Float], labels: [Int32], weights: [Float]?, k: Int,
                                 probs: inout [Float], dLogits: inout [Float]) throws -> Float {
        let b = labels.count
        return try withOptionalPointer(weights) { w in
            try logits.withUnsafeBufferPointer { l in
                try labels.withUnsafeBufferPointer { y in
                    try probs.withUnsafeMutableBufferPointer { p in
                        let loss = try softmaxCrossEntropyForward(probs: p.baseAddress!, logits: l.baseAddress!, labels: y.baseAddress!,
                                                                  classWeights: w, batch: b, classes: k)
                        try dLogits.withUnsafeMutableBufferPointer { d in
                            try softmaxCrossEntropyBackward(dLogits: d.baseAddress!, probs: p.baseAddress!, labels: y.baseAddress!,
                                                            classWeights: w, batch: b, classes: k)
                        }
                        return loss
                    }
                }
            }
        }
    }

    /// Dev evaluation, best checkpoint and patience at the end of an epoch.
    private func endEpoch(_ state: inout TrainerState, log: TrainingLog?) throws -> EvaluationResult? {
        guard let dev else { return nil }
        let result = try Evaluator.evaluate(model: model, examples: dev, labels: labels, batchSize: options.batchSize,
                                            windowPooling: options.windowPooling)
        let value = result.value(of: options.metric)
        let improved = state.bestMetric.map { options.metric.isBetter(value, than: $0) } ?? true
        if improved {
            state.bestMetric = value; state.bestEpoch = state.epoch; state.epochsWithoutImprovement = 0
            try onCheckpoint?(result)
        } else {
            state.epochsWithoutImprovement += 1
            if let p = options.earlyStoppingPatience, state.epochsWithoutImprovement >= p { state.stoppedEarly = true }
        }
        try log?.write([("type", .string("eval")), ("step", .int(state.step)), ("epoch", .int(state.epoch + 1)),
                        ("loss", .double(result.loss)), ("accuracy", .double(result.accuracy)),
                        ("macro_f1", .double(result.macroF1)), ("best", .bool(improved))])
        onProgress?(TrainingProgress(step: state.step, totalSteps: options.totalSteps(batchesPerEpoch: batchesPerEpoch),
                                     epoch: state.epoch, loss: result.loss, learningRate: 0, gradNorm: 0,
                                     sequencesPerSecond: 0, etaSeconds: 0, evaluation: result))
        return result
    }

    private func save(_ state: inout TrainerState, log: TrainingLog?, optimizer: AdamW) throws {
        guard let store else { return }
        if let bad = model.parameters.firstNonFiniteEntry() {
            throw TrainingError.nonFiniteWeights(file: store.directory.path, tensor: bad)
        }
        state.saveSerial += 1
        state.logBytes = log?.bytesWritten ?? 0
        try store.save(state, parameters: model.parameters, optimizer: optimizer)
    }

    private func summary(_ s: TrainerState, _ loss: Double?, _ evals: [EvaluationResult], interrupted: Bool) -> TrainingSummary {
        TrainingSummary(steps: s.step, epochsCompleted: s.epoch, finalLoss: loss, bestMetric: s.bestMetric,
                        bestEpoch: s.bestEpoch, stoppedEarly: s.stoppedEarly, interrupted: interrupted, evaluations: evals)
    }
}

private func withOptionalPointer<R>(_ a: [Float]?, _ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0.baseAddress) }
}

/// Throughput over the last steps and the ETA at that pace.
final class ThroughputClock {
    private let totalSteps: Int
    private var recent: [(time: Double, sequences: Int)] = []
    private var last: Double

    init(totalSteps: Int, startStep: Int) { self.totalSteps = totalSteps; last = Self.now() }

    func record(step: Int, sequences: Int) -> (current: Double, eta: Double) {
        let t = Self.now()
        recent.append((t - last, sequences)); last = t
        if recent.count > 20 { recent.removeFirst() }
        let time = recent.reduce(0) { $0 + $1.time }, seqs = recent.reduce(0) { $0 + $1.sequences }
        let perStep = time / Double(recent.count)
        return (time > 0 ? Double(seqs) / time : 0, perStep * Double(max(0, totalSteps - step)))
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
