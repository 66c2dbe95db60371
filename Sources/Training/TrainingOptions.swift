// Every knob of a fine-tuning run (the CLI flags map onto these one to one).
import Encoder

/// The dev metric that picks the best checkpoint and drives early stopping.
public enum SelectionMetric: String, Sendable, Codable, CaseIterable {
    /// accuracy: multi-label subset accuracy; micro_f1: single-label equals accuracy.
    case macroF1 = "macro_f1", microF1 = "micro_f1", accuracy, loss

    /// True when `a` is better than `b`.
    public func isBetter(_ a: Double, than b: Double) -> Bool { self == .loss ? a < b : a > b }
}

public struct TrainingOptions: Sendable, Codable, Equatable {
    public var epochs: Int = 3
    /// Stops after this many optimizer steps (overrides the epoch count when set).
    public var maxSteps: Int?
    public var batchSize: Int = 16
    public var learningRate: Double = 5e-5
    public var weightDecay: Double = 0.01
    public var warmupSteps: Int?
    public var warmupRatio: Double?
    public var schedule: ScheduleKind = .linear
    /// Global-norm clipping threshold; 0 turns clipping off.
    public var gradClip: Double = 1.0
    public var seed: UInt64 = 42
    public var shuffle: Bool = true
    /// Length bucketing: batches sorted by length within chunks of this many batches.
    public var bucketBatches: Int = 50
    public var classWeights: ClassWeightSpec?
    public var earlyStoppingPatience: Int?
    public var metric: SelectionMetric = .macroF1
    /// Training state is saved every this many steps (and at each epoch end); 0 = epoch ends only.
    public var saveSteps: Int = 50
    public var adam: AdamWConfig = AdamWConfig()
    /// Softmax + cross-entropy, or a sigmoid per label + BCE (several labels per example).
    public var problemType: ProblemType = .singleLabel
    /// Micro-batches of `batchSize` per optimizer step (HF gradient_accumulation_steps): the
    /// step equals one batch of all of them; schedules, --max-steps, --save-steps and
    /// --eval-steps count optimizer steps.
    public var gradientAccumulationSteps: Int = 1
    /// Dev evaluation (best checkpoint, early stopping) every this many optimizer steps and at
    /// the last step, instead of at each epoch end; nil = epoch ends.
    public var evalSteps: Int?
    /// When set, each training-state save also writes an HF checkpoint directory
    /// `checkpoint-<step>` and only the newest this many are kept (plus the best one).
    public var saveTotalLimit: Int?
    /// Chunked documents: examples are windows (`TrainingExample.document`), batches hold
    /// `batchSize` whole documents, and the loss and dev metrics use the window-pooled document
    /// probability (WindowPooledLoss.swift). nil = one example per document.
    public var windowPooling: WindowPooling?

    public init() {}

    /// Argument checks that do not need the data.
    public static let maxEpochs = 100_000
    public static let maxSteps = 1_000_000_000
    public static let maxBatchSize = 65_536

    public func validate() throws {
        func bad(_ m: String) -> TrainingError { .invalidArgument(m) }
        guard epochs >= 1 else { throw bad("--epochs must be at least 1") }
        if let m = maxSteps, m < 1 { throw bad("--max-steps must be at least 1") }
        guard batchSize >= 1 else { throw bad("--batch-size must be at least 1") }
        // Upper bounds (docs/limits.md), so epochs × batches and step counters cannot overflow.
        guard epochs <= Self.maxEpochs else { throw bad("--epochs must be at most \(Self.maxEpochs)") }
        if let m = maxSteps, m > Self.maxSteps { throw bad("--max-steps must be at most \(Self.maxSteps)") }
        guard batchSize <= Self.maxBatchSize else { throw bad("--batch-size must be at most \(Self.maxBatchSize)") }
        if let w = warmupSteps, w > Self.maxSteps { throw bad("--warmup-steps must be at most \(Self.maxSteps)") }
        guard saveSteps <= Self.maxSteps else { throw bad("--save-steps must be at most \(Self.maxSteps)") }
        if let p = earlyStoppingPatience, p > Self.maxEpochs { throw bad("--early-stopping-patience must be at most \(Self.maxEpochs)") }
        guard learningRate > 0, learningRate.isFinite else { throw bad("--learning-rate must be positive") }
        guard weightDecay >= 0 else { throw bad("--weight-decay must be non-negative") }
        if warmupSteps != nil, warmupRatio != nil { throw bad("give --warmup-steps or --warmup-ratio, not both") }
        if let w = warmupSteps, w < 0 { throw bad("--warmup-steps must be non-negative") }
        if let r = warmupRatio, !(0...1).contains(r) { throw bad("--warmup-ratio must be in [0, 1]") }
        guard gradClip >= 0 else { throw bad("--grad-clip must be non-negative (0 disables clipping)") }
        if let p = earlyStoppingPatience, p < 1 { throw bad("--early-stopping-patience must be at least 1") }
        guard saveSteps >= 0 else { throw bad("--save-steps must be non-negative") }
        guard (1...65_536).contains(gradientAccumulationSteps) else { throw bad("--gradient-accumulation-steps must be in 1...65536") }
        if let e = evalSteps, e < 1 { throw bad("--eval-steps must be at least 1") }
        if let n = saveTotalLimit, n < 1 { throw bad("--save-total-limit must be at least 1") }
        if saveTotalLimit != nil && saveSteps == 0 { throw bad("--save-total-limit needs --save-steps above 0 (checkpoints are written at save steps)") }
    }

    /// Optimizer steps per epoch of `batchesPerEpoch` micro-batches: ⌈batches / accumulation⌉
    /// (the last, shorter group of an epoch still steps, as HF).
    public func stepsPerEpoch(batchesPerEpoch: Int) -> Int {
        (batchesPerEpoch + gradientAccumulationSteps - 1) / max(1, gradientAccumulationSteps)
    }

    /// Optimizer steps of the run for `batchesPerEpoch` micro-batches per epoch.
    public func totalSteps(batchesPerEpoch: Int) -> Int { maxSteps ?? epochs * stepsPerEpoch(batchesPerEpoch: batchesPerEpoch) }

    /// Epochs needed to reach totalSteps (more than `epochs` only when --max-steps asks for it).
    public func epochCount(batchesPerEpoch: Int) -> Int {
        let steps = stepsPerEpoch(batchesPerEpoch: batchesPerEpoch)
        guard let m = maxSteps, steps > 0 else { return epochs }
        return (m + steps - 1) / steps
    }

    public func schedule(totalSteps: Int) -> LearningRateSchedule {
        let warmup = warmupSteps ?? warmupRatio.map { LearningRateSchedule.warmupSteps(ratio: $0, totalSteps: totalSteps) } ?? 0
        return LearningRateSchedule(kind: schedule, baseLearningRate: learningRate, warmupSteps: warmup, totalSteps: totalSteps)
    }
}
