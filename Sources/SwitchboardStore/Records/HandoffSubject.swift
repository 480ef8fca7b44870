import SwitchboardCore

/// The conversation an offer is for and its customer, as a routing transaction just stored them, so that the
/// offer's handoff is built without reading them back.
package struct HandoffSubject: Sendable {
    package var conversation: Conversation
    package var customer: Customer
    /// The transcript when it is known without reading it: a customer's first contact, whose one message the
    /// transaction just stored (such a customer has no history, notes or promises either). Nil: read it all.
    package var firstContact: [TranscriptMessage]?

    package init(conversation: Conversation, customer: Customer, firstContact: [TranscriptMessage]? = nil) {
        self.conversation = conversation
        self.customer = customer
        self.firstContact = firstContact
    }

    /// The subject of a message just applied: its first contact's transcript when `created` (the message
    /// created the customer) and `isNew` (and the conversation).
    package init(conversation: Conversation, customer: Customer, message: InboundMessage, created: Bool, isNew: Bool) {
        self.init(
            conversation: conversation, customer: customer,
            firstContact: created && isNew
                ? [TranscriptMessage(id: message.messageId, text: message.text, sentAt: message.sentAt)] : nil)
    }

    /// The handoff's context when nothing needs reading for it: a first contact's.
    package var firstContactContext: HandoffContext? {
        firstContact.map { HandoffContext(conversation: conversation, customer: customer, transcript: $0, history: []) }
    }

    /// This subject when the offer is for its conversation, and the conversation is its customer's (a known
    /// conversation keeps its customer even when the message's identities resolved to another).
    package func subject(of offer: Offer) -> HandoffSubject? {
        conversation.id == offer.conversationId && conversation.customerId == customer.id ? self : nil
    }
}
