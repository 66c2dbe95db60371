// BERT's masked-LM corruption, as transformers' DataCollatorForLanguageModeling
// (mlm_probability 0.15): each token that is neither special ([CLS] [SEP] [PAD] [UNK] [MASK],
// the tokenizer's all_special_ids) nor padding is selected with probability 0.15; a selected
// token becomes [MASK] with probability 0.8, a uniformly random vocabulary id with 0.1, and
// stays unchanged with 0.1; its label is the original id, every other label −100 (ignored).
// The draws come from a generator derived from the seed and the optimizer step only, so a
// resumed run masks exactly as the uninterrupted one.
import DocketBase
import Encoder
import Kernels

public struct MaskedLMMasking: Sendable, Equatable {
    public var maskId: Int32
    /// Random replacements are drawn from 0..<vocabSize (HF: len(tokenizer)).
    public var vocabSize: Int
    /// Ids never selected (besides padding).
    public var specialIds: Set<Int32>
    public var probability: Double = 0.15

    public init(maskId: Int32, vocabSize: Int, specialIds: Set<Int32>, probability: Double = 0.15) {
        self.maskId = maskId; self.vocabSize = vocabSize; self.specialIds = specialIds; self.probability = probability
    }

    /// The generator that masks optimizer step `step` of a run seeded with `seed`.
    public static func stepRNG(seed: UInt64, step: Int) -> SeededRNG {
        SeededRNG(seed: (seed ^ 0x6D61_736B_6564_4C4D) &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1))
    }

    /// Corrupts `batch.ids` in place (mask 0 = padding, never selected) and returns the labels
    /// (B·T: original id where selected, −100 elsewhere).
    public func apply(to batch: inout TokenBatch, rng: inout SeededRNG) -> [Int32] {
        var labels = [Int32](repeating: maskedLMIgnoreLabel, count: batch.ids.count)
        for i in batch.ids.indices where batch.mask[i] != 0 && !specialIds.contains(batch.ids[i]) {
            guard Double(rng.nextUniform()) < probability else { continue }
            labels[i] = batch.ids[i]
            let u = rng.nextUniform()
            if u < 0.8 {
                batch.ids[i] = maskId
            } else if u < 0.9 {
                batch.ids[i] = Int32(truncatingIfNeeded: rng.next() % UInt64(max(vocabSize, 1)))
            }
        }
        return labels
    }
}
