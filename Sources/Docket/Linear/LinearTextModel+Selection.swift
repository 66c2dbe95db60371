// Scoring a linear model and choosing C by stratified k-fold cross-validation on the training
// data (documents of each label dealt round-robin to the folds, in file order).
import Foundation
import Training

extension LinearTextModel {
    public struct Score: Sendable {
        public var c: Double = 0
        public var accuracy: Double
        public var macroF1: Double
    }

    /// Accuracy and macro-F1 of `model` on labelled texts.
    public static func score(_ model: LinearTextModel, texts: [String], labels: [String]) throws -> Score {
        let predicted = model.probabilities(texts).map { p in p.indices.max { p[$0] < p[$1] }! }
        let gold = labels.map { model.labels.firstIndex(of: $0) ?? -1 }
        var s = metrics(gold: gold, predicted: predicted, classes: model.labels.count)
        s.c = model.options.c
        return s
    }

    /// Accuracy and macro-F1 (mean over all classes of F1; a class never predicted nor present scores 0).
    public static func metrics(gold: [Int], predicted: [Int], classes: Int) -> Score {
        var tp = [Double](repeating: 0, count: classes), fp = tp, fn = tp
        for (g, p) in zip(gold, predicted) {
            if g == p { tp[p] += 1 } else { fp[p] += 1; if g >= 0 { fn[g] += 1 } }
        }
        let f1 = (0..<classes).map { k -> Double in
            let d = 2 * tp[k] + fp[k] + fn[k]
            return d > 0 ? 2 * tp[k] / d : 0
        }
        let accuracy = Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(max(gold.count, 1))
        return Score(accuracy: accuracy, macroF1: f1.reduce(0, +) / Double(classes))
    }

    /// Cross-validated accuracy and macro-F1 for each C (out-of-fold predictions pooled).
    public static func crossValidate(texts: [String], labels: [String], options: LinearModelOptions, cValues: [Double], folds: Int,
                                     log: ((String) -> Void)? = nil) throws -> [Score] {
        let fold = stratifiedFolds(labels: labels, folds: folds)
        let classes = Array(Set(labels)).sorted(by: TfidfVectorizer.pythonOrder)
        let gold = labels.map { classes.firstIndex(of: $0)! }
        var scores: [Score] = []
        for c in cValues {
            var o = options
            o.c = c
            var predicted = [Int](repeating: -1, count: texts.count)
            for f in 0..<folds {
                let trainIdx = texts.indices.filter { fold[$0] != f }, testIdx = texts.indices.filter { fold[$0] == f }
                let (m, _) = try train(texts: trainIdx.map { texts[$0] }, labels: trainIdx.map { labels[$0] }, options: o)
                for (i, p) in zip(testIdx, m.probabilities(testIdx.map { texts[$0] })) {
                    predicted[i] = classes.firstIndex(of: m.labels[p.indices.max { p[$0] < p[$1] }!]) ?? -1
                }
            }
            var s = metrics(gold: gold, predicted: predicted, classes: classes.count)
            s.c = c
            log?(String(format: "C = %g: cross-validated accuracy %.4f, macro-F1 %.4f", c, s.accuracy, s.macroF1))
            scores.append(s)
        }
        return scores
    }

    /// Fold of each document: the documents of each label in turn go to folds 0, 1, ..., k−1, 0, ...
    public static func stratifiedFolds(labels: [String], folds: Int) -> [Int] {
        var next: [String: Int] = [:]
        return labels.map { l in
            let f = next[l, default: 0]
            next[l] = (f + 1) % folds
            return f
        }
    }
}
