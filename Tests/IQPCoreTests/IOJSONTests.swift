import Foundation
import XCTest
@testable import IQPCore

final class IOJSONTests: XCTestCase {
    /// The error a parse of `text` throws (fails the test if it parses).
    func parseError(_ text: String, file: String = "t.json", line: UInt = #line) -> IQPError? {
        do {
            _ = try JSONParser.parse(text, file: file)
            XCTFail("expected an error for \(text.debugDescription)", line: line)
            return nil
        } catch let e as IQPError {
            return e
        } catch {
            XCTFail("unexpected error type \(error)", line: line)
            return nil
        }
    }

    func testParsesAllValueKindsWithLines() throws {
        let text = """
        {
          "a": [1, -2.5, 3e2],
          "b": {"c": true, "d": false, "e": null},
          "s": "x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"
        }
        """
        let root = try JSONParser.parse(text)
        XCTAssertEqual(root.line, 1)
        XCTAssertEqual(root["a"]?.line, 2)
        XCTAssertEqual(root["b"]?["e"]?.line, 3)
        XCTAssertEqual(root["s"]?.line, 4)
        XCTAssertEqual(root.value, .object([
            JSONMember("a", .array([.number(1), .number(-2.5), .number(300)])),
            JSONMember("b", .object([JSONMember("c", .bool(true)), JSONMember("d", .bool(false)), JSONMember("e", .null)])),
            JSONMember("s", .string("x\"y\\z/\u{08}\u{0C}\n\r\té😀")),
        ]))
        // Integers keep their exact value; fractions and exponents do not count as integers.
        guard case .number(_, let i)? = root["a"]?.node(atPath: "[0]")?.content,
              case .number(_, let j)? = root.node(atPath: "a[2]")?.content else { return XCTFail() }
        XCTAssertEqual(i, 1)
        XCTAssertNil(j)
    }

    func testNodeAtPath() throws {
        let root = try JSONParser.parse("{\"g\": [\n[[0, 1],\n[2]]],\n \"m\": {\"x\":\n 5}}")
        XCTAssertEqual(root.node(atPath: "g[0][1]")?.line, 3)
        XCTAssertEqual(root.node(atPath: "g[0][0][1]")?.value, .number(1))
        XCTAssertEqual(root.node(atPath: "m.x")?.line, 5)
        XCTAssertNil(root.node(atPath: "g[3]"))
        XCTAssertNil(root.node(atPath: "q"))
    }

    func testDoublesRoundTripExactly() throws {
        var values: [Double] = [0.1, 1.0 / 3.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                -0.0, 0.0, 9007199254740993, 9007199254740992, 123456789012345678901234.0,
                                1e-7, 0.30000000000000004, -1e22, 1e15, 999999999999999.9, 3.0, -7.0]
        var stream = KeyedStream(key: 42)
        while values.count < 2000 {
            let x = Double(bitPattern: stream.next())
            if x.isFinite { values.append(x) }
        }
        let text = JSONWriter.encode(.array(values.map { .number($0) }))
        let parsed = try JSONParser.parse(text).value
        guard case .array(let items) = parsed else { return XCTFail("not an array") }
        XCTAssertEqual(items.count, values.count)
        for (x, item) in zip(values, items) {
            guard case .number(let y) = item else { return XCTFail("not a number") }
            XCTAssertEqual(x.bitPattern, y.bitPattern, "\(x) came back as \(y)")
        }
        XCTAssertEqual(JSONWriter.format(3), "3")
        XCTAssertEqual(JSONWriter.format(-0.0), "-0.0")
        XCTAssertEqual(JSONWriter.format(.nan), "null")
    }

    func testStringsRoundTrip() throws {
        let s = "tab\t quote\" backslash\\ nul\u{0} bell\u{07} é 😀 \u{2028}"
        let text = JSONWriter.encode(.object([JSONMember(s, .string(s))]))
        XCTAssertFalse(text.contains("\u{0}"))
        XCTAssertTrue(text.contains("\\u0000") && text.contains("\\u0007"))
        XCTAssertEqual(try JSONParser.parse(text).value, .object([JSONMember(s, .string(s))]))
    }

    func testWriterLayout() throws {
        let value: JSONValue = .object([
            JSONMember("n", .number(2)),
            JSONMember("gates", .array((0..<30).map { k in .array([.array([.number(Double(k)), .number(Double(k + 1))])]) })),
            JSONMember("params", .array((0..<100).map { .number(Double($0) / 8) })),
            JSONMember("meta", .object([JSONMember("lr", .number(0.001)), JSONMember("tags", .array([]))])),
        ])
        let text = JSONWriter.encode(value)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[0], "{")
        XCTAssertEqual(lines[1], "  \"n\": 2,")
        XCTAssertEqual(lines[2], "  \"gates\": [")
        XCTAssertEqual(lines[3], "    [[0, 1]],")
        XCTAssertEqual(lines[32], "    [[29, 30]]")
        XCTAssertEqual(lines[33], "  ],")
        XCTAssertEqual(lines[34], "  \"params\": [")
        XCTAssertTrue(lines[35].hasPrefix("    0, 0.125, 0.25, 0.375, "))
        XCTAssertTrue(text.contains("  \"meta\": {\"lr\": 0.001, \"tags\": []}\n}\n"))
        XCTAssertTrue(lines.allSatisfy { $0.utf8.count <= JSONWriter.lineWidth }, text)
        XCTAssertEqual(try JSONParser.parse(text).value, value)
        XCTAssertEqual(JSONWriter.encodeCompact(.array([.number(1), .string("a"), .null])), "[1, \"a\", null]")
    }

    func testSyntaxErrorsNameFileAndLine() {
        XCTAssertEqual(parseError("{\"a\": 1\n \"b\": 2}")?.description,
                       "t.json:2: invalid JSON: expected ',' or '}', found '\"'")
        XCTAssertEqual(parseError("[1,\n2\n3]")?.description, "t.json:3: invalid JSON: expected ',' or ']', found '3'")
        XCTAssertEqual(parseError("{\"a\": 1}\n\n x")?.description,
                       "t.json:3: invalid JSON: unexpected 'x' after the end of the JSON value")
        XCTAssertEqual(parseError("")?.description, "t.json:1: invalid JSON: the file is empty (expected a JSON value)")
        XCTAssertEqual(parseError("{\"a\":\n[1, 2")?.description, "t.json:2: invalid JSON: expected ',' or ']', found end of file")
        XCTAssertEqual(parseError("{\"a\": 1,}")?.description, "t.json:1: invalid JSON: expected a string key, found '}'")
        XCTAssertEqual(parseError("[1,]")?.description, "t.json:1: invalid JSON: expected a value, found ']'")
        XCTAssertEqual(parseError("{'a': 1}")?.description, "t.json:1: invalid JSON: expected a string key, found '''")
        XCTAssertEqual(parseError("[tru]")?.description, "t.json:1: invalid JSON: expected a value, found 'tru'")
    }

    func testRejectsNonFiniteAndOutOfRangeNumbers() {
        XCTAssertEqual(parseError("[1,\n NaN]")?.description,
                       "t.json:2: invalid JSON: NaN is not valid JSON (numbers must be finite)")
        XCTAssertEqual(parseError("[Infinity]")?.description,
                       "t.json:1: invalid JSON: Infinity is not valid JSON (numbers must be finite)")
        XCTAssertEqual(parseError("[\n\n-Infinity]")?.description,
                       "t.json:3: invalid JSON: -Infinity is not valid JSON (numbers must be finite)")
        XCTAssertEqual(parseError("{\"x\":\n 1e400}")?.description, "t.json:2: invalid JSON: number 1e400 is out of range")
        XCTAssertEqual(parseError("[-1e999]")?.description, "t.json:1: invalid JSON: number -1e999 is out of range")
        XCTAssertEqual(parseError("[01]")?.description, "t.json:1: invalid JSON: numbers must not have leading zeros")
        XCTAssertEqual(parseError("[1.]")?.description, "t.json:1: invalid JSON: expected a digit after '.', found ']'")
        XCTAssertEqual(parseError("[.5]")?.description, "t.json:1: invalid JSON: expected a value, found '.'")
        XCTAssertEqual(parseError("[+1]")?.description, "t.json:1: invalid JSON: expected a value, found '+'")
    }

    func testRejectsDuplicateKeysAndBadStrings() {
        XCTAssertEqual(parseError("{\"params\": [1],\n\n \"params\": [2]}")?.description,
                       "t.json:3: invalid JSON: duplicate key 'params'")
        XCTAssertEqual(parseError("[\"a\nb\"]")?.description,
                       "t.json:1: invalid JSON: unterminated string (line break inside a string)")
        XCTAssertEqual(parseError("[\"a\tb\"]")?.description,
                       "t.json:1: invalid JSON: control character 0x9 must be escaped in a string")
        XCTAssertEqual(parseError("[\"\\ud83d x\"]")?.description,
                       "t.json:1: invalid JSON: unpaired surrogate \\uD83D in string")
        XCTAssertEqual(parseError("[\"\\ude00\"]")?.description,
                       "t.json:1: invalid JSON: unpaired surrogate \\uDE00 in string")
        XCTAssertEqual(parseError("[\"\\x41\"]")?.description, "t.json:1: invalid JSON: invalid escape '\\x' in string")
        XCTAssertEqual(parseError("[\"abc")?.description, "t.json:1: invalid JSON: unterminated string (it starts on line 1)")
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        XCTAssertEqual(parseError(deep)?.description, "t.json:1: invalid JSON: nesting deeper than 512 levels")
    }

    func testInvalidUTF8IsAnError() {
        let data = Data([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])  // ["\xC3("]
        XCTAssertThrowsError(try JSONParser.parse(data: data, file: "u.json")) { error in
            XCTAssertEqual((error as? IQPError)?.description, "u.json:1: invalid JSON: string is not valid UTF-8")
        }
        // A byte-order mark is skipped.
        XCTAssertEqual(try JSONParser.parse(data: Data([0xEF, 0xBB, 0xBF, 0x31])).value, .number(1))
    }

    func testTypedFieldAccessors() throws {
        let root = try JSONParser.parse("{\"n\": 4,\n \"x\": 2.0,\n \"s\": \"4\",\n \"l\": [1.5]}")
        let object = try JSONField(node: root, file: "f.json").object()
        XCTAssertEqual(try object.required("n").int(), 4)
        XCTAssertEqual(try object.required("x").int(), 2)
        XCTAssertNil(object.optional("zz"))
        XCTAssertEqual(object.keys, ["n", "x", "s", "l"])
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? IQPError)?.description }
        }
        XCTAssertEqual(message { _ = try object.required("s").int() }, "f.json:3: field 's': expected an integer, got a string")
        XCTAssertEqual(message { _ = try object.required("l").array()[0].int() },
                       "f.json:4: field 'l[0]': expected an integer, got 1.5")
        XCTAssertEqual(message { _ = try object.required("zz") }, "f.json:1: field 'zz': missing required field")
        XCTAssertEqual(message { _ = try object.required("n").bool() }, "f.json:1: field 'n': expected true or false, got an integer")
        XCTAssertEqual(message { _ = try object.required("n").object().required("q") },
                       "f.json:1: field 'n': expected an object, got an integer")
    }
}
