import Foundation

/// Data sets: one sample (bitstring) per row. The format is chosen by the file name:
/// `.npy` (any case) is a numpy array (`NpyFormat`), anything else is text rows of 0/1
/// (`TextDataFormat`: comma/space separated or contiguous, `#` comments); a further `.gz`
/// (`train.csv.gz`) means gzip-compressed (`GzipFile`). See docs/file-formats.md.
public enum DataFile {
    /// Reads the samples in `path`. With `expectedWidth` (the model's qubit count), a file
    /// of another width is an error: `data.csv:1: data has 15 columns but the model has 16 qubits`.
    /// `-` reads standard input (text rows, or a .npy array: told apart by its magic bytes).
    /// `countsQubitZeroLast`: a JSON object of bitstring → count (`CountsFile`) is read too, in
    /// that bit order (nil: not accepted).
    public static func read(path: String, expectedWidth: Int? = nil, countsQubitZeroLast: Bool? = nil) throws -> BitMatrix {
        var data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try readWholeFile(path: path)
        let name = path == "-" ? "standard input" : path
        // gzip-compressed: a name ending in .gz, or standard input that starts with gzip's magic.
        if GzipFile.isGzip(path) || (path == "-" && data.prefix(2) == Data([0x1f, 0x8b])) {
            data = try GzipFile.decompress(data, file: name, limit: MemoryAdmission.automatic().budget)
        }
        if let countsQubitZeroLast, CountsFile.looksLikeCounts(data) {
            return try CountsFile.parse(data, file: name, qubitZeroLast: countsQubitZeroLast, expectedWidth: expectedWidth)
        }
        let npyMagic: [UInt8] = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]
        let path = name
        return try data.withUnsafeBytes { bytes in
            isNpy(GzipFile.contentName(path)) || (name == "standard input" && Array(bytes.prefix(6)) == npyMagic)
                ? try NpyFormat.parse(bytes: bytes, file: path, expectedWidth: expectedWidth)
                : try TextDataFormat.parse(bytes: bytes, file: path, expectedWidth: expectedWidth)
        }
    }

    /// Parses text rows of 0/1 (see `TextDataFormat`); `file` names the source in errors.
    public static func parseText(_ text: String, file: String? = nil, expectedWidth: Int? = nil) throws -> BitMatrix {
        var text = text
        return try text.withUTF8 {
            try TextDataFormat.parse(bytes: UnsafeRawBufferPointer($0), file: file, expectedWidth: expectedWidth)
        }
    }

    /// Parses the bytes of a `.npy` file; `file` names the source in errors.
    public static func parseNpy(_ data: Data, file: String? = nil, expectedWidth: Int? = nil) throws -> BitMatrix {
        try data.withUnsafeBytes { try NpyFormat.parse(bytes: $0, file: file, expectedWidth: expectedWidth) }
    }

    /// The matrix as comma-separated 0/1 rows, one per line (the paper's data format).
    public static func encodeCSV(_ m: BitMatrix) -> Data {
        Data(TextDataFormat.encodeCSV(m))
    }

    /// The matrix as a numpy `.npy` file (format 1.0, dtype `|u1`, shape (rows, columns)).
    public static func encodeNpy(_ m: BitMatrix) -> Data {
        Data(NpyFormat.encode(m))
    }

    /// Writes `m` as CSV, atomically (`AtomicFile`; `-` is standard output), gzip-compressed
    /// when `path` ends in `.gz`. The text is encoded and written about 1 MiB at a time, so it
    /// is never held in memory whole.
    public static func writeCSV(_ m: BitMatrix, to path: String) throws {
        let rowsPerChunk = max(1, (1 << 20) / max(1, 2 * m.columns))
        try write(to: path) { emit in
            for start in stride(from: 0, to: m.rows, by: rowsPerChunk) {
                let bytes = TextDataFormat.encodeCSV(m.rows(start..<min(m.rows, start + rowsPerChunk)))
                try bytes.withUnsafeBytes { try emit($0) }
            }
        }
    }

    /// Writes `m` as `.npy` (uint8), atomically (gzip-compressed when `path` ends in `.gz`).
    public static func writeNpy(_ m: BitMatrix, to path: String) throws {
        let bytes = encodeNpy(m)
        try write(to: path) { emit in try bytes.withUnsafeBytes { try emit($0) } }
    }

    /// Writes `m` in the format its name says (`.npy`: numpy uint8, else CSV; a further `.gz`:
    /// gzip-compressed), atomically.
    public static func write(_ m: BitMatrix, to path: String) throws {
        if isNpy(GzipFile.contentName(path)) { try writeNpy(m, to: path) } else { try writeCSV(m, to: path) }
    }

    /// `AtomicFile.write`, through the gzip compressor when `path` ends in `.gz`.
    private static func write(to path: String,
                              _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try AtomicFile.write(to: path) { sink in
            if GzipFile.isGzip(path) {
                try GzipFile.compress(into: sink, file: path, produce)
            } else {
                try produce { try sink.write($0) }
            }
        }
    }

    /// Whether `path` names a numpy file (extension `.npy`, any case).
    public static func isNpy(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".npy")
    }
}
