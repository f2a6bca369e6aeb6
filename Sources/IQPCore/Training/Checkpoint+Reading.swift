import Foundation

extension Checkpoint {
    /// The most steps a checkpoint may record (far more than any run makes; evaluation
    /// streams are keyed from 2⁶², `ModelEvaluation.evaluationStepBase`).
    public static let maxStep = 1 << 40

    /// Reads and validates a checkpoint field by field. Every error names the file, the line
    /// and the field: a `step` that does not match the history, a negative or inconsistent
    /// `adam_count`, Adam moments of the wrong length or a negative second moment, a bandwidth
    /// that is not positive, a malformed data fingerprint, a damaged model.
    public static func read(path: String) throws -> Checkpoint {
        let root = try JSONParser.read(path: path)
        let top = try JSONField(node: root, file: path).object("a checkpoint object")
        let formatField = try top.required("format")
        let format = try formatField.string()
        guard format == formatName else { throw formatField.error("is '\(format)', expected '\(formatName)'") }
        let seedField = try top.required("seed")
        guard let seed = UInt64(try seedField.string()) else { throw seedField.error("is not an unsigned 64-bit integer") }
        var model = try ModelFile.decode(root: try top.required("model").node, file: path)
        let params = model.params
        model.metadata = [:]
        let settings = try readSettings(top, nQubits: model.nQubits)
        let history = try readHistory(top)
        let stepField = try top.required("step")
        let step = try stepField.int("a step count")
        guard (0...maxStep).contains(step) else { throw stepField.error("must be in 0…\(maxStep), got \(step)") }
        guard step == history.count else {
            throw stepField.error("is \(step) but the history records \(history.count) steps")
        }
        let adam = try readAdam(top, step: step, parameterCount: params.count)
        let rateField = try top.required("learning_rate")
        let learningRate = try rateField.double()
        guard learningRate > 0 else { throw rateField.error("must be positive, got \(learningRate)") }
        let fingerprintField = try top.required("data_fingerprint")
        let fingerprint = try fingerprintField.string()
        guard fingerprint.count == 16, fingerprint.allSatisfy(\.isHexDigit) else {
            throw fingerprintField.error("is not a data fingerprint (16 hex digits), got '\(fingerprint)'")
        }
        var run: RunRecord? = nil
        if let runField = top.optional("run"), !{ if case .null = runField.node.content { return true }; return false }() { run = try RunRecord.read(top) }
        return Checkpoint(step: step, seed: seed, model: model, params: params, adam: adam, history: history,
                          settings: settings, learningRate: learningRate, dataFingerprint: fingerprint, run: run)
    }

    /// `sigma`, `ops`, `samples`, `wires`, checked as `LossSettings.validate` would, located in the file.
    static func readSettings(_ top: JSONObjectReader, nQubits: Int) throws -> LossSettings {
        let sigmaField = try top.required("sigma")
        let sigmaFields = try sigmaField.array("a list of bandwidths")
        guard !sigmaFields.isEmpty else { throw sigmaField.error("needs at least one bandwidth") }
        let sigmas = try sigmaFields.map { f -> Double in
            let x = try f.double()
            guard x > 0 else { throw f.error("bandwidth \(x) must be positive") }
            return x
        }
        let opsField = try top.required("ops"), samplesField = try top.required("samples")
        let ops = try opsField.int(), samples = try samplesField.int()
        guard ops >= 1 else { throw opsField.error("must be at least 1, got \(ops)") }
        guard samples >= 2 else { throw samplesField.error("must be at least 2, got \(samples)") }
        var wires: [Int]? = nil
        if let wiresField = top.optional("wires"), case .array = wiresField.node.content {
            wires = try wiresField.array().map { f in
                let w = try f.int()
                guard (0..<nQubits).contains(w) else { throw f.error("wire \(w) is out of range 0..<\(nQubits)") }
                return w
            }
            guard Set(wires!).count == wires!.count else { throw wiresField.error("a wire is listed twice") }
        }
        return LossSettings(sigmas: sigmas, stringsPerSigma: ops, samples: samples, wires: wires)
    }

    /// `adam_count` (= `step`: one Adam update per step), `adam_m`, `adam_v` (one per parameter, v ≥ 0).
    static func readAdam(_ top: JSONObjectReader, step: Int, parameterCount: Int) throws -> Adam.State {
        let countField = try top.required("adam_count")
        let count = try countField.int("a step count")
        guard count >= 0 else { throw countField.error("must be at least 0, got \(count)") }
        guard count == step else { throw countField.error("is \(count) but the checkpoint is at step \(step)") }
        let mField = try top.required("adam_m"), vField = try top.required("adam_v")
        let m = try mField.array().map { try $0.double() }
        let vFields = try vField.array()
        for (field, count) in [(mField, m.count), (vField, vFields.count)] where count != parameterCount {
            throw field.error("has \(count) values, expected \(parameterCount) (one per parameter of the model)")
        }
        let v = try vFields.map { f -> Double in
            let x = try f.double()
            guard x >= 0 else { throw f.error("a second moment must be at least 0, got \(x)") }
            return x
        }
        // The next update divides by 1 − βᵗ⁺¹: moments that overflow there would make the first
        // resumed step non-finite, which is the checkpoint's fault, not the learning rate's.
        let adam = Adam(learningRate: 1)
        let t = Double(count + 1)
        let c1 = 1 - pow(adam.beta1, t), c2 = 1 - pow(adam.beta2, t)
        for (field, values, c) in [(mField, m, c1), (vField, v, c2)] {
            if let i = values.firstIndex(where: { !(($0 / c).isFinite && ($0 * 2).isFinite) }) {
                throw try field.array()[i].error("\(values[i]) overflows Adam's next update (the checkpoint's "
                                                 + "optimizer state is damaged; the learning rate is not the cause)")
            }
        }
        return Adam.State(m: m, v: v, count: count)
    }

    /// `history`: steps 0, 1, … in order, a loss for each, optional validation losses, seconds ≥ 0.
    static func readHistory(_ top: JSONObjectReader) throws -> [TrainingRecord] {
        let historyField = try top.required("history")
        let h = try historyField.object()
        let stepFields = try h.required("step").array()
        for (i, f) in stepFields.enumerated() where try f.int() != i {
            throw f.error("expected step \(i) (the history lists every step in order)")
        }
        let losses = try h.required("loss").array().map { try $0.double() }
        let vals = try h.required("validation_loss").array().map { f -> Double? in
            if case .null = f.node.content { return nil }
            return try f.double()
        }
        let seconds = try h.required("seconds").array().map { f -> Double in
            let x = try f.double()
            guard x >= 0 else { throw f.error("must be at least 0, got \(x)") }
            return x
        }
        guard losses.count == stepFields.count, vals.count == stepFields.count, seconds.count == stepFields.count else {
            throw historyField.error("its lists have different lengths")
        }
        return (0..<stepFields.count).map {
            TrainingRecord(step: $0, loss: losses[$0], validationLoss: vals[$0], seconds: seconds[$0])
        }
    }
}
