import Foundation

extension String {
    /// Empty or only whitespace: a field a platform sent but left empty.
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
