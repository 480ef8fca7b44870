import SwitchboardCore

extension YAMLReader {
    /// Parses the expression written in a scalar (a `when:` condition).
    ///
    /// A syntax error is recorded at its position in the file, not in the expression: the scalar's line
    /// and column, one further past an opening quote, plus the expression's own column. Each name the
    /// expression reads that `isKnown` rejects is recorded as `unknown name "intnet"`, followed by `hint`.
    func expression(
        _ node: YAMLNode, _ what: String, isKnown: (String) -> Bool, hint: (String) -> String? = { _ in nil }
    ) -> Expression? {
        guard node.scalar != nil, !node.isNull, let source = node.text else {
            report("\(what) must be a condition such as 'intent == \"refund\"', found \(node.found)", at: node)
            return nil
        }
        let parsed: Expression
        do {
            parsed = try Expression.parse(source)
        } catch {
            let position = node.filePosition(valueLine: error.line, valueColumn: error.column, fileLines: lines)
            report(error.message, line: position.line, column: position.column)
            return nil
        }
        var valid = true
        let unknown = parsed.names.filter { !isKnown($0) }
            .map { (name: $0, at: Self.position(of: $0, in: source)) }
            .sorted { ($0.at.line, $0.at.column, $0.name) < ($1.at.line, $1.at.column, $1.name) }
        for (name, at) in unknown {
            let position = node.filePosition(valueLine: at.line, valueColumn: at.column, fileLines: lines)
            report("unknown name \"\(name)\"" + (hint(name).map { "; \($0)" } ?? ""), line: position.line, column: position.column)
            valid = false
        }
        return valid ? parsed : nil
    }

    /// Where `name` is first read in `source` (outside string literals), 1-based; 1:1 when not found.
    static func position(of name: String, in source: String) -> (line: Int, column: Int) {
        let characters = Array(source)
        let target = Array(name)
        func isNamePart(_ index: Int) -> Bool {
            guard index >= 0, index < characters.count else { return false }
            let character = characters[index]
            return character == "_" || character == "." || character.isLetter || character.isNumber
        }
        var line = 1, column = 1, index = 0
        var quote: Character?
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == "\\" {
                    index += 2
                    column += 2
                    continue
                }
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if !isNamePart(index - 1), characters[index...].starts(with: target), !isNamePart(index + target.count) {
                return (line, column)
            }
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return (1, 1)
    }
}
