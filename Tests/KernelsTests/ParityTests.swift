// Parity with PyTorch (Tests/Fixtures/kernels, made by Scripts/fixtures/make_kernel_fixtures.py).
// References are float64 autograd results; tolerances are about 10× the float32-vs-float64
// gap PyTorch itself showed on the same case (gaps quoted beside each tolerance, also in
// each fixture's __metadata__). Backward buffers start at zero (accumulation is covered by
// the finite-difference tests).
import XCTest
@testable import Kernels

final class ParityTests: XCTestCase {
    func testLinear() throws {
        let f = try KernelFixture("linear")
        for (prefix, hasBias) in [("bias", true), ("nobias", false)] {
            let x = try f.floats("\(prefix).in.x"), w = try f.floats("\(prefix).in.w")
            let b: [Float]? = hasBias ? try f.floats("\(prefix).in.b") : nil
            let up = try f.floats("\(prefix).up.y")
            let ws = try f.shape("\(prefix).in.w"), rows = try f.shape("\(prefix).in.x")[0]
            let (outF, inF) = (ws[0], ws[1])
            var y = [Float](repeating: 0, count: rows * outF)
            var dx = [Float](repeating: 0, count: x.count), dw = [Float](repeating: 0, count: w.count)
            var db = [Float](repeating: 0, count: outF)
            b.withOptionalPointer { bp in
                linearForward(out: &y, input: x, weight: w, bias: bp, rows: rows, inFeatures: inF, outFeatures: outF)
            }
            if hasBias {
                linearBackward(dInput: &dx, dWeight: &dw, dBias: &db, dOut: up, input: x, weight: w,
                               rows: rows, inFeatures: inF, outFeatures: outF)
            } else {
                linearBackward(dInput: &dx, dWeight: &dw, dBias: nil, dOut: up, input: x, weight: w,
                               rows: rows, inFeatures: inF, outFeatures: outF)
            }
            // gaps: y ≤ 2.1e-7, dx ≤ 1.7e-7, dw ≤ 5.4e-7, db 2.1e-7
            try checkParity(y, f, "\(prefix).out.y", atol: 3e-6)
            try checkParity(dx, f, "\(prefix).grad.x", atol: 3e-6)
            try checkParity(dw, f, "\(prefix).grad.w", atol: 6e-6)
            if hasBias { try checkParity(db, f, "\(prefix).grad.b", atol: 3e-6) }
        }
    }

    func testLayerNorm() throws {
        let f = try KernelFixture("layernorm")
        for (prefix, eps) in [("eps1e-12", Float(1e-12)), ("eps1e-5", Float(1e-5))] {
            let x = try f.floats("\(prefix).in.x"), g = try f.floats("\(prefix).in.gamma")
            let bt = try f.floats("\(prefix).in.beta"), up = try f.floats("\(prefix).up.y")
            let s = try f.shape("\(prefix).in.x"), (rows, dim) = (s[0], s[1])
            var y = [Float](repeating: 0, count: x.count), mean = [Float](repeating: 0, count: rows), rstd = mean
            layerNormForward(out: &y, mean: &mean, rstd: &rstd, input: x, gamma: g, beta: bt,
                             rows: rows, dim: dim, eps: eps)
            var dx = [Float](repeating: 0, count: x.count), dg = [Float](repeating: 0, count: dim), db = dg
            layerNormBackward(dInput: &dx, dGamma: &dg, dBeta: &db, dOut: up, input: x, mean: mean,
                              rstd: rstd, gamma: g, rows: rows, dim: dim)
            // gaps: y 2.5e-7, dx 1.7e-7, dgamma 3.5e-7, dbeta 2.2e-7
            try checkParity(y, f, "\(prefix).out.y", atol: 3e-6)
            try checkParity(dx, f, "\(prefix).grad.x", atol: 2e-6)
            try checkParity(dg, f, "\(prefix).grad.gamma", atol: 4e-6)
            try checkParity(db, f, "\(prefix).grad.beta", atol: 3e-6)
        }
    }

    func testActivations() throws {
        let f = try KernelFixture("activations")
        typealias Kernel = (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void
        typealias Backward = (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>,
                              UnsafePointer<Float>, Int) -> Void
        // (name, forward, backward(dx, dy, x, y, n), atol out, atol grad)
        let cases: [(String, Kernel, Backward, Double, Double)] = [
            // gaps: gelu y 8.2e-7 (|y| up to 6), dx 2.9e-7
            ("gelu", { geluForward(out: $0, input: $1, count: $2) },
             { geluBackward(dInput: $0, dOut: $1, input: $2, count: $4) }, 8e-6, 3e-6),
            // gaps: 0 (exact); 1e-7 allows only the float32 rounding of the stored reference
            ("relu", { reluForward(out: $0, input: $1, count: $2) },
             { reluBackward(dInput: $0, dOut: $1, input: $2, count: $4) }, 1e-7, 1e-7),
            // gaps: tanh y 3.0e-8, dx 1.1e-7
            ("tanh", { tanhForward(out: $0, input: $1, count: $2) },
             { tanhBackward(dInput: $0, dOut: $1, output: $3, count: $4) }, 5e-7, 1.2e-6),
        ]
        for (name, forward, backward, atolY, atolX) in cases {
            let x = try f.floats("\(name).in.x"), up = try f.floats("\(name).up.y")
            var y = [Float](repeating: 0, count: x.count), dx = y
            forward(&y, x, x.count)
            backward(&dx, up, x, y, x.count)
            try checkParity(y, f, "\(name).out.y", atol: atolY)
            try checkParity(dx, f, "\(name).grad.x", atol: atolX)
        }
    }

    func testEmbedding() throws {
        let f = try KernelFixture("embedding")
        let table = try f.floats("emb.in.table"), ids = try f.ints("emb.in.ids"), up = try f.floats("emb.up.y")
        let s = try f.shape("emb.in.table"), (vocab, dim) = (s[0], s[1])
        var y = [Float](repeating: 0, count: ids.count * dim), dt = [Float](repeating: 0, count: table.count)
        try embeddingForward(out: &y, ids: ids, table: table, vocab: vocab, rows: ids.count, dim: dim)
        try embeddingBackward(dTable: &dt, dOut: up, ids: ids, vocab: vocab, rows: ids.count, dim: dim)
        try checkParity(y, f, "emb.out.y", atol: 0)            // gap 0: a copy
        try checkParity(dt, f, "emb.grad.table", atol: 1.2e-6)  // gap 1.2e-7 (repeated ids sum)
    }

    func testCrossEntropy() throws {
        let f = try KernelFixture("cross_entropy")
        for prefix in ["plain", "weighted"] {
            let logits = try f.floats("\(prefix).in.logits"), labels = try f.ints("\(prefix).in.labels")
            let weights: [Float]? = f.file.contains("\(prefix).in.weights") ? try f.floats("\(prefix).in.weights") : nil
            let s = try f.shape("\(prefix).in.logits"), (batch, classes) = (s[0], s[1])
            var probs = [Float](repeating: 0, count: logits.count), d = probs
            var loss: Float = 0
            try weights.withOptionalPointer { wp in
                loss = try softmaxCrossEntropyForward(probs: &probs, logits: logits, labels: labels,
                                                      classWeights: wp, batch: batch, classes: classes)
                try softmaxCrossEntropyBackward(dLogits: &d, probs: probs, labels: labels, classWeights: wp,
                                                batch: batch, classes: classes)
            }
            // gaps: loss 8.4e-8, probs 6.5e-8, dlogits 3.2e-8
            try checkParity([loss], f, "\(prefix).out.loss", atol: 1e-6)
            try checkParity(probs, f, "\(prefix).out.probs", atol: 7e-7)
            try checkParity(d, f, "\(prefix).grad.logits", atol: 4e-7)
        }
    }
}

extension Optional where Wrapped == [Float] {
    /// Calls body with a pointer to the array's storage, or nil.
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let a): return try a.withUnsafeBufferPointer { try body($0.baseAddress) }
        case .none: return try body(nil)
        }
    }
}
