/// A member of a job body that decodes but is not acceptable (missing, unknown, out of
/// range); `JobSubmission` turns it into the one-line message with the member's line.
struct RequestFieldError: Error {
    enum Reason {
        case missing
        case unknown(allowed: [String])
        case invalid(String)
        /// Not of the member's type ("expected …, got …").
        case mismatch
    }

    var path: String
    var reason: Reason
}
