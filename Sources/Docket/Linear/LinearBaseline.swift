// The evaluation baseline: TF-IDF word 1–2-grams + class-balanced logistic regression (C = 1),
// Docket's LinearTextModel with its defaults — scikit-learn's
// `make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
//                LogisticRegression(C=1, class_weight="balanced"))`, the model users try first.
import Foundation

/// Accuracy (and macro-F1) of a baseline on labelled texts.
public struct BaselineScore: Sendable, Codable, Equatable {
    public var name: String
    public var accuracy: Double
    public var macroF1: Double?
    public var correct: Int
    public var total: Int
}

public enum LinearBaseline {
    public static let name = "TF-IDF 1-2-grams + logistic regression (balanced, C=1)"

    /// Trains on (texts, labels) with `LinearModelOptions()` and scores on the test texts.
    public static func score(trainTexts: [String], trainLabels: [String], testTexts: [String], testLabels: [String]) throws
        -> (score: BaselineScore, model: LinearTextModel) {
        guard !testTexts.isEmpty, testTexts.count == testLabels.count else {
            throw LinearModelError.invalidArgument("baseline: \(testTexts.count) test texts and \(testLabels.count) labels")
        }
        let (model, _) = try LinearTextModel.train(texts: trainTexts, labels: trainLabels)
        let s = try LinearTextModel.score(model, texts: testTexts, labels: testLabels)
        let correct = Int((s.accuracy * Double(testTexts.count)).rounded())
        return (BaselineScore(name: name, accuracy: s.accuracy, macroF1: s.macroF1, correct: correct, total: testTexts.count), model)
    }
}
