import Foundation

/// The study's data sets in the workspace's `shared/datasets/` folder, found relative to this
/// package's root (`<package>/../shared`), never by an absolute path. A test that needs them
/// fails — it does not skip — when the folder is missing, so CI cannot pass without them.
public enum SharedDatasets {
    /// `<package root>/../shared/datasets`.
    public static var folder: URL {
        // This file is <package>/Tests/IQPTestSupport/SharedDatasets.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/datasets")
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "\(path) is missing: the tests expect the workspace's shared/ folder beside the package root"
        }
    }

    /// The path of `relative` (e.g. "ising-4x4/ising_4_4_T_3_train.csv"), or `Missing`.
    public static func path(_ relative: String) throws -> String {
        let url = folder.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url.path
    }
}
