import Spindle
import SpindleTools
import SpindleCore

/// `wordcount`: how often each word occurs. A word is a maximal run of Unicode letters (categories Lu, Ll,
/// Lt, Lm, Lo); case is kept unless `--param lowercase=true`. Output: `word<TAB>count`.
public enum WordCount {
    public static var job: Job { definition.job }

    static var definition: MapReduceJob<ByteString, Int> {
        MapReduceJob(
            name: "wordcount", summary: "Count the words (runs of Unicode letters) of text files",
            parameters: [JobParameter("lowercase", .bool, default: "false", help: "count words in lower case")],
            defaultInput: { [try SampleData.textCorpus()] },
            makeMap: { parameters in
                let tokenizer = WordTokenizer(lowercase: parameters.bool("lowercase"))
                return { record, output in
                    tokenizer.forEachWord(in: record.bytes) { word in output.emit(keyBytes: word, 1) }
                }
            },
            combine: { total, count in total += count },
            makeReduce: { _ in
                { word, counts, output in
                    var total = 0
                    for count in counts { total += count }
                    try output.write(word, total)
                }
            })
    }
}
