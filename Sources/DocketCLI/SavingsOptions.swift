// Every figure of the savings model as a flag (defaults: DESIGN.md §9), shared by commands
// that print a savings report.
import ArgumentParser
import Legal

struct SavingsOptions: ParsableArguments {
    @Option(help: "Documents triaged per month.")
    var documentsPerMonth: Double = 1_000
    @Option(help: "Lawyer hours to triage one document by hand.")
    var manualHours: Double = 0.5
    @Option(help: "Lawyer hours per document with the classifier (spot check).")
    var assistedHours: Double = 0.01
    @Option(help: "Lawyer cost per hour ($).")
    var hourlyRate: Double = 300
    @Option(help: "Cost of one misclassified document ($); replaced per class by --cost-matrix.")
    var misclassificationCost: Double = 500
    @Option(help: "One-off development cost ($).")
    var developmentCost: Double = 150_000
    @Option(help: "Horizon for ROI and NPV (years).")
    var horizonYears: Double = 3
    @Option(help: "Annual discount rate for NPV (0.08 = 8%; monthly compounding, end-of-month savings).")
    var discountRate: Double = 0.08
    @Option(help: "JSON cost matrix {\"labels\": [...], \"costs\": [[...]]}: costs[true][predicted] in $.")
    var costMatrix: String?
    @Option(help: "Route documents with confidence below X to a lawyer (0 = none: the default model), or 'auto' for the threshold that maximises net savings (chosen on --calibrate when given).")
    var threshold: String = "0"

    var parameters: SavingsParameters {
        var p = SavingsParameters()
        p.documentsPerMonth = documentsPerMonth; p.manualHoursPerDocument = manualHours
        p.assistedHoursPerDocument = assistedHours; p.hourlyRate = hourlyRate
        p.misclassificationCost = misclassificationCost; p.developmentCost = developmentCost
        p.horizonYears = horizonYears; p.annualDiscountRate = discountRate
        return p
    }

    /// nil = auto.
    var fixedThreshold: Double? {
        get throws {
            if threshold == "auto" { return nil }
            guard let t = Double(threshold), (0...1).contains(t) else {
                throw ValidationError("--threshold must be a number in [0, 1] or 'auto', got '\(threshold)'")
            }
            return t
        }
    }

    func validate() throws {
        do { try parameters.validate() } catch let e as SavingsError {
            throw ValidationError("savings figures: \(e.description)")
        }
        _ = try fixedThreshold
    }
}
