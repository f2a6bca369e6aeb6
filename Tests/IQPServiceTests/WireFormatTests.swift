import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// The strict JSON reader of request bodies and the shot encodings.
final class WireFormatTests: XCTestCase {
    func testParsesValuesWithSpans() throws {
        let text = #"{"a": [1, -2.5e3, true, null], "s": "x\"\u00e9\ud83d\ude00\n", "o": {"k": 0}}"#
        let doc = try WireJSONParser.parse(text)
        guard case .array(let a)? = doc["a"]?.value else { return XCTFail("no array") }
        XCTAssertEqual(a[0].integer, 1)
        XCTAssertEqual(a[1].double, -2500)
        XCTAssertEqual(a[1].integer, -2500)
        XCTAssertEqual(a[2].bool, true)
        XCTAssertEqual(doc["s"]?.string, "x\"é😀\n")
        let bytes = Array(text.utf8)
        let o = try XCTUnwrap(doc["o"])
        XCTAssertEqual(String(decoding: bytes[o.range], as: UTF8.self), #"{"k": 0}"#)
        XCTAssertEqual(try WireJSONParser.parse("18446744073709551615").value.numberText, "18446744073709551615")
        XCTAssertNil(try WireJSONParser.parse("1.5").integer)
    }

    func testRejectsMalformedDocuments() {
        let bad: [(String, String)] = [
            ("", "malformed JSON at line 1, column 1: unexpected end of the document"),
            ("{\"a\": 1,}", "malformed JSON at line 1, column 9: expected a member name in double quotes"),
            ("{\"a\": 1} x", "malformed JSON at line 1, column 10: unexpected text after the JSON value"),
            ("[01]", "malformed JSON at line 1, column 3: expected ',' or ']' in an array"),
            ("{\"a\": 1, \"a\": 2}", "malformed JSON at line 1, column 13: member 'a' appears twice"),
            ("\"\\x\"", "malformed JSON at line 1, column 4: invalid escape '\\x'"),
            ("\"\\ud800\"", "malformed JSON at line 1, column 8: unpaired surrogate in \\u escape"),
            ("[1,\n 2,\n nul]", "malformed JSON at line 3, column 2: expected 'null'"),
            ("[-]", "malformed JSON at line 1, column 3: expected a digit"),
            ("\"a\tb\"", "malformed JSON at line 1, column 3: control character in a string"),
            (String(repeating: "[", count: 600), "malformed JSON at line 1, column 513: nesting deeper than 512 levels"),
        ]
        for (text, message) in bad {
            XCTAssertThrowsError(try WireJSONParser.parse(text), text) { XCTAssertEqual("\($0)", message, text) }
        }
        XCTAssertThrowsError(try WireJSONParser.parse([0x22, 0xFF, 0x22]))   // invalid UTF-8
    }

    func testPackedShotsRoundTrip() throws {
        for n in [1, 7, 8, 9, 40, 64, 65, 130] {
            var stream = KeyedStream(key: UInt64(n))
            var m = BitMatrix(rows: 37, columns: n)
            for r in 0..<37 { for c in 0..<n where stream.nextUniform() < 0.5 { m[r, c] = true } }
            let text = ShotEncoding.packedBase64(m)
            XCTAssertEqual(Data(base64Encoded: text)?.count, 37 * ((n + 7) / 8))
            XCTAssertEqual(ShotEncoding.decodePacked(text, rows: 37, nQubits: n), m)
            XCTAssertNil(ShotEncoding.decodePacked(text, rows: 36, nQubits: n))
        }
        // Qubit i is bit i mod 8 of byte i/8: qubits 0 and 9 set → bytes 0x01 0x02.
        var m = BitMatrix(rows: 1, columns: 10)
        m[0, 0] = true
        m[0, 9] = true
        XCTAssertEqual(ShotEncoding.packedBase64(m), Data([0x01, 0x02]).base64EncodedString())
        XCTAssertEqual(ShotEncoding.text(m, row: 0), "1000000001")
        XCTAssertEqual(ShotEncoding.csv(m), "1,0,0,0,0,0,0,0,0,1\n")
        // Padding bits must be zero.
        XCTAssertNil(ShotEncoding.decodePacked(Data([0x01, 0x06]).base64EncodedString(), rows: 1, nQubits: 10))
    }

    /// The client's job body reads back through the service's decoder to the same request.
    func testJobBodyRoundTrip() throws {
        let model = try Reference.randomModel(nQubits: 5, gates: 7, maxWeight: 3, seed: 4)
        let request = SamplingRequest(model: model, shots: 123, seed: UInt64.max, noise: try ReadoutNoise(p01: [0.1, 0, 0, 0, 0.2], p10: [0.3]),
                                      precision: .complex64)
        let body = SamplerClient.jobBody(request)
        let decoded = try JobSubmission.decode(Array(body.utf8), defaultPrecision: .complex128, randomSeed: { 0 })
        XCTAssertEqual(decoded.request, request)
        XCTAssertTrue(decoded.seedGiven)
        let noSeed = try JobSubmission.decode(Array("{\"model\": \(ModelFile.encode(model)), \"shots\": 5}".utf8),
                                              defaultPrecision: .complex128, randomSeed: { 99 })
        XCTAssertEqual(noSeed.request.seed, 99)
        XCTAssertFalse(noSeed.seedGiven)
        XCTAssertEqual(noSeed.request.noise, .none)
    }

    func testOptionParsers() throws {
        XCTAssertEqual(try SamplerLimits.parseBytes("12G"), 12 << 30)
        XCTAssertEqual(try SamplerLimits.parseBytes("512MiB"), 512 << 20)
        XCTAssertEqual(try SamplerLimits.parseBytes("1000"), 1000)
        XCTAssertNil(try SamplerLimits.parseBytes("auto"))
        XCTAssertThrowsError(try SamplerLimits.parseBytes("lots"))
        XCTAssertEqual(try ReadoutNoise(parsing: "0.01, 0.03"), try ReadoutNoise(p01: 0.01, p10: 0.03))
        XCTAssertThrowsError(try ReadoutNoise(parsing: "0.01"))
    }
}

extension WireJSON.Value {
    var numberText: String? {
        if case .number(let t) = self { return t }
        return nil
    }
}
