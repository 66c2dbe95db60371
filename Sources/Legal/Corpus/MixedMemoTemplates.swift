// Mixed-topic memoranda, letters and e-mails: a neutral genre shared by every class whose
// body mixes sentences from the label's topic with sentences from a second class in a drawn
// proportion (30–70% from the label). The label is what the memo is about — its subject
// line — so word counts alone cannot decide the class: the reader must weigh the "Re:" line.

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
        case .contract: return ["Renewal of the {agreement} with {B}", "Open issues in the draft {agreement}", "Payment dispute under the supply terms"]
        case .patent: return ["Prosecution status of {appno}", "Freedom-to-operate review for the {tech}", "Response strategy for the pending Office Action"]
        case .litigation: return ["Status of Civil Action No. {caseno}", "Deposition schedule and discovery disputes", "Assessment of the motion to dismiss"]
        case .compliance: return ["Remediation of internal audit findings", "New obligations under {regulation}", "Annual compliance risk assessment"]
        case .corporate: return ["Agenda for the upcoming board meeting", "Proposed amendments to the bylaws", "Director nominations and committee assignments"]
        }
    }

    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        let others = LegalClass.allCases.filter { $0 != label }
        let second = c.pick(others)
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 80...450)
        let sentences = max(3, target / 24)
        let primary = max(1, min(sentences - 1, Int(Double(sentences) * (0.3 + 0.4 * c.uniform()))))
        let secondary = sentences - primary
        var body = c.sample(topicPool(label), primary).map { c.fill($0) }
        body += c.sample(topicPool(second), secondary).map { c.fill($0) }
        body = c.shuffled(body)
        let subjectLine = c.fill(c.pick(subject(label)))
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
        b.add(c.fill("Please let me know if you would like to discuss.\n{person}"))
        return b.text
    }
}
