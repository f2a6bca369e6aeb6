/// The endpoints of the API, recognised from a request path (for 404 vs 405, and as the
/// `route` label of the request metrics, whose values must not grow with job ids).
enum Route: String, CaseIterable, Sendable {
    case jobs = "/v1/jobs"
    case job = "/v1/jobs/{id}"
    case result = "/v1/jobs/{id}/result"
    case healthz = "/healthz"
    case metrics = "/metrics"
    /// Any other path.
    case unknown = "other"

    init(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (parts.count, parts.first, parts.dropFirst().first, parts.last) {
        case (2, "v1", "jobs", _): self = .jobs
        case (3, "v1", "jobs", _): self = .job
        case (4, "v1", "jobs", "result"): self = .result
        case (1, "healthz", _, _): self = .healthz
        case (1, "metrics", _, _): self = .metrics
        default: self = .unknown
        }
    }

    /// The methods the endpoint supports (nil: no such endpoint).
    var allowedMethods: [String]? {
        switch self {
        case .jobs: return ["POST"]
        case .job: return ["GET", "DELETE"]
        case .result, .healthz, .metrics: return ["GET"]
        case .unknown: return nil
        }
    }

    /// Whether a request needs a bearer token when the service has a token file
    /// (everything but the liveness probe).
    var needsToken: Bool { self != .healthz }
}
