import Foundation
import IQPCore
import IQPSampler
@testable import IQPService
import XCTest

/// The service on an ephemeral loopback port: round trips, concurrency, refusals, cancellation,
/// retention, idempotency, metrics and shutdown.
final class SamplerServiceTests: XCTestCase {
    /// POST → poll → result in every format; the shots are those of the in-process sampler with
    /// the same seed, bit for bit.
    func testRoundTrip() async throws {
        let model = try testModel(nQubits: 9, seed: 2)
        let noise = try ReadoutNoise(p01: 0.01, p10: 0.02)
        let local = try ShotSampler.run(SamplingRequest(model: model, shots: 500, seed: 77, noise: noise)).shots
        try await LiveServer.with { url, _ in
            let post = try await http("POST", url, "/v1/jobs",
                                      json: jobJSON(model, shots: 500, seed: 77,
                                                    extra: ", \"noise\": {\"p01\": 0.01, \"p10\": 0.02}"))
            XCTAssertEqual(post.status, 202, post.text)
            let id = try XCTUnwrap(post.json()["id"]?.string)
            XCTAssertEqual(post.headers["location"], "/v1/jobs/\(id)")
            let status = try await waitFinished(url, id)
            XCTAssertEqual(status["status"]?.string, "completed")
            XCTAssertEqual(status["n_qubits"]?.integer, 9)
            XCTAssertEqual(status["seed"]?.integer, 77)
            XCTAssertNotNil(status["finished_at"]?.string)

            let packed = try await http("GET", url, "/v1/jobs/\(id)/result")
            XCTAssertEqual(packed.status, 200)
            let result = try packed.json()
            XCTAssertEqual(result["num_shots"]?.integer, 500)
            XCTAssertEqual(result["num_bits"]?.integer, 9)
            XCTAssertEqual(result["bytes_per_shot"]?.integer, 2)
            let shots = try XCTUnwrap(ShotEncoding.decodePacked(XCTUnwrap(result["shots"]?.string), rows: 500, nQubits: 9))
            XCTAssertEqual(shots, local)

            let text = try await http("GET", url, "/v1/jobs/\(id)/result?format=text&counts=true").json()
            guard case .array(let rows)? = text["shots"]?.content, case .object(let counts)? = text["counts"]?.content else {
                return XCTFail("text result without shots or counts")
            }
            XCTAssertEqual(rows.map { $0.string! }, (0..<500).map { ShotEncoding.text(local, row: $0) })
            XCTAssertEqual(counts.reduce(0) { $0 + $1.node.integer! }, 500)
            for count in counts {
                let expected = (0..<500).filter { ShotEncoding.text(local, row: $0) == count.key }.count
                XCTAssertEqual(count.node.integer, expected)
            }

            let csv = try await http("GET", url, "/v1/jobs/\(id)/result?format=csv")
            XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
            XCTAssertEqual(csv.text, ShotEncoding.csv(local))

            // A finished job is removed by DELETE.
            let deleted = try await http("DELETE", url, "/v1/jobs/\(id)")
            XCTAssertEqual(deleted.status, 200)
            XCTAssertEqual(try deleted.json()["status"]?.string, "deleted")
            let gone = try await http("GET", url, "/v1/jobs/\(id)")
            XCTAssertEqual(gone.status, 404)
            XCTAssertEqual(gone.errorCode, "job_not_found")
        }
    }

    /// 16 clients at once through `SamplerClient`, with 2 workers and a queue of 16: every one
    /// gets its own shots (equal to the in-process sampler's for its seed).
    func testSixteenConcurrentClients() async throws {
        let model = try testModel(nQubits: 10, seed: 4)
        try await LiveServer.with({ $0.workers = 2; $0.queueCapacity = 16 }) { url, _ in
            let client = SamplerClient(baseURL: url)
            let results = try await withThrowingTaskGroup(of: (UInt64, BitMatrix).self) { group in
                for seed in 0..<16 as Range<UInt64> {
                    group.addTask {
                        (seed, try await client.sample(SamplingRequest(model: model, shots: 300, seed: seed)).shots)
                    }
                }
                var all: [UInt64: BitMatrix] = [:]
                for try await (seed, shots) in group { all[seed] = shots }
                return all
            }
            XCTAssertEqual(results.count, 16)
            for (seed, shots) in results {
                XCTAssertEqual(shots, try ShotSampler.run(SamplingRequest(model: model, shots: 300, seed: seed)).shots)
            }
            let metrics = try await http("GET", url, "/metrics").text
            XCTAssertTrue(metrics.contains("iqp_jobs_finished_total{status=\"completed\"} 16"), metrics)
            XCTAssertTrue(metrics.contains("iqp_shots_total 4800"), metrics)
        }
    }

    /// One worker busy with a slow job, a queue of 2 full: the next submission gets 429 with a
    /// Retry-After; DELETE cancels the queued jobs at once and the running one at the
    /// simulator's next check.
    func testQueueFullAndCancellation() async throws {
        let slow = try slowModel()
        let small = try testModel()
        try await LiveServer.with({ $0.workers = 1; $0.queueCapacity = 2 }) { url, _ in
            let running = try await http("POST", url, "/v1/jobs", json: jobJSON(slow, shots: 10)).json()["id"]!.string!
            try await waitRunning(url, running)
            var queued: [String] = []
            for _ in 0..<2 {
                let answer = try await http("POST", url, "/v1/jobs", json: jobJSON(small, shots: 10))
                XCTAssertEqual(answer.status, 202)
                queued.append(try answer.json()["id"]!.string!)
            }
            let second = try await http("GET", url, "/v1/jobs/\(queued[1])").json()
            XCTAssertEqual(second["status"]?.string, "queued")
            XCTAssertEqual(second["queue_position"]?.integer, 2)

            let full = try await http("POST", url, "/v1/jobs", json: jobJSON(small, shots: 10))
            XCTAssertEqual(full.status, 429)
            XCTAssertEqual(full.errorCode, "queue_full")
            let retryAfter = try XCTUnwrap(full.headers["retry-after"].flatMap { Int($0) })
            XCTAssertGreaterThanOrEqual(retryAfter, 1)

            // Cancel a queued job: immediately cancelled, the other moves up.
            let cancelQueued = try await http("DELETE", url, "/v1/jobs/\(queued[0])")
            XCTAssertEqual(cancelQueued.status, 200)
            XCTAssertEqual(try cancelQueued.json()["status"]?.string, "cancelled")
            let moved = try await http("GET", url, "/v1/jobs/\(queued[1])").json()
            XCTAssertEqual(moved["queue_position"]?.integer, 1)
            let noResult = try await http("GET", url, "/v1/jobs/\(queued[0])/result")
            XCTAssertEqual(noResult.status, 409)
            XCTAssertEqual(noResult.errorCode, "no_result")

            // Cancel the running job: 202, then cancelled; the queue moves on.
            let cancelRunning = try await http("DELETE", url, "/v1/jobs/\(running)")
            XCTAssertEqual(cancelRunning.status, 202)
            XCTAssertEqual(try cancelRunning.decode(JobSnapshot.self).cancelRequested, true)
            let ended = try await waitFinished(url, running)
            XCTAssertEqual(ended["status"]?.string, "cancelled")
            XCTAssertEqual(ended["error"]?.string, "cancelled by the client while running")
            let next = try await waitFinished(url, queued[1])
            XCTAssertEqual(next["status"]?.string, "completed")
        }
    }

    /// Every bad request is a 4xx with a JSON reason, and the server keeps serving.
    func testBadRequests() async throws {
        let model = try testModel(nQubits: 4)
        let modelJSON = ModelFile.encode(model)
        try await LiveServer.with({ $0.maxBodyBytes = 100_000; $0.limits = SamplerLimits(maxMemoryBytes: 1 << 30, maxShots: 50_000) }) { url, _ in
            // Errors name the body "request" and the line: 1 for the body itself, and `last` (the
            // model text's closing line) for the members written after the model.
            let last = modelJSON.filter { $0 == "\n" }.count + 1
            let cases: [(String, Int, String, String)] = [
                ("{\"model\": 3", 400, "malformed_json", "request:1: invalid JSON: expected ',' or '}', found end of file"),
                ("[1, 2]", 400, "invalid_field", "request:1: the body must be a JSON object with members model and shots, got a list"),
                ("{\"shots\": 10}", 400, "invalid_field", "request:1: field 'model' is required (the model JSON object)"),
                ("{\"model\": \(modelJSON)}", 400, "invalid_field", "request:1: field 'shots' is required (a positive integer)"),
                ("{\"model\": \(modelJSON), \"shots\": \"ten\"}", 400, "invalid_field",
                 "request:\(last): field 'shots': expected a positive integer, got the string \"ten\""),
                ("{\"model\": \(modelJSON), \"shots\": 2.5}", 400, "invalid_field",
                 "request:\(last): field 'shots': expected a positive integer, got 2.5"),
                ("{\"model\": \(modelJSON), \"shots\": -3}", 400, "invalid_field", "request:\(last): field 'shots': must be at least 1, got -3"),
                ("{\"model\": \(modelJSON), \"shots\": 0}", 400, "invalid_field", "request:\(last): field 'shots': must be at least 1, got 0"),
                ("{\"model\": \(modelJSON), \"shots\": 1e300}", 400, "invalid_field",
                 "request:\(last): field 'shots': expected a positive integer, got 1e+300"),
                ("{\"model\": \(modelJSON), \"shots\": 60000}", 422, "over_budget",
                 "field 'shots': 60000 is over the limit of 50000 shots per job"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"seed\": -1}", 400, "invalid_field",
                 "request:\(last): field 'seed': expected an integer 0…18446744073709551615, got -1"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"seed\": 18446744073709551616}", 400, "invalid_field",
                 "request:\(last): field 'seed': expected an integer 0…18446744073709551615, got 1.8446744073709552e+19"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"seed\": true}", 400, "invalid_field",
                 "request:\(last): field 'seed': expected an integer, got a boolean"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"priority\": \"high\"}", 400, "invalid_field",
                 "request:\(last): unknown field 'priority'; the fields are model, shots, seed, noise, precision"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"noise\": {\"p01\": 2}}", 400, "invalid_field",
                 "request:\(last): field 'noise.p01[0]': probability 2.0 is not in [0, 1]"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"noise\": {\"p01\": [0.1, 0.1]}}", 400, "invalid_field",
                 "request:\(last): field 'noise.p01': has 2 values; give 1 (every qubit) or 4 (one per qubit)"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"noise\": {\"p01\": 0.1,\n \"p11\": 0.1}}", 400, "invalid_field",
                 "request:\(last + 1): unknown field 'noise.p11'; the fields are p01, p10"),
                ("{\"model\": \(modelJSON), \"shots\": 10, \"precision\": \"complex32\"}", 400, "invalid_field",
                 "request:\(last): field 'precision': expected \"complex64\" or \"complex128\", got the string \"complex32\""),
                ("{\"model\": [1], \"shots\": 10}", 400, "invalid_field",
                 "request:1: field 'model': expected an object (the model JSON), got a list"),
                ("{\"model\": {\"n_qubits\": 3, \"gates\": [[[0]]], \"params\": [0.1, 0.2]}, \"shots\": 10}", 400, "invalid_model",
                 "request:1: field 'model.params': has 2 values but the circuit has 1 gates"),
                ("{\"model\": {\"n_qubits\": 3,\n \"gates\": [[[0]],\n [[1, 1.5]]], \"params\": [0.1, 0.2]}, \"shots\": 10}", 400, "invalid_model",
                 "request:3: field 'model.gates[1][0][1]': expected an integer qubit index, got 1.5"),
                ("{\"model\": {\"n_qubits\": 31, \"gates\": [[[0]]], \"params\": [0.1]}, \"shots\": 10, \"precision\": \"complex64\"}",
                 422, "over_budget", "31 qubits in complex64 needs 16 GiB of state, over the service's budget of 1 GiB"),
                ("{\"model\": {\"n_qubits\": 100000, \"gates\": [[[0]]], \"params\": [0.1]}, \"shots\": 10}",
                 422, "over_budget", "100000 qubits in complex128 needs 2^100000 amplitudes of state, over the service's budget of 1 GiB"),
            ]
            for (body, status, code, message) in cases {
                let answer = try await http("POST", url, "/v1/jobs", json: body)
                XCTAssertEqual(answer.status, status, body)
                XCTAssertEqual(answer.headers["content-type"], "application/json; charset=utf-8", body)
                XCTAssertEqual(answer.errorCode, code, body)
                XCTAssertEqual(answer.errorMessage, message, body)
            }

            // Oversized body, declared and not.
            let padding = String(repeating: "x", count: 200_000)
            let big = "{\"model\": \(modelJSON), \"shots\": 10, \"pad\": \"\(padding)\"}"
            let tooLarge = try await http("POST", url, "/v1/jobs", json: big)
            XCTAssertEqual(tooLarge.status, 413)
            XCTAssertEqual(tooLarge.errorMessage, "the request body is larger than the limit of 100000 bytes")

            // Other endpoints.
            let unknownJob = try await http("GET", url, "/v1/jobs/no-such-job")
            XCTAssertEqual(unknownJob.status, 404)
            XCTAssertEqual(unknownJob.errorCode, "job_not_found")
            let unknownRoute = try await http("GET", url, "/v2/jobs")
            XCTAssertEqual(unknownRoute.status, 404)
            XCTAssertEqual(unknownRoute.errorCode, "not_found")
            let wrongMethod = try await http("PUT", url, "/v1/jobs/x")
            XCTAssertEqual(wrongMethod.status, 405)
            XCTAssertEqual(wrongMethod.headers["allow"], "GET, DELETE")
            XCTAssertEqual(wrongMethod.errorCode, "method_not_allowed")
            let badFormat = try await http("GET", url, "/v1/jobs/x/result?format=xml")
            XCTAssertEqual(badFormat.status, 400)
            XCTAssertEqual(badFormat.errorMessage, "query parameter 'format': expected packed, text or csv, got 'xml'")

            // Still serving.
            let health = try await http("GET", url, "/healthz")
            XCTAssertEqual(health.status, 200)
            XCTAssertEqual(try health.json()["status"]?.string, "ok")
            let ok = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 10))
            XCTAssertEqual(ok.status, 202)
            let metrics = try await http("GET", url, "/metrics").text
            XCTAssertTrue(metrics.contains("iqp_jobs_rejected_total{reason=\"over_budget\"} 3"), metrics)
            XCTAssertTrue(metrics.contains("iqp_jobs_rejected_total{reason=\"body_too_large\"} 1"), metrics)
        }
    }

    /// The same Idempotency-Key and body give the same job; another body is a conflict.
    func testIdempotencyKey() async throws {
        let model = try testModel()
        try await LiveServer.with { url, _ in
            let body = jobJSON(model, shots: 20, seed: 5)
            let first = try await http("POST", url, "/v1/jobs", json: body, headers: ["Idempotency-Key": "trainer-1"])
            let again = try await http("POST", url, "/v1/jobs", json: body, headers: ["Idempotency-Key": "trainer-1"])
            XCTAssertEqual(first.status, 202)
            XCTAssertEqual(again.status, 200)
            XCTAssertEqual(again.headers["idempotent-replayed"], "true")
            XCTAssertEqual(try first.json()["id"]?.string, try again.json()["id"]?.string)
            let other = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 21, seed: 5),
                                       headers: ["Idempotency-Key": "trainer-1"])
            XCTAssertEqual(other.status, 409)
            XCTAssertEqual(other.errorCode, "idempotency_conflict")
        }
    }

    /// A finished job is dropped after the retention time.
    func testRetention() async throws {
        let model = try testModel()
        try await LiveServer.with({ $0.retentionSeconds = 0.3 }) { url, _ in
            let id = try await http("POST", url, "/v1/jobs", json: jobJSON(model, shots: 5)).json()["id"]!.string!
            let finished = try await waitFinished(url, id)
            XCTAssertEqual(finished["status"]?.string, "completed")
            try await Task.sleep(nanoseconds: 1_000_000_000)
            let gone = try await http("GET", url, "/v1/jobs/\(id)")
            XCTAssertEqual(gone.status, 404)
        }
    }

    /// `SamplerClient` and `SamplerDispatch` against a live server: the shots equal the local
    /// path's; a refusal becomes one clear line.
    func testClientAndDispatch() async throws {
        let model = try testModel(nQubits: 7, seed: 9)
        let bitflip = try testModel(nQubits: 70, seed: 9, kind: .bitflip)
        try await LiveServer.with { url, _ in
            let remote = try await SamplerDispatch.run(model: model, shots: 400, sampler: url.absoluteString, seed: 3)
            let local = try await SamplerDispatch.run(model: model, shots: 400, sampler: "local", seed: 3)
            XCTAssertEqual(remote, local)
            let remoteBitflip = try await SamplerDispatch.run(model: bitflip, shots: 200, sampler: url.absoluteString + "/", seed: 4)
            let localBitflip = try await SamplerDispatch.run(model: bitflip, shots: 200, sampler: "local", seed: 4)
            XCTAssertEqual(remoteBitflip, localBitflip)
            XCTAssertEqual(remoteBitflip.columns, 70)

            let huge = try IQPModel(circuit: Circuit(nQubits: 34, gates: [[[0]]]), params: [0.1])
            do {
                _ = try await SamplerDispatch.run(model: huge, shots: 10, sampler: url.absoluteString, seed: 1)
                XCTFail("a 34-qubit job was accepted")
            } catch let error as IQPError {
                XCTAssertEqual(error.description, "sampler service \(url.absoluteString) refused the job (HTTP 422): "
                    + "34 qubits in complex128 needs 256 GiB of state, over the service's budget of 1 GiB")
            }
        }
        var unreachable = try SamplerClient(url: "http://127.0.0.1:9")
        unreachable.submitAttempts = 1
        do {
            _ = try await unreachable.sample(SamplingRequest(model: model, shots: 1, seed: 1))
            XCTFail("an unreachable service answered")
        } catch let error as IQPError {
            XCTAssertTrue(error.description.hasPrefix("sampler service http://127.0.0.1:9 is unreachable: "), error.description)
        }
        XCTAssertThrowsError(try SamplerDispatch.validate(sampler: "ftp://x"))
        XCTAssertNoThrow(try SamplerDispatch.validate(sampler: "local"))
    }

    /// Shutdown: queued jobs fail with the reason, a running job past the grace time is
    /// cancelled and reported failed, and new jobs get 503.
    func testGracefulShutdown() async throws {
        let slow = try slowModel()
        let small = try testModel()
        let (service, running, queued) = try await LiveServer.with({ $0.workers = 1; $0.shutdownGraceSeconds = 0.2 }) { url, service in
            let running = try await http("POST", url, "/v1/jobs", json: jobJSON(slow, shots: 10)).json()["id"]!.string!
            try await waitRunning(url, running)
            let queued = try await http("POST", url, "/v1/jobs", json: jobJSON(small, shots: 10)).json()["id"]!.string!
            return (service, running, queued)
        }
        let snapshot = await service.store.metrics()
        XCTAssertEqual(snapshot.byStatus[.failed], 2)
        XCTAssertEqual(snapshot.queueLength, 0)
        XCTAssertEqual(snapshot.running, 0)
        let queuedJob = try await service.store.snapshot(id: queued)
        XCTAssertEqual(queuedJob.reason, "the service shut down before the job started")
        let runningJob = try await service.store.snapshot(id: running)
        XCTAssertEqual(runningJob.status, .failed)
        XCTAssertEqual(runningJob.reason, "the service shut down while the job was running (its grace of 0.2 s ran out)")
        do {
            _ = try await service.store.submit(JobSubmission(request: SamplingRequest(model: small, shots: 1, seed: 1),
                                                             seedGiven: true),
                                               idempotencyKey: nil, bodyHash: 0, now: Date())
            XCTFail("a job was accepted after shutdown")
        } catch {
            XCTAssertEqual(error.code, "shutting_down")
        }
        let down = await service.store.shuttingDown
        XCTAssertTrue(down)
    }
}
