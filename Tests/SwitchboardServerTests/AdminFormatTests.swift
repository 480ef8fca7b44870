import Foundation
import Testing

@testable import SwitchboardServer

@Suite("Admin page: how waits are written")
struct AdminFormatTests {
    @Test(
        "waits read as people say them",
        arguments: [(0.4, "0s"), (45, "45s"), (125, "2m 05s"), (3_720, "1h 02m"), (273_600, "3d 4h")]
            as [(Double, String)])
    func duration(_ seconds: Double, _ written: String) {
        #expect(AdminFormat.duration(seconds) == written)
    }
}
