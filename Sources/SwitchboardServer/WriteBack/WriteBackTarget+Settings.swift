import SwitchboardConfig
import SwitchboardDelivery

extension WriteBackTarget {
    /// Each source's write-back, by source name, from its `write_back` settings; sources without one are left out.
    static func targets(of sources: [SourceSettings]) -> [String: WriteBackTarget] {
        var targets: [String: WriteBackTarget] = [:]
        for source in sources {
            guard let settings = source.writeBack else { continue }
            let platform: WriteBackPlatform =
                switch settings.kind {
                case .zendesk: .zendesk
                case .intercom: .intercom
                case .front: .front
                }
            targets[source.name] = WriteBackTarget(
                platform: platform, apiURL: settings.apiURL, email: settings.email, apiToken: settings.apiToken,
                adminId: settings.adminId)
        }
        return targets
    }
}
