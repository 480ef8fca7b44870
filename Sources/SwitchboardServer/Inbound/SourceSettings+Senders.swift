import SwitchboardConfig
import SwitchboardConnectors

extension SourceSettings {
    /// How the source's emails are trusted: `verify_senders` and `authserv_id`.
    var senders: SenderPolicy { SenderPolicy(verify: verifySenders, authservId: authservId) }
}
