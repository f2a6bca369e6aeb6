/// The version of the trainer, printed by `iqp --version` and stored in model files.
public enum IQPVersion {
    public static let string = "0.1.0"
}
