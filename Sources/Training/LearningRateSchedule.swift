// Learning-rate schedules of Hugging Face transformers, driven like torch's LambdaLR: the
// optimizer step with index s (0-based) uses base·λ(s), so with warmup the first step has lr 0.
//   linear:   get_linear_schedule_with_warmup   λ(s) = s/max(1,W) for s < W, else max(0, (N−s)/max(1, N−W))
//   constant: get_constant_schedule_with_warmup λ(s) = s/max(1,W) for s < W, else 1
//   cosine:   get_cosine_schedule_with_warmup (num_cycles 0.5) λ(s) = s/max(1,W) for s < W, else
//             max(0, ½·(1 + cos(π · 2·0.5 · (s−W)/max(1, N−W))))
// Steps are optimizer steps (with gradient accumulation: one per N micro-batches, as HF).
import Foundation

public enum ScheduleKind: String, Sendable, Codable, CaseIterable { case linear, constant, cosine }

public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var kind: ScheduleKind
    public var baseLearningRate: Double
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(kind: ScheduleKind, baseLearningRate: Double, warmupSteps: Int, totalSteps: Int) {
        self.kind = kind; self.baseLearningRate = baseLearningRate
        self.warmupSteps = max(0, warmupSteps); self.totalSteps = max(0, totalSteps)
    }

    /// Warmup steps from a ratio of the total, as transformers' TrainingArguments: ⌈N·ratio⌉.
    public static func warmupSteps(ratio: Double, totalSteps: Int) -> Int {
        Int((Double(totalSteps) * ratio).rounded(.up))
    }

    /// λ(step) of the schedule.
    public func factor(atStep step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        switch kind {
        case .constant: return 1
        case .linear: return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
        case .cosine:
            let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
            return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
        }
    }

    /// The learning rate of the optimizer step with 0-based index `step`.
    public func learningRate(atStep step: Int) -> Double { baseLearningRate * factor(atStep: step) }
}
