// The fine-tuning loop. One optimizer step reads top to bottom:
//   zero grads → for each of its micro-batches (gradient accumulation; one without it): pad →
//   forward (dropout from the saved generator) → loss (ClassificationLoss: softmax-CE with class
//   weights, or sigmoid-BCE for multi-label), gradient weighted by the micro-batch's share →
//   backward (accumulates) → clip global norm → lr = schedule(step) → AdamW → log
// Dev evaluation (best checkpoint, early stopping) at each epoch end, or every `evalSteps`
// optimizer steps. State is saved every `saveSteps` steps and at each epoch end, so `resume`
// continues exactly (bit-identical weights for a fixed BLAS thread count).
// Data-parallel (several ranks of `collective`, Trainer+DataParallel.swift): each rank runs
// forward/backward on its interleaved share of every micro-batch, one all-reduce sums the
// gradients, then every rank takes the same clipped AdamW step; rank 0 alone writes the log,
// state and checkpoints.
import DocketBase
import Encoder
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
    let train: [TrainingExample]
    let dev: [TrainingExample]?
    let store: TrainingStateStore?
    private let logURL: URL?

    /// Called after each step and after each evaluation.
    public var onProgress: ((TrainingProgress) -> Void)?
    /// Called when the dev metric improves (or at the end of a run without a dev set):
    /// the orchestration writes the HF checkpoint directory from the model's current weights.
    public var onCheckpoint: ((EvaluationResult?) throws -> Void)?
    /// With `options.saveTotalLimit`: called at each save step and the last step with
    /// (step, best step so far) to write `checkpoint-<step>` and rotate older ones.
    public var onStepCheckpoint: ((_ step: Int, _ bestStep: Int?) throws -> Void)?
    /// Tests: stop (saving state) right after this step, as if the process were killed.
    public var stopAfterStep: Int?
    /// The ranks sharing this run (one process unless the CLI was launched by mpirun).
    public var collective: Collective = SingleProcess()
    /// Seconds spent in the gradient all-reduce so far (0 with one rank).
    public internal(set) var allReduceSeconds: Double = 0

    public init(model: TrainableModel, options: TrainingOptions, labels: [String], train: [TrainingExample],
                dev: [TrainingExample]?, stateDirectory: URL?, logURL: URL?) throws {
        try options.validate()
        guard !train.isEmpty else { throw TrainingError.invalidArgument("the training set is empty") }
        guard labels.count == model.numLabels else {
            throw TrainingError.invalidArgument("\(labels.count) labels but the model has \(model.numLabels) outputs")
        }
        let k = labels.count, multi = options.problemType == .multiLabel
        for e in train + (dev ?? []) {
            let ids = multi ? (e.multiLabels ?? [-1]) : [e.label]
            if e.ids.isEmpty || ids.contains(where: { !(0..<k).contains($0) }) {
                throw TrainingError.invalidArgument(multi && e.multiLabels == nil ? "a multi-label run needs label lists on every example"
                                                    : "an example has label id(s) \(ids) outside 0..<\(k) or no tokens")
            }
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
        let loss = try ClassificationLoss(problemType: options.problemType, classes: labels.count, classWeights: try classWeights(),
                                          windowPooling: options.windowPooling)
        try checkDataParallelSupport()
        var state = try synchronizedInitialState(resume: resume, optimizer: optimizer)
        let log = try collective.isRoot ? logURL.map { try TrainingLog(url: $0, truncateTo: resume ? state.logBytes : 0) } : nil
        let maxLen = (train + (dev ?? [])).map(\.ids.count).max() ?? 1
        try model.prepare(maxBatch: localBatchSize, maxSeqLen: maxLen, training: true)

        var evaluations: [EvaluationResult] = [], lastLoss: Double?
        let clock = ThroughputClock(totalSteps: totalSteps, startStep: state.step)
        let accumulation = options.gradientAccumulationSteps
        while !state.finished {
            if state.batchInEpoch == 0 && state.epochOrder.isEmpty { state.epochOrder = planEpoch(state.epoch) }
            while state.batchInEpoch < state.epochOrder.count && state.step < totalSteps && !state.stoppedEarly {
                // One optimizer step: the next `accumulation` micro-batches of the epoch (fewer at its end).
                let group = state.epochOrder[state.batchInEpoch..<min(state.epochOrder.count, state.batchInEpoch + accumulation)]
                let batches = group.map { TokenBatch(examples: train, indices: $0, padId: model.padTokenId) }
                let lr = schedule.learningRate(atStep: state.step)
                let (stepLoss, norm) = try step(batches, indices: Array(group), lr: lr, loss: loss, rng: &state.dropoutRNG,
                                                optimizer: optimizer)
                state.step += 1; state.batchInEpoch += group.count; lastLoss = stepLoss
                let rate = clock.record(step: state.step, sequences: batches.reduce(0) { $0 + $1.batch })
                let epochPos = Double(state.epoch) + Double(state.batchInEpoch) / Double(max(1, state.epochOrder.count))
                try log?.write([("type", .string("step")), ("step", .int(state.step)), ("epoch", .double(epochPos)),
                                ("loss", .double(stepLoss)), ("lr", .double(lr)), ("grad_norm", .double(norm)),
                                ("seq_per_s", .double(rate.current))] + communicationLogFields)
                onProgress?(TrainingProgress(step: state.step, totalSteps: totalSteps, epoch: state.epoch, loss: stepLoss,
                                             learningRate: lr, gradNorm: norm, sequencesPerSecond: rate.current,
                                             etaSeconds: rate.eta, evaluation: nil))
                if let every = options.evalSteps, state.step % every == 0 || state.step == totalSteps,
                   let evaluation = try evaluate(&state, log: log, epoch: epochPos) {
                    evaluations.append(evaluation)
                }
                if options.saveSteps > 0 && state.step % options.saveSteps == 0 {
                    try saveStepCheckpoint(state)
                    try save(&state, log: log, optimizer: optimizer)
                }
                if let stop = stopAfterStep, state.step >= stop {
                    try save(&state, log: log, optimizer: optimizer)
                    return summary(state, lastLoss, evaluations, interrupted: true)
                }
            }
            // Epoch end (or the last, partial epoch of a --max-steps run).
            if options.evalSteps == nil, let evaluation = try evaluate(&state, log: log, epoch: Double(state.epoch + 1)) {
                evaluations.append(evaluation)
            }
            state.epoch += 1; state.batchInEpoch = 0; state.epochOrder = []
            if state.step >= totalSteps || state.epoch >= epochs || state.stoppedEarly { state.finished = true }
            if state.finished && dev == nil && collective.isRoot { try onCheckpoint?(nil) }
            if state.finished && options.saveSteps > 0 && state.step % options.saveSteps != 0 { try saveStepCheckpoint(state) }
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

    func initialState(resume: Bool, optimizer: AdamW) throws -> TrainerState {
        try TrainerState.starting(resume: resume, store: store, parameters: model.parameters, optimizer: optimizer,
                                  options: options, count: train.count, unit: "examples", dataFingerprint: dataFingerprint)
    }

    /// Fingerprint of the tokenized training and dev examples, in order (saved with the state).
    private var dataFingerprint: String { DataFingerprint.of(train: train, dev: dev)
    }

    /// One optimizer step over `batches` (its micro-batches); returns (loss, gradient norm
    /// before clipping). Each micro-batch's mean-loss gradient is weighted by its share of the
    /// summed loss denominators, so the step (and the reported loss) equal one batch of them all.
    private func step(_ batches: [TokenBatch], indices: [[Int]], lr: Double, loss: ClassificationLoss, rng: inout SeededRNG,
                      optimizer: AdamW) throws -> (Double, Double) {
        model.gradients.zero()
        let stepLoss = try collective.size > 1 ? accumulateShare(batches, indices: indices, loss: loss, rng: &rng)
                                               : accumulateGradients(batches, loss: loss, rng: &rng)
        let grads = model.gradients
        let totalLoss = try allReduce(gradients: grads, loss: stepLoss)
        let norm = GradientClipping.clip(grads.baseAddress, count: grads.count, maxNorm: options.gradClip)
        guard stepLoss.isFinite, norm.isFinite else {  // stop before the update: the weights stay those of the last step
            throw TrainingError.diverged(step: optimizer.step + 1, loss: stepLoss, gradNorm: norm)
        }
        optimizer.update(parameters: model.parameters.baseAddress, gradients: grads.baseAddress, lr: lr)
        return (totalLoss, norm)
    }

    /// Forward + loss + backward of each micro-batch into `model.gradients`; the step's mean loss.
    func accumulateGradients(_ batches: [TokenBatch], loss: ClassificationLoss, rng: inout SeededRNG) throws -> Double {
        let shares = batches.map(loss.denominator)
        let total = shares.reduce(0, +)
        var stepLoss = 0.0
        for (batch, share) in zip(batches, shares) {
            let weight = batches.count == 1 ? 1 : Float(share / total)
            let logits = try model.forward(batch, training: true, rng: &rng)
            var probs: [Float] = [], dLogits = [Float](repeating: 0, count: logits.count)
            let mean = try dLogits.withUnsafeMutableBufferPointer {
                try loss.evaluate(logits: logits, batch: batch, probabilities: &probs, dLogits: $0.baseAddress!, scale: weight)
            }
            stepLoss += batches.count == 1 ? mean : mean * share / total
            try model.backward(dLogits: dLogits, batch: batch)
        }
        return stepLoss
    }

    /// Dev evaluation, best checkpoint and patience (counted in evaluations) at an epoch end
    /// or an eval step; `epoch` is the (fractional) epoch position written to the log.
    private func evaluate(_ state: inout TrainerState, log: TrainingLog?, epoch: Double) throws -> EvaluationResult? {
        guard let dev else { return nil }
        let result = try Evaluator.evaluate(model: model, examples: dev, labels: labels, batchSize: localBatchSize,
                                            problemType: options.problemType, windowPooling: options.windowPooling,
                                            collective: collective)
        let value = result.value(of: options.metric)
        let improved = state.bestMetric.map { options.metric.isBetter(value, than: $0) } ?? true
        if improved {
            state.bestMetric = value; state.bestEpoch = state.epoch; state.bestStep = state.step
            state.epochsWithoutImprovement = 0
            if collective.isRoot { try onCheckpoint?(result) }
        } else {
            state.epochsWithoutImprovement += 1
            if let p = options.earlyStoppingPatience, state.epochsWithoutImprovement >= p { state.stoppedEarly = true }
        }
        var fields: [(String, LogValue)] = [("type", .string("eval")), ("step", .int(state.step)),
                                            (epoch == epoch.rounded() ? ("epoch", .int(Int(epoch))) : ("epoch", .double(epoch))),
                                            ("loss", .double(result.loss)), ("accuracy", .double(result.accuracy)),
                                            ("macro_f1", .double(result.macroF1))]
        if options.problemType == .multiLabel { fields.append(("micro_f1", .double(result.microF1))) }
        fields.append(("best", .bool(improved)))
        try log?.write(fields)
        onProgress?(TrainingProgress(step: state.step, totalSteps: options.totalSteps(batchesPerEpoch: batchesPerEpoch),
                                     epoch: state.epoch, loss: result.loss, learningRate: 0, gradNorm: 0,
                                     sequencesPerSecond: 0, etaSeconds: 0, evaluation: result))
        return result
    }

    /// `checkpoint-<step>` (with --save-total-limit), written by the orchestration.
    private func saveStepCheckpoint(_ state: TrainerState) throws {
        guard options.saveTotalLimit != nil, collective.isRoot else { return }
        try onStepCheckpoint?(state.step, state.bestStep)
    }

    private func save(_ state: inout TrainerState, log: TrainingLog?, optimizer: AdamW) throws {
        if let bad = model.parameters.firstNonFiniteEntry() {  // every rank alike (replicas agree)
            throw TrainingError.nonFiniteWeights(file: store?.directory.path ?? "training state", tensor: bad)
        }
        state.saveSerial += 1
        try checkReplicasAgree(step: state.step)
        guard collective.isRoot, let store else { return }
        state.logBytes = log?.bytesWritten ?? 0
        try store.save(state, parameters: model.parameters, optimizer: optimizer)
    }

    private func summary(_ s: TrainerState, _ loss: Double?, _ evals: [EvaluationResult], interrupted: Bool) -> TrainingSummary {
        TrainingSummary(steps: s.step, epochsCompleted: s.epoch, finalLoss: loss, bestMetric: s.bestMetric,
                        bestEpoch: s.bestEpoch, stoppedEarly: s.stoppedEarly, interrupted: interrupted, evaluations: evals)
    }
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

    static func now() -> Double { MonotonicClock.now() }
}
