// Directory inputs: a folder of .txt files (one document each, sorted by file name, with an
// "id" field holding the file name) or one sub-folder per class (label = folder name, files
// sorted within each class, classes sorted by name). Files are read one at a time.
import DocketBase
import Foundation

final class FolderDocuments {
    /// (file path, id, label) in reading order.
    private let entries: [(path: String, id: String, label: String?)]
    private var position = 0
    var fractionRead: Double? { Double(position) / Double(entries.count) }

    init(path: String, classFolders: Bool) throws {
        if classFolders {
            var all: [(String, String, String?)] = []
            for label in try Self.listing(path).filter({ Self.isDirectory("\(path)/\($0)") }) {
                let dir = "\(path)/\(label)"
                for f in try Self.listing(dir).filter({ $0.hasSuffix(".txt") }) { all.append(("\(dir)/\(f)", "\(label)/\(f)", label)) }
            }
            entries = all
        } else {
            entries = try Self.listing(path).filter { $0.hasSuffix(".txt") }.map { ("\(path)/\($0)", $0, nil) }
        }
        guard !entries.isEmpty else { throw DocumentError.noDocuments(file: path) }
    }

    func next() throws -> Document? {
        guard position < entries.count else { return nil }
        let e = entries[position]
        position += 1
        guard let data = FileManager.default.contents(atPath: e.path) else {
            throw DocumentError.io(file: e.path, message: "cannot read")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw DocumentError.invalidUTF8(file: e.path, line: 1) }
        guard !isBlank(text) else { throw DocumentError.emptyText(file: e.path, line: 1) }
        return Document(text: text, label: e.label, fields: [RawField(key: "id", json: JSONParser.quote(e.id))],
                        source: e.path, line: 1)
    }

    /// True when `path` holds at least one sub-folder and no .txt files of its own.
    static func hasClassFolders(_ path: String) -> Bool {
        guard let names = try? listing(path) else { return false }
        return !names.contains { $0.hasSuffix(".txt") } && names.contains { isDirectory("\(path)/\($0)") }
    }

    /// Visible entries of a directory, sorted by name (byte order, independent of locale).
    private static func listing(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { !$0.hasPrefix(".") }
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        } catch {
            throw DocumentError.io(file: path, message: "cannot list directory")
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
