// The original template corpus, reproduced for comparison: five classes, three templates
// each, five variation sentences per class, one filler sentence repeated 10–29 times.
// Every document is a template + one variation + the filler run, so a handful of keywords
// decide the class and any classifier reaches ~100%: the reason the realistic mode exists.

enum TemplateCorpus {
    static let templates: [LegalClass: [String]] = [
        .contract: [
            "This agreement is made between {company} and {company} for the supply of goods.",
            "The contract term shall be {years} years and may be renewed by mutual written agreement.",
            "The parties agree to the payment terms and delivery schedule set forth in this contract.",
        ],
        .patent: [
            "The invention relates to a {tech} and the patent application claims priority.",
            "A patent claim is directed to an apparatus comprising {component}.",
            "The examiner rejected the claims of the patent application as obvious over prior art.",
        ],
        .litigation: [
            "The plaintiff filed a complaint against the defendant in the {district}.",
            "The court granted the motion to dismiss and the plaintiff may appeal the judgment.",
            "The defendant answered the complaint and the parties proceeded to discovery before trial.",
        ],
        .compliance: [
            "The compliance policy requires all employees to follow {regulation}.",
            "The audit identified compliance gaps and the regulator requested a remediation plan.",
            "Employees must complete compliance training and report violations to the compliance officer.",
        ],
        .corporate: [
            "The board of directors of {company} approved the resolution at the annual meeting.",
            "The shareholders voted to elect directors and amend the corporate bylaws.",
            "The corporation announced a merger and the board declared a dividend for shareholders.",
        ],
    ]
    static let variations: [LegalClass: [String]] = [
        .contract: ["The agreement is binding on both parties.", "Payment is due within thirty days.", "Either party may terminate the contract for breach.", "The supplier warrants the goods.", "This contract is governed by the laws of {state}."],
        .patent: ["The claims define the scope of the invention.", "The patent was granted after examination.", "Prior art was cited by the examiner.", "The inventor assigned the patent rights.", "The patent application was published."],
        .litigation: ["The jury returned a verdict.", "The court scheduled a hearing.", "The parties filed briefs.", "The judge issued an order.", "The plaintiff seeks damages."],
        .compliance: ["The policy is reviewed annually.", "Violations are reported to the regulator.", "The audit committee reviewed the findings.", "Controls were tested for effectiveness.", "The regulation took effect this year."],
        .corporate: ["The board met quarterly.", "The shareholders approved the plan.", "The officers were appointed by the board.", "The company filed its annual report.", "The bylaws were amended."],
    ]
    static let filler = "This document is provided for reference and record keeping purposes."

    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        let template = c.line(templates[label] ?? [])
        let variation = c.line(variations[label] ?? [])
        let repeats = c.int(10...29)
        return ([template, variation] + Array(repeating: filler, count: repeats)).joined(separator: " ")
    }
}
