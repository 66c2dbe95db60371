// Inverted dropout (PyTorch nn.Dropout in training mode): each element is kept with
// probability 1 − p and scaled by 1/(1 − p). The keep mask (1 keep, 0 drop) is saved for
// backward. Masks come from SeededRNG serially, so they do not depend on the thread count.
import DocketBase

/// Draws mask(count): 1 with probability 1 − p, else 0. Each 64-bit draw of the generator
/// gives two mask entries (its low and high 32 bits compared with p·2³²); the generator's
/// state is advanced in local variables and stored back once.
public func drawDropoutMask(_ mask: UnsafeMutablePointer<UInt8>, count: Int, p: Float,
                            rng: inout SeededRNG) {
    guard count > 0 else { return }
    let threshold = UInt64(min(max(Double(p), 0), 1) * 4_294_967_296.0)
    var s0 = rng.state[0], s1 = rng.state[1], s2 = rng.state[2], s3 = rng.state[3]
    var i = 0
    while i < count {
        // xoshiro256** step, identical to SeededRNG.next().
        let r = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        mask[i] = (r & 0xFFFF_FFFF) >= threshold ? 1 : 0
        if i + 1 < count { mask[i + 1] = (r >> 32) >= threshold ? 1 : 0 }
        i += 2
    }
    // The state came from a valid generator and xoshiro never reaches all zeros.
    if let next = SeededRNG(state: [s0, s1, s2, s3]) { rng = next }
}

/// out(count) = input·mask/(1 − p); mask(count) is drawn here. p = 0 copies input and sets
/// mask to all ones without touching the RNG. Throws for p outside [0, 1).
public func dropoutForward(out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<UInt8>,
                           input: UnsafePointer<Float>, count: Int, p: Float,
                           rng: inout SeededRNG) throws {
    guard p >= 0, p < 1 else { throw KernelsError.invalidProbability(p) }
    if p == 0 {
        out.update(from: input, count: count)
        mask.update(repeating: 1, count: count)
        return
    }
    drawDropoutMask(mask, count: count, p: p, rng: &rng)
    applyDropoutMask(out: out, input: input, mask: mask, count: count, p: p)
}

/// out(count) = input·mask/(1 − p) with a given mask (out may alias input).
public func applyDropoutMask(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                             mask: UnsafePointer<UInt8>, count: Int, p: Float) {
    parallelRanges(count, costPerItem: 1) { r in
        applyDropoutMaskSerial(out + r.lowerBound, input + r.lowerBound, mask + r.lowerBound, r.count, p)
    }
}

/// The single-threaded body of applyDropoutMask (used inside already-parallel attention blocks).
@inline(__always)
func applyDropoutMaskSerial(_ out: UnsafeMutablePointer<Float>, _ input: UnsafePointer<Float>,
                            _ mask: UnsafePointer<UInt8>, _ count: Int, _ p: Float) {
    let scale: Float = p == 0 ? 1 : 1 / (1 - p)
    for i in 0..<count { out[i] = mask[i] != 0 ? input[i] * scale : 0 }
}

/// dInput(count) += dOut·mask/(1 − p).
public func dropoutBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                            mask: UnsafePointer<UInt8>, count: Int, p: Float) {
    let scale: Float = p == 0 ? 1 : 1 / (1 - p)
    parallelRanges(count, costPerItem: 1) { r in
        for i in r where mask[i] != 0 { dInput[i] += dOut[i] * scale }
    }
}
