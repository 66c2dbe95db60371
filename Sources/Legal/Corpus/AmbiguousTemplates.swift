// Genuinely ambiguous documents: each is labelled by its purpose while its vocabulary comes
// largely from another class — a patent licence is a Contract, a complaint for patent
// infringement is Litigation, a litigation-hold policy is Compliance, a board resolution
// approving a contract is Corporate, an inter partes review petition is a Patent matter.
// Text: Corpora/templates/ambiguous.json (four cases per class, in the order drawn here).

enum AmbiguousTemplates {
    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        switch label {
        case .contract: return contract(&c)
        case .patent: return patent(&c)
        case .litigation: return litigation(&c)
        case .compliance: return compliance(&c)
        case .corporate: return corporate(&c)
        }
    }

    /// A patent licence, a settlement, a data processing agreement or a stock purchase agreement.
    static func contract(_ c: inout TextComposer) -> String {
        let cases = c.text.ambiguous.contract.agreements
        let chosen = cases[c.int(0...(cases.count - 1))]
        return ContractTemplates.agreement(&c, kind: chosen.kind, extraSections: chosen.sections.map { ContractTemplates.resolve($0, c) })
    }

    static func patent(_ c: inout TextComposer) -> String {
        let t = c.text.ambiguous.patent
        switch c.int(0...3) {
        case 0: return ipr(&c)
        case 1:
            let title = c.pick(t.softwareTitles)
            return PatentTemplates.application(&c, title: title, extra: [c.fill(t.applicationBackground)])
        case 2: return PatentTemplates.officeAction(&c, subject: c.pick(t.softwareTitles))
        default: return assignment(&c)
        }
    }

    static func ipr(_ c: inout TextComposer) -> String {
        let t = c.text.ambiguous.patent.interPartesReview
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 150...650)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        let tech = c.fill("{tech}")
        b.add(PatentTemplates.claims(&c, tech: tech, count: c.int(2...4)))
        grow(&b, target: target, reserve: 30, minimum: 1) { i in
            bind(t.ground, ["number": "\(i + 1)"]) + c.paragraph(c.text.patent.rejections, 2...3)
        }
        b.add(t.closing)
        return b.text
    }

    static func assignment(_ c: inout TextComposer) -> String {
        let t = c.text.ambiguous.patent.assignment
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.grant))
        b.add(c.fill(t.authorization))
        let target = drawTargetWords(&c, range: 80...260)
        grow(&b, target: target, reserve: 20, minimum: 0) { _ in c.paragraph(c.text.patent.description, 1...2) }
        b.add(c.fill(t.signature))
        return b.text
    }

    /// Patent infringement (the first case), breach of contract, an SEC enforcement action, a
    /// derivative suit. The patent case quotes its own claim: facts name the invention as {invention} and the
    /// independent claim as {independent_claim}, and its count names a drawn patent.
    static func litigation(_ c: inout TextComposer) -> String {
        let cases = c.text.ambiguous.litigation.complaints
        let index = c.int(0...(cases.count - 1))
        let chosen = cases[index]
        guard index == 0 else {
            return LitigationTemplates.complaint(&c, counts: chosen.counts, facts: chosen.facts, nature: chosen.nature)
        }
        let tech = c.fill("{tech}")
        let claimText = PatentTemplates.claims(&c, tech: tech, count: 2)
        let claim = String(claimText.split(separator: "\n").dropFirst(2).first ?? "")
        let facts = chosen.facts.map { bind($0, ["invention": tech, "independent_claim": claim]) }
        var counts: [String] = []
        for count in chosen.counts { counts.append(c.fill(count)) }
        return LitigationTemplates.complaint(&c, counts: counts, facts: facts, nature: chosen.nature)
    }

    /// Policies on litigation holds, contract review, invention disclosure and insider trading.
    static func compliance(_ c: inout TextComposer) -> String {
        let cases = c.text.ambiguous.compliance.policies
        let chosen = cases[c.int(0...(cases.count - 1))]
        return ComplianceTemplates.policy(&c, area: chosen.area, extra: chosen.clauses)
    }

    /// Board approval of a contract, minutes settling a lawsuit, an 8-K on a patent verdict,
    /// board oversight of the compliance programme.
    static func corporate(_ c: inout TextComposer) -> String {
        let t = c.text.ambiguous.corporate
        switch c.int(0...3) {
        case 0:
            let r = t.contractApproval
            return CorporateTemplates.boardResolution(&c, whereasExtra: r.whereas, resolvedExtra: r.resolved)
        case 1: return CorporateTemplates.minutes(&c, extraItems: t.settlementMinutes)
        case 2: return CorporateTemplates.currentReport(&c, extraItems: t.verdictReport)
        default:
            let r = t.complianceOversight
            return CorporateTemplates.boardResolution(&c, whereasExtra: r.whereas, resolvedExtra: r.resolved)
        }
    }
}
