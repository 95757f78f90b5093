/// The word list behind ``TextGenerator``: very common English words first, then distinct lower-case
/// ASCII words synthesized from syllables with a seeded generator, shorter ones toward the front
/// (where the Zipf ranks are frequent). Stored as one contiguous byte array with offsets.
struct TextVocabulary: Sendable {
    /// All words' bytes, back to back.
    let bytes: [UInt8]
    /// Word `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
    let offsets: [Int32]

    /// The number of words.
    var count: Int { offsets.count - 1 }

    /// Word `index` as a String (for tests and diagnostics).
    func word(_ index: Int) -> String {
        String(decoding: bytes[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }

    /// A vocabulary of `count` distinct words determined by `seed`.
    init(count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed, stream: 0x766F_6361_6275_6C61)
        var seen = Set<String>()
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        bytes.reserveCapacity(count * 9)
        offsets.reserveCapacity(count + 1)
        func add(_ word: String) {
            guard offsets.count <= count, seen.insert(word).inserted else { return }
            bytes.append(contentsOf: word.utf8)
            offsets.append(Int32(bytes.count))
        }
        for word in Self.commonWords { add(word) }
        while offsets.count <= count {
            // Frequent ranks get one or two syllables, rare ones two to four, plus an occasional suffix.
            let filled = offsets.count
            let bits = random.next()
            var syllables = 1 + SeededRandom.below(filled < 3_000 ? 2 : 3, using: bits)
            if filled >= 15_000 && bits & 3 == 0 { syllables += 1 }
            var word = ""
            for _ in 0..<syllables { word += Self.syllable(&random) }
            if bits & 0x70 == 0 { word += Self.suffixes[Int((bits >> 8 & 0xFFFF) % UInt64(Self.suffixes.count))] }
            add(word)
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    private static func syllable(_ random: inout SeededRandom) -> String {
        let bits = random.next()
        let onset = Self.onsets[Int((bits & 0xFFFF) % UInt64(Self.onsets.count))]
        let nucleus = Self.nuclei[Int((bits >> 16 & 0xFFFF) % UInt64(Self.nuclei.count))]
        let coda = Self.codas[Int((bits >> 32 & 0xFFFF) % UInt64(Self.codas.count))]
        return onset + nucleus + coda
    }

    // Single letters appear several times so that they are more common than clusters.
    private static let onsets = [
        "", "", "", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "y",
        "b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "w", "j", "z",
        "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sh", "sl", "sp", "st", "th",
        "tr", "wh", "qu", "sk", "sm", "sn", "sw",
    ]
    private static let nuclei = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ai", "ea", "ee", "oa", "oo", "ou", "y"]
    private static let codas = [
        "", "", "", "", "", "", "", "", "n", "r", "s", "t", "l", "d", "m", "n", "r", "s", "t", "ck", "ng",
        "nd", "nt", "st", "ll", "rd", "rk", "rn", "rt", "sh", "th", "x", "p", "g", "b", "ve", "ld", "mp",
    ]
    private static let suffixes = ["ing", "ed", "er", "ly", "tion", "ness", "s", "ment", "able", "ful", "ous", "ist"]

    /// Very common English words, roughly in order of frequency.
    static let commonWords: [String] = [
        "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are", "with", "as", "he",
        "be", "at", "by", "this", "had", "not", "but", "from", "or", "have", "an", "they", "which", "one", "you",
        "were", "her", "all", "she", "there", "would", "their", "we", "him", "been", "has", "when", "who", "will",
        "more", "no", "if", "out", "so", "said", "what", "up", "its", "about", "into", "than", "them", "can",
        "only", "other", "new", "some", "could", "time", "these", "two", "may", "then", "do", "first", "any",
        "my", "now", "such", "like", "our", "over", "man", "me", "even", "most", "made", "after", "also", "did",
        "many", "before", "must", "through", "back", "years", "where", "much", "your", "way", "well", "down",
        "should", "because", "each", "just", "those", "people", "how", "too", "little", "state", "good", "very",
        "make", "world", "still", "own", "see", "men", "work", "long", "get", "here", "between", "both", "life",
        "being", "under", "never", "day", "same", "another", "know", "while", "last", "might", "us", "great",
        "old", "year", "off", "come", "since", "against", "go", "came", "right", "used", "take", "three",
        "himself", "few", "house", "use", "during", "without", "again", "place", "around", "however", "home",
        "small", "found", "thought", "went", "say", "part", "once", "general", "high", "upon", "school", "every",
        "does", "got", "united", "left", "number", "course", "war", "until", "always", "away", "something",
        "fact", "though", "water", "less", "public", "put", "think", "almost", "hand", "enough", "far", "took",
        "head", "yet", "government", "system", "better", "set", "told", "nothing", "night", "end", "why",
        "called", "began", "eyes", "find", "going", "look", "asked", "later", "knew", "point", "next", "program",
        "city", "business", "give", "group", "toward", "young", "days", "let", "room", "president", "side",
        "social", "given", "present", "several", "order", "national", "possible", "rather", "second", "face",
        "per", "among", "form", "often", "important", "early", "white", "case", "hours", "become", "large",
        "big", "need", "four", "within", "felt", "along", "children", "saw", "best", "church", "ever", "least",
        "power", "development", "light", "thing", "seemed", "family", "interest", "want", "members", "mind",
        "country", "area", "others", "done", "turned", "although", "open", "problem", "door", "sense", "help",
        "means", "whole", "matter", "perhaps", "itself", "full", "line", "above", "name", "example", "action",
        "company", "local", "show", "whether", "five", "history", "gave", "today", "either", "act", "feet",
        "across", "taken", "past", "quite", "anything", "seen", "having", "death", "week", "experience",
        "body", "word", "half", "really", "field", "car", "words", "already", "themselves", "information",
        "tell", "together", "shall", "money", "period", "held", "keep", "sure", "free", "seems", "political",
        "real", "behind", "cannot", "question", "air", "office", "making", "brought", "whose", "special", "heard",
        "major", "problems", "ago", "became", "federal", "moment", "study", "available", "known", "result",
        "street", "economic", "boy", "position", "reason", "change", "south", "board", "individual", "job",
        "society", "areas", "west", "close", "turn", "love", "community", "true", "court", "force", "black",
        "seem", "front", "service", "woman", "voice", "kind", "river", "morning", "table", "road", "paper",
    ]
}
