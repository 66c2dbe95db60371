// swift-tools-version:6.0
// libFuzzer harnesses for Docket's input parsers, kept out of the main package: this package
// depends on the parent package by path and is built with `swift build --sanitize=fuzzer`
// (instrumenting the library code too) by Scripts/checks/fuzz.sh. One executable, `docket-fuzz`; the
// target is chosen with DOCKET_FUZZ_TARGET (see Sources/DocketFuzz/Targets.swift).
import PackageDescription

let package = Package(
    name: "DocketFuzz",
    dependencies: [.package(name: "Docket", path: "..")],
    targets: [
        .executableTarget(name: "docket-fuzz", dependencies: [
            .product(name: "Docket", package: "Docket"),
            .product(name: "DocketTokenizers", package: "Docket"),
        ], path: "Sources/DocketFuzz"),
    ]
)
