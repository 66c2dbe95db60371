// Plain-words causes of failed file operations, for error messages that name the file. Foundation
// reports many of them as "The operation could not be completed. (NSCocoaErrorDomain error
// 256.)"; these helpers look at the path itself (stat/access) and at the POSIX error underneath
// instead, so a user reads "is a directory" or "no such file" (issue #13: no Foundation
// internals in messages).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public enum FileProblem {
    /// Why reading `path` failed (or would fail): "no such file", "a component of the path is a
    /// file, not a directory", "is a directory, not a file", "permission denied", else the
    /// cause inside `error`.
    public static func reading(_ path: String, error: Error? = nil) -> String {
        var st = stat()
        if stat(path, &st) != 0 { return posix(errno) }
        if (st.st_mode & S_IFMT) == S_IFDIR { return "is a directory, not a file" }
        if access(path, R_OK) != 0 { return posix(errno) }
        return error.map(cause(of:)) ?? "cannot read the file"
    }

    /// Why writing `path` failed: a missing or unwritable parent directory, an existing
    /// directory in the way, else the cause inside `error`.
    public static func writing(_ path: String, error: Error? = nil) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        var st = stat()
        if !parent.isEmpty {
            if stat(parent, &st) != 0 { return "its directory \(parent): \(posix(errno))" }
            if (st.st_mode & S_IFMT) != S_IFDIR { return "\(parent) is a file, not a directory" }
            if access(parent, W_OK) != 0 { return "its directory \(parent): \(posix(errno))" }
        }
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return "is a directory, not a file" }
        return error.map(cause(of:)) ?? "cannot write the file"
    }

    /// The cause inside a Foundation error: its POSIX error when there is one, a plain
    /// description of common Cocoa codes, else the error's own description (never a domain
    /// name and number).
    public static func cause(of error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posix(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posix(Int32(underlying.code))
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on the device"
            case .fileWriteFileExists: return "a file is in the way"
            case .fileReadCorruptFile: return "the file is corrupt"
            case .fileReadInapplicableStringEncoding: return "the file is not valid UTF-8 text"
            default: break
            }
            if let reason = ns.userInfo[NSLocalizedDescriptionKey] as? String, !reason.contains("NSCocoaErrorDomain") { return reason }
            return "input/output error"
        }
        let text = "\(error)"
        return text.contains("Domain") ? "input/output error" : text
    }

    /// strerror text, lower-cased first letter ("no such file or directory").
    static func posix(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
