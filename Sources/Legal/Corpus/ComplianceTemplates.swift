// Compliance documents: internal policies, internal-audit findings, regulatory notices and
// compliance alerts, annual certifications. Text: Corpora/templates/compliance.json.

enum ComplianceTemplates {
    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...4) {
        case 0, 1: return policy(&c, area: c.pick(c.text.compliance.policyAreas), extra: [])
        case 2: return auditReport(&c)
        case 3: return regulatoryNotice(&c)
        default: return certification(&c)
        }
    }

    static func policy(_ c: inout TextComposer, area: String, extra: [String]) -> String {
        let m = c.text.compliance, t = m.policy
        c.bindings["A"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 120...650)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading, ["area_upper": area.uppercased()]))
        b.add(c.fill(t.purpose, ["area_lower": area.lowercased()]))
        let sections = t.sections
        let bodies = extra + Array(repeating: "", count: sections.count)
        grow(&b, target: target, reserve: 25, minimum: 2 + extra.count) { i in
            let head = "\(i + 2). \(sections[i % sections.count])\n"
            let lead = i < bodies.count && !bodies[i].isEmpty ? c.fill(bodies[i]) + " " : ""
            return head + lead + c.paragraph(m.policyBody, 1...3)
        }
        b.add(c.fill(t.approval))
        return b.text
    }

    static func auditReport(_ c: inout TextComposer) -> String {
        let m = c.text.compliance, t = m.auditReport
        c.bindings["A"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 120...600)
        let area = c.pick(m.policyAreas)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading, ["area": area]))
        let rating = c.pick(t.ratings)
        b.add(c.fill(t.summary, ["rating": rating]))
        grow(&b, target: target, reserve: 20, minimum: 1) { i in
            bind(t.finding, ["number": "\(i + 1)"]) + c.line(m.findings) + " " + c.paragraph(m.responses, 1...2)
        }
        b.add(t.closing)
        return b.text
    }

    static func regulatoryNotice(_ c: inout TextComposer) -> String {
        let m = c.text.compliance, t = m.regulatoryNotice
        let target = drawTargetWords(&c, range: 100...550)
        var b = DocumentBuilder()
        let kind = c.pick(t.kinds)
        b.add(c.fill(t.heading, ["kind": kind]))
        b.add(c.fill(t.opening))
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in c.paragraph(m.regulatory, 2...3) }
        b.add(t.closing)
        return b.text
    }

    static func certification(_ c: inout TextComposer) -> String {
        let m = c.text.compliance, t = m.certification
        c.bindings["A"] = c.fill("{company}")
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.statement))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, reserve: 15, minimum: 1) { _ in c.paragraph(m.policyBody + m.findings, 1...3) }
        b.add(c.fill(t.closing))
        return b.text
    }
}
