import ArgumentParser
import Foundation
import IQPCore
import IQPMPI
import IQPPlot

/// `iqp diagnose`: measurements about a model before training.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Measure properties of the model before training (gradient size versus n).",
        subcommands: [Gradients.self])
}

extension DiagnoseCommand {
    struct Gradients: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gradients",
            abstract: "The gradient's mean square and variance over initial parameter draws, versus the number of qubits.",
            discussion: """
                For each n in --qubits the model is --gates on the first n columns of --data, with \
                σ from --sigma on those columns (default: the median heuristic). For each \
                initialisation, --draws parameter vectors are drawn (seeds seed, seed+1, …) and the \
                gradient is estimated twice per draw with independent strings and samples; the \
                products of the two estimates make the mean square and the variance free of the \
                estimator's noise (docs/diagnostics.md). Columns per initialisation I: \
                mean_square_I, stderr_I (of the mean square), variance_I, naive_I (the mean square \
                of one estimate: with the noise). Under mpirun the ranks share every evaluation. \
                Example:
                  iqp diagnose gradients --data train.csv --qubits 8,16,64,256,1000 \\
                      --out grads.csv --plot grads.svg
                """)

        @Option(help: "Data (CSV/.npy); the model of n qubits sees its first n columns.") var data: String
        @Option(help: "Numbers of qubits, comma-separated.") var qubits: String = "8,16,32,64,128,256,512,1000"
        @Option(help: "Gate spec for every n (as iqp train --gates).") var gates: String = "local:2"
        @Option(name: .customLong("init"), help: "Initialisations, comma-separated: data, random, zero.")
        var inits: String = "data,random,zero"
        @Option(help: "Parameter draws per initialisation (at least 2).") var draws: Int = 10
        @Option(parsing: .unconditional, help: "Kernel bandwidths as in iqp train; 'median' (default) is computed for every n.")
        var sigma: String = "median"
        @Option(help: "Pauli strings per σ per gradient estimate.") var ops: Int = 1000
        @Option(help: "Samples per σ per gradient estimate.") var samples: Int = 1000
        @OptionGroup var estimator: EstimatorOptions
        @Option(help: "Random seed.") var seed: UInt64 = 0
        @Option(help: "CSV file to write (atomically, after every n).") var out: String
        @Option(help: "Also draw the mean squares versus n as SVG here.") var plot: String?

        func validate() throws {
            guard draws >= 2 else { throw ValidationError("--draws must be at least 2, got \(draws)") }
            _ = try initializations()
            _ = try CommandSupport.integers(qubits, option: "--qubits")
            do { _ = try Bandwidth.parseList(sigma) } catch let e as IQPError { throw ValidationError("--sigma: \(e.message)") }
        }

        func initializations() throws -> [Initialization] {
            try inits.split(separator: ",").map { name in
                guard let i = Initialization(rawValue: String(name)) else {
                    throw ValidationError("--init: '\(name)' is not data, random or zero")
                }
                return i
            }
        }

        func run() throws {
            let communicator = MPIRuntime.world
            do {
                let all = try DataFile.read(path: data)
                let sizes = try CommandSupport.integers(qubits, option: "--qubits")
                if let bad = sizes.first(where: { $0 < 1 || $0 > all.columns }) {
                    throw IQPError("\(bad) qubits: the data has \(all.columns) columns", file: data, field: "qubits")
                }
                let kinds = try initializations()
                var table = "n,parameters,sigma" + kinds.map { i in
                    ["mean_square", "stderr", "variance", "naive"].map { ",\($0)_\(i.rawValue)" }.joined()
                }.joined() + "\n"
                for n in sizes {
                    let x = all.leadingColumns(n)
                    let sigmas = try Bandwidth.resolve(try Bandwidth.parseList(sigma), data: x)
                    let circuit = try Circuit(nQubits: n, gates: try GateSource.spec(gates).gates(nQubits: n, data: x))
                    let settings = try ExactPathCost.resolve(estimator.settings(sigmas: sigmas, stringsPerSigma: ops, samples: samples),
                                                              circuit: circuit, kind: .iqp, dataSets: 1)
                    let model = try IQPModel(circuit: circuit, params: [Double](repeating: 0, count: circuit.parameterCount))
                    let objective = try MMDObjective(model: model, train: x, settings: settings, seed: seed,
                                                     communicator: communicator,
                                                     grid: ProcessGrid.automatic(size: communicator.size, strings: ops, samples: samples))
                    var row = "\(n),\(circuit.parameterCount),\(sigmas.map { String(format: "%.6g", $0) }.joined(separator: " "))"
                    for kind in kinds {
                        let m = try GradientMagnitude.measure(objective: objective, initialization: kind, data: x,
                                                              draws: draws, seed: seed)
                        row += ",\(m.meanSquare),\(m.meanSquareError),\(m.variance),\(m.naive)"
                        if communicator.isRoot {
                            writeToStandardError(String(format: "n %5d  %-6@  mean square %.3e ± %.1e  variance %.3e  (one estimate: %.3e)\n",
                                                        n, kind.rawValue, m.meanSquare, m.meanSquareError, m.variance, m.naive))
                        }
                    }
                    table += row + "\n"
                    if communicator.isRoot { try AtomicFile.write(table, to: out) }
                }
                if communicator.isRoot, let plot { try drawPlot(kinds: kinds, to: plot) }
            } catch {
                CommandSupport.fail(error, communicator: communicator)
            }
            MPIRuntime.finalize()
        }

        /// The mean square of each initialisation versus n, log–log, from the CSV just written.
        func drawPlot(kinds: [Initialization], to path: String) throws {
            let table = try CSVTable.read(path: out)
            let request = ColumnChart.Request(x: "n", y: kinds.map { "mean_square_\($0.rawValue)" },
                                              yError: kinds.map { "stderr_\($0.rawValue)" }, logX: true, logY: true)
            var chart = try ColumnChart.chart(tables: [LabelledTable(label: "", table: table)], request: request)
            chart.title = "Gradient size at initialisation (\(gates))"
            chart.x.label = "qubits n"
            chart.y.label = "mean over parameters of E[(∂L/∂θ)²]"
            let rendered = chart.render()
            for note in rendered.notes { writeToStandardError("iqp: note: \(note)\n") }
            try AtomicFile.write(rendered.svg, to: path)
        }
    }
}
