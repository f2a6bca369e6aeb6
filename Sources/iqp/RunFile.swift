import Foundation
import IQPCore
import Yams

/// A run file (`iqp train --config FILE`, docs/cli.md "Run files"): YAML whose keys are the
/// options of `iqp train` (`lr: 0.01`, `gates: local:2`, `sigma: [0.6, 1.3]`, `spin-sym: true`),
/// or, with `--entry MODEL/DATASET`, an entry of the study's `best_hyperparameters.yaml`
/// (`IqpSimulator/8_blobs`), its keys mapped as docs/reproduction.md's table says.
enum RunFile {
    static func read(path: String, entry: String?) throws -> [RunRecord.Setting] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw IQPError("cannot read the run file: \(error.localizedDescription)", file: path)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw IQPError("not YAML: \(error)".split(whereSeparator: \.isNewline).joined(separator: " "), file: path)
        }
        guard let root, var mapping = root.mapping else {
            throw IQPError("expected a mapping of iqp train's options (lr: 0.01, …)", file: path)
        }
        guard let entry else {
            if mapping["gates_config"] != nil || mapping["IqpSimulator"] != nil {
                throw IQPError("this is a study file (best_hyperparameters.yaml): choose an entry with --entry, e.g. "
                               + "--entry IqpSimulator/8_blobs", file: path)
            }
            return try plain(mapping, path: path)
        }
        var trail: [String] = []
        for part in entry.split(separator: "/").map(String.init) {
            trail.append(part)
            guard let next = mapping[part]?.mapping else {
                let keys = mapping.keys.compactMap(\.string).joined(separator: ", ")
                throw IQPError("has no entry \(trail.joined(separator: "/")) (there: \(keys))", file: path, field: "entry")
            }
            mapping = next
        }
        return try study(mapping, model: trail.first ?? "", path: path, entry: entry)
    }

    static func line(_ node: Node?) -> Int? { node?.mark?.line }

    /// A value as text: a scalar, or a list joined with commas (`[0.6, 1.3]` → `0.6,1.3`).
    static func text(_ node: Node, key: String, path: String) throws -> String {
        if let scalar = node.scalar { return scalar.string }
        if let sequence = node.sequence {
            return try sequence.map { item -> String in
                guard let s = item.scalar?.string else {
                    throw IQPError("a list of \(key) holds plain values only", file: path, line: line(item), field: key)
                }
                return s
            }.joined(separator: ",")
        }
        throw IQPError("expected a value or a list", file: path, line: line(node), field: key)
    }

    static func bool(_ text: String, key: String, path: String, node: Node) throws -> String {
        switch text.lowercased() {
        case "true", "yes", "on": return "true"
        case "false", "no", "off": return "false"
        default: throw IQPError("expected true or false, got '\(text)'", file: path, line: line(node), field: key)
        }
    }

    /// Keys as `iqp train`'s options (`spin_sym` and `--spin-sym` are read as `spin-sym`).
    static func plain(_ mapping: Node.Mapping, path: String) throws -> [RunRecord.Setting] {
        var out: [RunRecord.Setting] = []
        for (keyNode, value) in mapping {
            guard let raw = keyNode.string else { throw IQPError("a key must be a name", file: path, line: line(keyNode)) }
            var key = raw.hasPrefix("--") ? String(raw.dropFirst(2)) : raw
            key = key.replacingOccurrences(of: "_", with: "-")
            if key == "no-spin-sym" { key = "spin-sym" }
            guard TrainSettings.runFileKeys.contains(key), let option = TrainSettings.option(key) else {
                throw IQPError("unknown key '\(raw)': the keys are iqp train's options (\(TrainSettings.runFileKeys.joined(separator: ", ")))",
                               file: path, line: line(keyNode))
            }
            if value.scalar?.string == "~" || value.scalar?.string == "null" || value.scalar?.string == "" { continue }
            var v = try text(value, key: key, path: path)
            if option.isFlag {
                v = try bool(v, key: key, path: path, node: value)
                if raw.replacingOccurrences(of: "_", with: "-").hasSuffix("no-spin-sym") { v = v == "true" ? "false" : "true" }
            }
            out.append(.init(key, v))
        }
        return out
    }

    /// An entry of the study's `best_hyperparameters.yaml`: `gates_config`, `model_config`,
    /// `trainer_config`, `train_config`, `loss_config`, `init_config` (docs/reproduction.md).
    static func study(_ entry: Node.Mapping, model: String, path: String, entry name: String) throws -> [RunRecord.Setting] {
        var out: [RunRecord.Setting] = []
        func fail(_ message: String, _ node: Node?) -> IQPError {
            IQPError(message, file: path, line: line(node), field: name)
        }
        switch model {
        case "IqpSimulator": break
        case "IqpSimulatorBitflip": out.append(.init("bitflip", "true"))
        default: throw fail("\(model) is not an IQP model (IqpSimulator or IqpSimulatorBitflip)", nil)
        }
        func section(_ key: String) -> Node.Mapping? { entry[key]?.mapping }
        func value(_ m: Node.Mapping?, _ key: String) throws -> String? {
            guard let node = m?[key] else { return nil }
            return try text(node, key: key, path: path)
        }
        if let gates = section("gates_config") {
            let kind = try value(gates, "name") ?? ""
            let kwargs = gates["kwargs"]?.mapping
            switch kind {
            case "local_gates":
                out.append(.init("gates", "local:\(try value(kwargs, "max_weight") ?? "2")"))
            case "nearest_neighbour_gates":
                guard let graph = try value(kwargs, "G") else { throw fail("nearest_neighbour_gates needs kwargs G (the graph file)", gates["kwargs"]) }
                out.append(.init("gates", "nn:\(try value(kwargs, "distance") ?? "1"):\(try value(kwargs, "max_weight") ?? "2"):graph:\(graph)"))
            case "gates_from_covariance":
                let local = (try value(kwargs, "return_local")).map { ["true", "True"].contains($0) } ?? false
                out.append(.init("gates", "covariance:\(try value(kwargs, "n_gates") ?? "1")\(local ? ":local" : "")"))
            default:
                throw fail("gates_config name '\(kind)' has no iqp equivalent (local_gates, nearest_neighbour_gates, gates_from_covariance)", gates["name"])
            }
        }
        // IQPopt's default is spin_sym False.
        if let m = section("model_config"), let node = m["spin_sym"], let s = node.scalar?.string {
            out.append(.init("spin-sym", try bool(s, key: "spin_sym", path: path, node: node)))
        } else {
            out.append(.init("spin-sym", "false"))
        }
        if let t = section("trainer_config") {
            if let optimizer = try value(t, "optimizer"), optimizer != "Adam" {
                throw fail("optimizer '\(optimizer)': iqp trains with Adam", t["optimizer"])
            }
            if let lr = try value(t, "stepsize") { out.append(.init("lr", lr)) }
        }
        if let t = section("train_config") {
            if let n = try value(t, "n_iters") { out.append(.init("steps", n)) }
            if let c = try value(t, "convergence_interval") { out.append(.init("convergence-interval", c)) }
        }
        if let l = section("loss_config") {
            if let x = try value(l, "n_ops") { out.append(.init("ops", x)) }
            if let x = try value(l, "n_samples") { out.append(.init("samples", x)) }
            if let x = try value(l, "sigma") { out.append(.init("sigma", x)) }
        }
        if let i = section("init_config") {
            if let x = try value(i, "init_scale"), Double(x) != -1 { out.append(.init("init-scale", x)) }
            if let x = try value(i, "param_noise"), let noise = Double(x), noise != 0 { out.append(.init("param-noise", "\(noise)")) }
            if let x = try value(i, "param_init_file") { out.append(.init("init-params", x)) }
        }
        return out
    }
}
