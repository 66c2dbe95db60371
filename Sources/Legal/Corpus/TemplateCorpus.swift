// The original template corpus, reproduced for comparison: five classes, three templates
// each, five variation sentences per class, one filler sentence repeated 10–29 times.
// Every document is a template + one variation + the filler run, so a handful of keywords
// decide the class and any classifier reaches ~100%: the reason the realistic mode exists.
// Text: Corpora/templates/template-corpus.json.

enum TemplateCorpus {
    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        let t = c.text.templateCorpus
        let template = c.line(CorpusText.classPool(t.templates, label))
        let variation = c.line(CorpusText.classPool(t.variations, label))
        let repeats = c.int(10...29)
        return ([template, variation] + Array(repeating: t.filler, count: repeats)).joined(separator: " ")
    }
}
