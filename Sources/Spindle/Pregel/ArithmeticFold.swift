/// A built-in combiner's arithmetic, as a type, so a loop specialised for it has no switch inside.
@usableFromInline protocol ArithmeticFold {
    static func fold<T: Comparable & AdditiveArithmetic>(_ a: T, _ b: T) -> T
}
@usableFromInline enum SumFold: ArithmeticFold {
    @inline(__always) @usableFromInline static func fold<T: Comparable & AdditiveArithmetic>(_ a: T, _ b: T) -> T { a + b }
}
@usableFromInline enum MinFold: ArithmeticFold {
    @inline(__always) @usableFromInline static func fold<T: Comparable & AdditiveArithmetic>(_ a: T, _ b: T) -> T { Swift.min(a, b) }
}
@usableFromInline enum MaxFold: ArithmeticFold {
    @inline(__always) @usableFromInline static func fold<T: Comparable & AdditiveArithmetic>(_ a: T, _ b: T) -> T { Swift.max(a, b) }
}
