// Patent documents: applications (abstract, background, summary, claims), office actions,
// responses to office actions and notices of allowance.

enum PatentTemplates {
    static let background = [
        "Conventional {tech} designs suffer from excessive power consumption and limited reliability under load.",
        "Existing approaches require manual calibration, which increases manufacturing cost and introduces variability.",
        "There is therefore a need for an improved {tech} that reduces latency while maintaining accuracy.",
        "Prior art systems, such as those described in {patentno}, fail to address thermal management at high duty cycles.",
    ]
    static let description = [
        "In one embodiment, the {tech} includes {component}, as illustrated in FIG. {n}.",
        "The controller may be implemented in hardware, software, firmware or any combination thereof.",
        "As shown in FIG. {n}, the method begins at step {n}0, where the system receives an input signal.",
        "Those skilled in the art will appreciate that various modifications may be made without departing from the scope of the invention.",
        "In another embodiment, the layers are arranged such that the second layer at least partially overlaps the first layer.",
        "The embodiments described herein are exemplary and not limiting.",
    ]
    static let wherein = [
        "wherein the processor is further configured to compare the signal to a threshold value",
        "wherein the polymer layer has a thickness of between 10 and 50 micrometers",
        "further comprising a display configured to present a notification to a user",
        "wherein the plurality of layers are trained using a labeled data set",
        "wherein the charging current is reduced when the temperature exceeds a predetermined limit",
        "wherein the authentication token is encrypted using a public key",
    ]
    static let rejections = [
        "Claims {claim}-{n} are rejected under 35 U.S.C. § 103 as being unpatentable over {person} ({patentno}) in view of {person} (US 20{n}/0{n}4512).",
        "Claim {claim} is rejected under 35 U.S.C. § 102(a)(1) as being anticipated by {patentno}.",
        "Claims {claim} and {n} are rejected under 35 U.S.C. § 112(b) as being indefinite for failing to particularly point out and distinctly claim the subject matter.",
        "Claims {claim}-{n} are rejected under 35 U.S.C. § 101 because the claimed invention is directed to an abstract idea without significantly more.",
        "The reference discloses {component} (see col. {n}, lines 10-{n}), as recited in the claim.",
        "It would have been obvious to one of ordinary skill in the art before the effective filing date to combine the teachings of the references to improve efficiency.",
    ]
    static let arguments = [
        "Applicant respectfully traverses the rejection and submits that the cited reference fails to disclose each and every element of amended claim {claim}.",
        "The Examiner has not articulated a reason with rational underpinning to combine the references.",
        "Support for the amendments may be found at least at paragraphs [00{n}] through [00{n}] of the specification as originally filed.",
        "No new matter has been added. Applicant requests reconsideration and allowance of the pending claims.",
        "The combination proposed by the Examiner would render the primary reference unsatisfactory for its intended purpose.",
    ]

    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...4) {
        case 0, 1: return application(&c, title: c.fill("{tech}"))
        case 2: return officeAction(&c, subject: c.fill("{tech}"))
        case 3: return response(&c)
        default: return allowance(&c)
        }
    }

    /// Independent claim with three components plus dependent claims.
    static func claims(_ c: inout TextComposer, tech: String, count: Int) -> String {
        let parts = c.sample(LegalVocabulary.components, 3)
        var lines = ["1. A \(tech), comprising: \(parts[0]); \(parts[1]); and \(parts[2])."]
        if count > 1 {
            for k in 2...count { lines.append("\(k). The \(tech) of claim \(c.int(1...(k - 1))), \(c.pick(wherein)).") }
        }
        return "CLAIMS\nWhat is claimed is:\n" + lines.joined(separator: "\n")
    }

    static func application(_ c: inout TextComposer, title: String, extra: [String] = []) -> String {
        let target = drawTargetWords(&c)
        var b = DocumentBuilder()
        b.add(c.fill("UNITED STATES PATENT APPLICATION\n\(title.uppercased())\nInventors: {person}, {person}\nAssignee: {company}"))
        b.add("ABSTRACT\n" + c.fill("A \(title) is disclosed. The \(title) includes {component} and {component}. ") + c.line(description))
        b.add("BACKGROUND\n" + c.paragraph(background, 2...3))
        for e in extra { b.add(e) }
        b.add("SUMMARY\n" + c.fill("In one aspect, a \(title) includes {component}. ") + c.line(description))
        let claimCount = c.int(3...12)
        let claimText = claims(&c, tech: title, count: claimCount)
        grow(&b, target: target, reserve: wordCount(claimText), minimum: 1) { i in
            (i == 0 ? "DETAILED DESCRIPTION\n" : "") + c.paragraph(description, 2...4)
        }
        b.add(claimText)
        return b.text
    }

    static func officeAction(_ c: inout TextComposer, subject: String) -> String {
        let target = drawTargetWords(&c, range: 100...600)
        var b = DocumentBuilder()
        b.add(c.fill("UNITED STATES PATENT AND TRADEMARK OFFICE\nOffice Action Summary\n{appno}\nApplicant: {company}\nExaminer: {person}, Art Unit 2{n}"))
        b.add(c.fill("This is a {n}-page non-final Office Action in response to the communication filed on {date}. The application, directed to a \(subject), has been examined. Claims 1-{n} are pending."))
        grow(&b, target: target, reserve: 50, minimum: 2) { _ in c.paragraph(rejections, 2...3) }
        b.add("A shortened statutory period for reply is set to expire three (3) months from the mailing date of this communication. Extensions of time may be available under 37 CFR 1.136(a).")
        b.add(c.fill("Any inquiry concerning this communication should be directed to Examiner {person}."))
        return b.text
    }

    static func response(_ c: inout TextComposer) -> String {
        let target = drawTargetWords(&c, range: 120...600)
        var b = DocumentBuilder()
        b.add(c.fill("IN THE UNITED STATES PATENT AND TRADEMARK OFFICE\n{appno}\nRESPONSE TO OFFICE ACTION DATED {date}"))
        b.add(c.fill("Applicant submits this response to the Office Action mailed {date}. Claims {claim}-{n} are amended, and claims {n}-{n} are cancelled without prejudice or disclaimer."))
        let tech = c.fill("{tech}")
        b.add(claims(&c, tech: tech, count: c.int(2...5)))
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in "REMARKS\n" + c.paragraph(arguments, 2...4) }
        b.add(c.fill("Respectfully submitted,\n/{person}/\nRegistration No. {n}{n}{n}\nAttorney for Applicant"))
        return b.text
    }

    static func allowance(_ c: inout TextComposer) -> String {
        var b = DocumentBuilder()
        b.add(c.fill("NOTICE OF ALLOWANCE AND FEE(S) DUE\n{appno}\nApplicant: {company}"))
        b.add(c.fill("The application identified above has been examined and is allowed for issuance as a patent. The issue fee of {small} is due within three months of the mailing date."))
        b.add("REASONS FOR ALLOWANCE\n" + c.fill("The prior art of record, alone or in combination, does not teach or suggest a {tech} comprising {component}, as recited in independent claim 1. ") + c.line(description))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, minimum: 0) { _ in c.paragraph(description, 1...2) }
        return b.text
    }
}
