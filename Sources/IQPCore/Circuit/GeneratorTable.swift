/// The generators of a circuit as one flat table (CSR): generator j acts on the qubits
/// `qubits[offsets[j] ..< offsets[j + 1]]`. 4 bytes per qubit and per generator, no per-generator
/// allocation (docs/performance.md, "Memory"). Built through `Builder`, which validates each
/// generator as it is appended.
public struct GeneratorTable: Equatable, Sendable {
    public let nQubits: Int
    public let offsets: [Int32]
    public let qubits: [Int32]
    /// The largest generator weight (0 when there are no generators).
    public let maxWeight: Int

    public var count: Int { offsets.count - 1 }

    /// The qubits of generator j.
    @inlinable
    public subscript(j: Int) -> ArraySlice<Int32> { qubits[Int(offsets[j])..<Int(offsets[j + 1])] }

    /// Appends generators one at a time, checking each (qubits in range, none twice, not empty)
    /// and that the table stays addressable by 32-bit offsets.
    public struct Builder {
        public let nQubits: Int
        var offsets: [Int32] = [0]
        var qubits: [Int32] = []
        var maxWeight = 0

        /// No storage proportional to `nQubits` is made: a file may claim any number of qubits,
        /// and the commands admit what that number costs them (`MemoryAdmission`).
        public init(nQubits: Int) {
            self.nQubits = nQubits
        }

        public var count: Int { offsets.count - 1 }

        public mutating func reserve(generators: Int, qubits q: Int) {
            offsets.reserveCapacity(generators + 1)
            qubits.reserveCapacity(q)
        }

        /// Appends one generator; `field` names it in errors (e.g. "gates[3][0]").
        public mutating func append<C: Collection>(_ generator: C, field: @autoclosure () -> String) throws where C.Element == Int {
            guard !generator.isEmpty else { throw IQPError("generator is empty", field: field()) }
            guard qubits.count + generator.count <= Int(Int32.max), count < Int(Int32.max) - 1 else {
                throw IQPError("the circuit has more than \(Int32.max) generator qubits", field: field())
            }
            for q in generator where !(q >= 0 && q < nQubits) {
                throw IQPError("qubit \(q) is out of range 0..<\(nQubits)", field: field())
            }
            // Duplicates: pairwise for short generators, else on a sorted copy (O(w log w)).
            if generator.count <= 8 {
                let items = Array(generator)
                for i in items.indices { for j in (i + 1)..<items.count where items[i] == items[j] {
                    throw IQPError("qubit \(items[i]) appears twice in one generator", field: field())
                } }
            } else {
                let sorted = generator.sorted()
                for i in 1..<sorted.count where sorted[i] == sorted[i - 1] {
                    throw IQPError("qubit \(sorted[i]) appears twice in one generator", field: field())
                }
            }
            appendUnchecked(generator)
        }

        /// Appends a generator already known to be valid (distinct qubits in range, not empty).
        mutating func appendUnchecked<C: Collection>(_ generator: C) where C.Element == Int {
            for q in generator { qubits.append(Int32(truncatingIfNeeded: q)) }
            offsets.append(Int32(truncatingIfNeeded: qubits.count))
            maxWeight = max(maxWeight, generator.count)
        }

        public var table: GeneratorTable {
            GeneratorTable(nQubits: nQubits, offsets: offsets, qubits: qubits, maxWeight: maxWeight)
        }
    }

    init(nQubits: Int, offsets: [Int32], qubits: [Int32], maxWeight: Int) {
        self.nQubits = nQubits
        self.offsets = offsets
        self.qubits = qubits
        self.maxWeight = maxWeight
    }
}
