import SpindleCore
import Testing
@testable import Spindle

/// Parameter kinds: `.int` and `.double` each with or without a range, checked before a job starts.
@Suite struct JobParameterKindTests {
    private func resolve(_ kind: JobParameter.Kind, _ value: String) -> String? {
        do {
            _ = try JobParameters.resolve([JobParameter("p", kind, default: nil, help: "a parameter")], given: [("p", value)], job: "job")
            return nil
        } catch {
            return error.message
        }
    }

    @Test func doubleTakesARangeAsIntDoes() {
        #expect(resolve(.double(0...1), "0.85") == nil)
        #expect(resolve(.double(0...1), "0") == nil)
        #expect(resolve(.double(0...1), "1") == nil)
        #expect(resolve(.double(0...1), "1.5") == "parameter 'p' of job 'job' must be within 0.0...1.0, got 1.5")
        #expect(resolve(.double(0...1), "-1e-9") == "parameter 'p' of job 'job' must be within 0.0...1.0, got -1e-9")
        #expect(resolve(.int(1...100), "101") == "parameter 'p' of job 'job' must be within 1...100, got 101")
    }

    @Test func unrangedNumbersTakeAnyFiniteValue() {
        #expect(resolve(.double, "1e300") == nil)
        #expect(resolve(.double, "-0.5") == nil)
        #expect(resolve(.double, "inf") == "parameter 'p' of job 'job' expects a number, got 'inf'")
        #expect(resolve(.double, "nan") == "parameter 'p' of job 'job' expects a number, got 'nan'")
        #expect(resolve(.int, String(Int.min)) == nil)
        #expect(resolve(.int, String(Int.max)) == nil)
        #expect(resolve(.int, "1.5") == "parameter 'p' of job 'job' expects an integer, got '1.5'")
        #expect(JobParameter.Kind.double == .double(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude))
        #expect(JobParameter.Kind.int == .int(Int.min...Int.max))
    }
}
