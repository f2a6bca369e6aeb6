import Foundation
import XCTest
@testable import IQPCore
import IQPTestSupport

final class IODataFileTests: XCTestCase {
    var directory: String = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "iqp-io-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func textError(_ text: String, expectedWidth: Int? = nil, line: UInt = #line) -> String? {
        do {
            _ = try DataFile.parseText(text, file: "d.csv", expectedWidth: expectedWidth)
            XCTFail("expected an error", line: line)
            return nil
        } catch {
            return (error as? IQPError)?.description
        }
    }

    func npyError(_ data: Data, expectedWidth: Int? = nil, line: UInt = #line) -> String? {
        do {
            _ = try DataFile.parseNpy(data, file: "d.npy", expectedWidth: expectedWidth)
            XCTFail("expected an error", line: line)
            return nil
        } catch {
            return (error as? IQPError)?.description
        }
    }

    /// A random matrix from a fixed seed.
    func randomMatrix(rows: Int, columns: Int, key: UInt64) -> [[UInt8]] {
        var stream = KeyedStream(key: key)
        return (0..<rows).map { _ in (0..<columns).map { _ in UInt8(stream.next() & 1) } }
    }

    func assertMatrix(_ m: BitMatrix, equals rows: [[UInt8]], line: UInt = #line) {
        XCTAssertEqual(m.rows, rows.count, line: line)
        XCTAssertEqual(m.columns, rows.first?.count ?? 0, line: line)
        XCTAssertEqual((0..<m.rows).map { m.bits(row: $0) }, rows, line: line)
        // Padding bits of the last word stay zero.
        for r in 0..<m.rows { XCTAssertEqual(m.words[(r + 1) * m.wordsPerRow - 1] & ~m.lastWordMask, 0, line: line) }
    }

    // MARK: text

    func testTextLayouts() throws {
        let expected: [[UInt8]] = [[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 1, 1]]
        let layouts = [
            "0,1,1,0\n1,0,0,1\n1,1,1,1\n",
            "0 1 1 0\n1\t0 0  1\n1 1 1 1",
            "0, 1, 1, 0\r\n1 ,0 , 0,1\r\n1,1,1,1\r\n",
            "# header comment\n\n0110\n   \n  # another\n1001\n1111\n\n",
            "\u{FEFF}0110\n1001 \n1111",
            "0.0,1.0,1,0\n1.000000000000000000e+00 0 0 1\n1 1 1 1\n",
        ]
        for text in layouts {
            assertMatrix(try DataFile.parseText(text), equals: expected)
        }
    }

    func testWideRowsRoundTripThroughCSVAndNpy() throws {
        for columns in [1, 63, 64, 65, 130] {
            let rows = randomMatrix(rows: 37, columns: columns, key: UInt64(columns))
            let m = BitMatrix(rows: rows, columns: columns)
            let csv = directory + "/w\(columns).csv"
            try DataFile.writeCSV(m, to: csv)
            XCTAssertEqual(try DataFile.read(path: csv, expectedWidth: columns), m)
            let npy = directory + "/w\(columns).npy"
            try DataFile.writeNpy(m, to: npy)
            XCTAssertEqual(try DataFile.read(path: npy), m)
            // Contiguous layout of the same rows.
            let contiguous = rows.map { $0.map(String.init).joined() }.joined(separator: "\n")
            assertMatrix(try DataFile.parseText(contiguous), equals: rows)
        }
        let first = try String(contentsOfFile: directory + "/w63.csv", encoding: .utf8).split(separator: "\n")[0]
        XCTAssertEqual(first.split(separator: ",").count, 63)
    }

    func testTextErrors() {
        XCTAssertEqual(textError("0,1,0\n0,1\n"), "d.csv:2: row has 2 values, expected 3 (the width of line 1)")
        XCTAssertEqual(textError("# c\n\n0,1,0\n0,1,0,1\n"), "d.csv:4: row has 4 values, expected 3 (the width of line 3)")
        XCTAssertEqual(textError("0110\n011\n"), "d.csv:2: row has 3 values, expected 4 (the width of line 1)")
        XCTAssertEqual(textError("0,1,0,0,1\n0,1,1,0,2\n"), "d.csv:2: field 'column 5': symbol '2' is not 0 or 1")
        XCTAssertEqual(textError("0,1\n\n\n1,x\n"), "d.csv:4: field 'column 2': symbol 'x' is not 0 or 1")
        XCTAssertEqual(textError("0110\n01é0\n"), "d.csv:2: field 'column 3': symbol 'é' is not 0 or 1")
        XCTAssertEqual(textError("0,1\n-1,1\n"), "d.csv:2: field 'column 1': symbol '-1' is not 0 or 1")
        XCTAssertEqual(textError("0,1\n0.5,1\n"), "d.csv:2: field 'column 1': symbol '0.5' is not 0 or 1")
        XCTAssertEqual(textError("0,,1\n"), "d.csv:1: field 'column 2': empty value (two separators in a row, or a separator at the start)")
        XCTAssertEqual(textError("0,1,\n"), "d.csv:1: field 'column 3': empty value after the last comma")
        XCTAssertEqual(textError(",1\n"), "d.csv:1: field 'column 1': empty value (two separators in a row, or a separator at the start)")
        XCTAssertEqual(textError(""), "d.csv: contains no data rows")
        XCTAssertEqual(textError("# only\n\n  \n"), "d.csv: contains no data rows")
        XCTAssertEqual(textError("# c\n0,1,0\n", expectedWidth: 4), "d.csv:2: data has 3 columns but the model has 4 qubits")
    }

    func testRealIsingDataSet() throws {
        let path = try ShippedDatasets.path("ising-4x4/ising_4_4_T_3_train.csv")
        let m = try DataFile.read(path: path, expectedWidth: 16)
        XCTAssertEqual(m.rows, 5000)
        XCTAssertEqual(m.columns, 16)
        // Compare with an independent, slow reading of the text.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        for r in [0, 1, 2, 2500, 4999] {
            XCTAssertEqual(m.bits(row: r), lines[r].split(separator: ",").map { UInt8($0)! })
        }
        let ones = lines.reduce(0) { $0 + $1.filter { $0 == "1" }.count }
        XCTAssertEqual((0..<m.rows).reduce(0) { $0 + m.popcount(row: $1) }, ones)
        XCTAssertThrowsError(try DataFile.read(path: path, expectedWidth: 15)) { error in
            XCTAssertEqual((error as? IQPError)?.description, "\(path):1: data has 16 columns but the model has 15 qubits")
        }
    }

    // MARK: npy

    /// A `.npy` file built byte by byte: magic, version, header length, header, data.
    func npy(descr: String, fortran: Bool = false, shape: String, data: [UInt8], version: UInt8 = 1) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
        let prefix = version == 1 ? 10 : 12
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        let n = header.utf8.count
        bytes += version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
        XCTAssertEqual((bytes.count + n) % 64, 0)
        return Data(bytes + Array(header.utf8) + data)
    }

    func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v.littleEndian >> ($0 * 8)) } }
    }

    let bits: [[UInt8]] = [[0, 1, 1], [1, 0, 0]]
    var flatBits: [Int] { bits.flatMap { $0.map(Int.init) } }

    func testNpyIntegerAndFloatDtypes() throws {
        let v = flatBits
        let cases: [(String, [UInt8])] = [
            ("|b1", v.map { UInt8($0) }),
            ("|u1", v.map { UInt8($0) }),
            ("|i1", v.map { UInt8($0) }),
            ("<i2", littleEndian(v.map { Int16($0) })),
            ("<u2", littleEndian(v.map { UInt16($0) })),
            ("<i4", littleEndian(v.map { Int32($0) })),
            ("<u4", littleEndian(v.map { UInt32($0) })),
            ("<i8", littleEndian(v.map { Int64($0) })),
            ("<u8", littleEndian(v.map { UInt64($0) })),
            ("<f4", littleEndian(v.map { Float($0).bitPattern })),
            ("<f8", littleEndian(v.map { Double($0).bitPattern })),
            (">i4", v.flatMap { [0, 0, 0, UInt8($0)] }),
        ]
        for (descr, data) in cases {
            for version: UInt8 in [1, 2, 3] {
                let m = try DataFile.parseNpy(npy(descr: descr, shape: "(2, 3)", data: data, version: version))
                assertMatrix(m, equals: bits)
            }
        }
    }

    func testNpyFortranOrder() throws {
        // Column-major storage of [[0,1,1],[1,0,0]]: columns (0,1), (1,0), (1,0).
        let data: [UInt8] = [0, 1, 1, 0, 1, 0]
        assertMatrix(try DataFile.parseNpy(npy(descr: "|u1", fortran: true, shape: "(2, 3)", data: data)), equals: bits)
    }

    func testNpySpinConvention() throws {
        // σ = (−1)^x: +1 → 0, −1 → 1.
        let spins: [Int8] = [1, -1, -1, -1, 1, 1]
        let asBytes = spins.map { UInt8(bitPattern: $0) }
        assertMatrix(try DataFile.parseNpy(npy(descr: "|i1", shape: "(2, 3)", data: asBytes)), equals: bits)
        let asDoubles = littleEndian(spins.map { Double($0).bitPattern })
        assertMatrix(try DataFile.parseNpy(npy(descr: "<f8", shape: "(2, 3)", data: asDoubles)), equals: bits)
        // Only +1 values: read as bits (all ones).
        assertMatrix(try DataFile.parseNpy(npy(descr: "|i1", shape: "(1, 2)", data: [1, 1])), equals: [[1, 1]])
    }

    func testNpyErrors() {
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(2, 3)", data: [0, 1, 1, 1, 2, 0])),
                       "d.npy: field '[1, 1]': value 2 is not 0 or 1 (nor a ±1 spin)")
        XCTAssertEqual(npyError(npy(descr: "<f8", shape: "(1, 2)", data: littleEndian([0.0, 0.5].map(\.bitPattern)))),
                       "d.npy: field '[0, 1]': value 0.5 is not 0 or 1 (nor a ±1 spin)")
        XCTAssertEqual(npyError(npy(descr: "<f4", shape: "(1, 2)", data: littleEndian([Float.nan, 1].map(\.bitPattern)))),
                       "d.npy: field '[0, 0]': value nan is not 0 or 1 (nor a ±1 spin)")
        // Fortran order: the first bad element in row-major order is reported.
        XCTAssertEqual(npyError(npy(descr: "|i1", fortran: true, shape: "(2, 2)", data: [0, 5, 7, 0])),
                       "d.npy: field '[0, 1]': value 7 is not 0 or 1 (nor a ±1 spin)")
        XCTAssertEqual(npyError(npy(descr: "|i1", shape: "(2, 2)", data: [0, 1, 1, 255])),
                       "d.npy: field '[1, 1]': value -1 is not 0 or 1 (the array also holds 0, so it is not a ±1 spin array)")
        XCTAssertEqual(npyError(npy(descr: "|b1", shape: "(1, 2)", data: [0, 3])),
                       "d.npy: field '[0, 1]': value 3 (in a bool array) is not 0 or 1 (nor a ±1 spin)")
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(6,)", data: [0, 1, 1, 1, 0, 0])),
                       "d.npy: field 'shape': expected a 2-D array (samples × bits), got shape (6,)")
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(0, 3)", data: [])),
                       "d.npy: field 'shape': contains no data rows (shape (0, 3))")
        XCTAssertEqual(npyError(npy(descr: "<c16", shape: "(1, 1)", data: [])),
                       "d.npy: field 'descr': unsupported dtype '<c16' (supported: |b1, |u1, |i1, <u2, <i2, <u4, <i4, <u8, <i8, <f4, <f8)")
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(2, 3)", data: [0, 1, 1])),
                       "d.npy: the file is truncated: shape (2, 3) of |u1 needs 6 bytes of data, found 3")
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(1, 2)", data: [0, 1, 1])),
                       "d.npy: 1 unexpected bytes after the array data (shape (1, 2), dtype |u1)")
        XCTAssertEqual(npyError(npy(descr: "|u1", shape: "(1, 2)", data: [0, 1]), expectedWidth: 3),
                       "d.npy: data has 2 columns but the model has 3 qubits")
        XCTAssertEqual(npyError(Data("0,1\n".utf8)), "d.npy: not a .npy file (it does not start with \\x93NUMPY)")
        var v4 = npy(descr: "|u1", shape: "(1, 2)", data: [0, 1])
        v4[6] = 4
        XCTAssertEqual(npyError(v4), "d.npy: unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)")
    }

    func testNpyWriterMatchesFormat() throws {
        let m = BitMatrix(rows: bits, columns: 3)
        let data = DataFile.encodeNpy(m)
        // A 60-character header dict padded so the data starts at byte 128, then six uint8 values.
        XCTAssertEqual(data.count, 128 + 6)
        XCTAssertEqual(Array(data[0..<8]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        XCTAssertEqual(Array(data[128...]), [0, 1, 1, 1, 0, 0])
        XCTAssertEqual(Int(data[8]) | Int(data[9]) << 8, 118)
        let header = String(decoding: data[10..<128], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }"))
        XCTAssertTrue(header.hasSuffix("\n"))
        XCTAssertEqual(String(decoding: DataFile.encodeCSV(m), as: UTF8.self), "0,1,1\n1,0,0\n")
    }

    func testAtomicWriteFailureLeavesNoFile() {
        let m = BitMatrix(rows: bits, columns: 3)
        let path = directory + "/no/such/dir/d.csv"
        XCTAssertThrowsError(try DataFile.writeCSV(m, to: path)) { error in
            XCTAssertTrue((error as? IQPError)?.description.hasPrefix(path + ": cannot write file:") ?? false)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
        // Writing over a directory fails at the rename and removes the temporary file.
        let dir = directory + "/adir"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir)) { error in
            XCTAssertTrue((error as? IQPError)?.description.hasPrefix(dir + ": cannot write file:") ?? false)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["adir"])
    }
}
