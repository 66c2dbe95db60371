// Cross-class passages: sentences written in the voice of one class (who acts, what is decided)
// that discuss another class's subject matter, as real documents do — a supply agreement that
// mentions pending litigation and patents, a compliance policy about invention disclosures,
// board minutes that receive audit findings, a complaint that quotes a contract, a patent
// specification that describes compliance software. Inserted into ordinary documents so
// topic words (court, patent, audit, board, agreement) appear in every class while the
// document's purpose, and so its label, stays unchanged.

enum CrossReferences {
    /// Sentences whose speaker is still a Contract (parties agreeing to terms).
    static let contract = [
        "The parties acknowledge the pending action captioned Civil Action No. {caseno} in the {district} and agree that nothing in this Agreement shall be construed as an admission by either party in that action.",
        "Licensor represents that, to its knowledge, no claim of infringement of {patentno} has been asserted against it, and Licensee's sole remedy for any such claim is set forth in this Section.",
        "Each party shall comply with {regulation} in performing this Agreement and shall provide the other party, upon request, a copy of its written compliance policy.",
        "{B} shall not be obligated to perform until the Board of Directors of {A} has approved this Agreement and the execution thereof.",
        "Any patent application filed on an invention conceived in the performance of the Services shall be prosecuted at {A}'s expense and in {A}'s name.",
        "If a court of competent jurisdiction holds any provision of this Agreement unenforceable, the parties shall negotiate in good faith a valid provision of similar effect.",
        "{B} shall cooperate, at {A}'s expense, with any audit, investigation or inquiry of {agency} relating to the Services.",
        "The obligations of this Section survive a change of control of either party approved by its stockholders.",
        "{B} shall preserve all records relating to the Services for {years} years and shall not destroy any record subject to a litigation hold of which it has been notified.",
        "Neither party shall file any lawsuit relating to this Agreement before the negotiation period described above has expired, except to seek injunctive relief.",
    ]
    /// Sentences whose speaker is still a Patent filing (applicant, examiner, inventor).
    static let patent = [
        "In one embodiment, the system flags contract clauses, such as indemnification and limitation of liability provisions, that deviate from a reference template.",
        "Applicant notes that the related litigation concerning {patentno} has been stayed pending this proceeding and that the claims are presumed valid.",
        "The claimed method may be used by a compliance officer to monitor obligations arising under {regulation} and to generate an audit trail.",
        "The Examiner acknowledges the information disclosure statement listing documents produced in Civil Action No. {caseno}.",
        "The assignee, {A}, records that its Board of Directors authorized the filing of this application and of any foreign counterparts.",
        "The license agreement between the assignee and {B} is not admitted to be prior art, and the commercial success it reflects supports the non-obviousness of the claims.",
        "In another embodiment, the processor stores each approval of the board of directors as a signed record in the {component}.",
        "The rejection is maintained because the court's construction of the term in the district court litigation does not bind the Office.",
        "Applicant respectfully submits that a policy engine enforcing access rules, as recited in claim {claim}, is not an abstract idea.",
    ]
    /// Sentences whose speaker is still a court or a litigant.
    static let litigation = [
        "Section {section} of the {agreement} provides that either party may terminate upon {days} days' written notice, and Defendant gave no such notice.",
        "Plaintiff alleges that Defendant's compliance program existed on paper only and that its internal audit findings were never remediated.",
        "The board of directors of {A} approved the transaction at a meeting on {date}, and the minutes of that meeting are attached as Exhibit {n}.",
        "Defendant contends that claim {claim} of {patentno} is invalid as obvious, and the Court addresses that contention below.",
        "The indemnification clause of the parties' contract does not reach the claims asserted here, which arise from Defendant's own conduct.",
        "The Court takes judicial notice of the Form 8-K that {A} filed on {date} and of the consent order entered by {agency}.",
        "Discovery has shown that the license agreement was amended twice before the dispute arose, and the amendments are not in dispute.",
        "Plaintiff's damages expert applies a reasonable royalty of {pct} drawn from comparable patent licenses.",
        "Defendant's written policy required annual certifications of compliance with {regulation}, which its officers failed to make.",
    ]
    /// Sentences whose speaker is still the compliance function (policy, audit, regulator).
    static let compliance = [
        "Employees who conceive an invention in the course of their duties shall submit an invention disclosure to the Legal Department before any public presentation, so that patent rights are not lost.",
        "Contracts with third-party intermediaries shall include audit rights, anti-corruption representations and a right to terminate for breach of this Policy.",
        "Where litigation is reasonably anticipated, the Legal Department will issue a litigation hold, and the ordinary retention schedule is suspended for the affected records.",
        "The Chief Compliance Officer reports quarterly to the Audit Committee of the Board of Directors on the status of this program.",
        "Testing identified {n} vendor agreements executed without the required compliance review, including one with {B}.",
        "The consent order entered in the action brought by {agency} requires the Company to retain an independent monitor for {years} years.",
        "Use of open-source software in products requires prior review so that licence terms do not encumber the Company's patents.",
        "Violations of this Policy may also expose the Company to civil lawsuits and to enforcement actions in federal court.",
        "The review of board materials found that conflicts of interest were disclosed by directors but not logged in the register maintained under this Policy.",
    ]
    /// Sentences whose speaker is still the corporation's board, stockholders or secretary.
    static let corporate = [
        "The General Counsel reported on the status of Civil Action No. {caseno} and on the mediation scheduled for {date}.",
        "The Audit Committee reviewed the internal audit findings concerning compliance with {regulation} and management's remediation plan.",
        "The directors discussed the proposed {agreement} with {B}, including its term, pricing and limitation of liability provisions.",
        "The Chief Technology Officer described the Company's patent portfolio, including {patentno} and the pending {appno}.",
        "The Board noted that the settlement would be paid from existing reserves and would not require a further drawdown of the credit facility.",
        "The Board received the annual report of the Chief Compliance Officer and asked that the training completion rate be reported at the next meeting.",
        "Following discussion, the directors agreed that management should continue licensing negotiations for the {tech} rather than pursue an infringement suit.",
        "The committee considered whether the pending patent litigation required disclosure in the Company's next periodic report.",
        "The Secretary confirmed that the execution of the {agreement} had been reported to the stockholders as required by the bylaws.",
    ]

    static func pool(_ label: LegalClass) -> [String] {
        switch label {
        case .contract: return contract
        case .patent: return patent
        case .litigation: return litigation
        case .compliance: return compliance
        case .corporate: return corporate
        }
    }

    /// With probability `p`, inserts a paragraph of 1–3 cross-class sentences (in the label's
    /// voice) after the document's second or third part (past its heading and opening).
    static func insert(into text: String, _ label: LegalClass, p: Double, _ c: inout TextComposer) -> String {
        var parts = text.components(separatedBy: "\n\n")
        guard parts.count >= 3, c.chance(p) else { return text }
        let at = c.int(2...min(3, parts.count - 1))
        parts.insert(c.paragraph(pool(label), 1...3), at: at)
        return parts.joined(separator: "\n\n")
    }
}
