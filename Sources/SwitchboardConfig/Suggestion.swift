/// "Did you mean …?" for a misspelt name.
enum Suggestion {
    /// `did you mean "intent"?` for the closest of `candidates` within a small edit distance; nil when none is close.
    static func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
        let limit = name.count <= 4 ? 1 : 2
        let best = candidates
            .map { (candidate: $0, distance: distance(name, $0)) }
            .filter { $0.distance <= limit && $0.candidate != name }
            .min { ($0.distance, $0.candidate) < ($1.distance, $1.candidate) }
        return best.map { "did you mean \"\($0.candidate)\"?" }
    }

    /// The Levenshtein distance between two strings, in characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
