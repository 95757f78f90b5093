import Spindle

/// Counts how many words start with each letter, in lower case.
let firstLetters = MapReduceJob<String, Int>(
    name: "first-letters", summary: "Count words by their first letter",
    parameters: [JobParameter("min-length", .int(1...100), default: "1", help: "ignore shorter words")],
    makeMap: { parameters in
        let minimum = parameters.int("min-length")
        return { record, output in
            for word in record.text.split(whereSeparator: { !$0.isLetter }) where word.count >= minimum {
                output.emit(String(word.prefix(1)).lowercased(), 1)
                output.counters.increment("words")
            }
        }
    },
    combine: { $0 += $1 },
    makeReduce: { _ in
        { letter, counts, output in try output.write(letter, counts.reduce(0, +)) }
    })

Spindle.main(jobs: [firstLetters.job])
