import Foundation
import Hummingbird
import SwitchboardCore

/// The routing-table forms of the /admin page. Saving, publishing, rolling back and discarding go back
/// to the page (303) with a notice; simulate and replay show the page with their result.
extension AdminController {
    /// Saves the editor's YAML as the draft's file, even when it has problems: they are listed on the page.
    @Sendable func saveDraft(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        // Browsers send a textarea's line breaks as CRLF.
        let yaml = (context.form["yaml"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let file = context.form["file"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await back(
                session, .init(kind: .error, text: "The draft is empty: write the table's YAML first."), to: "draft",
                file: file)
        }
        do {
            let draft = try await tables.saveDraft(yaml: yaml, file: file, actor: session.value.actor)
            let count = draft.problems.count
            let notice =
                draft.valid
                ? AdminNotice(
                    kind: .success, text: "Draft saved, with no problems. Simulate it, replay it, or publish it.")
                : AdminNotice(
                    kind: .error,
                    text:
                        "Draft saved with \(count) problem\(count == 1 ? "" : "s"); fix \(count == 1 ? "it" : "them") before publishing."
                )
            logger.info(
                "routing draft saved from the admin page",
                metadata: ["actor": "\(session.value.actor)", "valid": "\(draft.valid)"])
            return try await back(session, notice, to: "draft", file: file)
        } catch let error as RouteTablesError {
            return try await back(session, .init(kind: .error, text: Self.explain(error)), to: "draft", file: file)
        }
    }

    @Sendable func discardDraft(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        do {
            try await tables.discardDraft()
            return try await back(session, .init(kind: .success, text: "Draft discarded."), to: "draft")
        } catch let error as RouteTablesError {
            return try await back(session, .init(kind: .error, text: Self.explain(error)), to: "draft")
        }
    }

    /// Runs the posted inbound body through the draft or the published table; shows the decision.
    @Sendable func simulate(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let body = (context.form["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let choice = TableChoice(rawValue: context.form["table"] ?? "") ?? .published
        let source = context.form["source"].flatMap { $0.isEmpty ? nil : $0 }
        let names = tables.sources.byName.keys.sorted()
        let hasDraft = try await store.routeDraft() != nil
        var form = SimulateView(
            body: body, draftChosen: choice == .draft, hasDraft: hasDraft,
            sources: names.map { .init(name: $0, selected: $0 == source) }, severalSources: names.count > 1)
        do {
            form.result = SimulationResult(
                try await tables.simulate(body: Array(body.utf8), sourceName: source, table: choice))
            return pages.render("admin", try await pageView(session: session, simulation: form))
        } catch let error as RouteTablesError {
            let view = try await pageView(
                session: session, simulation: form,
                notice: .init(kind: .error, text: "Simulation: " + Self.explain(error)))
            return pages.render("admin", view, status: error.status)
        }
    }

    /// `GET /admin/simulate-day?table=draft|published`: the day's scenario under the table and the usual policies, as
    /// the self-contained report page `switchboard simulate day --html` writes.
    @Sendable func simulateDay(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let choice = TableChoice(rawValue: request.uri.queryParameters.get("table") ?? "") ?? .draft
        do {
            let report = try await tables.simulateDay(scenario: scenario, table: choice)
            logger.info(
                "day simulated from the admin page",
                metadata: ["actor": "\(session.value.actor)", "table": "\(choice.rawValue)", "goals_met": "\(report.allMet)"])
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: report.html)))
        } catch let error as RouteTablesError {
            let view = try await pageView(
                session: session, notice: .init(kind: .error, text: "Day simulation: " + Self.explain(error)))
            return pages.render("admin", view, status: error.status)
        }
    }

    /// Replays the most recent conversations through the draft; shows those that would route differently.
    @Sendable func replay(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let text = (context.form["last"] ?? "100").trimmingCharacters(in: .whitespaces)
        var form = ReplayView(last: Int(text) ?? 100, hasDraft: try await store.routeDraft() != nil)
        do {
            guard let last = Int(text) else {
                throw RouteTablesError.unprocessable(
                    "the number of conversations must be a whole number, found \"\(text)\"")
            }
            form.result = ReplayResult(try await tables.replay(last: last))
            return pages.render("admin", try await pageView(session: session, replay: form))
        } catch let error as RouteTablesError {
            let view = try await pageView(
                session: session, replay: form, notice: .init(kind: .error, text: "Replay: " + Self.explain(error)))
            return pages.render("admin", view, status: error.status)
        }
    }

    @Sendable func publish(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        do {
            let version = try await tables.publish(actor: session.value.actor)
            return try await back(session, .init(kind: .success, text: "Published version \(version.version)."), to: "published")
        } catch let error as RouteTablesError {
            return try await back(session, .init(kind: .error, text: "Not published: " + Self.explain(error)), to: "draft")
        }
    }

    /// Publishes an earlier version's table again, as a new version.
    @Sendable func rollback(request: Request, context: AdminRequestContext) async throws -> Response {
        let session = try context.requireSession()
        let text = context.form["version"] ?? ""
        guard let number = Int(text), number > 0 else {
            return try await back(
                session, .init(kind: .error, text: "Choose a version to roll back to (found \"\(text)\")."),
                to: "versions")
        }
        do {
            let version = try await tables.rollback(to: number, actor: session.value.actor)
            return try await back(
                session,
                .init(
                    kind: .success,
                    text: "Rolled back to version \(number): version \(version.version) is in force, with its table."),
                to: "published")
        } catch let error as RouteTablesError {
            return try await back(session, .init(kind: .error, text: "Not rolled back: " + Self.explain(error)), to: "versions")
        }
    }

    /// Back to the page at `anchor`, with `notice` shown once.
    func back(
        _ session: (id: String, value: AdminSession), _ notice: AdminNotice, to anchor: String, file: String? = nil
    ) async throws -> Response {
        try await sessions.setNotice(notice, id: session.id)
        return .redirect(to: "/admin" + (file.map(DraftView.query) ?? "") + "#" + anchor)
    }

    /// A refusal in the page's words (the service's own mention the JSON API).
    static func explain(_ error: RouteTablesError) -> String {
        switch error {
        case .noDraft: "There is no draft: save one in the editor first."
        case .draftHasProblems(let problems):
            "the draft has \(problems.count) problem\(problems.count == 1 ? "" : "s"): see the list under the editor."
        case .staleDraft(let base, let published):
            "the draft was started from version \(base), but version \(published) is published now: discard the draft and edit the published table again."
        default: error.description
        }
    }
}
