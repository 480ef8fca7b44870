/// Maps a position inside a scalar's value (an expression's line and column) to a position in the file.
extension YAMLNode {
    /// The file position of the character at `valueLine`:`valueColumn` (1-based) of this scalar's value.
    ///
    /// Plain scalars start at the node's column; quoted ones one past the quote, with escapes such as `\"`
    /// or `''` counted as written; block scalars (`|`, `>`) start on the line after the indicator, at its
    /// indentation. `fileLines` are the lines of the file the node comes from.
    func filePosition(valueLine: Int, valueColumn: Int, fileLines: [Substring]) -> (line: Int, column: Int) {
        let style = scalar?.style ?? .plain
        switch style {
        case .literal, .folded:
            let fileLine = line + valueLine
            let indent = Self.indentation(of: fileLines, line: fileLine)
            return (fileLine, indent + valueColumn)
        case .singleQuoted, .doubleQuoted:
            guard valueLine == 1 else { return (line + valueLine - 1, valueColumn) }
            if let column = quotedColumn(valueColumn, doubleQuoted: style == .doubleQuoted, fileLines: fileLines) {
                return (line, column)
            }
            return (line, column + 1 + valueColumn - 1)
        case .any, .plain:
            guard valueLine == 1 else { return (line + valueLine - 1, valueColumn) }
            return (line, column + valueColumn - 1)
        }
    }

    /// Walks the quoted scalar as written on its first line, counting escapes as one value character.
    private func quotedColumn(_ valueColumn: Int, doubleQuoted: Bool, fileLines: [Substring]) -> Int? {
        guard line >= 1, line <= fileLines.count else { return nil }
        let raw = Array(fileLines[line - 1])
        var index = column  // 0-based index just past the opening quote at 1-based `column`
        var remaining = valueColumn - 1
        while remaining > 0 {
            guard index < raw.count else { return nil }
            if doubleQuoted, raw[index] == "\\", index + 1 < raw.count {
                switch raw[index + 1] {
                case "x": index += 4
                case "u": index += 6
                case "U": index += 10
                default: index += 2
                }
            } else if !doubleQuoted, raw[index] == "'", index + 1 < raw.count, raw[index + 1] == "'" {
                index += 2
            } else {
                index += 1
            }
            remaining -= 1
        }
        return index + 1
    }

    private static func indentation(of fileLines: [Substring], line: Int) -> Int {
        guard line >= 1, line <= fileLines.count else { return 0 }
        return fileLines[line - 1].prefix { $0 == " " }.count
    }
}
