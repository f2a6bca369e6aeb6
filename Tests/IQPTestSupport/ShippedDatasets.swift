import Foundation

/// The study's data sets that the repository carries in `launch/datasets/` (its README gives
/// their source and licence), found relative to this package's root, never outside the clone.
/// A test that needs them fails — it does not skip — when a file is missing.
public enum ShippedDatasets {
    /// `<package root>/launch/datasets`.
    public static var folder: URL {
        // This file is <package>/Tests/IQPTestSupport/ShippedDatasets.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("launch/datasets")
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "\(path) is missing: the repository carries it in launch/datasets/ (git checkout -- launch/datasets)"
        }
    }

    /// The path of `relative` (e.g. "ising-4x4/ising_4_4_T_3_train.csv"), or `Missing`.
    public static func path(_ relative: String) throws -> String {
        let url = folder.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
        return url.path
    }
}
