// Upper bounds on every integer flag (docs/limits.md): a value outside its range is a usage
// error naming the flag and the range, before any arithmetic could overflow (e.g. --epochs
// 4611686018427387904 × batches, or --batch-size 2^63-1 allocating a workspace).
import ArgumentParser
import Docket

enum FlagLimits {
    static let batchSize = 1...65_536
    static let workers = 1...TextClassifier.maxConcurrency
    static let maxLength = 1...ModelLimits.maxPositions
    static let topK = 1...ModelLimits.maxLabels
    static let epochs = 1...100_000
    static let steps = 1...1_000_000_000
    static let nonNegativeSteps = 0...1_000_000_000
    static let stride = 0...ModelLimits.maxPositions

    /// Throws a ValidationError when `value` (if given) is outside `range`.
    static func check(_ value: Int?, _ flag: String, _ range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError("\(flag) must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
    }
}
