import Foundation
import Hummingbird
import IQPCore

/// The service's one error type: an HTTP status, a stable machine-readable code and a one-line
/// reason. Every error response has the body (`ErrorBody`)
///
///     {"error": {"status": 400, "code": "invalid_field", "message": "field 'shots': …"}}
///
/// and the server goes on serving.
public struct ServiceError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    /// The stable codes of the API (docs/openapi.yaml lists them).
    public enum Code: String, CaseIterable, Sendable {
        case malformedJSON = "malformed_json", invalidField = "invalid_field", invalidModel = "invalid_model"
        case unauthorized
        case jobNotFound = "job_not_found", notFound = "not_found", methodNotAllowed = "method_not_allowed"
        case noResult = "no_result", idempotencyConflict = "idempotency_conflict", resultDropped = "result_dropped"
        case bodyTooLarge = "body_too_large", unsupportedMediaType = "unsupported_media_type"
        case overBudget = "over_budget", queueFull = "queue_full"
        case internalError = "internal", shuttingDown = "shutting_down"
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.init(status, code: code.rawValue, message, headers: headers)
    }

    init(_ status: HTTPResponse.Status, code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { message }

    /// 400: the body is not JSON (the reason names the line).
    static func malformedJSON(_ error: IQPError) -> ServiceError {
        ServiceError(.badRequest, code: .malformedJSON, error.description)
    }

    /// 400: a field is missing, unknown, of the wrong type or out of range.
    static func invalidField(_ message: String) -> ServiceError {
        ServiceError(.badRequest, code: .invalidField, message)
    }

    /// 400: the model inside the job does not read (the reason names the field).
    static func invalidModel(_ error: IQPError) -> ServiceError {
        ServiceError(.badRequest, code: .invalidModel, error.description)
    }

    /// 413: the body is larger than the limit.
    static func bodyTooLarge(limit: Int) -> ServiceError {
        ServiceError(.contentTooLarge, code: .bodyTooLarge,
                     "the request body is larger than the limit of \(limit) bytes")
    }

    /// 422: the job is well-formed but over the service's memory or shot budget.
    static func overBudget(_ error: IQPError) -> ServiceError {
        ServiceError(.unprocessableContent, code: .overBudget, error.description)
    }

    /// 404: no such job (never existed, made with another token, deleted, dropped, or past its
    /// retention time).
    static func jobNotFound(_ id: String, retention: Double) -> ServiceError {
        ServiceError(.notFound, code: .jobNotFound,
                     "no job '\(id)' (finished jobs are kept for \(Int(retention)) s, or until deleted or dropped "
                        + "for room; jobs are visible only to the token that made them)")
    }

    /// 410: a completed job whose result was dropped to keep the service within its caps.
    static func resultDropped(_ id: String, caps: String) -> ServiceError {
        ServiceError(.gone, code: .resultDropped,
                     "job '\(id)' completed but its result was dropped to make room (\(caps)); fetch results promptly")
    }

    /// 401: a token file is in use and the request has no valid bearer token.
    static let unauthorized: ServiceError = {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"iqp\""
        return ServiceError(.unauthorized, code: .unauthorized,
                            "this service needs 'Authorization: Bearer TOKEN' with a token of its --token-file",
                            headers: headers)
    }()

    /// 415: the job body is not declared as JSON.
    static func unsupportedMediaType(_ contentType: String?) -> ServiceError {
        ServiceError(.unsupportedMediaType, code: .unsupportedMediaType,
                     "the job body must be JSON: send 'Content-Type: application/json' (got "
                        + (contentType.map { "'\($0)'" } ?? "no Content-Type") + ")")
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
        return ServiceError(.conflict, code: .noResult, "job '\(id)' \(detail)")
    }

    /// 409: an idempotency key reused with a different request body.
    static func idempotencyConflict(_ key: String) -> ServiceError {
        ServiceError(.conflict, code: .idempotencyConflict,
                     "Idempotency-Key '\(key)' was already used with a different request body")
    }

    /// 429: the job queue is full.
    static func queueFull(capacity: Int, retryAfter: Int) -> ServiceError {
        var headers = HTTPFields()
        headers[.retryAfter] = "\(retryAfter)"
        return ServiceError(.tooManyRequests, code: .queueFull,
                            "the job queue is full (\(capacity) jobs waiting); retry after \(retryAfter) s",
                            headers: headers)
    }

    /// 503: the service is shutting down.
    static let shuttingDown = ServiceError(.serviceUnavailable, code: .shuttingDown,
                                           "the service is shutting down and takes no new jobs")

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(
            ErrorBody(error: .init(status: status.code, code: code, message: message)), from: request, context: context)
        response.status = status
        for field in headers { response.headers[field.name] = field.value }
        return response
    }
}

/// Turns every error that reaches it into a `ServiceError` JSON response: routing errors
/// (unknown path or method → 404/405), errors of Hummingbird itself (with their status), and
/// anything else as 500 with its description.
struct ServiceErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServiceError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Self.translate(error, request).response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(error)")
            return try ServiceError(.internalServerError, code: .internalError, "\(error)")
                .response(from: request, context: context)
        }
    }

    /// Hummingbird's own errors in the API's terms.
    static func translate(_ error: any HTTPResponseError, _ request: Request) -> ServiceError {
        switch error.status {
        case .notFound:
            if let allowed = Route(path: request.uri.path).allowedMethods {
                var headers = HTTPFields()
                headers[.allow] = allowed.joined(separator: ", ")
                return ServiceError(.methodNotAllowed, code: .methodNotAllowed,
                                    "\(request.uri.path) supports \(allowed.joined(separator: ", ")), not \(request.method)",
                                    headers: headers)
            }
            return ServiceError(.notFound, code: .notFound,
                                "no endpoint \(request.method) \(request.uri.path); see docs/openapi.yaml")
        case .contentTooLarge:
            return ServiceError(.contentTooLarge, code: .bodyTooLarge, "the request body is too large")
        default:
            return ServiceError(error.status, code: "http_\(error.status.code)", "\(error)")
        }
    }
}
