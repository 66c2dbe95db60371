// A small strict JSON parser (RFC 8259) for safetensors headers and JSONL records.
// Foundation's JSONSerialization loses key order and silently keeps one of two duplicate keys;
// this parser keeps objects as ordered (key, value) lists so callers can report duplicates,
// list tensors in file order, and copy a record's other fields verbatim (`members(of:)` gives
// each top-level value's raw byte range). Nesting is capped so hostile input cannot exhaust
// the stack.
import Foundation

public enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number's source text, validated against the RFC 8259 number grammar.
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }
}

public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    /// Byte offset of the problem within the parsed bytes.
    public let offset: Int
    public let message: String

    /// "byte N: message" (callers that know the file prefix its name).
    public var description: String { "byte \(offset): \(message)" }
}

/// One member of a top-level JSON object with the byte range of its value's source text.
public struct JSONMember: Sendable {
    public let key: String
    public let value: JSONValue
    public let raw: Range<Int>
}

public struct JSONParser {
    static let maxDepth = 64
    private let bytes: UnsafeRawBufferPointer
    private var pos = 0

    /// Parses one JSON value filling `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.pos == bytes.count else { throw parser.fail("unexpected data after the JSON value") }
        return value
    }

    /// Parses a JSON object filling `bytes`; returns its members in order with raw value ranges.
    public static func members(of bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> [JSONMember] {
        var p = JSONParser(bytes: bytes)
        p.skipWhitespace()
        guard p.peek == UInt8(ascii: "{") else { throw p.fail("expected a JSON object") }
        p.pos += 1
        var members: [JSONMember] = []
        p.skipWhitespace()
        if p.peek == UInt8(ascii: "}") { p.pos += 1 } else {
            while true {
                p.skipWhitespace()
                guard p.peek == UInt8(ascii: "\"") else { throw p.fail("expected a string key") }
                let key = try p.parseString()
                p.skipWhitespace()
                guard p.peek == UInt8(ascii: ":") else { throw p.fail("expected ':'") }
                p.pos += 1
                p.skipWhitespace()
                let start = p.pos
                let value = try p.parseValue(depth: 1)
                members.append(JSONMember(key: key, value: value, raw: start..<p.pos))
                p.skipWhitespace()
                guard let b = p.peek else { throw p.fail("unexpected end of input") }
                p.pos += 1
                if b == UInt8(ascii: "}") { break }
                guard b == UInt8(ascii: ",") else { p.pos -= 1; throw p.fail("expected ',' or '}'") }
            }
        }
        p.skipWhitespace()
        guard p.pos == bytes.count else { throw p.fail("unexpected data after the JSON value") }
        return members
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// A JSON string literal for `s`: escapes quote, backslash and control characters; other
    /// text stays UTF-8 (as Python's json.dumps(ensure_ascii=False)).
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private func fail(_ message: String) -> JSONParseError { JSONParseError(offset: pos, message: message) }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { pos += 1 }
    }

    private mutating func expect(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("unexpected end of input") }
        for i in 0..<n where bytes[pos + i] != literal.utf8Start[i] { throw fail("invalid literal") }
        pos += n
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        guard let b = peek else { throw fail("unexpected end of input") }
        switch b {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        pos += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw fail("expected ':'") }
            pos += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard let b = peek else { throw fail("unexpected end of input") }
            pos += 1
            if b == UInt8(ascii: "}") { return .object(members) }
            guard b == UInt8(ascii: ",") else { pos -= 1; throw fail("expected ',' or '}'") }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        pos += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard let b = peek else { throw fail("unexpected end of input") }
            pos += 1
            if b == UInt8(ascii: "]") { return .array(items) }
            guard b == UInt8(ascii: ",") else { pos -= 1; throw fail("expected ',' or ']'") }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = pos
        if peek == UInt8(ascii: "-") { pos += 1 }
        guard let first = peek, isDigit(first) else { throw fail("invalid number") }
        pos += 1
        if first != UInt8(ascii: "0") { while let d = peek, isDigit(d) { pos += 1 } }
        if peek == UInt8(ascii: ".") {
            pos += 1
            guard let d = peek, isDigit(d) else { throw fail("invalid number") }
            while let d = peek, isDigit(d) { pos += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard let d = peek, isDigit(d) else { throw fail("invalid number") }
            while let d = peek, isDigit(d) { pos += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Parses a string literal, decoding escapes (including surrogate pairs) to UTF-8.
    private mutating func parseString() throws(JSONParseError) -> String {
        pos += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw fail("unterminated string") }
            pos += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                pos -= 1
                throw fail("control character in string")
            default:
                out.append(b)
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        guard let e = peek else { throw fail("unterminated escape") }
        pos += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                try expect("\\u")
                let low = UInt32(try parseHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let u = Unicode.Scalar(scalar) else { throw fail("unpaired surrogate") }
            UTF8.encode(u) { out.append($0) }
        default:
            throw fail("invalid escape")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        guard pos + 4 <= bytes.count else { throw fail("unterminated \\u escape") }
        var v: UInt16 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw fail("invalid \\u escape")
            }
            v = v << 4 | UInt16(d)
            pos += 1
        }
        return v
    }
}

extension JSONParseError: LocalizedError {
    /// The same text as `description`, so `error.localizedDescription` names the file and cause.
    public var errorDescription: String? { description }
}
