/// The real scalar types the Walsh–Hadamard transform and the simulator are specialised for (`Float` and `Double`).
public protocol SimulationScalar: BinaryFloatingPoint, Sendable {
    /// The value widened to `Double`.
    var asDouble: Double { get }
    /// The nearest value to `x`.
    init(fromDouble x: Double)
}

extension Double: SimulationScalar {
    @inlinable public var asDouble: Double { self }
    @inlinable public init(fromDouble x: Double) { self = x }
}

extension Float: SimulationScalar {
    @inlinable public var asDouble: Double { Double(self) }
    @inlinable public init(fromDouble x: Double) { self = Float(x) }
}
