import Foundation
import Hummingbird

/// Why a job submission was refused: the `reason` label of `iqp_jobs_rejected_total`.
enum RejectionReason: String, CaseIterable, Sendable {
    case invalid
    case overBudget = "over_budget"
    case queueFull = "queue_full"
    case bodyTooLarge = "body_too_large"
    case unsupportedMediaType = "unsupported_media_type"
    case shuttingDown = "shutting_down"
}

/// Latency of every HTTP request by route, method and status: the histogram
/// `iqp_http_request_duration_seconds` of /metrics.
///
/// `@unchecked Sendable`: `histograms` is only touched under `lock` (a request records once,
/// after its response is ready, so the lock is held for microseconds).
final class RequestMetrics: @unchecked Sendable {
    struct Key: Hashable, Comparable {
        var route: Route
        var method: String
        var status: Int

        static func < (a: Key, b: Key) -> Bool {
            (a.route.rawValue, a.method, a.status) < (b.route.rawValue, b.method, b.status)
        }
    }

    private let lock = NSLock()
    private var histograms: [Key: Histogram] = [:]

    func record(route: Route, method: String, status: Int, seconds: Double) {
        let key = Key(route: route, method: method, status: status)
        lock.withLock { histograms[key, default: Histogram(bounds: Histogram.requestSeconds)].observe(seconds) }
    }

    /// The histograms, ordered by route, method and status.
    func snapshot() -> [(Key, Histogram)] {
        lock.withLock { histograms.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}

/// Times every request (the handler and the errors middleware inside it) into `RequestMetrics`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = Route(path: request.uri.path)
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            metrics.record(route: route, method: method, status: response.status.code, seconds: seconds(since: start))
            return response
        } catch let error as any HTTPResponseError {
            metrics.record(route: route, method: method, status: error.status.code, seconds: seconds(since: start))
            throw error
        } catch {
            metrics.record(route: route, method: method, status: 500, seconds: seconds(since: start))
            throw error
        }
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
