// Mixed-topic memoranda, letters and e-mails: a neutral genre shared by every class whose
// body mixes sentences from the label's topic with sentences from a second class in a drawn
// proportion (30–70% from the label). The label is the memo's purpose: the matter its subject
// line names or, when the subject is generic, the decision its closing request asks for. Word
// counts alone cannot decide the class: the reader must weigh the subject or the request.

enum MixedMemoTemplates {
    static func topicPool(_ label: LegalClass) -> [String] {
        switch label {
        case .contract: return ContractTemplates.clauses.keys.sorted().flatMap { ContractTemplates.clauses[$0] ?? [] }
        case .patent: return PatentTemplates.background + PatentTemplates.description + PatentTemplates.rejections + PatentTemplates.arguments
        case .litigation: return LitigationTemplates.facts + LitigationTemplates.standards + LitigationTemplates.argument + LitigationTemplates.holdings
        case .compliance: return ComplianceTemplates.policyBody + ComplianceTemplates.findings + ComplianceTemplates.regulatory
        case .corporate: return CorporateTemplates.resolutions + CorporateTemplates.minutesItems + CorporateTemplates.whereas
        }
    }

    static func subject(_ label: LegalClass) -> [String] {
        switch label {
        case .contract: return ["Renewal of the {agreement} with {B}", "Open issues in the draft {agreement}", "Payment dispute under the supply terms", "Negotiating the patent licence with {B}", "Indemnity and audit-rights language for the {B} deal"]
        case .patent: return ["Prosecution status of {appno}", "Freedom-to-operate review for the {tech}", "Response strategy for the pending Office Action", "Whether to file continuations before the licence talks with {B}", "Claim amendments in light of the litigation"]
        case .litigation: return ["Status of Civil Action No. {caseno}", "Deposition schedule and discovery disputes", "Assessment of the motion to dismiss", "Our exposure in the {B} lawsuit over the supply contract", "Trial preparation in the patent case against {B}"]
        case .compliance: return ["Remediation of internal audit findings", "New obligations under {regulation}", "Annual compliance risk assessment", "Vendor contracts that skipped the required compliance review", "Document retention during the {B} dispute"]
        case .corporate: return ["Agenda for the upcoming board meeting", "Proposed amendments to the bylaws", "Director nominations and committee assignments", "Board approval needed for the {B} settlement", "Items for the audit committee on the patent portfolio"]
        }
    }

    /// Subject lines that name no matter; the memo's closing request then names its purpose.
    static let genericSubjects = [
        "Follow-up from today's call", "Open items for this week", "Matters involving {B}",
        "Notes from the meeting on {date}", "Questions from {person}", "Update for the {officer}",
    ]

    /// What the writer asks to be decided: the memo's purpose, and so its class.
    static func requests(_ label: LegalClass) -> [String] {
        switch label {
        case .contract: return [
            "Please confirm that we may sign the {agreement} with {B} on these terms.",
            "I need your approval of the revised payment and termination clauses before we return the draft to {B}.",
            "Can you sign off on the amendment so that {B} can countersign it this week?"]
        case .patent: return [
            "Please confirm whether we should amend the claims or appeal the rejection before the response deadline.",
            "I need a decision on whether to file a continuation application before the claims are allowed.",
            "Please let me know whether the inventors can sign their declarations so that we can file the application."]
        case .litigation: return [
            "Please let me know whether we should oppose the motion or seek a stipulated extension from opposing counsel.",
            "I need authority to make a settlement offer to {B} before the mediation on {date}.",
            "Please confirm which witnesses we should designate before the discovery cutoff."]
        case .compliance: return [
            "Please confirm that the remediation plan can be presented to the Compliance Committee.",
            "I need your sign-off on the revised policy before the annual training is rolled out.",
            "Please let me know whether this must be reported to {agency} under {regulation}."]
        case .corporate: return [
            "Please confirm that this item can be placed on the agenda for the next board meeting.",
            "I need your sign-off on the draft resolutions so that the Secretary can circulate the written consent.",
            "Please let me know whether the stockholders must approve this before the current report is filed."]
        }
    }

    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        let others = LegalClass.allCases.filter { $0 != label }
        let second = c.pick(others)
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 80...450)
        let sentences = max(3, target / 24)
        // Either way the body mixes the two topics (30–70% from the label's). A specific subject
        // line names the matter; a generic one ("Follow-up ...") names none, and then the
        // closing request — the decision the writer asks for — names the memo's purpose. That
        // request comes last, as in real correspondence, after the mixed body.
        let generic = c.chance(0.3)
        let primary = max(1, min(sentences - 1, Int(Double(sentences) * (0.3 + 0.4 * c.uniform()))))
        let secondary = sentences - primary
        var body = c.sample(topicPool(label), primary).map { c.fill($0) }
        body += c.sample(topicPool(second), secondary).map { c.fill($0) }
        body = c.shuffled(body)
        let subjectLine = c.fill(c.pick(generic ? genericSubjects : subject(label)))
        var b = DocumentBuilder()
        switch c.int(0...2) {
        case 0: b.add(c.fill("PRIVILEGED AND CONFIDENTIAL\nMEMORANDUM\nTo: {person}, {officer}\nFrom: {person}\nDate: {date}\nRe: \(subjectLine)"))
        case 1: b.add(c.fill("From: {person}\nSent: {date}\nTo: Legal Department\nSubject: \(subjectLine)"))
        default: b.add(c.fill("{date}\nVia Electronic Mail\n{person}\n{A}\nRe: \(subjectLine)\nDear Counsel:"))
        }
        var i = 0
        while i < body.count {
            let n = min(body.count - i, c.int(2...4))
            b.add(body[i..<(i + n)].joined(separator: " "))
            i += n
        }
        let request = generic ? c.fill(c.pick(requests(label))) + " " : ""
        b.add(c.fill(request + "Please let me know if you would like to discuss.\n{person}"))
        return b.text
    }
}
