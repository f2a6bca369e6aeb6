/// The colours series get in turn: matplotlib's "tab10" (what most readers know), then
/// neutral grey for reference lines.
public enum Palette {
    public static let colours = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
    ]
    public static let reference = "#666666"

    public static func colour(_ i: Int) -> String { colours[i % colours.count] }
}
