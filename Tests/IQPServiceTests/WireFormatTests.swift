import Foundation
import Hummingbird
import IQPCore
import IQPTestSupport
import IQPSampler
@testable import IQPService
import XCTest

/// Reading job bodies (64-bit seeds, malformed JSON) and the shot encodings.
final class WireFormatTests: XCTestCase {
    /// Seeds use all 64 bits: integer literals above Int.max keep their exact value.
    func testReadsSixtyFourBitSeeds() throws {
        XCTAssertEqual(try JSONParser.parse("18446744073709551615").uint64, UInt64.max)
        XCTAssertEqual(try JSONParser.parse("9223372036854775808").uint64, UInt64(1) << 63)
        XCTAssertEqual(try JSONParser.parse("9223372036854775807").uint64, UInt64(Int.max))
        XCTAssertEqual(try JSONParser.parse("9223372036854775807").unsignedInteger, nil)
        XCTAssertNil(try JSONParser.parse("18446744073709551616").uint64)
        XCTAssertNil(try JSONParser.parse("-9223372036854775809").uint64)
        XCTAssertNil(try JSONParser.parse("-1").uint64)
        XCTAssertNil(try JSONParser.parse("1.5").uint64)
        XCTAssertNil(try JSONParser.parse("1e3").uint64)

        let model = ModelFile.encode(try Reference.randomModel(nQubits: 3, gates: 2, maxWeight: 2, seed: 1))
        func seed(_ literal: String) throws -> UInt64 {
            let body = "{\"model\": \(model), \"shots\": 1, \"seed\": \(literal)}"
            return try JobSubmission.decode(Array(body.utf8), defaultPrecision: .complex128, randomSeed: { 0 }).request.seed
        }
        XCTAssertEqual(try seed("18446744073709551615"), UInt64.max)
        XCTAssertEqual(try seed("\"18446744073709551615\""), UInt64.max)
        XCTAssertEqual(try seed("9223372036854775809"), (UInt64(1) << 63) + 1)
        XCTAssertEqual(try seed("7"), 7)
        XCTAssertThrowsError(try seed("7.0"))
        XCTAssertThrowsError(try seed("\"-7\""))
    }

    /// A body that is not JSON is `malformed_json`, naming the line of the body.
    func testRejectsMalformedBodies() {
        let bad: [([UInt8], String)] = [
            (Array("".utf8), "request:1: invalid JSON: the file is empty (expected a JSON value)"),
            (Array("{\"a\": 1,}".utf8), "request:1: invalid JSON: expected a string key, found '}'"),
            (Array("{\"a\": 1} x".utf8), "request:1: invalid JSON: unexpected 'x' after the end of the JSON value"),
            (Array("{\"a\": 1,\n \"a\": 2}".utf8), "request:2: invalid JSON: duplicate key 'a'"),
            (Array("[1,\n 2,\n nul]".utf8), "request:3: invalid JSON: expected a value, found 'nul'"),
            (Array(String(repeating: "[", count: 600).utf8), "request:1: invalid JSON: nesting deeper than 512 levels"),
            ([0x22, 0xFF, 0x22], "request:1: invalid JSON: string is not valid UTF-8"),
        ]
        for (body, message) in bad {
            XCTAssertThrowsError(try JobSubmission.decode(body, defaultPrecision: .complex128, randomSeed: { 0 }), message) {
                let error = $0 as? ServiceError
                XCTAssertEqual(error?.code, "malformed_json", message)
                XCTAssertEqual(error?.status, .badRequest, message)
                XCTAssertEqual(error?.message, message)
            }
        }
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
        let body = try SamplerClient.jobBody(request)
        let decoded = try JobSubmission.decode(Array(body), defaultPrecision: .complex128, randomSeed: { 0 })
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
