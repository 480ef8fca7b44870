/// The event types each platform documents that Switchboard acknowledges and does not route: the
/// closed set a metric may name. Any other type a platform sends (or a forger makes up) is counted as
/// ``ConnectorIgnoredTypes/other``, so that no request can add a metric series.
public enum ConnectorIgnoredTypes {
    /// The label of every type not in a connector's set.
    public static let other = "other"

    static let slack: Set<String> = Set(
        ["event_callback", "unknown", "app_rate_limited", "app_home_opened", "app_mention.bot_message", "reaction_added",
         "reaction_removed", "member_joined_channel", "member_left_channel", "channel_created", "team_join", "user_change"]
    ).union(
            ["bot_message", "message_changed", "message_deleted", "message_replied", "channel_join", "channel_leave",
             "channel_topic", "channel_purpose", "channel_name", "file_share", "me_message", "ekm_access_denied",
             "pinned_item", "unpinned_item", "group_join", "group_leave"].map { "message.\($0)" })
    static let zendesk: Set<String> = [
        ZendeskTriggerBody.agentUpdate, "ticket.comment_added.private", "ticket.comment_added.staff", "ticket.status_changed",
        "ticket.priority_changed", "ticket.tags_changed", "ticket.assignee_changed", "ticket.group_assignment_changed",
        "ticket.subject_changed", "ticket.description_changed", "ticket.type_changed", "ticket.custom_field_changed",
        "ticket.marked_as_spam", "ticket.soft_deleted", "ticket.permanently_deleted", "ticket.undeleted",
        "ticket.merged", "ticket.organization_changed", "ticket.requester_changed", "ticket.brand_changed",
        "ticket.form_changed", "ticket.due_date_changed", "ticket.problem_link_changed", "ticket.external_id_changed",
    ]
    static let intercom: Set<String> = [
        "ping", "conversation.user.created.no_customer_part", "conversation.user.replied.no_customer_part",
        "conversation.admin.replied", "conversation.admin.single.created", "conversation.admin.assigned",
        "conversation.admin.noted", "conversation.admin.closed", "conversation.admin.opened", "conversation.admin.snoozed",
        "conversation.admin.unsnoozed", "conversation.deleted", "conversation.rating.added", "conversation_part.redacted",
        "conversation_part.tag.created", "contact.created", "contact.deleted", "contact.tag.created", "user.created",
    ]
    static let front: Set<String> = [
        "outbound_sent", "outbound_reply", "assign", "unassign", "archive", "reopen", "trash", "restore", "tag", "untag",
        "comment", "mention", "move", "forward", "message_bounced", "inbound_received.outbound", "conversation_snoozed",
    ]
    static let helpscout: Set<String> = [
        "convo.agent.reply.created", "convo.assigned", "convo.moved", "convo.status", "convo.tags", "convo.deleted",
        "convo.merged", "convo.note.created", "convo.custom-fields", "customer.created", "customer.updated",
        "satisfaction.ratings", "convo.created.no_customer_thread", "convo.customer.reply.created.no_customer_thread",
    ]
    static let twilio: Set<String> = [
        "onMessageAdded.system", "onMessageAdded.media", "onMessageUpdated", "onMessageRemoved", "onConversationAdded",
        "onConversationUpdated", "onConversationRemoved", "onConversationStateUpdated", "onParticipantAdded",
        "onParticipantUpdated", "onParticipantRemoved", "onDeliveryUpdated", "onUserAdded", "onUserUpdated",
    ]
}

extension Connector {
    /// The types this connector's ignored events are counted under (``ConnectorIgnoredTypes``); none by default.
    public var ignoredTypes: Set<String> { [] }

    /// `type` when the platform documents it, else ``ConnectorIgnoredTypes/other``.
    public func metricLabel(forIgnored type: String) -> String {
        ignoredTypes.contains(type) ? type : ConnectorIgnoredTypes.other
    }
}

extension SlackConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.slack }
}

extension ZendeskConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.zendesk }
}

extension IntercomConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.intercom }
}

extension FrontConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.front }
}

extension HelpScoutConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.helpscout }
}

extension TwilioConnector {
    public var ignoredTypes: Set<String> { ConnectorIgnoredTypes.twilio }
}
