// Masked-language-model continued pretraining (`docket pretrain`). One optimizer step:
//   zero grads → pad batch → mask (MaskedLMMasking, generator from seed and step) → encoder
//   forward + masked-LM head + CE over masked positions + backward (EncoderModel.maskedLMStep)
//   → clip global norm → lr = schedule(step) → AdamW (HF decay groups) → log
// It reuses the fine-tuning loop's pieces (EpochPlanner batches, schedules, AdamW, clipping,
// TrainerState / TrainingStateStore), so `--resume` continues exactly as fine-tuning does.
import DocketBase
import Encoder
import Foundation
import Kernels

public struct MaskedLMSummary: Sendable {
    public let steps: Int
    public let epochsCompleted: Int
    public let finalLoss: Double?
    /// True when `stopAfterStep` ended the run before completion (state saved).
    public let interrupted: Bool
}

public final class MaskedLMTrainer {
    public let model: EncoderModel
    public let options: TrainingOptions
    public let masking: MaskedLMMasking
    public let gradients: ParameterBuffer
    private let examples: [TrainingExample]
    private let store: TrainingStateStore?
    private let logURL: URL?
    private let recompute: ActivationRecompute

    /// Called after each step (`evaluation` is always nil).
    public var onProgress: ((TrainingProgress) -> Void)?
    /// Called once at the end of the run: write the checkpoint from the model's weights.
    public var onCheckpoint: (() throws -> Void)?
    /// Tests: stop (saving state) right after this step, as if the process were killed.
    public var stopAfterStep: Int?
    /// Tests: replaces the masking of a step (ids, labels) — e.g. masks exported by PyTorch.
    public var maskOverride: ((Int, inout TokenBatch) -> [Int32])?

    public init(model: EncoderModel, options: TrainingOptions, masking: MaskedLMMasking, examples: [TrainingExample],
                stateDirectory: URL?, logURL: URL?, recompute: ActivationRecompute = .all) throws {
        try options.validate()
        guard model.objective == .maskedLM else { throw TrainingError.invalidArgument("the model has no masked-LM head") }
        guard !examples.isEmpty else { throw TrainingError.invalidArgument("the pretraining text set is empty") }
        guard (0..<model.config.vocabSize).contains(Int(masking.maskId)), masking.vocabSize <= model.config.vocabSize else {
            throw TrainingError.invalidArgument("the tokenizer's [MASK] id \(masking.maskId) or vocabulary (\(masking.vocabSize)) does not fit the model's vocab_size \(model.config.vocabSize)")
        }
        self.model = model; self.options = options; self.masking = masking; self.examples = examples
        self.gradients = model.makeGradientBuffer()
        self.store = stateDirectory.map(TrainingStateStore.init(directory:))
        self.logURL = logURL; self.recompute = recompute
    }

    public var batchesPerEpoch: Int { (examples.count + options.batchSize - 1) / options.batchSize }

    public func run(resume: Bool = false) throws -> MaskedLMSummary {
        let totalSteps = options.totalSteps(batchesPerEpoch: batchesPerEpoch)
        let epochs = options.epochCount(batchesPerEpoch: batchesPerEpoch)
        let schedule = options.schedule(totalSteps: totalSteps)
        var adam = options.adam
        adam.weightDecay = options.weightDecay
        let segments = model.parameters.entries.map { ParameterSegment(name: $0.name, offset: $0.offset, count: $0.count) }
        let optimizer = try AdamW(config: adam, segments: segments, count: model.parameters.count)
        var state = try initialState(resume: resume, optimizer: optimizer)
        let log = try logURL.map { try TrainingLog(url: $0, truncateTo: resume ? state.logBytes : 0) }
        let maxLen = examples.map(\.ids.count).max() ?? 1
        let ws = try model.makeWorkspace(maxBatch: options.batchSize, maxSeqLen: maxLen, training: true, recompute: recompute)
        let head = MaskedLMWorkspace()
        let padId = Int32(max(0, model.config.padTokenId))
        var lastLoss: Double?
        let clock = ThroughputClock(totalSteps: totalSteps, startStep: state.step)
        while !state.finished {
            if state.batchInEpoch == 0 && state.epochOrder.isEmpty { state.epochOrder = planEpoch(state.epoch) }
            while state.batchInEpoch < state.epochOrder.count && state.step < totalSteps {
                var batch = TokenBatch(examples: examples, indices: state.epochOrder[state.batchInEpoch], padId: padId)
                let labels: [Int32]
                if let maskOverride { labels = maskOverride(state.step, &batch) } else {
                    var rng = MaskedLMMasking.stepRNG(seed: options.seed, step: state.step)
                    labels = masking.apply(to: &batch, rng: &rng)
                }
                let lr = schedule.learningRate(atStep: state.step)
                gradients.zero()
                let (loss, masked) = try model.maskedLMStep(
                    ids: batch.ids, typeIds: batch.typeIds, mask: batch.mask, labels: labels, batch: batch.batch,
                    seqLen: batch.seqLen, workspace: ws, head: head, gradients: gradients, training: true, rng: &state.dropoutRNG)
                let norm = GradientClipping.clip(gradients.baseAddress, count: gradients.count, maxNorm: options.gradClip)
                optimizer.update(parameters: model.parameters.baseAddress, gradients: gradients.baseAddress, lr: lr)
                state.step += 1; state.batchInEpoch += 1; lastLoss = Double(loss)
                let rate = clock.record(step: state.step, sequences: batch.batch)
                let epochPos = Double(state.epoch) + Double(state.batchInEpoch) / Double(max(1, state.epochOrder.count))
                try log?.write([("type", .string("step")), ("step", .int(state.step)), ("epoch", .double(epochPos)),
                                ("loss", .double(Double(loss))), ("masked", .int(masked)), ("lr", .double(lr)),
                                ("grad_norm", .double(norm)), ("seq_per_s", .double(rate.current))])
                onProgress?(TrainingProgress(step: state.step, totalSteps: totalSteps, epoch: state.epoch, loss: Double(loss),
                                             learningRate: lr, gradNorm: norm, sequencesPerSecond: rate.current,
                                             etaSeconds: rate.eta, evaluation: nil))
                if options.saveSteps > 0 && state.step % options.saveSteps == 0 { try save(&state, log, optimizer) }
                if let stop = stopAfterStep, state.step >= stop {
                    try save(&state, log, optimizer)
                    return MaskedLMSummary(steps: state.step, epochsCompleted: state.epoch, finalLoss: lastLoss, interrupted: true)
                }
            }
            state.epoch += 1; state.batchInEpoch = 0; state.epochOrder = []
            if state.step >= totalSteps || state.epoch >= epochs { state.finished = true }
            if state.finished { try onCheckpoint?() }
            try save(&state, log, optimizer)
        }
        return MaskedLMSummary(steps: state.step, epochsCompleted: state.epoch, finalLoss: lastLoss, interrupted: false)
    }

    private func planEpoch(_ epoch: Int) -> [[Int]] {
        var rng = EpochPlanner.epochRNG(seed: options.seed, epoch: epoch)
        return EpochPlanner.batches(lengths: examples.map(\.ids.count), batchSize: options.batchSize,
                                    shuffle: options.shuffle, bucketBatches: options.bucketBatches, rng: &rng)
    }

    private func initialState(resume: Bool, optimizer: AdamW) throws -> TrainerState {
        try TrainerState.starting(resume: resume, store: store, parameters: model.parameters, optimizer: optimizer,
                                  options: options, count: examples.count, unit: "texts")
    }

    private func save(_ state: inout TrainerState, _ log: TrainingLog?, _ optimizer: AdamW) throws {
        guard let store else { return }
        state.saveSerial += 1
        state.logBytes = log?.bytesWritten ?? 0
        try store.save(state, parameters: model.parameters, optimizer: optimizer)
    }
}
