/// Docket's version, reported by `docket --version` and written into checkpoint metadata.
public enum DocketVersion {
    public static let current = "0.1.0"
}
