import Foundation

/// A temporary folder with a 3×3 bars-and-stripes data set made once with `iqp data`, shared by
/// the tests of one class (its `static let`) and removed in the class's `tearDown`.
struct BarsAndStripesFolder {
    let directory: URL
    /// The data file's path.
    let data: String

    init(seed: Int) {
        directory = try! CommandRunner.temporaryDirectory()
        data = CommandRunner.barsAndStripes(in: directory, seed: seed)
    }

    /// The path of `name` in the folder.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
