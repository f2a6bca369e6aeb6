import Hummingbird
import IQPCore

/// The service's one error type: an HTTP status, a stable machine-readable code and a one-line
/// reason. Every error response has the body
///
///     {"error": {"status": 400, "code": "invalid_field", "message": "field 'shots': …"}}
///
/// and the server goes on serving.
public struct ServiceError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { message }

    // The cases the API uses (docs/openapi.yaml lists them).

    /// 400: the body is not JSON (the reason names the line).
    static func malformedJSON(_ error: IQPError) -> ServiceError {
        ServiceError(.badRequest, code: "malformed_json", error.description)
    }

    /// 400: a field is missing, unknown, of the wrong type or out of range.
    static func invalidField(_ message: String) -> ServiceError {
        ServiceError(.badRequest, code: "invalid_field", message)
    }

    /// 400: the model inside the job does not read (the reason names the field).
    static func invalidModel(_ error: IQPError) -> ServiceError {
        ServiceError(.badRequest, code: "invalid_model", error.description)
    }

    /// 413: the body is larger than the limit.
    static func bodyTooLarge(limit: Int) -> ServiceError {
        ServiceError(.contentTooLarge, code: "body_too_large",
                     "the request body is larger than the limit of \(limit) bytes")
    }

    /// 422: the job is well-formed but over the service's memory or shot budget.
    static func overBudget(_ error: IQPError) -> ServiceError {
        ServiceError(.unprocessableContent, code: "over_budget", error.description)
    }

    /// 404: no such job (never existed, deleted, or past its retention time).
    static func jobNotFound(_ id: String, retention: Double) -> ServiceError {
        ServiceError(.notFound, code: "job_not_found",
                     "no job '\(id)' (finished jobs are kept for \(Int(retention)) s, or until deleted)")
    }

    /// 409: the job has no result (yet, or ever).
    static func noResult(_ id: String, status: JobStatus, reason: String?) -> ServiceError {
        let detail: String
        switch status {
        case .queued, .running: detail = "is \(status.rawValue); poll GET /v1/jobs/\(id) until it is completed"
        case .failed: detail = "failed: \(reason ?? "unknown reason")"
        case .cancelled: detail = "was cancelled"
        case .completed: detail = "has no result"
        }
        return ServiceError(.conflict, code: "no_result", "job '\(id)' \(detail)")
    }

    /// 409: an idempotency key reused with a different request body.
    static func idempotencyConflict(_ key: String) -> ServiceError {
        ServiceError(.conflict, code: "idempotency_conflict",
                     "Idempotency-Key '\(key)' was already used with a different request body")
    }

    /// 429: the job queue is full.
    static func queueFull(capacity: Int, retryAfter: Int) -> ServiceError {
        var headers = HTTPFields()
        headers[.retryAfter] = "\(retryAfter)"
        return ServiceError(.tooManyRequests, code: "queue_full",
                            "the job queue is full (\(capacity) jobs waiting); retry after \(retryAfter) s",
                            headers: headers)
    }

    /// 503: the service is shutting down.
    static let shuttingDown = ServiceError(.serviceUnavailable, code: "shutting_down",
                                           "the service is shutting down and takes no new jobs")

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        let body = JSONWriter.encodeCompact(.object([JSONMember("error", .object([
            JSONMember("status", .number(Double(status.code))), JSONMember("code", .string(code)),
            JSONMember("message", .string(message)),
        ]))])) + "\n"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Turns every error that reaches it into a `ServiceError` JSON response: routing errors
/// (unknown path or method → 404/405), errors of Hummingbird itself (with their status), and
/// anything else as 500 with its description.
struct ServiceErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods a path supports (nil: no such path), to tell 405 from 404.
    let allowedMethods: @Sendable (String) -> [String]?

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let message: String
            let code: String
            switch error.status {
            case .notFound:
                if let allowed = allowedMethods(request.uri.path) {
                    var headers = HTTPFields()
                    headers[.allow] = allowed.joined(separator: ", ")
                    return try ServiceError(.methodNotAllowed, code: "method_not_allowed",
                                            "\(request.uri.path) supports \(allowed.joined(separator: ", ")), not \(request.method)",
                                            headers: headers).response(from: request, context: context)
                }
                code = "not_found"
                message = "no endpoint \(request.method) \(request.uri.path); see docs/openapi.yaml"
            case .contentTooLarge:
                code = "body_too_large"
                message = "the request body is too large"
            default:
                code = "http_\(error.status.code)"
                message = "\(error)"
            }
            return try ServiceError(error.status, code: code, message).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try ServiceError(.internalServerError, code: "internal", "\(error)")
                .response(from: request, context: context)
        }
    }
}
