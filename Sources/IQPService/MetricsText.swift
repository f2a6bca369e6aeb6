import IQPCore

/// The Prometheus text exposition (version 0.0.4) of `GET /metrics`, written by hand from the
/// store's counters and the request histograms (docs/service.md says why no metrics library).
enum MetricsText {
    static func render(_ m: JobStore.MetricsSnapshot, requests: [(RequestMetrics.Key, Histogram)],
                       configuration: SamplerServiceConfiguration) -> String {
        var lines: [String] = []
        func header(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
            header(name, type, help)
            for (labels, value) in samples { lines.append("\(name)\(labels) \(number(value))") }
        }
        let finishedStatuses: [JobStatus] = [.completed, .failed, .cancelled]
        metric("iqp_jobs", "gauge", "Jobs the service holds now, by status.",
               JobStatus.allCases.map { ("{status=\"\($0.rawValue)\"}", Double(m.byStatus[$0] ?? 0)) })
        metric("iqp_jobs_submitted_total", "counter", "Jobs accepted since the service started.",
               [("", Double(m.counters.submitted))])
        metric("iqp_jobs_finished_total", "counter", "Jobs finished since the service started, by final status.",
               finishedStatuses.map { ("{status=\"\($0.rawValue)\"}", Double(m.counters.finished[$0] ?? 0)) })
        metric("iqp_jobs_rejected_total", "counter", "Job submissions refused, by reason.",
               RejectionReason.allCases.map { ("{reason=\"\($0.rawValue)\"}", Double(m.counters.rejected[$0] ?? 0)) })
        metric("iqp_queue_length", "gauge", "Jobs waiting in the queue.", [("", Double(m.queueLength))])
        metric("iqp_queue_capacity", "gauge", "Most jobs that may wait in the queue.",
               [("", Double(configuration.queueCapacity))])
        metric("iqp_jobs_running", "gauge", "Jobs being simulated now.", [("", Double(m.running))])
        metric("iqp_workers", "gauge", "Worker slots.", [("", Double(configuration.workers))])
        metric("iqp_memory_reserved_bytes", "gauge", "Memory reserved by running jobs and retained results.",
               [("", m.runningBytes + m.resultBytes)])
        metric("iqp_memory_budget_bytes", "gauge", "Memory budget of the running jobs and retained results together.",
               [("", Double(configuration.limits.maxMemoryBytes))])
        metric("iqp_results_retained", "gauge", "Results held for fetching.", [("", Double(m.results))])
        metric("iqp_result_bytes", "gauge", "Bytes of the results held for fetching.", [("", m.resultBytes)])
        metric("iqp_results_dropped_total", "counter", "Results dropped before their retention ran out (caps, memory).",
               [("", Double(m.counters.resultsDropped))])
        metric("iqp_simulation_seconds_total", "counter", "Seconds spent simulating completed jobs (all phases).",
               [("", m.counters.simulationSeconds)])
        metric("iqp_shots_total", "counter", "Shots returned by completed jobs.", [("", Double(m.counters.shots))])
        if let rss = HostMemory.residentBytes() {
            metric("process_resident_memory_bytes", "gauge", "Resident memory of the service process.", [("", Double(rss))])
        }
        header("iqp_job_queue_seconds", "histogram", "Seconds jobs waited in the queue before they started.")
        lines += m.counters.queueWait.lines("iqp_job_queue_seconds", labels: "")
        header("iqp_job_run_seconds", "histogram", "Seconds jobs ran (start to end), by final status.")
        for status in finishedStatuses {
            let histogram = m.counters.runSeconds[status] ?? Histogram(bounds: Histogram.jobSeconds)
            lines += histogram.lines("iqp_job_run_seconds", labels: "status=\"\(status.rawValue)\"")
        }
        header("iqp_http_request_duration_seconds", "histogram", "Seconds to answer HTTP requests, by route, method and status.")
        for (key, histogram) in requests {
            lines += histogram.lines("iqp_http_request_duration_seconds",
                                     labels: "route=\"\(key.route.rawValue)\",method=\"\(key.method)\",status=\"\(key.status)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An integer without a decimal point, else Swift's shortest round-trip form.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value))" : "\(value)"
    }
}
