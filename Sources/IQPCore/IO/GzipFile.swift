import CZlib
import Foundation

/// gzip-compressed data files (RFC 1952): a data or samples file whose name ends in `.gz`
/// (`train.csv.gz`, `samples.npy.gz`) is decompressed in memory before it is parsed as the
/// format the rest of its name says, and written compressed. The shipped scale-free-1000 rows
/// (`launch/datasets/scale-free-1000/*.csv.gz`) are 2.3 MB each instead of 40 MB.
public enum GzipFile {
    /// Whether `path` names a gzip file (extension `.gz`, any case).
    public static func isGzip(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".gz")
    }

    /// `path` without its `.gz`: the name that says the format of the content.
    public static func contentName(_ path: String) -> String {
        isGzip(path) ? String(path.dropLast(3)) : path
    }

    /// The decompressed bytes of `compressed` (one gzip member or several in a row). More than
    /// `limit` bytes of content is an error that names `file`, before they are allocated, so a
    /// small file that expands without bound ("zip bomb") cannot exhaust memory.
    public static func decompress(_ compressed: Data, file: String, limit: Int) throws -> Data {
        var stream = z_stream()
        guard iqp_inflate_init_gzip(&stream) == Z_OK else { throw IQPError("cannot start zlib", file: file) }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.baseAddress, input.count > 0 else {
                throw IQPError("not a gzip file: it is empty", file: file)
            }
            stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBytes { out in
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw IQPError("decompresses to more than \(ByteCount.format(Double(limit))), the memory this "
                        + "command may use for a data file", file: file)
                }
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END:
                    // Another gzip member may follow (`cat a.gz b.gz`).
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else { throw IQPError("cannot restart zlib", file: file) }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw IQPError("not a whole gzip file: it ends in the middle of its data", file: file)
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw IQPError("not a valid gzip file: \(reason)", file: file)
                }
            }
        }
        return output
    }

    /// Compresses what `produce` emits and writes it to `sink` as one gzip member (level 6,
    /// zlib's default balance of size and speed).
    public static func compress(into sink: AtomicFile.Sink, file: String,
                                _ produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        var stream = z_stream()
        guard iqp_deflate_init_gzip(&stream, 6) == Z_OK else { throw IQPError("cannot start zlib", file: file) }
        defer { deflateEnd(&stream) }
        let chunk = 1 << 18
        var buffer = [UInt8](repeating: 0, count: chunk)
        func pump(_ input: UnsafeRawBufferPointer, flush: Int32) throws {
            stream.next_in = input.baseAddress.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
            }
            stream.avail_in = uInt(input.count)
            repeat {
                let status: Int32 = buffer.withUnsafeMutableBytes { out in
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(chunk)
                    return deflate(&stream, flush)
                }
                guard status != Z_STREAM_ERROR else { throw IQPError("zlib failed while compressing", file: file) }
                let produced = chunk - Int(stream.avail_out)
                try buffer.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            } while stream.avail_out == 0
        }
        try produce { try pump($0, flush: Z_NO_FLUSH) }
        try pump(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }
}
