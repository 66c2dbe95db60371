// Boilerplate that appears in every class of legal document (governing law, notices,
// confidentiality, privilege legends, definitions), plus the length-growing helper the
// templates share. Shared language is what keeps single keywords from deciding the class.

enum SharedClauses {
    static let governingLaw = [
        "This document shall be governed by and construed in accordance with the laws of the State of {state}, without regard to its conflict of laws principles.",
        "Any dispute arising out of or relating to this matter shall be subject to the exclusive jurisdiction of the state and federal courts located in {city}, {state}.",
        "Nothing herein shall be construed as a waiver of any right, remedy or defense, all of which are expressly reserved.",
    ]
    static let notices = [
        "All notices shall be in writing and delivered by hand, by nationally recognized overnight courier or by certified mail to the addresses set forth above.",
        "Questions concerning this document should be directed to {person}, {officer}, at the address of record.",
        "Notice shall be deemed given upon receipt or, if delivery is refused, upon the date of refusal.",
    ]
    static let confidentiality = [
        "The information contained herein is confidential and may not be disclosed to any third party without prior written consent.",
        "Each party shall protect Confidential Information with at least the same degree of care it uses for its own confidential information, and in no event less than reasonable care.",
        "This communication may contain information protected by the attorney-client privilege or the work product doctrine.",
        "Confidential Information does not include information that is or becomes publicly available through no fault of the receiving party.",
    ]
    static let interpretation = [
        "Capitalized terms used but not defined herein have the meanings given to them in the governing documents.",
        "Headings are for convenience only and shall not affect the interpretation of this document.",
        "The words \"include\" and \"including\" shall be deemed to be followed by \"without limitation\".",
        "References to any statute or regulation include any amendment or successor provision thereto.",
    ]
    static let any: [String] = governingLaw + notices + confidentiality + interpretation

    /// A paragraph of boilerplate (1–3 sentences), used by every class.
    static func paragraph(_ c: inout TextComposer) -> String { c.paragraph(any, 1...3) }
}

/// Draws a target length in words, skewed towards shorter documents: 80 + 620·u^1.5 (u uniform).
func drawTargetWords(_ c: inout TextComposer, range: ClosedRange<Int> = 80...700) -> Int {
    let u = c.uniform()
    return range.lowerBound + Int(Double(range.upperBound - range.lowerBound) * u * u.squareRoot())
}

/// Adds body parts from `next(index)` until the document holds about `target` words, leaving
/// `reserve` words for the closing; always adds at least `minimum` parts.
func grow(_ b: inout DocumentBuilder, target: Int, reserve: Int = 0, minimum: Int = 1,
          _ next: (Int) -> String) {
    var i = 0
    while i < minimum || (b.words + reserve < target && i < 60) {
        b.add(next(i))
        i += 1
    }
}

/// "John Smith\nTitle" signature lines for a party.
func signatureBlock(_ party: String, _ c: inout TextComposer) -> String {
    let name = c.fill("{person}")
    return c.fill("\(party)\nBy: /s/ \(name)\nName: \(name)\nTitle: {officer}\nDate: {date}")
}
