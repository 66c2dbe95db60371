// How the classification head reduces the last hidden states (B, T, C) to one vector per
// sequence (B, C) before its dense layer (BERT pooler dense + tanh, DistilBERT pre_classifier
// + ReLU), recorded in config.json as the extra key "docket_pooling" (absent = cls):
//   cls   token 0 (what HF's *ForSequenceClassification does; the default)
//   mean  attention-masked mean over tokens, Σ_t m_t·h_t / Σ_t m_t (sentence-transformers'
//         mean pooling, as all-MiniLM-L6-v2 was trained)
//   max   attention-masked max per channel (padding never wins; sentence-transformers' max)
// Scripts/fixtures/pooling_reference.py holds the PyTorch module with the same maths.
import Kernels

/// The classification head's token pooling (see the file comment).
public enum HeadPooling: String, Sendable, Codable, CaseIterable {
    case cls, mean, max
}

/// pooled(B, C) from last(B·T, C) and keyMask(B·T) (1 = token). `argmax` (B, C) receives, for
/// .max, the token index each channel came from (used by backward).
func headPoolingForward(_ pooling: HeadPooling, pooled: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>,
                        last: UnsafePointer<Float>, keyMask: UnsafePointer<Int32>, batch b: Int, seqLen t: Int, channels c: Int) {
    for i in 0..<b {
        let out = pooled + i * c, rows = last + i * t * c, mask = keyMask + i * t
        switch pooling {
        case .cls:
            out.update(from: rows, count: c)
        case .mean:
            out.update(repeating: 0, count: c)
            var n = 0
            for j in 0..<t where mask[j] != 0 {
                n += 1
                let r = rows + j * c
                for k in 0..<c { out[k] += r[k] }
            }
            let scale = 1 / Float(max(n, 1))  // sentence-transformers clamps the count at 1e-9
            for k in 0..<c { out[k] *= scale }
        case .max:
            let arg = argmax + i * c
            out.update(repeating: -.infinity, count: c)
            arg.update(repeating: 0, count: c)
            for j in 0..<t where mask[j] != 0 {
                let r = rows + j * c
                for k in 0..<c where r[k] > out[k] { out[k] = r[k]; arg[k] = Int32(j) }
            }
            for k in 0..<c where out[k] == -.infinity { out[k] = rows[k] }  // no tokens: token 0
        }
    }
}

/// Accumulates ∂last(B·T, C) += ∂pooled routed back through the pooling of the last forward.
func headPoolingBackward(_ pooling: HeadPooling, dLast: UnsafeMutablePointer<Float>, dPooled: UnsafePointer<Float>,
                         argmax: UnsafePointer<Int32>, keyMask: UnsafePointer<Int32>, batch b: Int, seqLen t: Int, channels c: Int) {
    for i in 0..<b {
        let d = dPooled + i * c, rows = dLast + i * t * c, mask = keyMask + i * t
        switch pooling {
        case .cls:
            addInPlace(rows, d, count: c)
        case .mean:
            var n = 0
            for j in 0..<t where mask[j] != 0 { n += 1 }
            let scale = 1 / Float(max(n, 1))
            for j in 0..<t where mask[j] != 0 {
                let r = rows + j * c
                for k in 0..<c { r[k] += d[k] * scale }
            }
        case .max:
            let arg = argmax + i * c
            for k in 0..<c { rows[Int(arg[k]) * c + k] += d[k] }
        }
    }
}
