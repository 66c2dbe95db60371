// The whole evaluation of a legal classifier: metrics and calibration (Docket's
// EvaluationReport), the savings model in its three forms — the default model from accuracy
// (DESIGN.md §9), per-class costs from the confusion matrix, and routing at a confidence
// threshold (fixed, or the best one found by scanning) with the savings-versus-threshold curve —
// plus an optional baseline score and the training curve. Encodes to the `--json` document.
import Docket
import Foundation

public struct LegalEvaluation: Sendable, Encodable {
    public struct Inputs: Sendable, Codable {
        public var model: String
        public var test: String
        public var calibrationSet: String?
        public var costMatrixFile: String?
        /// "auto" or the fixed threshold as given.
        public var threshold: String
        public var longDocuments: String
        public var maxLength: Int?
        public var batchSize: Int
        /// Inference precision of the classifier: "fp32", "bf16" or "int8".
        public var precision: String

        public init(model: String, test: String, calibrationSet: String? = nil, costMatrixFile: String? = nil,
                    threshold: String = "auto", longDocuments: String = "truncate", maxLength: Int? = nil, batchSize: Int = 32,
                    precision: String = "fp32") {
            self.model = model; self.test = test; self.calibrationSet = calibrationSet; self.costMatrixFile = costMatrixFile
            self.threshold = threshold; self.longDocuments = longDocuments; self.maxLength = maxLength; self.batchSize = batchSize
            self.precision = precision
        }
    }

    public struct Savings: Sendable, Codable {
        /// The default model: accuracy only, uniform misclassification cost, nothing routed.
        public var defaultModel: SavingsReport
        /// Per-class costs (the cost matrix, or uniform) applied to the confusion matrix.
        public var perClass: SavingsReport
        /// Routing below the chosen threshold at the per-class costs.
        public var routed: SavingsReport
        public var costMatrix: CostMatrix
        public var thresholdCurve: [ThresholdPoint]
        /// The threshold maximising net savings on the test set itself (optimistic: chosen on
        /// the data it is scored on).
        public var bestThreshold: Double
        /// Net monthly savings at `bestThreshold`.
        public var bestNetMonthlySavings: Double
        /// Where the routed column's threshold came from: "fixed", "dev" (best on the
        /// calibration set, then applied to the test set) or "test" (no dev set given).
        public var thresholdSource: String
    }

    public var inputs: Inputs
    public var parameters: SavingsParameters
    public var evaluation: EvaluationReport
    public var savings: Savings
    public var baseline: BaselineScore?
    public var trainingCurve: TrainingCurve?
    public var testDocuments: Int { evaluation.documents.count }

    /// Builds every savings figure from an evaluation. `threshold` nil = auto: the best threshold
    /// on `devDocuments` when given (an honest choice, then scored on the test set), else the best
    /// on the test set itself.
    public static func make(inputs: Inputs, evaluation: EvaluationReport, parameters: SavingsParameters,
                            costs: CostMatrix?, threshold: Double?, baseline: BaselineScore? = nil,
                            trainingCurve: TrainingCurve? = nil, devDocuments: [EvaluatedDocument]? = nil) throws -> LegalEvaluation {
        let k = evaluation.labels.count
        let matrix = try costs ?? CostMatrix.uniform(classCount: k, cost: parameters.misclassificationCost)
        let predictions = evaluation.documents.map { ScoredPrediction(gold: $0.gold, predicted: $0.predicted, confidence: $0.confidence) }
        let defaultModel = try SavingsModel.report(accuracy: evaluation.metrics.accuracy, parameters: parameters)
        let perClass = try SavingsModel.report(confusion: evaluation.metrics.confusion.counts, costs: matrix, parameters: parameters)
        let scan = try SavingsModel.scanThresholds(predictions: predictions, classCount: k, costs: matrix, parameters: parameters)
        var chosen = threshold, source = "fixed"
        if chosen == nil, let dev = devDocuments, !dev.isEmpty {
            let devPredictions = dev.map { ScoredPrediction(gold: $0.gold, predicted: $0.predicted, confidence: $0.confidence) }
            chosen = try SavingsModel.scanThresholds(predictions: devPredictions, classCount: k, costs: matrix, parameters: parameters).best.threshold
            source = "dev"
        } else if chosen == nil {
            source = "test"
        }
        let routed = try chosen.map {
            try SavingsModel.report(predictions: predictions, classCount: k, costs: matrix, threshold: $0, parameters: parameters)
        } ?? scan.best
        let savings = Savings(defaultModel: defaultModel, perClass: perClass, routed: routed, costMatrix: matrix,
                              thresholdCurve: scan.curve, bestThreshold: scan.best.threshold,
                              bestNetMonthlySavings: scan.best.netMonthlySavings, thresholdSource: source)
        return LegalEvaluation(inputs: inputs, parameters: parameters, evaluation: evaluation, savings: savings,
                               baseline: baseline, trainingCurve: trainingCurve)
    }

    enum CodingKeys: String, CodingKey {
        case inputs, parameters, labels, testDocuments, metrics, calibration, savings, baseline, trainingCurve
    }

    /// The JSON document: everything except the per-document probabilities.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(evaluation.labels, forKey: .labels)
        try c.encode(testDocuments, forKey: .testDocuments)
        try c.encode(evaluation.metrics, forKey: .metrics)
        try c.encode(evaluation.calibration, forKey: .calibration)
        try c.encode(savings, forKey: .savings)
        try c.encodeIfPresent(baseline, forKey: .baseline)
        try c.encodeIfPresent(trainingCurve, forKey: .trainingCurve)
    }

    init(inputs: Inputs, parameters: SavingsParameters, evaluation: EvaluationReport, savings: Savings,
         baseline: BaselineScore?, trainingCurve: TrainingCurve?) {
        self.inputs = inputs; self.parameters = parameters; self.evaluation = evaluation
        self.savings = savings; self.baseline = baseline; self.trainingCurve = trainingCurve
    }

    /// Pretty JSON with sorted snake_case keys (stable for diffs and tests; snake_case like
    /// every JSON Docket writes, as Hugging Face does).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
