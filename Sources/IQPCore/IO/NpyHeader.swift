import Foundation

/// The header dict of a `.npy` file: dtype, memory order and shape.
struct NpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
    /// dtype kind: "b" bool, "u" unsigned, "i" signed, "f" float.
    var kind: Character
    var itemSize: Int
    var bigEndian: Bool

    var shapeText: String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    init(parsing text: String, file: String?) throws {
        func fail(_ message: String, field: String? = nil) -> IQPError {
            IQPError(message, file: file, field: field)
        }
        var parser = PythonLiteralParser(text: Array(text.unicodeScalars))
        guard case .dict(let entries)? = try? parser.parseDocument() else {
            throw fail("the .npy header is not a Python dict literal: \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // As numpy reads it (`ast.literal_eval` of a dict literal): a repeated key keeps its
        // last value, and the keys must be exactly descr, fortran_order and shape.
        if let extra = entries.first(where: { !["descr", "fortran_order", "shape"].contains($0.0) }) {
            throw fail("the .npy header has an unexpected key '\(extra.0)' (numpy's keys are descr, fortran_order, shape)")
        }
        func entry(_ key: String) throws -> PythonLiteral {
            guard let v = entries.last(where: { $0.0 == key })?.1 else {
                throw fail("the .npy header has no '\(key)' entry")
            }
            return v
        }
        guard case .string(let descr) = try entry("descr") else {
            throw fail("structured dtypes are not supported (expected a plain numeric dtype)", field: "descr")
        }
        guard case .bool(let fortran) = try entry("fortran_order") else {
            throw fail("expected True or False", field: "fortran_order")
        }
        guard case .tuple(let dims) = try entry("shape") else {
            throw fail("expected a tuple of integers", field: "shape")
        }
        var shape: [Int] = []
        for d in dims {
            guard case .int(let v) = d, v >= 0 else { throw fail("expected a tuple of non-negative integers", field: "shape") }
            shape.append(v)
        }

        let chars = Array(descr)
        let supported = "supported: |b1, |u1, |i1, <u2, <i2, <u4, <i4, <u8, <i8, <f4, <f8"
        guard chars.count >= 3, "<>|=".contains(chars[0]), let size = Int(String(chars[2...])),
              ["b": [1], "u": [1, 2, 4, 8], "i": [1, 2, 4, 8], "f": [4, 8]][chars[1]]?.contains(size) == true
        else {
            throw fail("unsupported dtype '\(descr)' (\(supported))", field: "descr")
        }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
        self.kind = chars[1]
        self.itemSize = size
        self.bigEndian = chars[0] == ">"
    }
}

/// The Python literals that appear in `.npy` headers.
enum PythonLiteral {
    case string(String), int(Int), bool(Bool), none
    case tuple([PythonLiteral]), list([PythonLiteral]), dict([(String, PythonLiteral)])
}

/// A parser for the small subset of Python literal syntax used by `.npy` headers.
struct PythonLiteralParser {
    struct Failure: Error {}
    let text: [Unicode.Scalar]
    var i = 0

    mutating func parseDocument() throws -> PythonLiteral {
        let v = try value()
        skip()
        guard i == text.count else { throw Failure() }
        return v
    }

    mutating func skip() {
        while i < text.count && (text[i] == " " || text[i] == "\n" || text[i] == "\t" || text[i] == "\r") { i += 1 }
    }

    mutating func value() throws -> PythonLiteral {
        skip()
        guard i < text.count else { throw Failure() }
        let c = text[i]
        switch c {
        case "'", "\"":
            i += 1
            var s = ""
            while i < text.count && text[i] != c { s.unicodeScalars.append(text[i]); i += 1 }
            guard i < text.count else { throw Failure() }
            i += 1
            return .string(s)
        case "(", "[":
            let close: Unicode.Scalar = c == "(" ? ")" : "]"
            i += 1
            var items: [PythonLiteral] = []
            while true {
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == close { i += 1; break }
                items.append(try value())
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1 } else if text[i] != close { throw Failure() }
            }
            return c == "(" ? .tuple(items) : .list(items)
        case "{":
            i += 1
            var entries: [(String, PythonLiteral)] = []
            while true {
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "}" { i += 1; break }
                guard case .string(let key) = try value() else { throw Failure() }
                skip()
                guard i < text.count, text[i] == ":" else { throw Failure() }
                i += 1
                entries.append((key, try value()))
                skip()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1 } else if text[i] != "}" { throw Failure() }
            }
            return .dict(entries)
        default:
            var word = ""
            while i < text.count, text[i].properties.isAlphabetic || ("0"..."9").contains(text[i]) || text[i] == "-" || text[i] == "L" {
                word.unicodeScalars.append(text[i]); i += 1
            }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                // Python 2 long integers may end in 'L'.
                guard let v = Int(word.hasSuffix("L") ? String(word.dropLast()) : word) else { throw Failure() }
                return .int(v)
            }
        }
    }
}
