// Inverted dropout (PyTorch nn.Dropout in training mode): each element is kept with
// probability 1 − p and scaled by 1/(1 − p). The keep mask (1 keep, 0 drop) is saved for
// backward. Masks come from SeededRNG serially, so they do not depend on the thread count.

/// Draws mask(count): 1 with probability 1 − p, else 0.
public func drawDropoutMask(_ mask: UnsafeMutablePointer<UInt8>, count: Int, p: Float,
                        rng: inout SeededRNG) {
    for i in 0..<count { mask[i] = rng.nextUniform() >= p ? 1 : 0 }
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
    let scale: Float = p == 0 ? 1 : 1 / (1 - p)
    parallelRanges(count, costPerItem: 1) { r in
        for i in r { out[i] = mask[i] != 0 ? input[i] * scale : 0 }
    }
}

/// dInput(count) += dOut·mask/(1 − p).
public func dropoutBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                            mask: UnsafePointer<UInt8>, count: Int, p: Float) {
    let scale: Float = p == 0 ? 1 : 1 / (1 - p)
    parallelRanges(count, costPerItem: 1) { r in
        for i in r where mask[i] != 0 { dInput[i] += dOut[i] * scale }
    }
}
