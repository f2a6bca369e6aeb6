/// Adam with optax's defaults (β1 = 0.9, β2 = 0.999, ε = 1e-8 added outside the square root):
///
///     m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,
///     θ ← θ − lr · m̂ / (√v̂ + ε),   m̂ = m/(1 − β1ᵗ),  v̂ = v/(1 − β2ᵗ).
///
/// The state is plain data so root can checkpoint it and a resumed run continues exactly.
public struct Adam: Sendable {
    public var learningRate: Double
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-8

    public init(learningRate: Double) { self.learningRate = learningRate }

    /// Moments and step count.
    public struct State: Equatable, Sendable {
        public var m: [Double]
        public var v: [Double]
        public var count: Int
        public init(parameterCount: Int) {
            m = [Double](repeating: 0, count: parameterCount)
            v = m
            count = 0
        }
        public init(m: [Double], v: [Double], count: Int) { self.m = m; self.v = v; self.count = count }
    }

    /// One update of `params` with gradient `g`.
    public func update(_ params: inout [Double], gradient g: [Double], state: inout State) {
        precondition(params.count == g.count && state.m.count == g.count)
        state.count += 1
        let c1 = 1 - pow(beta1, Double(state.count)), c2 = 1 - pow(beta2, Double(state.count))
        for i in 0..<params.count {
            state.m[i] = beta1 * state.m[i] + (1 - beta1) * g[i]
            state.v[i] = beta2 * state.v[i] + (1 - beta2) * g[i] * g[i]
            params[i] -= learningRate * (state.m[i] / c1) / ((state.v[i] / c2).squareRoot() + epsilon)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
