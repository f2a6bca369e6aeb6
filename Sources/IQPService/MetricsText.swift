/// The Prometheus text exposition (version 0.0.4) of `GET /metrics`.
enum MetricsText {
    static func render(_ m: JobStore.MetricsSnapshot, configuration: SamplerServiceConfiguration) -> String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples {
                let number = value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
                lines.append("\(name)\(labels) \(number)")
            }
        }
        metric("iqp_jobs", "gauge", "Jobs the service holds now, by status.",
               JobStatus.allCases.map { ("{status=\"\($0.rawValue)\"}", Double(m.byStatus[$0] ?? 0)) })
        metric("iqp_jobs_submitted_total", "counter", "Jobs accepted since the service started.",
               [("", Double(m.counters.submitted))])
        metric("iqp_jobs_finished_total", "counter", "Jobs finished since the service started, by final status.",
               [JobStatus.completed, .failed, .cancelled].map {
                   ("{status=\"\($0.rawValue)\"}", Double(m.counters.finished[$0] ?? 0))
               })
        metric("iqp_jobs_rejected_total", "counter", "Job submissions refused, by reason.",
               ["invalid", "over_budget", "queue_full", "body_too_large"].map {
                   ("{reason=\"\($0)\"}", Double(m.counters.rejected[$0] ?? 0))
               })
        metric("iqp_queue_length", "gauge", "Jobs waiting in the queue.", [("", Double(m.queueLength))])
        metric("iqp_queue_capacity", "gauge", "Most jobs that may wait in the queue.",
               [("", Double(configuration.queueCapacity))])
        metric("iqp_jobs_running", "gauge", "Jobs being simulated now.", [("", Double(m.running))])
        metric("iqp_workers", "gauge", "Worker slots.", [("", Double(configuration.workers))])
        metric("iqp_memory_reserved_bytes", "gauge", "Memory reserved by running jobs.", [("", m.reservedBytes)])
        metric("iqp_memory_budget_bytes", "gauge", "Memory budget of the running jobs together.",
               [("", Double(configuration.limits.maxMemoryBytes))])
        metric("iqp_simulation_seconds_total", "counter", "Seconds spent simulating completed jobs (all phases).",
               [("", m.counters.simulationSeconds)])
        metric("iqp_shots_total", "counter", "Shots returned by completed jobs.", [("", Double(m.counters.shots))])
        return lines.joined(separator: "\n") + "\n"
    }
}
