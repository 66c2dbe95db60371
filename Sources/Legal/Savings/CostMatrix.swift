// Per-class misclassification costs: costs[gold][predicted] in dollars (diagonal usually 0).
// File format (JSON): {"labels": ["Contract", ...], "costs": [[0, 500, ...], ...]}; when labels
// are given, rows and columns are reordered to the model's label order.
import DocketBase
import Foundation

public struct CostMatrix: Sendable, Equatable, Codable {
    public private(set) var costs: [[Double]]
    public var classCount: Int { costs.count }

    /// Checks the matrix is square with finite, non-negative entries.
    public init(costs: [[Double]]) throws {
        let k = costs.count
        guard k > 0 else { throw SavingsError.costMatrixShape(expected: 1, rows: 0, badRow: nil) }
        for (i, row) in costs.enumerated() {
            guard row.count == k else { throw SavingsError.costMatrixShape(expected: k, rows: k, badRow: i) }
            for (j, v) in row.enumerated() where !(v.isFinite && v >= 0) {
                throw SavingsError.costMatrixValue(row: i, column: j, value: v)
            }
        }
        self.costs = costs
    }

    /// Every off-diagonal entry equal to `cost` (the default model).
    public static func uniform(classCount: Int, cost: Double) throws -> CostMatrix {
        try CostMatrix(costs: (0..<classCount).map { i in (0..<classCount).map { j in i == j ? 0 : cost } })
    }

    private struct FileFormat: Decodable {
        var labels: [String]?
        var costs: [[Double]]
    }

    /// Loads a cost-matrix JSON file for a model whose classes are `labels` (in index order).
    public static func load(_ url: URL, labels: [String]) throws -> CostMatrix {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SavingsError.costMatrixFile(path: url.path, reason: "cannot read the file (\(FileProblem.reading(url.path, error: error)))")
        }
        let file: FileFormat
        do { file = try JSONDecoder().decode(FileFormat.self, from: data) } catch {
            throw SavingsError.costMatrixFile(path: url.path, reason: "expected {\"labels\": [...], \"costs\": [[...]]} (\(describe(error)))")
        }
        let matrix: CostMatrix
        do { matrix = try CostMatrix(costs: file.costs) } catch let e as SavingsError {
            throw SavingsError.costMatrixFile(path: url.path, reason: e.description)
        }
        guard matrix.classCount == labels.count else {
            throw SavingsError.costMatrixFile(path: url.path, reason: "\(matrix.classCount) classes, but the model has \(labels.count) (\(labels.joined(separator: ", ")))")
        }
        guard let fileLabels = file.labels else { return matrix }
        guard fileLabels.count == labels.count, Set(fileLabels) == Set(labels) else {
            throw SavingsError.costMatrixFile(path: url.path, reason: "labels \(fileLabels) do not match the model's labels \(labels)")
        }
        let index = Dictionary(uniqueKeysWithValues: fileLabels.enumerated().map { ($1, $0) })
        let order = labels.map { index[$0] ?? 0 }
        return try CostMatrix(costs: order.map { i in order.map { j in matrix.costs[i][j] } })
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return "invalid JSON: \(c.debugDescription)"
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c): return "wrong type at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}
