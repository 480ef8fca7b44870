/// The names of the metric families that ``RoutingMetrics`` exports.
enum RoutingMetricName {
    /// Summary: p50 and p95 of time to agent over the recent window, with `_sum` and `_count` of all offers.
    static let timeToAgent = "switchboard_time_to_agent_seconds"
    /// Histogram of time to agent, for quantiles in PromQL (`histogram_quantile`).
    static let timeToAgentHistogram = "switchboard_time_to_agent_histogram_seconds"
    /// Counter of accepted offers whose time to agent exceeded the goal.
    static let overGoal = "switchboard_time_to_agent_over_goal_total"
    /// Counter of offers declined by the agent.
    static let offersDeclined = "switchboard_offers_declined_total"
    /// Counter of offers left unanswered past their offer timeout.
    static let offersTimedOut = "switchboard_offers_timed_out_total"
    /// Counter of moves from one agent to another (escalations and transfers).
    static let transfers = "switchboard_transfers_total"
    /// Histogram of the number of transfers a conversation had when it was resolved.
    static let transfersPerConversation = "switchboard_conversation_transfers"
    /// Gauge of promises past due and not kept, read from the store at each scrape.
    static let promisesOverdue = "switchboard_promises_overdue"
    /// Counter of inbound events acknowledged but not routed, by source and event type.
    static let inboundIgnored = "switchboard_inbound_ignored_total"
    static let authFailures = "switchboard_auth_failures_total"
    static let authThrottled = "switchboard_auth_throttled_total"
    /// Counter of write-backs the platform took, by source.
    static let writeBacksDone = "switchboard_write_backs_done_total"
    /// Counter of failed write-back attempts (retried unless given up), by source.
    static let writeBacksFailed = "switchboard_write_backs_failed_total"
    /// Counter of write-backs the platform refused for good, by source.
    static let writeBacksGivenUp = "switchboard_write_backs_given_up_total"
    /// Counter of write-backs not sent, by source and reason (`no_platform_id`, `not_configured`).
    static let writeBacksSkipped = "switchboard_write_backs_skipped_total"
    /// Gauge of write-backs waiting for an attempt or a retry, read from the store at each scrape.
    static let writeBacksPending = "switchboard_write_backs_pending"
    /// Counter of messages a polled source (IMAP, Matrix) took, by source.
    static let polledMessages = "switchboard_polled_messages_total"
    /// Counter of failed polls, by source.
    static let pollErrors = "switchboard_poll_errors_total"
    /// Gauge: Unix time of the last successful poll, by source.
    static let pollLastSuccess = "switchboard_poll_last_success_timestamp_seconds"
    /// Gauge: how far behind its source the newest message taken was, in seconds.
    static let pollLag = "switchboard_poll_lag_seconds"
    /// Counter of full rebuilds of the routing engine from the store, by reason (``EngineRebuild``).
    static let engineRebuilds = "switchboard_engine_rebuilds_total"
    /// Counter of catch-ups of the routing engine on the conversations and agents other instances changed.
    static let engineCatchUps = "switchboard_engine_catch_ups_total"
}
