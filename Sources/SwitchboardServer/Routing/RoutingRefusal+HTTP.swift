import Hummingbird
import SwitchboardCore

extension RoutingRefusal {
    /// 404 for an unknown handoff, conversation or agent; 409 for a request the conversation's state refuses.
    var httpError: HTTPError {
        HTTPError(isNotFound ? .notFound : .conflict, message: description)
    }
}
