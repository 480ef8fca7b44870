import SwitchboardCore

/// Reads one or several routing-table files as one table, collecting every problem of every file.
///
/// State that spans files lives here: the facts declared so far (a fact reads only those above it),
/// all facts (a route reads any of them), the route names taken, and the first route without a
/// condition (every route after it is unreachable).
final class RoutingTableParser {
    /// One file's name and text.
    struct Source {
        let file: String
        let text: String
    }

    /// Where something was declared, for messages that point back to it.
    struct Place {
        let file: String
        let line: Int
        let column: Int

        init(_ node: YAMLNode, in reader: YAMLReader) {
            self.file = reader.file
            self.line = node.line
            self.column = node.column
        }

        /// `line 14` within the same file, `Routes/a.yaml:14` from another one.
        func described(from file: String) -> String {
            self.file == file ? "line \(line)" : "\(self.file):\(line)"
        }
    }

    /// Every fact of every file, known before any file is read, for routes and helpful hints.
    var allFacts: Set<String> = []
    /// The facts declared above the current point, across files.
    var factsSoFar: [String: Place] = [:]
    /// Route names taken so far.
    var routeNames: [String: Place] = [:]
    /// The first route without `when`, after which no route can apply.
    var catchAll: (label: String, place: Place)?

    /// Reads the files in order and merges their tables.
    /// - Throws: every problem found, file by file.
    static func parse(_ sources: [Source]) throws(ConfigErrors) -> RoutingTable {
        let parser = RoutingTableParser()
        let documents = sources.map { source in
            let reader = YAMLReader(file: source.file, source: source.text)
            return (reader: reader, root: reader.root())
        }
        parser.allFacts = Set(documents.flatMap { declaredFacts(in: $0.root) })
        var tables: [RoutingTable] = []
        var problems: [ConfigProblem] = []
        for (reader, root) in documents {
            if let table = parser.table(root, reader) { tables.append(table) }
            problems += reader.problemsInFileOrder
        }
        guard problems.isEmpty else { throw ConfigErrors(problems: problems) }
        return RoutingTable.merged(tables)
    }

    /// The fact names a document declares, read ahead without reporting anything.
    private static func declaredFacts(in root: YAMLNode?) -> [String] {
        guard let facts = root?.entries?.first(where: { $0.key.text == "facts" })?.value.entries else { return [] }
        return facts.compactMap(\.key.text)
    }

    /// One file's table; nil when it has problems (recorded in `reader`).
    private func table(_ root: YAMLNode?, _ reader: YAMLReader) -> RoutingTable? {
        guard let root else {
            if reader.problems.isEmpty {
                reader.report("the file is empty; a routing table lists facts and routes", line: 1, column: 1)
            }
            return nil
        }
        guard let top = reader.mapping(root, "a routing table", allowed: RoutingTableKeys.table, naming: false) else {
            return nil
        }
        var facts: [Fact] = []
        if let node = top["facts"], let entries = reader.dictionary(node, "facts") {
            for entry in entries {
                if let fact = fact(entry, reader) { facts.append(fact) }
                if factsSoFar[entry.key] == nil { factsSoFar[entry.key] = Place(entry.keyNode, in: reader) }
            }
        }
        var routes: [Route] = []
        if let node = reader.required("routes", in: top, "the routing table"), let items = reader.list(node, "routes") {
            if items.isEmpty { reader.report("routes must list at least one route", at: node) }
            for (index, item) in items.enumerated() {
                if let route = route(item, number: index + 1, reader) { routes.append(route) }
            }
        }
        return RoutingTable(facts: facts, routes: routes)
    }
}
