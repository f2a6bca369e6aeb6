import Foundation
import XCTest
@testable import IQPCore

/// The root fixes of issue 19 at the library level: sizes claimed by a file are not allocated,
/// inputs are read as numpy and the user's tools read them, untrusted bytes are escaped.
final class HostileInputTests: XCTestCase {
    func temporaryFile(_ bytes: [UInt8], suffix: String = ".csv") throws -> String {
        let path = NSTemporaryDirectory() + "hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" + suffix
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testAClaimedQubitCountIsNotAllocated() throws {
        // 10⁹ qubits with two gates: built in no time and no memory (no per-qubit table).
        let circuit = try Circuit(nQubits: 1_000_000_000, gates: [[[0]], [[999_999_999, 5]]])
        XCTAssertEqual(circuit.nQubits, 1_000_000_000)
        XCTAssertThrowsError(try ModelFile.decode(text: #"{"n_qubits": 10000000000, "gates": [[[0]]], "params": [1]}"#,
                                                  file: "m.json")) { error in
            XCTAssertEqual((error as? IQPError)?.field, "n_qubits")
            XCTAssertTrue("\(error)".hasPrefix("m.json:1: field 'n_qubits': n_qubits 10000000000 is more than"), "\(error)")
        }
    }

    func testRepeatedQubitsAreFoundInLongAndShortGenerators() {
        XCTAssertThrowsError(try Circuit(nQubits: 20, gates: [[[1, 2, 1]]]))
        XCTAssertThrowsError(try Circuit(nQubits: 20, gates: [[Array(0..<12) + [7]]]))
        XCTAssertNoThrow(try Circuit(nQubits: 20, gates: [[Array(0..<20)]]))
    }

    func testCarriageReturnLineEnds() throws {
        let path = try temporaryFile(Array("0,1,1\r1,0,0\r1,1,1".utf8))
        let m = try DataFile.read(path: path)
        XCTAssertEqual(m.rows, 3)
        XCTAssertEqual(m.columns, 3)
        let mixed = try DataFile.read(path: try temporaryFile(Array("0,1\r\n1,0\r1,1\n".utf8)))
        XCTAssertEqual(mixed.rows, 3)
    }

    func testRepeatedNpyKeyKeepsTheLastValueAsNumpyDoes() throws {
        // numpy reads the header with ast.literal_eval: the second 'descr' wins.
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'descr': '|u1', }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + [0, 1, 1, 0]
        let m = try DataFile.read(path: try temporaryFile(bytes, suffix: ".npy"))
        XCTAssertEqual(m.rows, 2)
        XCTAssertEqual(m.columns, 2)
    }

    func testDevicesAreNotRead() {
        XCTAssertThrowsError(try DataFile.read(path: "/dev/zero")) { error in
            XCTAssertEqual("\(error)", "/dev/zero: cannot read file: it is not a regular file (a device, FIFO or socket)")
        }
    }

    func testControlBytesAreEscaped() {
        XCTAssertEqual(EscapedText.escape("a\u{1B}[31mb\r\n\t\u{7F}\u{9B}ü"), "a\\e[31mb\\r\\n\\t\\u{7F}\\u{9B}ü")
        XCTAssertEqual(IQPError("symbol '\u{1B}[2J' is not 0 or 1", file: "d.csv", line: 2).description,
                       "d.csv:2: symbol '\\e[2J' is not 0 or 1")
    }

    func testNonFiniteResultsAreErrorsNamingTheCause() throws {
        XCTAssertNoThrow(try FiniteResult.check([0, 1], name: { "value \($0)" }))
        let model = try ModelFile.decode(text: #"{"n_qubits": 2, "gates": [[[0]], [[1]]], "params": [0.5, 1e308]}"#)
        XCTAssertThrowsError(try FiniteResult.check([0, .nan], name: { "value \($0)" }, model: model, modelFile: "m.json")) {
            let text = "\($0)"
            XCTAssertTrue(text.hasPrefix("m.json: value 1 is nan, not a number: field 'params[1]' is 1e+308"), text)
        }
    }

    func testSigmaHeuristicIsAdmitted() throws {
        let data = BitMatrix(rows: [[0, 1, 1], [1, 0, 0], [1, 1, 0]], columns: 3)
        XCTAssertThrowsError(try Bandwidth.resolve([.heuristic(99_999_999_999)], data: data,
                                                   admission: MemoryAdmission(budget: 1 << 30))) {
            XCTAssertTrue("\($0)".contains("`sigmas` heuristic:99999999999 needs"), "\($0)")
        }
    }
}
