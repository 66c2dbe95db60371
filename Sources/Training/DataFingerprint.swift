// A fingerprint of the data a run trains on, saved in the training state so `--resume` refuses
// different data with the same example count (permuted labels, edited texts, another dev set).
// FNV-1a 64 over every example in order: token ids, token type ids and label id(s), with
// separators; training and dev examples are hashed apart.

enum DataFingerprint {
    static func of(train: [TrainingExample], dev: [TrainingExample]?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            var v = v
            for _ in 0..<8 { h = (h ^ (v & 0xFF)) &* 0x100_0000_01b3; v >>= 8 }
        }
        func add(_ examples: [TrainingExample]) {
            mix(UInt64(examples.count))
            for e in examples {
                mix(UInt64(bitPattern: Int64(e.label)))
                mix(UInt64((e.multiLabels ?? []).count)); for l in e.multiLabels ?? [] { mix(UInt64(bitPattern: Int64(l))) }
                mix(UInt64(e.ids.count)); for id in e.ids { mix(UInt64(UInt32(bitPattern: id))) }
                mix(UInt64((e.typeIds ?? []).count)); for t in e.typeIds ?? [] { mix(UInt64(UInt32(bitPattern: t))) }
            }
        }
        add(train)
        mix(dev == nil ? 0 : 1)
        add(dev ?? [])
        return String(h, radix: 16)
    }
}
