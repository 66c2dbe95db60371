// A minimal F32-only safetensors reader for the training fixtures (the test target's own,
// so these tests do not depend on the SafeTensors module's progress).
import Foundation

struct FixtureTensors {
    let tensors: [String: [Float]]
    let metadata: [String: String]

    init(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as! [String: Any]
        var out: [String: [Float]] = [:]
        for (name, value) in header where name != "__metadata__" {
            let entry = value as! [String: Any]
            precondition(entry["dtype"] as! String == "F32", "fixture tensor \(name) is not F32")
            let offs = entry["data_offsets"] as! [Int]
            let bytes = data.subdata(in: (8 + n + offs[0])..<(8 + n + offs[1]))
            out[name] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        tensors = out
        metadata = header["__metadata__"] as? [String: String] ?? [:]
    }

    func get(_ name: String) -> [Float] { tensors[name] ?? [] }
    func json<T: Decodable>(_ key: String, as: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data((metadata[key] ?? "null").utf8))
    }
}
