// The process's own resource use for the benchmarks: the one peak-memory reader (VmHWM) and
// the CPU time of all threads.
import Foundation

public enum ProcessUsage {
    /// Peak resident set (VmHWM from /proc/self/status) in kB; 0 when unavailable.
    public static func peakResidentKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    }

    /// User + system CPU seconds of the whole process (getrusage).
    public static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }
}
