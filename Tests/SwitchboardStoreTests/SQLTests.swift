import Foundation
import SwitchboardSQL
import Testing

/// The shared statements as each database receives them: the same text but for the placeholders and the
/// parts that differ by dialect, with the same parameters in the same order.
@Suite struct SQLTests {
    @Test func placeholdersAndParametersByDialect() {
        let id = "tok_1"
        let at = Date(timeIntervalSince1970: 1_700_000_000.5)
        let sql: SQL = "UPDATE desk_tokens SET revoked_at = COALESCE(revoked_at, \(at)) WHERE id = \(id) AND label = \(nil as String?)"
        let sqlite = sql.rendered(for: .sqlite)
        let postgres = sql.rendered(for: .postgres)
        #expect(sqlite.text == "UPDATE desk_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND label = ?")
        #expect(postgres.text == "UPDATE desk_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND label = $3")
        #expect(sqlite.values == [.real(1_700_000_000.5), .text("tok_1"), .null])
        #expect(postgres.values == sqlite.values)
    }

    @Test func listsAndDialectText() {
        let ids = ["a", "b", "c"]
        let sql: SQL = "SELECT x FROM t WHERE id IN \(in: ids) AND n > \(2)\(sqlite: "", postgres: " FOR UPDATE")"
        #expect(sql.rendered(for: .sqlite).text == "SELECT x FROM t WHERE id IN (?, ?, ?) AND n > ?")
        #expect(sql.rendered(for: .postgres).text == "SELECT x FROM t WHERE id IN ($1, $2, $3) AND n > $4 FOR UPDATE")
        #expect(sql.rendered(for: .postgres).values == [.text("a"), .text("b"), .text("c"), .integer(2)])
        // An empty list matches nothing, on both (`IN ()` is not PostgreSQL).
        let none: SQL = "SELECT x FROM t WHERE id IN \(in: [String]())"
        #expect(none.rendered(for: .postgres).text == "SELECT x FROM t WHERE id IN (NULL)")
    }

    @Test func insertedStatementsKeepTheirParameters() {
        let condition: SQL = "status = \("pending")"
        let sql: SQL = "SELECT id FROM deliveries WHERE \(condition) AND due <= \(5.0)" + " LIMIT \(10)"
        #expect(sql.rendered(for: .postgres).text == "SELECT id FROM deliveries WHERE status = $1 AND due <= $2 LIMIT $3")
        #expect(sql.rendered(for: .sqlite).values == [.text("pending"), .real(5), .integer(10)])
    }

    @Test func rowsDecodeByType() throws {
        let row = SQLRow([.text("ana"), .integer(3), .real(1.5), .null, .blob(Data([1, 2]))])
        let (name, count, at, revoked, body) = try row.decode((String, Int, Date, Date?, [UInt8]).self)
        #expect(name == "ana" && count == 3 && at == Date(timeIntervalSince1970: 1.5) && revoked == nil && body == [1, 2])
        // A column read as what it is not is an error that names both, not a zero.
        #expect(throws: SQLDecodingError.self) { try row.decode(0, as: Int.self) }
        #expect(throws: SQLDecodingError.self) { try row.decode(3, as: String.self) }
    }
}
