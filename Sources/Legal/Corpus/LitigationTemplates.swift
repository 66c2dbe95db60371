// Litigation documents: complaints (caption, parties, jurisdiction, counts, prayer),
// motions (legal standard, argument), opinions and orders. Text: Corpora/templates/litigation.json.

enum LitigationTemplates {
    static func generate(_ c: inout TextComposer) -> String {
        let l = c.text.litigation
        switch c.int(0...4) {
        case 0, 1: return complaint(&c, counts: c.sample(l.counts, c.int(1...3)), facts: l.facts)
        case 2: return motion(&c)
        case 3: return opinion(&c)
        default: return order(&c)
        }
    }

    static func caption(_ c: inout TextComposer) -> String {
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        return c.fill(c.text.litigation.caption)
    }

    static func complaint(_ c: inout TextComposer, counts: [String], facts: [String], nature: String? = nil) -> String {
        let l = c.text.litigation, t = l.complaint
        let target = drawTargetWords(&c, range: 150...700)
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.fill(t.heading))
        b.add(t.nature + (nature ?? c.fill(t.defaultNature)))
        b.add(c.fill(t.parties))
        var para = 3
        let venue = c.sentences(l.jurisdiction, 2...3).map { s -> String in para += 1; return "\(para). " + s }
        b.add(t.jurisdiction + venue.joined(separator: " "))
        grow(&b, target: target, reserve: 80, minimum: 1) { i in
            let sentences = c.sentences(facts, 2...4).map { s -> String in para += 1; return "\(para). " + s }
            return (i == 0 ? t.facts : "") + sentences.joined(separator: " ")
        }
        for (k, count) in counts.enumerated() {
            b.add(c.fill(t.count, ["roman": roman(k + 1), "count_upper": count.uppercased(),
                                   "number": "\(para + 1)", "next_number": "\(para + 2)"]))
            para += 2
        }
        b.add(c.fill(t.prayer))
        b.add(c.fill(t.signature))
        return b.text
    }

    static func motion(_ c: inout TextComposer) -> String {
        let l = c.text.litigation, t = l.motion
        let target = drawTargetWords(&c, range: 150...650)
        let kind = c.pick(t.kinds)
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(bind(t.title, ["kind": kind]))
        b.add(c.fill(t.introduction) + c.line(l.argument))
        b.add(t.standard + c.paragraph(l.standards, 1...2))
        grow(&b, target: target, reserve: 40, minimum: 1) { i in
            (i == 0 ? t.argument : "") + "\(roman(i + 1)). " + c.paragraph(l.argument, 2...3)
        }
        b.add(c.fill(t.conclusion))
        return b.text
    }

    static func opinion(_ c: inout TextComposer) -> String {
        let l = c.text.litigation, t = l.opinion
        let target = drawTargetWords(&c, range: 200...700)
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        b.add(t.background + c.paragraph(l.facts, 2...3))
        b.add(t.standard + c.paragraph(l.standards, 1...2))
        grow(&b, target: target, reserve: 40, minimum: 1) { i in
            (i == 0 ? t.discussion : "") + c.paragraph(l.argument, 2...3)
        }
        b.add(t.conclusion + c.line(l.holdings) + t.soOrdered)
        return b.text
    }

    static func order(_ c: inout TextComposer) -> String {
        let t = c.text.litigation.order
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.pick(t.titles))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, reserve: 15, minimum: 1) { _ in c.paragraph(t.directives, 2...3) }
        b.add(c.fill(t.closing))
        return b.text
    }

    static func roman(_ n: Int) -> String {
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][min(max(n, 1), 10) - 1]
    }
}
