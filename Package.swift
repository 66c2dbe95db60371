// swift-tools-version:6.0
// Docket: fine-tune and run transformer text classifiers natively on Linux.
// Module dependencies run one way (README "How the code is laid out" and DESIGN.md §2 list every
// target's direct dependencies as declared below):
//   DocketBase (JSON, atomic files, file problems, SeededRNG, MonotonicClock, ResidentPages) ← Kernels ← Encoder ← Training ← Docket ← Legal ← DocketCLI
//   CDNNL (oneDNN), CKernelsBF16, CKernelsInt8, CKernelsPointwise ← Kernels;  DocketBase ← SafeTensors ← Encoder
//   CMPI, Training ← DocketMPI (Training's Collective over MPI) ← DocketCLI only: `import Docket` never needs MPI
//   Docket ← DocketServer (docket serve: Hummingbird, NIO, metrics) ← DocketCLI only: not in the Docket product
//   Training, CDNNL, CKernelsPeak, CKernelsBF16, CKernelsInt8 ← DocketBench (docket bench's measurements) ← DocketCLI only
//   CICU, CSentencePiece ← Tokenizers ← Docket
//   Corpora/templates/*.json → CorpusTemplates (build plugin, tool EmbedCorpusTemplates) → Legal
import PackageDescription

let package = Package(
    name: "Docket",
    products: [
        .library(name: "Docket", targets: ["Docket"]),
        .library(name: "DocketLegal", targets: ["Legal"]),
        .library(name: "DocketTokenizers", targets: ["Tokenizers"]),
        .executable(name: "docket", targets: ["DocketCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Server only (DocketServer, not in the Docket product).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Tests only.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Native libraries.
        // oneDNN (Debian libdnnl-dev, no pkg-config file): every FP32 matrix product, and cpuid.
        .target(name: "CDNNL", linkerSettings: [.linkedLibrary("dnnl")]),
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icudata")]),
        .target(name: "CSentencePiece",
                linkerSettings: [.linkedLibrary("sentencepiece"), .linkedLibrary("sentencepiece_train"),
                                 .linkedLibrary("stdc++")]),

        // Swift modules.
        .target(name: "CKernelsPeak"),  // FMA loop measuring the FP32 peak (DocketBench only)
        .target(name: "CKernelsBF16"),  // AVX512_BF16 GEMM for the opt-in BF16 inference path
        .target(name: "CKernelsInt8"),  // AVX512_VNNI GEMM for the opt-in INT8 inference path
        .target(name: "CKernelsPointwise"),  // GELU and softmax rows, AVX-512 / AVX2 by cpuid
        // What every layer shares: JSON, atomic file writing, plain-words file problems, SeededRNG.
        .target(name: "DocketBase"),
        .target(name: "Kernels", dependencies: ["DocketBase", "CDNNL", "CKernelsBF16", "CKernelsInt8", "CKernelsPointwise"]),
        .target(name: "SafeTensors", dependencies: ["DocketBase"]),
        .target(name: "Tokenizers", dependencies: ["CICU", "CSentencePiece"]),
        .target(name: "Encoder", dependencies: ["Kernels", "SafeTensors"]),
        .target(name: "Training", dependencies: ["Encoder"]),
        .target(name: "Docket", dependencies: ["Training", "Tokenizers"]),
        // Legal's corpus generator reads its prose from Corpora/templates/*.json, embedded at
        // build time by the CorpusTemplates plugin (DESIGN.md "Corpus templates").
        .target(name: "Legal", dependencies: ["Docket"], plugins: ["CorpusTemplates"]),
        .executableTarget(name: "EmbedCorpusTemplates"),
        .plugin(name: "CorpusTemplates", capability: .buildTool(), dependencies: ["EmbedCorpusTemplates"],
                path: "Sources/CorpusTemplates"),
        .target(name: "DocketMPI", dependencies: ["CMPI", "Training"]),
        // `docket bench`'s measurements (kernels, inference, training, the machine's peak):
        // linked by the CLI only, so no library layer carries benchmark code.
        .target(name: "DocketBench", dependencies: ["Training", "CDNNL", "CKernelsPeak", "CKernelsBF16", "CKernelsInt8"]),
        // HTTP server (docket serve): kept out of the Docket product so library users don't
        // pull in SwiftNIO.
        .target(name: "DocketServer", dependencies: [
            "Docket",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "DocketCLI", dependencies: [
            "Legal", "DocketMPI", "DocketServer", "DocketBench", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests. Fixtures live in Tests/Fixtures and are found through #filePath.
        .target(name: "TestSupport", dependencies: ["SafeTensors"], path: "Tests/TestSupport"),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "SafeTensors", "TestSupport"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "EncoderTests", dependencies: ["Encoder", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "DocketTests", dependencies: ["Docket", "TestSupport"]),
        .testTarget(name: "LegalTests", dependencies: ["Legal", "TestSupport"]),
        .testTarget(name: "DocketBenchTests", dependencies: ["DocketBench"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "SafeTensors"]),
        .testTarget(name: "ServerTests", dependencies: [
            "DocketServer", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    cxxLanguageStandard: .cxx17
)
