/// Admission of the allocations whose size the user chooses — strings × samples × qubits, data
/// rows, shots, counts, 2ⁿ vectors — against a memory budget, before they are made. A size that
/// does not fit is an `IQPError` that names the option and the bytes it would need, never a
/// trap in the allocator. Every command admits through here (docs/reliability.md, "Memory
/// admission"); under MPI every rank admits the same sizes before any collective, so every rank
/// fails alike.
///
/// The budget is either an option (`--memory-budget` of train, eval and expval) or, for
/// commands without one (`iqp data`), the automatic budget: half of this machine's memory and
/// at most three quarters of what the host has available now.
public struct MemoryAdmission: Sendable, Equatable {
    /// Bytes the admitted allocations may use together.
    public var budget: Int
    /// The budget as messages name it ("the memory budget of 1 GiB (`memoryBudget`)").
    public var budgetName: String
    /// The setting that raises the budget (nil for the automatic budget).
    public var budgetOption: String?

    /// A budget given by the setting `option` (the field `memoryBudget`, as `IQPError.ref` names it).
    public init(budget: Int, option: String = IQPError.ref("memoryBudget")) {
        self.budget = budget
        self.budgetOption = option
        self.budgetName = "the memory budget of \(ByteCount.format(Double(budget))) (\(option))"
    }

    /// The automatic budget: half of the machine's physical memory, and no more than three
    /// quarters of what the host has available now (`HostMemory.availableBytes`).
    public static func automatic() -> MemoryAdmission {
        let half = HostMemory.physicalBytes / 2
        let available = HostMemory.availableBytes()
        let share = available / 4 * 3
        var admission = MemoryAdmission(budget: half)
        admission.budgetOption = nil
        if share < half {
            admission.budget = max(1 << 20, share)
            admission.budgetName = "the automatic memory budget of \(ByteCount.format(Double(admission.budget))) "
                + "(3/4 of the \(ByteCount.format(Double(available))) available on this host)"
        } else {
            admission.budgetName = "the automatic memory budget of \(ByteCount.format(Double(half))) "
                + "(half of this machine's \(ByteCount.format(Double(HostMemory.physicalBytes))))"
        }
        return admission
    }

    /// One allocation sized by an option: `count` items of `bytesEach` bytes.
    public struct Need: Sendable, Equatable {
        /// The setting that sets the size: a field (`IQPError.ref("samples")`) or a front end's option.
        public var option: String
        /// The option's value, as shown in the message.
        public var value: String
        /// What is allocated ("Monte Carlo samples of 16 qubits").
        public var what: String
        public var bytes: Double

        public init(_ option: String, value: CustomStringConvertible, what: String, count: Double, bytesEach: Double) {
            self.option = option
            self.value = "\(value)"
            self.what = what
            // Counts and sizes are Doubles so that no product overflows before it is compared.
            self.bytes = max(0, count) * max(0, bytesEach)
        }
    }

    /// The bytes `needs` take together.
    public static func total(_ needs: [Need]) -> Double { needs.reduce(0) { $0 + $1.bytes } }

    /// Throws unless `needs` fit the budget together. The message names the option of the
    /// largest need, its value and its bytes, and the total when the others add to it:
    ///
    ///     --samples 99999999999999 needs 4.4 PiB for Monte Carlo samples of 16 qubits, more than
    ///     the memory budget of 1 GiB (--memory-budget); lower --samples or raise --memory-budget
    public func admit(_ needs: [Need]) throws {
        let total = MemoryAdmission.total(needs)
        guard total > Double(budget) || !total.isFinite, let top = needs.max(by: { $0.bytes < $1.bytes }) else { return }
        var text = "\(top.option) \(top.value) needs \(ByteCount.format(top.bytes)) for \(top.what)"
        if total > top.bytes * 1.01 { text += " (\(ByteCount.format(total)) with the other buffers)" }
        text += ", more than \(budgetName); lower \(top.option)"
        if let budgetOption { text += " or raise \(budgetOption)" }
        throw IQPError(text)
    }
}
