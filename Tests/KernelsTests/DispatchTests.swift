// The process's compute dispatch (ComputeDispatch.swift): on a CPU with AVX-512 the FP32
// products must run oneDNN's AVX-512 kernels, never an SSE/AVX2 path; the ISA-table rules for
// bf16 / int8 and the `auto` choice follow the CPU's features.
import DocketBase
import Foundation
import XCTest
@testable import Kernels

final class DispatchTests: XCTestCase {
    func testFP32ProductsUseTheWidestVectorISA() throws {
        let d = ComputeDispatch.current
        guard d.cpu.has("avx512f"), d.cpu.has("avx512bw"), d.cpu.has("avx512vl") else {
            throw XCTSkip("CPU lacks AVX-512 (features: \(d.cpu.flags.joined(separator: " "))): nothing to check")
        }
        if let cap = ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"] ?? ProcessInfo.processInfo.environment["DNNL_MAX_CPU_ISA"] {
            throw XCTSkip("ONEDNN_MAX_CPU_ISA=\(cap) caps oneDNN on purpose")
        }
        XCTAssertEqual(d.fp32.engine, "onednn")
        XCTAssertTrue(d.fp32.isa.hasPrefix("avx512"), "FP32 products run \(d.fp32.isa) on an AVX-512 CPU")
        XCTAssertTrue(d.fp32MatchesCPU)
        // The products really go through that engine: a product equals its float64 reference.
        let (m, n, k) = (37, 45, 300)
        var rng = SeededRNG(seed: 3)
        let a = (0..<(m * k)).map { _ in rng.nextUniform() - 0.5 }, b = (0..<(k * n)).map { _ in rng.nextUniform() - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: &c, ldc: n)
        var worst = 0.0
        for i in 0..<m { for j in 0..<n {
            var s = 0.0
            for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
            worst = max(worst, abs(s - Double(c[i * n + j])))
        } }
        XCTAssertLessThan(worst, 1e-4)
    }

    func testReducedPrecisionRulesFollowTheFeatures() {
        let avx512 = ["sse41", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16"]
        let intelNoAMX = ComputeDispatch(cpu: CPUFeatures(vendor: "intel", family: 6, model: 207, brand: "x", flags: avx512),
                                         onednnISA: "avx512_core_bf16", bf16Kernel: true, int8Kernel: true)
        XCTAssertFalse(intelNoAMX.bf16.fasterThanFP32ByISA, "bf16 without AMX on Intel is no faster than FP32")
        XCTAssertTrue(intelNoAMX.int8.fasterThanFP32ByISA)
        let intelAMX = ComputeDispatch(cpu: CPUFeatures(vendor: "intel", family: 6, model: 143, brand: "x",
                                                        flags: avx512 + ["amx_tile", "amx_bf16", "amx_int8"]),
                                       onednnISA: "avx512_core_amx", bf16Kernel: true, int8Kernel: true)
        XCTAssertTrue(intelAMX.bf16.fasterThanFP32ByISA)
        let zen = ComputeDispatch(cpu: CPUFeatures(vendor: "amd", family: 26, model: 2, brand: "x", flags: avx512),
                                  onednnISA: "avx512_core_bf16", bf16Kernel: true, int8Kernel: true)
        XCTAssertTrue(zen.bf16.fasterThanFP32ByISA)
        let avx2Only = ComputeDispatch(cpu: CPUFeatures(vendor: "amd", family: 23, model: 49, brand: "x",
                                                        flags: ["sse41", "avx", "avx2", "fma"]),
                                       onednnISA: "avx2", bf16Kernel: false, int8Kernel: false)
        XCTAssertFalse(avx2Only.bf16.available || avx2Only.int8.available)
        XCTAssertTrue(avx2Only.fp32MatchesCPU)
        XCTAssertEqual(AutoPrecision.measure(dispatch: avx2Only).precision, "fp32", "nothing but FP32 to choose")
        // a wrong dispatch is caught: an AVX-512 CPU whose FP32 products ran AVX2 / SSE kernels
        for isa in ["avx2", "sse41"] {
            XCTAssertFalse(ComputeDispatch(cpu: zen.cpu, onednnISA: isa, bf16Kernel: true, int8Kernel: true).fp32MatchesCPU)
        }
    }

    func testAutoNeverChoosesSlowerThanFP32() {
        let auto = AutoPrecision.current
        if auto.precision != "fp32" {
            XCTAssertGreaterThanOrEqual(auto.speedups[auto.precision] ?? 0, AutoPrecision.minimumSpeedup)
            let choice = auto.precision == "int8" ? ComputeDispatch.current.int8 : ComputeDispatch.current.bf16
            XCTAssertTrue(choice.available && choice.fasterThanFP32ByISA)
        }
    }
}
