// The five-class legal taxonomy of the embedded corpus.

public enum LegalClass: String, CaseIterable, Sendable, Codable {
    case contract = "Contract"
    case patent = "Patent"
    case litigation = "Litigation"
    case compliance = "Compliance"
    case corporate = "Corporate"

    /// Label names in class-index order (the order used for label maps and confusion matrices).
    public static var labelNames: [String] { allCases.map(\.rawValue) }
}
