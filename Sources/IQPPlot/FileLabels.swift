/// Legend labels for files given on the command line.
public enum FileLabels {
    /// The file name without its extension ("runs/a/loss.csv" → "loss"); where two files
    /// share a name, the name of the folder is kept too ("a/loss", "b/loss"), and where that
    /// is still shared, the whole path.
    public static func defaults(for paths: [String]) -> [String] {
        let short = paths.map { stem(lastComponents($0, 1)) }
        if Set(short).count == short.count { return short }
        let longer = paths.map { stem(lastComponents($0, 2)) }
        return Set(longer).count == longer.count ? longer : paths
    }

    private static func lastComponents(_ path: String, _ count: Int) -> String {
        path.split(separator: "/").suffix(count).joined(separator: "/")
    }

    private static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
              !name[name.index(after: dot)...].contains("/") else { return name }
        return String(name[..<dot])
    }
}
