import Spindle
import SpindleTools
import SpindleCore

/// `invertedindex`: for each word, the documents (input files, by base name) containing it.
/// Output: `word<TAB>n<TAB>doc1,doc2,...` with the n distinct documents sorted.
public enum InvertedIndex {
    public static var job: Job { definition.job }

    static var definition: MapReduceJob<ByteString, [String]> {
        MapReduceJob(
            name: "invertedindex", summary: "List, for each word, the documents that contain it",
            parameters: [JobParameter("lowercase", .bool, default: "false", help: "index words in lower case")],
            defaultInput: { [try SampleData.textCorpus()] },
            makeMap: { parameters in
                let tokenizer = WordTokenizer(lowercase: parameters.bool("lowercase"))
                return { record, output in
                    let document = [record.fileName]
                    tokenizer.forEachWord(in: record.bytes) { word in output.emit(keyBytes: word, document) }
                }
            },
            combine: { documents, more in documents = mergeSortedUnique(documents, more) },
            makeReduce: { _ in
                { word, lists, output in
                    var documents: [String] = []
                    for list in lists { documents = mergeSortedUnique(documents, list) }
                    try output.write(word, String(documents.count), documents.joined(separator: ","))
                }
            })
    }

    /// The sorted union of two sorted lists without duplicates.
    static func mergeSortedUnique(_ a: [String], _ b: [String]) -> [String] {
        if a.isEmpty { return b }
        if b.count == 1, let only = b.first, a.contains(only) { return a }
        return Array(Set(a).union(b)).sorted()
    }
}
