// Loading and saving Hugging Face checkpoint directories (config.json + model.safetensors).
//
// Loading walks `config.parameterLayout` (the one source of names): each tensor is looked up
// under its accepted names (with/without the `distilbert.`/`bert.` prefix, LayerNorm
// `gamma`/`beta`); tensors the layout does not name (masked-LM heads `cls.*`, `vocab_*` for a
// classifier, the classification head for a masked LM, `position_ids`) are ignored.
// Missing encoder tensors and shape mismatches are errors.
// Missing head tensors (classifier, DistilBERT pre_classifier, BERT pooler; the masked-LM
// head `cls.predictions.*` / `vocab_*` when loading for pretraining) are created the
// way HF creates them — N(0, initializer_range) weights, zero biases — and reported as notices.
// (HF's BertForSequenceClassification always has a pooler, so Docket always runs one too.)
import DocketBase
import Foundation
import Kernels
import SafeTensors

extension EncoderModel {
    /// Loads `directory/config.json` and `directory/model.safetensors`.
    /// - Parameters:
    ///   - labels: when given, replaces the config's id2label; if the checkpoint's classifier
    ///     has a different number of rows, a fresh classifier is created (with a notice).
    ///   - seed: seeds the initialisation of any created head tensor.
    ///   - objective: `.maskedLM` loads the encoder and the masked-LM head (created when
    ///     absent) instead of the classification head (`docket pretrain`).
    public static func load(directory: URL, labels: [String]? = nil, seed: UInt64 = 0,
                            objective: EncoderObjective = .sequenceClassification)
        throws -> (model: EncoderModel, notices: [String])
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let what = FileManager.default.fileExists(atPath: directory.path) ? "a file" : FileProblem.reading(directory.path)
            throw EncoderError.io(file: directory.path,
                                  reason: "\(what), not a checkpoint directory (a directory holding config.json and model.safetensors)")
        }
        let configURL = directory.appendingPathComponent("config.json")
        var config = try ModelConfig.load(from: configURL)
        if let labels {
            config.labels = labels
            try config.validate(file: configURL.path)
        }
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw EncoderError.io(file: weightsURL.path, reason: "no model.safetensors in the checkpoint directory")
        }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: weightsURL) } catch {
            let text = "\(error)", prefix = weightsURL.path + ": "
            throw EncoderError.io(file: weightsURL.path, reason: text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
        }
        let model = try EncoderModel(uninitialized: config, objective: objective)
        var rng = SeededRNG(seed: seed)
        var notices: [String] = []
        for spec in model.layout {
            if let notice = try model.loadTensor(spec, from: file, relabelled: labels != nil, rng: &rng) {
                notices.append(notice)
            }
        }
        if let bad = model.parameters.firstNonFiniteEntry() {
            throw EncoderError.nonFiniteWeights(file: weightsURL.path, name: bad)
        }
        return (model, notices)
    }

    /// Copies one tensor from `file`; returns a notice when it had to be created instead.
    private func loadTensor(_ spec: ParameterSpec, from file: SafeTensorsFile, relabelled: Bool,
                            rng: inout SeededRNG) throws -> String? {
        let path = file.url.path
        guard let found = config.acceptedNames(spec.role).first(where: { file.contains($0) }) else {
            guard spec.role.isHead || spec.role.isMaskedLMHead else { throw EncoderError.missingTensor(file: path, name: spec.name) }
            try initialise(spec, rng: &rng)
            return "created \(spec.name) \(spec.shape) (not in \(file.url.lastPathComponent)): "
                + (spec.role.initial == .normal ? "N(0, \(config.initializerRange))" : spec.role.initial == .ones ? "ones" : "zeros")
        }
        let info: TensorInfo
        do { info = try file.info(found) } catch {
            throw EncoderError.unreadableTensor(file: path, name: found, reason: "\(error)")
        }
        guard info.shape == spec.shape else {
            let isClassifier = spec.role == .classifierWeight || spec.role == .classifierBias
            if relabelled && isClassifier && info.shape.dropFirst() == spec.shape.dropFirst() {
                try initialise(spec, rng: &rng)
                return "created \(spec.name) \(spec.shape): the checkpoint's has \(info.shape[0]) labels, "
                    + "\(config.numLabels) requested"
            }
            throw EncoderError.shapeMismatch(file: path, name: found, expected: spec.shape, found: info.shape)
        }
        do {
            try file.copyFloats(found, into: parameters.pointer(spec.name), count: spec.count)
        } catch {
            throw EncoderError.unreadableTensor(file: path, name: found, reason: "\(error)")
        }
        return nil
    }

    /// Writes `directory/model.safetensors` (HF names, family prefix and head names) and
    /// `directory/config.json`, each atomically. `dtype` .bf16 halves the file.
    /// `config` replaces the model's own in config.json (same sizes; e.g. with the multi-label
    /// decision thresholds tuned after training).
    public func save(to directory: URL, dtype: SafeTensorsWriter.StorageType = .f32,
                     metadata: [String: String] = [:], config: ModelConfig? = nil) throws {
        try requireFP32Weights(for: "saving a checkpoint to \(directory.path)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw EncoderError.io(file: directory.path, reason: "cannot create directory: \(FileProblem.writing(directory.path, error: error))")
        }
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        if let bad = parameters.firstNonFiniteEntry() { throw EncoderError.nonFiniteWeights(file: weightsURL.path, name: bad) }
        var tensors: [SafeTensorsWriter.Tensor] = []
        for spec in layout {
            let p = try parameters.pointer(spec.name)
            tensors.append((name: spec.name, shape: spec.shape, data: UnsafeBufferPointer(start: p, count: spec.count)))
        }
        var meta = metadata
        meta["format"] = "pt"
        do { try SafeTensorsWriter.write(tensors, metadata: meta, to: weightsURL, dtype: dtype) } catch {
            throw EncoderError.io(file: weightsURL.path, reason: "cannot write weights: \(error)")
        }
        let written = config ?? self.config
        guard (objective == .maskedLM ? written.maskedLMLayout : written.parameterLayout) == layout else {
            throw EncoderError.invalidInput("the config to write describes other tensor sizes than the model's")
        }
        try written.write(to: directory.appendingPathComponent("config.json"),
                          architecture: objective == .maskedLM ? written.maskedLMArchitecture : nil)
    }
}
