// Minimal inline-SVG charts for evaluation reports (no scripts, no network): line charts with
// axes and ticks, grouped bars, a reliability diagram and a heat map. Package-visible: the
// Legal report draws with them, library users get the rendered reports, not this API. Coordinates: the plot area is inset by
// fixed margins; data → pixels through linear scales.
import Foundation

package struct LineSeries {
    package var name: String
    package var color: String
    package var points: [(x: Double, y: Double)]
    package var dashed = false

    package init(name: String, color: String, points: [(x: Double, y: Double)], dashed: Bool = false) {
        self.name = name; self.color = color; self.points = points; self.dashed = dashed
    }
}

/// A labelled vertical line on a line chart (a decision threshold, a hindsight optimum).
package struct ChartMarker {
    package var x: Double
    package var label: String
    package var color = "#c0392b"
    package var dashed = true

    package init(x: Double, label: String, color: String = "#c0392b", dashed: Bool = true) {
        self.x = x; self.label = label; self.color = color; self.dashed = dashed
    }
}

package enum SVG {
    package static let margin = (left: 84.0, right: 20.0, top: 28.0, bottom: 58.0)

    /// A line chart with ticks at round values, a legend, optional vertical markers and a
    /// horizontal zero line. Without `yRange` the y axis spans the data widened to round tick
    /// values, and never goes below 0 for data that does not (a loss axis has no negative part).
    package static func lineChart(title: String, xLabel: String, yLabel: String, series: [LineSeries], width: Double = 560, height: Double = 300,
                          yFormat: ((Double) -> String)? = nil, markers: [ChartMarker] = [],
                          xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, integerX: Bool = false) -> String {
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        guard !xs.isEmpty else { return "<p class=\"note\">\(escape(title)): no data</p>" }
        let xr = xRange ?? padded(xs.min() ?? 0, xs.max() ?? 1, pad: 0)
        var yr = yRange ?? padded(ys.min() ?? 0, ys.max() ?? 1, pad: 0.06)
        if yr.lowerBound == yr.upperBound { yr = (yr.lowerBound - 1)...(yr.upperBound + 1) }
        if yRange == nil {
            if (ys.min() ?? 0) >= 0 && yr.lowerBound < 0 { yr = 0...yr.upperBound }
            yr = niceRange(yr)
        }
        let pw = width - margin.left - margin.right, ph = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - xr.lowerBound) / max(xr.upperBound - xr.lowerBound, 1e-12) * pw }
        func py(_ y: Double) -> Double { margin.top + ph - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * ph }
        var s = open(width, height, title)
        s += axes(xr: xr, yr: yr, px: px, py: py, pw: pw, ph: ph, xLabel: xLabel, yLabel: yLabel, yFormat: yFormat, height: height,
                  xTicks: !integerX)
        if integerX {   // one tick per whole x value (epochs)
            var x = xr.lowerBound.rounded(.up)
            while x <= xr.upperBound && xr.upperBound - xr.lowerBound <= 40 {
                s += "<text x=\"\(r(px(x)))\" y=\"\(r(margin.top + ph + 14))\" font-size=\"10\" text-anchor=\"middle\">\(Int(x))</text>"
                x += 1
            }
        }
        if yr.contains(0) && yr.lowerBound < 0 {
            s += "<line x1=\"\(r(margin.left))\" y1=\"\(r(py(0)))\" x2=\"\(r(margin.left + pw))\" y2=\"\(r(py(0)))\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>"
        }
        // Marker labels go in the half of the plot the data leaves free at the marker.
        let nearest = series.first?.points.min { abs($0.x - (markers.first?.x ?? 0)) < abs($1.x - (markers.first?.x ?? 0)) }
        let labelsAtBottom = nearest.map { py($0.y) < margin.top + ph / 2 } ?? false
        for (i, marker) in markers.enumerated() {
            let labelY = labelsAtBottom ? margin.top + ph - 6 - Double(markers.count - 1 - i) * 14 : margin.top + 12 + Double(i) * 14
            s += "<line x1=\"\(r(px(marker.x)))\" y1=\"\(r(margin.top))\" x2=\"\(r(px(marker.x)))\" y2=\"\(r(margin.top + ph))\" stroke=\"\(marker.color)\""
                + (marker.dashed ? " stroke-dasharray=\"4,3\"" : " stroke-width=\"2\"") + "/>"
            let right = px(marker.x) > margin.left + pw * 0.6   // label on the left of the line near the right edge
            s += "<text x=\"\(r(px(marker.x) + (right ? -4 : 4)))\" y=\"\(r(labelY))\" font-size=\"11\" fill=\"\(marker.color)\" "
                + "text-anchor=\"\(right ? "end" : "start")\">\(escape(marker.label))</text>"
        }
        for (i, line) in series.enumerated() {
            let pts = line.points.map { "\(r(px($0.x))),\(r(py($0.y)))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6,3\"" : "") points=\"\(pts)\"/>"
            if line.points.count <= 30 {
                for p in line.points { s += "<circle cx=\"\(r(px(p.x)))\" cy=\"\(r(py(p.y)))\" r=\"3\" fill=\"\(line.color)\"/>" }
            }
            let lx = margin.left + 10 + Double(i) * 150
            s += "<rect x=\"\(r(lx))\" y=\"\(r(height - 10))\" width=\"12\" height=\"3\" fill=\"\(line.color)\"/>"
            s += "<text x=\"\(r(lx + 16))\" y=\"\(r(height - 5))\" font-size=\"11\">\(escape(line.name))</text>"
        }
        return s + "</svg>"
    }

    /// Grouped vertical bars: one group per category, one bar per series, values in [0, 1].
    package static func groupedBars(title: String, categories: [String], series: [(name: String, color: String, values: [Double])],
                            width: Double = 560, height: Double = 300) -> String {
        let pw = width - margin.left - margin.right, ph = height - margin.top - margin.bottom
        func py(_ y: Double) -> Double { margin.top + ph - y * ph }
        var s = open(width, height, title)
        s += axes(xr: 0...1, yr: 0...1, px: { _ in 0 }, py: py, pw: pw, ph: ph, xLabel: "", yLabel: "", yFormat: nil,
                  height: height, xTicks: false)
        let group = pw / Double(max(categories.count, 1)), bar = group * 0.8 / Double(max(series.count, 1))
        for (c, name) in categories.enumerated() {
            let gx = margin.left + Double(c) * group + group * 0.1
            for (k, ser) in series.enumerated() where c < ser.values.count {
                let v = min(max(ser.values[c], 0), 1)
                s += "<rect x=\"\(r(gx + Double(k) * bar))\" y=\"\(r(py(v)))\" width=\"\(r(bar - 1))\" height=\"\(r(py(0) - py(v)))\" fill=\"\(ser.color)\"><title>\(escape(name)) \(escape(ser.name)) \(fixed(v, 3))</title></rect>"
            }
            s += "<text x=\"\(r(gx + group * 0.4))\" y=\"\(r(margin.top + ph + 16))\" font-size=\"11\" text-anchor=\"middle\">\(escape(name))</text>"
        }
        for (k, ser) in series.enumerated() {
            let lx = margin.left + 10 + Double(k) * 110
            s += "<rect x=\"\(r(lx))\" y=\"\(r(height - 18))\" width=\"10\" height=\"10\" fill=\"\(ser.color)\"/>"
            s += "<text x=\"\(r(lx + 14))\" y=\"\(r(height - 9))\" font-size=\"11\">\(escape(ser.name))</text>"
        }
        return s + "</svg>"
    }

    /// The reliability diagram: one bar per confidence bin (x from the bin's lower to upper
    /// edge, height = accuracy of its documents) with the document count above it, against the
    /// diagonal of perfect calibration. Bins with fewer than `minCount` documents are grey (their
    /// accuracy is noise); empty bins are left out.
    package static func reliabilityDiagram(title: String, bins: [(lower: Double, upper: Double, count: Int, accuracy: Double)],
                                   minCount: Int, width: Double = 560, height: Double = 300) -> String {
        let pw = width - margin.left - margin.right, ph = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + x * pw }
        func py(_ y: Double) -> Double { margin.top + ph - y * ph }
        var s = open(width, height, title)
        s += axes(xr: 0...1, yr: 0...1, px: px, py: py, pw: pw, ph: ph, xLabel: "confidence", yLabel: "accuracy in the bin",
                  yFormat: nil, height: height)
        s += "<line x1=\"\(r(px(0)))\" y1=\"\(r(py(0)))\" x2=\"\(r(px(1)))\" y2=\"\(r(py(1)))\" stroke=\"#999\" stroke-dasharray=\"6,3\"/>"
        for b in bins where b.count > 0 {
            let sparse = b.count < minCount
            let fill = sparse ? "#d5d5d5" : "#8e44ad"
            let x0 = px(b.lower) + 1, w = max(px(b.upper) - px(b.lower) - 2, 1)
            s += "<rect x=\"\(r(x0))\" y=\"\(r(py(b.accuracy)))\" width=\"\(r(w))\" height=\"\(r(py(0) - py(b.accuracy)))\" fill=\"\(fill)\" fill-opacity=\"0.85\">"
                + "<title>confidence \(fixed(b.lower, 2))–\(fixed(b.upper, 2)): \(b.count) documents, accuracy \(fixed(b.accuracy, 3))</title></rect>"
            // The count sits above the bar, or just inside its top when the bar reaches the frame.
            let inside = b.accuracy > 0.92
            s += "<text x=\"\(r(x0 + w / 2))\" y=\"\(r(py(b.accuracy) + (inside ? 11 : -3)))\" font-size=\"9\" text-anchor=\"middle\" "
                + "fill=\"\(inside ? (sparse ? "#555" : "#fff") : (sparse ? "#999" : "#333"))\">\(b.count)</text>"
        }
        let legend: [(String, String)] = [("#8e44ad", "accuracy in bin (number = documents)"), ("#d5d5d5", "fewer than \(minCount) documents")]
        for (i, item) in legend.enumerated() {
            let lx = margin.left + 10 + Double(i) * 230
            s += "<rect x=\"\(r(lx))\" y=\"\(r(height - 18))\" width=\"10\" height=\"10\" fill=\"\(item.0)\"/>"
            s += "<text x=\"\(r(lx + 14))\" y=\"\(r(height - 9))\" font-size=\"11\">\(escape(item.1))</text>"
        }
        return s + "</svg>"
    }

    /// A K×K heat map: cell shade = row-normalised share, cell text = count.
    package static func heatMap(title: String, labels: [String], counts: [[Int]], cell: Double = 64) -> String {
        let k = labels.count, left = 110.0, top = 60.0
        let width = max(left + cell * Double(k) + 20, Double(title.count) * 7 + 20), height = top + cell * Double(k) + 30
        var s = open(width, height, title)
        for (j, name) in labels.enumerated() {
            s += "<text x=\"\(r(left + (Double(j) + 0.5) * cell))\" y=\"\(r(top - 8))\" font-size=\"11\" text-anchor=\"middle\">\(escape(name))</text>"
        }
        s += "<text x=\"\(r(left + cell * Double(k) / 2))\" y=\"\(r(top - 26))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">predicted</text>"
        for (i, row) in counts.enumerated() {
            let total = max(row.reduce(0, +), 1)
            s += "<text x=\"\(r(left - 8))\" y=\"\(r(top + (Double(i) + 0.5) * cell + 4))\" font-size=\"11\" text-anchor=\"end\">\(escape(labels[i]))</text>"
            for (j, n) in row.enumerated() {
                let share = Double(n) / Double(total)
                let shade = Int((1 - share) * 225) + 30    // 255 (empty) … 30 (all of the row)
                let fill = i == j ? "rgb(\(shade),\(min(255, shade + 60)),\(shade))" : "rgb(255,\(shade),\(shade))"
                s += "<rect x=\"\(r(left + Double(j) * cell))\" y=\"\(r(top + Double(i) * cell))\" width=\"\(r(cell - 2))\" height=\"\(r(cell - 2))\" fill=\"\(fill)\"><title>true \(escape(labels[i])), predicted \(escape(labels[j])): \(n)</title></rect>"
                s += "<text x=\"\(r(left + (Double(j) + 0.5) * cell))\" y=\"\(r(top + (Double(i) + 0.5) * cell + 5))\" font-size=\"14\" text-anchor=\"middle\" fill=\"\(share > 0.55 ? "#fff" : "#222")\">\(n)</text>"
            }
        }
        s += "<text x=\"14\" y=\"\(r(top + cell * Double(k) / 2))\" font-size=\"11\" fill=\"#555\" transform=\"rotate(-90 14 \(r(top + cell * Double(k) / 2)))\" text-anchor=\"middle\">true</text>"
        return s + "</svg>"
    }

    // MARK: helpers

    package static func open(_ w: Double, _ h: Double, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(r(w))\" height=\"\(r(h))\" viewBox=\"0 0 \(r(w)) \(r(h))\" role=\"img\" aria-label=\"\(escape(title))\" font-family=\"sans-serif\">"
            + "<text x=\"\(r(w / 2))\" y=\"16\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(title))</text>"
    }

    package static func axes(xr: ClosedRange<Double>, yr: ClosedRange<Double>, px: (Double) -> Double, py: (Double) -> Double,
                     pw: Double, ph: Double, xLabel: String, yLabel: String, yFormat: ((Double) -> String)?,
                     height: Double, xTicks: Bool = true) -> String {
        var s = "<rect x=\"\(r(margin.left))\" y=\"\(r(margin.top))\" width=\"\(r(pw))\" height=\"\(r(ph))\" fill=\"#fafafa\" stroke=\"#999\"/>"
        let yTicks = niceTicks(yr)
        let yText = yFormat ?? { tickLabel($0, step: yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1) }
        for y in yTicks {
            s += "<line x1=\"\(r(margin.left))\" y1=\"\(r(py(y)))\" x2=\"\(r(margin.left + pw))\" y2=\"\(r(py(y)))\" stroke=\"#e3e3e3\"/>"
            s += "<text x=\"\(r(margin.left - 6))\" y=\"\(r(py(y) + 4))\" font-size=\"10\" text-anchor=\"end\">\(escape(yText(y)))</text>"
        }
        if xTicks {
            let ticks = niceTicks(xr)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            for x in ticks {
                s += "<text x=\"\(r(px(x)))\" y=\"\(r(margin.top + ph + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(tickLabel(x, step: step)))</text>"
            }
        }
        if !xLabel.isEmpty {
            s += "<text x=\"\(r(margin.left + pw / 2))\" y=\"\(r(margin.top + ph + 28))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(escape(xLabel))</text>"
        }
        if !yLabel.isEmpty {
            let cy = margin.top + ph / 2
            s += "<text x=\"12\" y=\"\(r(cy))\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(r(cy)))\">\(escape(yLabel))</text>"
        }
        return s
    }

    /// The tick step for about `target` ticks over `range`: 1, 2 or 5 times a power of ten.
    package static func niceStep(_ range: ClosedRange<Double>, target: Int = 5) -> Double {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * 0.999 } ?? 10 * magnitude
    }

    /// `range` widened outwards to multiples of its nice step.
    package static func niceRange(_ range: ClosedRange<Double>, target: Int = 5) -> ClosedRange<Double> {
        let step = niceStep(range, target: target)
        return clean(floor(range.lowerBound / step + 1e-9) * step)...clean(ceil(range.upperBound / step - 1e-9) * step)
    }

    /// Multiples of the nice step inside `range` (0.2, 0.4, … rather than 0.22, 0.45, …).
    package static func niceTicks(_ range: ClosedRange<Double>, target: Int = 5) -> [Double] {
        let step = niceStep(range, target: target)
        var ticks: [Double] = []
        var k = ceil(range.lowerBound / step - 1e-9)
        while k * step <= range.upperBound + step * 1e-9, ticks.count < 50 {
            ticks.append(abs(k * step) < step * 1e-9 ? 0 : clean(k * step))
            k += 1
        }
        return ticks
    }

    /// `x` without the float noise of k × step (0.7, not 0.7000000000000001).
    package static func clean(_ x: Double) -> Double { Double(String(format: "%.12g", x)) ?? x }

    /// A tick value with as many decimals as the step needs ("0.2", "1.5", "1,000").
    package static func tickLabel(_ x: Double, step: Double) -> String {
        let digits = max(0, Int(-floor(log10(step) + 1e-9)))
        return abs(x) >= 1000 && digits == 0 ? grouped(x) : fixed(x, digits)
    }

    package static func padded(_ lo: Double, _ hi: Double, pad: Double) -> ClosedRange<Double> {
        let span = hi - lo
        return (lo - span * pad)...(hi + span * pad)
    }

    /// Coordinates with one decimal.
    package static func r(_ x: Double) -> String { fixed(x, 1) }

    package static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
