import Foundation
import HTTPTypes
import Hummingbird
import IQPCore
import IQPSampler
import NIOCore

/// The handlers of the API's routes (docs/openapi.yaml).
extension SamplerService {
    /// POST /v1/jobs: checks the Content-Type and the size, reads the body strictly
    /// (`JobSubmission`), admits it against the budget and queues it.
    func submit(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<JobCreated> {
        if await store.shuttingDown {
            await store.recordRejection(.shuttingDown)
            throw ServiceError.shuttingDown
        }
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            await store.recordRejection(.bodyTooLarge)
            throw ServiceError.bodyTooLarge(limit: limit)
        }
        let contentType = request.headers[.contentType]
        guard SamplerService.isJSON(contentType) else {
            await store.recordRejection(.unsupportedMediaType)
            throw ServiceError.unsupportedMediaType(contentType)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            await store.recordRejection(.bodyTooLarge)
            throw ServiceError.bodyTooLarge(limit: limit)
        }
        let body = Array(buffer.readableBytesView)
        let submission = try await admit(body)

        var key: String?
        if let name = HTTPField.Name("Idempotency-Key"), let value = request.headers[name] {
            guard !value.isEmpty, value.count <= 255 else {
                throw ServiceError.invalidField("header 'Idempotency-Key': must be 1 to 255 characters")
            }
            key = value
        }
        let (snapshot, replayed) = try await store.submit(submission, owner: context.owner, idempotencyKey: key,
                                                          bodyHash: fnv1a(body), now: Date())
        var headers: HTTPFields = [.location: "/v1/jobs/\(snapshot.id)"]
        if replayed, let name = HTTPField.Name("Idempotent-Replayed") { headers[name] = "true" }
        return EditedResponse(status: replayed ? .ok : .accepted, headers: headers,
                              response: JobCreated(id: snapshot.id, status: snapshot.status))
    }

    /// Reads and admits a job body; refusals are counted by reason.
    func admit(_ body: [UInt8]) async throws -> JobSubmission {
        do {
            let submission = try JobSubmission.decode(body, defaultPrecision: configuration.precision,
                                                      randomSeed: { UInt64.random(in: 0...UInt64.max) })
            try configuration.limits.admit(model: submission.request.model, precision: submission.request.precision,
                                           shots: submission.request.shots, budgetName: "the service's budget")
            return submission
        } catch let error as ServiceError {
            await store.recordRejection(.invalid)
            throw error
        } catch let error as IQPError {
            await store.recordRejection(.overBudget)
            throw ServiceError.overBudget(error)
        }
    }

    /// `application/json` or any `application/…+json`, with or without parameters.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// GET /v1/jobs/{id}/result in the format, counts and bit order of the query.
    func result(_ id: String, request: Request, context: ServiceRequestContext) async throws -> Response {
        let query = try ResultQuery(request.uri.queryParameters)
        let (snapshot, outcome) = try await store.result(id: id, owner: context.owner, now: Date())
        let shots = outcome.shots
        if query.format == .csv {
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: ShotEncoding.csv(shots, order: query.bitOrder))))
        }
        let packed = query.format == .packed
        let body = JobResult(
            id: snapshot.id, numShots: shots.rows, numBits: shots.columns, seed: snapshot.seed,
            modelKind: snapshot.modelKind, precision: snapshot.precision,
            simulationSeconds: outcome.timings.totalSeconds, timings: .init(outcome.timings),
            encoding: query.format.rawValue, bitOrder: query.bitOrder,
            bytesPerShot: packed ? ShotEncoding.bytesPerShot(nQubits: shots.columns) : nil,
            shots: packed ? .packed(ShotEncoding.packedBase64(shots, order: query.bitOrder))
                : .text((0..<shots.rows).map { ShotEncoding.text(shots, row: $0, order: query.bitOrder) }),
            counts: query.counts.map { ShotEncoding.counts(shots, order: query.bitOrder, integerKeys: $0 == .integers) })
        return try body.response(from: request, context: context)
    }

    /// DELETE /v1/jobs/{id}: 202 while a running job is being stopped, else 200.
    func delete(_ id: String, request: Request, context: ServiceRequestContext) async throws -> Response {
        let (snapshot, removed) = try await store.delete(id: id, owner: context.owner, now: Date())
        if removed { return try JobDeleted(id: id).response(from: request, context: context) }
        return try EditedResponse(status: snapshot.status == .running ? .accepted : .ok, response: snapshot)
            .response(from: request, context: context)
    }

    /// GET /healthz: 200 while serving, 503 while shutting down.
    func health() async throws -> EditedResponse<Health> {
        let m = await store.metrics()
        let down = await store.shuttingDown
        return EditedResponse(status: down ? .serviceUnavailable : .ok, response: Health(
            status: down ? "shutting_down" : "ok", version: IQPVersion.string, queueLength: m.queueLength,
            queueCapacity: configuration.queueCapacity, running: m.running, workers: configuration.workers,
            memoryBudgetBytes: configuration.limits.maxMemoryBytes, maxShots: configuration.limits.maxShots,
            precision: configuration.precision, authentication: configuration.tokens != nil))
    }
}
