// Number formatting shared by the evaluation reports (text tables, HTML, SVG axes): fixed
// decimals with "nan" / "∞" for non-finite values, percentages, thousands separators.
// Package-visible.
import Foundation

/// `x` with `digits` decimals ("%.Nf"); "nan", "∞", "-∞" for non-finite values.
package func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "∞" : "-∞") }
    return String(format: "%.\(digits)f", x)
}

/// A share as a percentage with two decimals: 0.9712 → "97.12%".
package func percent(_ x: Double) -> String { fixed(x * 100, 2) + "%" }

/// Whole units with thousands separators: 1234567.4 → "1,234,567"; non-finite as `fixed`.
package func grouped(_ x: Double) -> String {
    guard x.isFinite else { return fixed(x, 0) }
    guard abs(x) < 1e15 else { return String(format: "%.3e", x) }   // beyond Int and any real budget
    let r = x.rounded()
    return (r < 0 ? "-" : "") + thousands(Int(abs(r)))
}

/// Thousands separators: 1250000 → "1,250,000".
package func thousands(_ n: Int) -> String {
    let digits = Array(String(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return out
}
