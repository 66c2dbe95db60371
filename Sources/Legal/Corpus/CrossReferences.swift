// Cross-class passages: sentences written in the voice of one class (who acts, what is decided)
// that discuss another class's subject matter, as real documents do — a supply agreement that
// mentions pending litigation and patents, a compliance policy about invention disclosures,
// board minutes that receive audit findings, a complaint that quotes a contract, a patent
// specification that describes compliance software. Inserted into ordinary documents so
// topic words (court, patent, audit, board, agreement) appear in every class while the
// document's purpose, and so its label, stays unchanged.

enum CrossReferences {
    /// With probability `p`, inserts a paragraph of 1–3 cross-class sentences (in the label's
    /// voice: Corpora/templates/cross-references.json) after the document's second or third part
    /// (past its heading and opening).
    static func insert(into text: String, _ label: LegalClass, p: Double, _ c: inout TextComposer) -> String {
        var parts = text.components(separatedBy: "\n\n")
        guard parts.count >= 3, c.chance(p) else { return text }
        let at = c.int(2...min(3, parts.count - 1))
        parts.insert(c.paragraph(CorpusText.classPool(c.text.crossReferences, label), 1...3), at: at)
        return parts.joined(separator: "\n\n")
    }
}
