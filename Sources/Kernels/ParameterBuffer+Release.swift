// Giving parts of a parameter buffer back to the OS, for inference-only models (EncoderModel
// `preparedForInference(precision:releasingFP32Weights:)`: once a block linear is packed to
// bf16 / int8, its FP32 copy is never read again). The whole pages inside each named range
// are dropped with madvise(MADV_DONTNEED), so resident memory shrinks by about their size; the
// buffer stays mapped and a dropped page reads as zeros afterwards. So the buffer records the
// released entries and its users refuse to read them (KernelsError.releasedStorage here,
// EncoderError.fp32WeightsReleased in the encoder) instead of computing with zeros. Nothing
// un-releases an entry: load the checkpoint again for FP32 work.
import DocketBase

extension ParameterBuffer {
    /// Records the named entries as released, then drops the whole pages inside their ranges
    /// from resident memory (partial pages at either end stay: they hold neighbouring
    /// entries). Returns the bytes dropped (0 for ranges smaller than a page; they still count
    /// as released). Throws `KernelsError.unknownParameter` before touching anything when a
    /// name is not in the buffer.
    @discardableResult
    public func releaseStorage(of names: [String]) throws -> Int {
        let ranges = try names.map { try entry($0) }
        guard !ranges.isEmpty else { return 0 }
        released.withLock { $0.append(contentsOf: names) }
        anyReleased.store(true, ordering: .releasing)
        var dropped = 0
        for e in ranges {
            dropped += ResidentPages.drop(baseAddress + e.offset, byteCount: e.count * MemoryLayout<Float>.stride)
        }
        return dropped
    }

    /// True once any entry was released: reading the buffer as a whole (copying, saving,
    /// training) would read zeros.
    public var hasReleasedStorage: Bool { anyReleased.load(ordering: .acquiring) }

    /// The released entries' names, in release order.
    public var releasedEntries: [String] {
        hasReleasedStorage ? released.withLock { $0 } : []
    }
}
