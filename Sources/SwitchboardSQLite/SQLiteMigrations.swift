import GRDB
import SwitchboardSQL

/// The SQLite schemas, as numbered, append-only migrations. Never edit one that has shipped: add the next.
///
/// There are two files: the inbound log, which only grows and only the HTTP handlers write, and
/// the state (customers, conversations, agents, decisions, deliveries and the router's cursor into
/// the log). Two files means two writers, so an acknowledgement never waits for a routing
/// transaction. The cursor lives with the state it produced, so both still commit together.
enum SQLiteMigrations {
    static var inbound: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001_inbound_events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inbound_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        source TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        webhook_id TEXT NOT NULL,
                        received_at REAL NOT NULL,
                        body BLOB NOT NULL,
                        UNIQUE (source, webhook_id)
                    );
                    """)
        }
        migrator.registerMigration("002_poll_cursors") { db in
            try db.execute(
                sql: """
                    CREATE TABLE poll_cursors (
                        source TEXT PRIMARY KEY,
                        cursor TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("003_inbound_unpruned") { db in
            // The events whose body is still kept, in order: pruning reads only these, not every event since the first.
            try db.execute(sql: "CREATE INDEX inbound_events_unpruned ON inbound_events (seq) WHERE length(body) > 0")
        }
        register(SQLMigrations.all, for: .inbound, in: &migrator)
        return migrator
    }

    static var state: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("001_initial") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cursors (
                        name TEXT PRIMARY KEY,
                        position INTEGER NOT NULL
                    );
                    INSERT INTO cursors (name, position) VALUES ('router', 0);
                    CREATE TABLE customers (
                        id TEXT PRIMARY KEY,
                        name TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE identities (
                        kind TEXT NOT NULL,
                        value TEXT NOT NULL,
                        customer_id TEXT NOT NULL REFERENCES customers(id),
                        PRIMARY KEY (kind, value)
                    );
                    CREATE INDEX identities_customer ON identities (customer_id);
                    CREATE TABLE conversations (
                        id TEXT PRIMARY KEY,
                        source TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        customer_id TEXT NOT NULL REFERENCES customers(id),
                        started_at REAL NOT NULL,
                        status TEXT NOT NULL,
                        agent_id TEXT,
                        handoff_id TEXT,
                        waiting_since REAL,
                        transfers INTEGER NOT NULL DEFAULT 0,
                        attributes BLOB NOT NULL,
                        last_message BLOB NOT NULL,
                        outcome TEXT,
                        notes TEXT,
                        resolved_at REAL,
                        UNIQUE (source, external_id)
                    );
                    CREATE INDEX conversations_customer ON conversations (customer_id, started_at);
                    CREATE INDEX conversations_waiting ON conversations (waiting_since) WHERE status = 'waiting';
                    CREATE TABLE messages (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        message_id TEXT NOT NULL,
                        author TEXT NOT NULL,
                        text TEXT NOT NULL,
                        sent_at REAL NOT NULL,
                        UNIQUE (conversation_id, message_id)
                    );
                    CREATE TABLE agents (
                        id TEXT PRIMARY KEY,
                        definition BLOB NOT NULL,
                        status TEXT NOT NULL,
                        last_assigned_at REAL
                    );
                    CREATE TABLE assignments (
                        handoff_id TEXT PRIMARY KEY,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        agent_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        assigned_at REAL NOT NULL,
                        released_at REAL
                    );
                    CREATE INDEX assignments_open ON assignments (agent_id, channel) WHERE released_at IS NULL;
                    CREATE TABLE decisions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        at REAL NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX decisions_conversation ON decisions (conversation_id, id);
                    CREATE TABLE deliveries (
                        id TEXT PRIMARY KEY,
                        handoff_id TEXT NOT NULL,
                        agent_id TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_error TEXT,
                        created_at REAL NOT NULL,
                        delivered_at REAL
                    );
                    CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
                    """)
        }
        migrator.registerMigration("002_offers") { db in
            try db.execute(
                sql: """
                    ALTER TABLE assignments ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';
                    ALTER TABLE assignments ADD COLUMN deadline REAL;
                    ALTER TABLE assignments ADD COLUMN accepted_at REAL;
                    ALTER TABLE assignments ADD COLUMN reason TEXT;
                    CREATE INDEX assignments_conversation ON assignments (conversation_id) WHERE released_at IS NULL;
                    ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE conversations ADD COLUMN previous_agent_id TEXT;
                    CREATE INDEX conversations_open ON conversations (status) WHERE status != 'resolved';
                    CREATE TABLE declines (
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        agent_id TEXT NOT NULL,
                        at REAL NOT NULL,
                        reason TEXT,
                        PRIMARY KEY (conversation_id, agent_id)
                    );
                    CREATE TABLE notes (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        agent_id TEXT NOT NULL,
                        at REAL NOT NULL,
                        text TEXT NOT NULL
                    );
                    CREATE INDEX notes_conversation ON notes (conversation_id, id);
                    """)
        }
        migrator.registerMigration("003_delivery_order") { db in
            try db.execute(
                sql: "CREATE INDEX deliveries_handoff_pending ON deliveries (handoff_id) WHERE status = 'pending'")
        }
        migrator.registerMigration("004_customer_memory") { db in
            try db.execute(
                sql: """
                    ALTER TABLE customers ADD COLUMN merged_into TEXT;
                    ALTER TABLE conversations ADD COLUMN identity TEXT;
                    ALTER TABLE conversations ADD COLUMN last_message_at REAL;
                    ALTER TABLE conversations ADD COLUMN hold_for_previous REAL;
                    UPDATE conversations SET last_message_at =
                        (SELECT MAX(sent_at) FROM messages m WHERE m.conversation_id = conversations.id);
                    CREATE INDEX conversations_identity ON conversations (customer_id, identity);
                    CREATE INDEX conversations_customer_totals ON conversations (customer_id, transfers, last_message_at);
                    CREATE INDEX conversations_customer_resolved ON conversations (customer_id, resolved_at)
                        WHERE status = 'resolved';
                    CREATE TABLE promises (
                        id TEXT PRIMARY KEY,
                        customer_id TEXT NOT NULL REFERENCES customers(id),
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        agent_id TEXT NOT NULL,
                        what TEXT NOT NULL,
                        due REAL NOT NULL,
                        made_at REAL NOT NULL,
                        status TEXT NOT NULL DEFAULT 'open',
                        follow_up_conversation_id TEXT UNIQUE,
                        kept_at REAL
                    );
                    CREATE INDEX promises_due ON promises (due) WHERE status = 'open';
                    CREATE INDEX promises_customer ON promises (customer_id, due) WHERE status != 'kept';
                    CREATE INDEX promises_conversation ON promises (conversation_id);
                    CREATE TABLE customer_audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        customer_id TEXT NOT NULL,
                        other_customer_id TEXT NOT NULL,
                        action TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        at REAL NOT NULL,
                        detail BLOB NOT NULL
                    );
                    CREATE INDEX customer_audit_customer ON customer_audit (customer_id, id);
                    CREATE INDEX customer_audit_other ON customer_audit (other_customer_id, id);
                    """)
        }
        // The history summary excludes the conversation being handed off (`id != ?`), and the totals
        // index of 004 lacks `id`: every earlier conversation was read from the table, 2 ms for a
        // customer with 1,000 of them. With `id` the index covers the query (`switchboard bench memory`).
        migrator.registerMigration("005_customer_summary_covering") { db in
            try db.execute(
                sql: """
                    DROP INDEX conversations_customer_totals;
                    CREATE INDEX conversations_customer_summary ON conversations (customer_id, transfers, last_message_at, id);
                    """)
        }
        migrator.registerMigration("006_write_backs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE write_backs (
                        id TEXT PRIMARY KEY,
                        handoff_id TEXT NOT NULL,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id),
                        source TEXT NOT NULL,
                        external_id TEXT NOT NULL,
                        agent_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,
                        last_error TEXT,
                        created_at REAL NOT NULL,
                        finished_at REAL
                    );
                    CREATE INDEX write_backs_due ON write_backs (next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX write_backs_conversation ON write_backs (conversation_id) WHERE status = 'pending';
                    """)
        }
        migrator.registerMigration("007_route_versions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE route_versions (
                        version INTEGER PRIMARY KEY,
                        files BLOB NOT NULL,
                        digest TEXT NOT NULL,
                        source TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        restores INTEGER
                    );
                    CREATE TABLE route_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        published INTEGER REFERENCES route_versions(version),
                        files_digest TEXT
                    );
                    INSERT INTO route_state (id) VALUES (1);
                    CREATE TABLE route_draft (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        files BLOB NOT NULL,
                        base_version INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE TABLE route_audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at REAL NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        previous_version INTEGER,
                        summary TEXT NOT NULL,
                        diff TEXT NOT NULL
                    );
                    CREATE INDEX conversations_started ON conversations (started_at);
                    """)
        }
        migrator.registerMigration("008_leases") { db in
            try db.execute(
                sql: """
                    CREATE TABLE leases (
                        name TEXT PRIMARY KEY,
                        holder TEXT NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    """)
        }
        // One agent at a time per conversation, held by the database itself: an offer is released before the next.
        migrator.registerMigration("009_one_holder") { db in
            try db.execute(
                sql: """
                    DROP INDEX assignments_conversation;
                    CREATE UNIQUE INDEX assignments_conversation ON assignments (conversation_id) WHERE released_at IS NULL;
                    """)
        }
        // route_state.files_digest was never written or read; the PostgreSQL schema never had it (schema parity test).
        migrator.registerMigration("010_route_state_without_digest") { db in
            try db.execute(sql: "ALTER TABLE route_state DROP COLUMN files_digest")
        }
        migrator.registerMigration("011_desk_tokens") { db in
            try db.execute(sql: SQLiteMigrations.deskTokens)
        }
        migrator.registerMigration("013_auth_failures") { db in
            try db.execute(
                sql: """
                    CREATE TABLE auth_failures (
                        key TEXT NOT NULL,
                        window_start REAL NOT NULL,
                        count INTEGER NOT NULL,
                        PRIMARY KEY (key, window_start)
                    );
                    """)
        }
        migrator.registerMigration("012_admin_sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE admin_sessions (
                        digest TEXT PRIMARY KEY,
                        actor TEXT NOT NULL,
                        csrf_token TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        notice_kind TEXT,
                        notice_text TEXT
                    );
                    """)
        }
        register(SQLMigrations.all, for: .state, in: &migrator)
        return migrator
    }
}

extension SQLiteMigrations {
    /// The migrations written once (SwitchboardSQL) for one of the two files, after its own.
    static func register(_ migrations: [SQLMigration], for database: SQLMigration.Database, in migrator: inout DatabaseMigrator) {
        for migration in migrations where migration.database == database {
            migrator.registerMigration(migration.name) { db in
                for text in migration.texts(for: .sqlite) { try db.execute(sql: text) }
            }
        }
    }

    /// Desk tokens created through the API (by digest; `agents` a JSON list) and the changes desk tokens made.
    static let deskTokens = """
        CREATE TABLE desk_tokens (
            id TEXT PRIMARY KEY,
            digest TEXT NOT NULL UNIQUE,
            agents TEXT NOT NULL,
            label TEXT NOT NULL,
            created_at REAL NOT NULL,
            created_by TEXT NOT NULL,
            last_used_at REAL,
            revoked_at REAL
        );
        CREATE TABLE desk_actions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            token_id TEXT NOT NULL,
            agents TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL
        );
        """
}
