/// Splits expression source into tokens on demand, tracking 1-based line and column.
///
/// A value type, so the parser can peek ahead by copying it.
struct ExpressionLexer: Sendable {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        self.characters = Array(source)
    }

    /// The next token, or `.endOfExpression` (repeatedly) once the source is used up.
    mutating func next() throws(ExpressionError) -> ExpressionToken {
        skipWhitespace()
        let startLine = line
        let startColumn = column
        func token(_ kind: ExpressionToken.Kind) -> ExpressionToken {
            ExpressionToken(kind: kind, line: startLine, column: startColumn)
        }
        guard let character = peek() else {
            return token(.endOfExpression)
        }
        switch character {
        case "\"", "'":
            return token(.string(try lexString()))
        case "(": advance(); return token(.symbol(.leftParen))
        case ")": advance(); return token(.symbol(.rightParen))
        case "[": advance(); return token(.symbol(.leftBracket))
        case "]": advance(); return token(.symbol(.rightBracket))
        case ",": advance(); return token(.symbol(.comma))
        case "-": advance(); return token(.symbol(.minus))
        case _ where Self.operatorCharacters.contains(character):
            return token(.symbol(try lexOperator()))
        case _ where character.isASCII && character.isWholeNumber:
            return token(.number(try lexNumber()))
        case _ where Self.isNameStart(character):
            return token(try lexName())
        default:
            throw error("unexpected character \(Self.show(character))")
        }
    }

    // MARK: - Pieces

    private static let operatorCharacters: Set<Character> = ["=", "!", "<", ">", "~", "&", "|"]

    private mutating func lexOperator() throws(ExpressionError) -> ExpressionToken.Symbol {
        let startLine = line, startColumn = column
        var text = ""
        while let character = peek(), Self.operatorCharacters.contains(character) {
            text.append(character)
            advance()
        }
        switch text {
        case "==": return .equal
        case "!=": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default:
            let hints = [
                "=": "did you mean \"==\"?", "=~": "use \"matches\"", "!": "use \"not\"",
                "&&": "use \"and\"", "||": "use \"or\"", "<>": "did you mean \"!=\"?",
                "=<": "did you mean \"<=\"?", "=>": "did you mean \">=\"?", "!~": "use \"not (… matches …)\"",
            ]
            var message = "unknown operator \"\(text)\""
            if let hint = hints[text] { message += "; \(hint)" }
            throw ExpressionError(line: startLine, column: startColumn, message: message)
        }
    }

    private mutating func lexNumber() throws(ExpressionError) -> Double {
        let startLine = line, startColumn = column
        var text = ""
        while let character = peek(), character.isASCII, character.isWholeNumber {
            text.append(character)
            advance()
        }
        if peek() == "." {
            text.append(".")
            advance()
            guard let digit = peek(), digit.isASCII, digit.isWholeNumber else {
                throw error("expected a digit after \".\" in number \"\(text)\"")
            }
            while let character = peek(), character.isASCII, character.isWholeNumber {
                text.append(character)
                advance()
            }
        }
        if let character = peek(), Self.isNameCharacter(character) {
            while let character = peek(), Self.isNameCharacter(character) || character == "." {
                text.append(character)
                advance()
            }
            throw ExpressionError(line: startLine, column: startColumn, message: "invalid number \"\(text)\"")
        }
        guard let number = Double(text) else {
            throw ExpressionError(line: startLine, column: startColumn, message: "invalid number \"\(text)\"")
        }
        return number
    }

    private mutating func lexName() throws(ExpressionError) -> ExpressionToken.Kind {
        var name = ""
        while let character = peek(), Self.isNameCharacter(character) {
            name.append(character)
            advance()
        }
        var dotted = false
        while peek() == "." {
            advance()
            guard let character = peek(), Self.isNameCharacter(character) else {
                let found = peek().map { Self.show($0) } ?? "end of expression"
                throw error("expected a name after \"\(name).\" but found \(found)")
            }
            dotted = true
            name.append(".")
            while let character = peek(), Self.isNameCharacter(character) {
                name.append(character)
                advance()
            }
        }
        if !dotted, let keyword = ExpressionToken.Keyword(rawValue: name) {
            return .keyword(keyword)
        }
        return .name(name)
    }

    private mutating func lexString() throws(ExpressionError) -> String {
        let startLine = line, startColumn = column
        guard let quote = peek() else { return "" }
        advance()
        var text = ""
        while true {
            guard let character = peek() else {
                throw ExpressionError(
                    line: startLine, column: startColumn,
                    message: "unterminated string: missing closing \(quote) before end of expression")
            }
            if character.isNewline {
                throw ExpressionError(
                    line: startLine, column: startColumn,
                    message: "unterminated string: missing closing \(quote) before end of line")
            }
            advance()
            if character == quote {
                return text
            }
            guard character == "\\" else {
                text.append(character)
                continue
            }
            guard let escaped = peek(), !escaped.isNewline else {
                continue  // the next iteration reports the unterminated string
            }
            advance()
            switch escaped {
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "\"", "'", "\\": text.append(escaped)
            default:
                // Kept as written so regular expressions read naturally: "\d+" is the pattern \d+.
                text.append("\\")
                text.append(escaped)
            }
        }
    }

    // MARK: - Characters

    private static func isNameStart(_ character: Character) -> Bool {
        character == "_" || character.isLetter
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character == "_" || character.isLetter || (character.isASCII && character.isWholeNumber)
    }

    /// A character quoted for a message; invisible ones are shown escaped.
    private static func show(_ character: Character) -> String {
        if character.isWhitespace || character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "\"" + character.unicodeScalars.map { $0.escaped(asASCII: true) }.joined() + "\""
        }
        return "\"\(character)\""
    }

    private func peek() -> Character? {
        index < characters.count ? characters[index] : nil
    }

    private mutating func advance() {
        guard index < characters.count else { return }
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while let character = peek(), character.isWhitespace {
            advance()
        }
    }

    private func error(_ message: String) -> ExpressionError {
        ExpressionError(line: line, column: column, message: message)
    }
}
