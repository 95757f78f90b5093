/// Rows of text cells printed as aligned columns: the first column left-aligned, the others right-aligned.
struct TextTable: Sendable {
    /// The column titles.
    var header: [String]
    /// The cells, one array per row; short rows are padded with empty cells.
    var rows: [[String]] = []

    /// The table's lines, each indented by `indent` spaces, columns separated by two spaces, no trailing spaces.
    func lines(indent: Int = 2) -> [String] {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let margin = String(repeating: " ", count: indent)
        return all.map { row in
            var line = margin
            for index in 0..<columns {
                let cell = index < row.count ? row[index] : ""
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += index == 0 ? cell + pad : pad + cell
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
