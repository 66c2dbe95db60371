// Patent documents: applications (abstract, background, summary, claims), office actions,
// responses to office actions and notices of allowance. Text: Corpora/templates/patent.json.

enum PatentTemplates {
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
        let t = c.text.patent.claims
        let parts = c.sample(c.text.vocabulary.components, 3)
        var lines = [bind(t.independent, ["invention": tech, "part1": parts[0], "part2": parts[1], "part3": parts[2]])]
        if count > 1 {
            for k in 2...count {
                let parent = c.int(1...(k - 1))
                let wherein = c.pick(c.text.patent.wherein)
                lines.append(bind(t.dependent, ["number": "\(k)", "invention": tech, "parent": "\(parent)", "wherein": wherein]))
            }
        }
        return t.heading + lines.joined(separator: "\n")
    }

    static func application(_ c: inout TextComposer, title: String, extra: [String] = []) -> String {
        let p = c.text.patent, t = p.application
        let target = drawTargetWords(&c)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading, ["title_upper": title.uppercased()]))
        b.add(c.fill(t.abstract, ["title": title]) + c.line(p.description))
        b.add(t.background + c.paragraph(p.background, 2...3))
        for e in extra { b.add(e) }
        b.add(c.fill(t.summary, ["title": title]) + c.line(p.description))
        let claimCount = c.int(3...12)
        let claimText = claims(&c, tech: title, count: claimCount)
        grow(&b, target: target, reserve: wordCount(claimText), minimum: 1) { i in
            (i == 0 ? t.description : "") + c.paragraph(p.description, 2...4)
        }
        b.add(claimText)
        return b.text
    }

    static func officeAction(_ c: inout TextComposer, subject: String) -> String {
        let p = c.text.patent, t = p.officeAction
        let target = drawTargetWords(&c, range: 100...600)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening, ["subject": subject]))
        grow(&b, target: target, reserve: 50, minimum: 2) { _ in c.paragraph(p.rejections, 2...3) }
        b.add(t.replyPeriod)
        b.add(c.fill(t.inquiries))
        return b.text
    }

    static func response(_ c: inout TextComposer) -> String {
        let p = c.text.patent, t = p.response
        let target = drawTargetWords(&c, range: 120...600)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        let tech = c.fill("{tech}")
        b.add(claims(&c, tech: tech, count: c.int(2...5)))
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in t.remarks + c.paragraph(p.arguments, 2...4) }
        b.add(c.fill(t.signature))
        return b.text
    }

    static func allowance(_ c: inout TextComposer) -> String {
        let p = c.text.patent, t = p.allowance
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        b.add(c.fill(t.reasons) + c.line(p.description))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, minimum: 0) { _ in c.paragraph(p.description, 1...2) }
        return b.text
    }
}
