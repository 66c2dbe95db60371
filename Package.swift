// swift-tools-version:6.0
// Docket: fine-tune and run transformer text classifiers natively on Linux.
// Module dependencies run one way (see DESIGN.md §2):
//   CDNNL (oneDNN), CKernelsPeak, CKernelsBF16, CKernelsInt8 ← Kernels ← Encoder ← Training ← Docket ← Legal ← DocketCLI
//   CMPI ← DocketMPI (Training's Collective over MPI) ← DocketCLI only: `import Docket` never needs MPI
//   SafeTensors ← Encoder;  CICU, CSentencePiece ← Tokenizers ← Docket
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
        .target(name: "CKernelsPeak"),  // FMA loop measuring the FP32 peak (docket bench kernels)
        .target(name: "CKernelsBF16"),  // AVX512_BF16 GEMM for the opt-in BF16 inference path
        .target(name: "CKernelsInt8"),  // AVX512_VNNI GEMM for the opt-in INT8 inference path
        .target(name: "Kernels", dependencies: ["CDNNL", "CKernelsPeak", "CKernelsBF16", "CKernelsInt8"]),
        .target(name: "SafeTensors"),
        .target(name: "Tokenizers", dependencies: ["CICU", "CSentencePiece"]),
        .target(name: "Encoder", dependencies: ["Kernels", "SafeTensors"]),
        .target(name: "Training", dependencies: ["Encoder"]),
        .target(name: "Docket", dependencies: ["Training", "Tokenizers"]),
        .target(name: "Legal", dependencies: ["Docket"]),
        .target(name: "DocketMPI", dependencies: ["CMPI", "Training"]),
        .executableTarget(name: "DocketCLI", dependencies: [
            "Legal", "DocketMPI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "SafeTensors"]),
    ],
    cxxLanguageStandard: .cxx17
)
