/// The PostgreSQL schema, as numbered, append-only migrations of its own: never edit one that has
/// shipped, add the next. Applied by ``PostgresStore`` at start-up under an advisory lock, so that
/// instances starting together apply each once.
///
/// The tables mirror the SQLite store's, so the two implementations read alike: times are seconds
/// since 1970 (`DOUBLE PRECISION`), JSON documents are `BYTEA` written by `StoreJSON`, counters are
/// `BIGINT`. The inbound log is a table of this database (there is one database, however many
/// instances); its sequence is assigned and committed in order (see ``PostgresStore/append(_:)``).
enum PostgresMigrations {
    static let all: [(name: String, sql: String)] = [
        (
            "001_initial",
            """
            CREATE TABLE inbound_events (
                seq BIGINT PRIMARY KEY,
                source TEXT NOT NULL,
                kind TEXT NOT NULL,
                webhook_id TEXT NOT NULL,
                received_at DOUBLE PRECISION NOT NULL,
                body BYTEA NOT NULL,
                UNIQUE (source, webhook_id)
            );
            CREATE TABLE poll_cursors (
                source TEXT PRIMARY KEY,
                cursor TEXT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            );
            CREATE TABLE cursors (
                name TEXT PRIMARY KEY,
                position BIGINT NOT NULL
            );
            INSERT INTO cursors (name, position) VALUES ('router', 0), ('inbound', 0);
            CREATE TABLE customers (
                id TEXT PRIMARY KEY,
                name TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                merged_into TEXT
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
                started_at DOUBLE PRECISION NOT NULL,
                status TEXT NOT NULL,
                agent_id TEXT,
                handoff_id TEXT,
                waiting_since DOUBLE PRECISION,
                transfers BIGINT NOT NULL DEFAULT 0,
                attributes BYTEA NOT NULL,
                last_message BYTEA NOT NULL,
                outcome TEXT,
                notes TEXT,
                resolved_at DOUBLE PRECISION,
                priority BIGINT NOT NULL DEFAULT 0,
                previous_agent_id TEXT,
                identity TEXT,
                last_message_at DOUBLE PRECISION,
                hold_for_previous DOUBLE PRECISION,
                -- Insertion order, the tie-breaker SQLite's rowid gives.
                position BIGSERIAL,
                UNIQUE (source, external_id)
            );
            CREATE INDEX conversations_customer ON conversations (customer_id, started_at);
            CREATE INDEX conversations_waiting ON conversations (waiting_since) WHERE status = 'waiting';
            CREATE INDEX conversations_open ON conversations (status) WHERE status != 'resolved';
            CREATE INDEX conversations_identity ON conversations (customer_id, identity);
            CREATE INDEX conversations_customer_summary ON conversations (customer_id, transfers, last_message_at, id);
            CREATE INDEX conversations_customer_resolved ON conversations (customer_id, resolved_at) WHERE status = 'resolved';
            CREATE INDEX conversations_started ON conversations (started_at);
            CREATE TABLE messages (
                seq BIGSERIAL PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                message_id TEXT NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                sent_at DOUBLE PRECISION NOT NULL,
                UNIQUE (conversation_id, message_id)
            );
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                definition BYTEA NOT NULL,
                status TEXT NOT NULL,
                last_assigned_at DOUBLE PRECISION
            );
            CREATE TABLE assignments (
                handoff_id TEXT PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                agent_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                assigned_at DOUBLE PRECISION NOT NULL,
                released_at DOUBLE PRECISION,
                status TEXT NOT NULL DEFAULT 'accepted',
                deadline DOUBLE PRECISION,
                accepted_at DOUBLE PRECISION,
                reason TEXT
            );
            CREATE INDEX assignments_open ON assignments (agent_id, channel) WHERE released_at IS NULL;
            -- One agent at a time per conversation, whatever any instance decides: an offer is released before the next.
            CREATE UNIQUE INDEX assignments_conversation ON assignments (conversation_id) WHERE released_at IS NULL;
            CREATE TABLE decisions (
                id BIGSERIAL PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                at DOUBLE PRECISION NOT NULL,
                body BYTEA NOT NULL
            );
            CREATE INDEX decisions_conversation ON decisions (conversation_id, id);
            CREATE TABLE deliveries (
                id TEXT PRIMARY KEY,
                handoff_id TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload BYTEA NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at DOUBLE PRECISION NOT NULL,
                last_error TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                delivered_at DOUBLE PRECISION,
                position BIGSERIAL
            );
            CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
            CREATE INDEX deliveries_handoff_pending ON deliveries (handoff_id) WHERE status = 'pending';
            CREATE TABLE declines (
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                agent_id TEXT NOT NULL,
                at DOUBLE PRECISION NOT NULL,
                reason TEXT,
                PRIMARY KEY (conversation_id, agent_id)
            );
            CREATE TABLE notes (
                id BIGSERIAL PRIMARY KEY,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                agent_id TEXT NOT NULL,
                at DOUBLE PRECISION NOT NULL,
                text TEXT NOT NULL
            );
            CREATE INDEX notes_conversation ON notes (conversation_id, id);
            CREATE TABLE promises (
                id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL REFERENCES customers(id),
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                agent_id TEXT NOT NULL,
                what TEXT NOT NULL,
                due DOUBLE PRECISION NOT NULL,
                made_at DOUBLE PRECISION NOT NULL,
                status TEXT NOT NULL DEFAULT 'open',
                follow_up_conversation_id TEXT UNIQUE,
                kept_at DOUBLE PRECISION
            );
            CREATE INDEX promises_due ON promises (due) WHERE status = 'open';
            CREATE INDEX promises_customer ON promises (customer_id, due) WHERE status != 'kept';
            CREATE INDEX promises_conversation ON promises (conversation_id);
            CREATE TABLE customer_audit (
                id BIGSERIAL PRIMARY KEY,
                customer_id TEXT NOT NULL,
                other_customer_id TEXT NOT NULL,
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                at DOUBLE PRECISION NOT NULL,
                detail BYTEA NOT NULL
            );
            CREATE INDEX customer_audit_customer ON customer_audit (customer_id, id);
            CREATE INDEX customer_audit_other ON customer_audit (other_customer_id, id);
            CREATE TABLE write_backs (
                id TEXT PRIMARY KEY,
                handoff_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL REFERENCES conversations(id),
                source TEXT NOT NULL,
                external_id TEXT NOT NULL,
                agent_id TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at DOUBLE PRECISION NOT NULL,
                last_error TEXT,
                created_at DOUBLE PRECISION NOT NULL,
                finished_at DOUBLE PRECISION,
                position BIGSERIAL
            );
            CREATE INDEX write_backs_due ON write_backs (next_attempt_at) WHERE status = 'pending';
            CREATE INDEX write_backs_conversation ON write_backs (conversation_id) WHERE status = 'pending';
            CREATE TABLE route_versions (
                version BIGINT PRIMARY KEY,
                files BYTEA NOT NULL,
                digest TEXT NOT NULL,
                source TEXT NOT NULL,
                actor TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                restores BIGINT
            );
            CREATE TABLE route_state (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                published BIGINT REFERENCES route_versions(version)
            );
            INSERT INTO route_state (id) VALUES (1);
            CREATE TABLE route_draft (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                files BYTEA NOT NULL,
                base_version BIGINT NOT NULL,
                actor TEXT NOT NULL,
                updated_at DOUBLE PRECISION NOT NULL
            );
            CREATE TABLE route_audit (
                id BIGSERIAL PRIMARY KEY,
                at DOUBLE PRECISION NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                version BIGINT NOT NULL,
                previous_version BIGINT,
                summary TEXT NOT NULL,
                diff TEXT NOT NULL
            );
            -- The routing state's version: every transaction that changes routing state moves it on, so that an
            -- instance whose engine was built from an earlier version rebuilds it first (RoutingStateCache).
            CREATE TABLE routing_version (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                version BIGINT NOT NULL
            );
            INSERT INTO routing_version (id, version) VALUES (1, 0);
            -- Who holds what for a while: a poller's source, the router's timers. A holder renews its lease
            -- before it runs out; once it has, another instance may take it.
            CREATE TABLE leases (
                name TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL
            );
            """
        ),
        (
            // Claims: the instance sending a delivery or write-back, and until when no other may take it.
            "002_queues_claims",
            """
            ALTER TABLE deliveries ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until DOUBLE PRECISION;
            ALTER TABLE write_backs ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_until DOUBLE PRECISION;
            """
        ),
        (
            // What each routing version changed: an instance whose engine is behind re-reads those conversations
            // and agents only (RoutingStateCache.catchUp). Versions moved on without a row here (agents loaded
            // at start-up) and rows pruned away make it rebuild instead.
            "003_routing_changes",
            """
            CREATE TABLE routing_changes (
                version BIGINT PRIMARY KEY,
                conversations TEXT[] NOT NULL,
                agents TEXT[] NOT NULL
            );
            """
        ),
        (
            // The events whose body is still kept, in order: pruning reads only these, not every event since the first.
            "004_inbound_unpruned",
            "CREATE INDEX inbound_events_unpruned ON inbound_events (seq) WHERE length(body) > 0;"
        ),
        (
            // Desk tokens created through the API (by digest; agents a JSON list, as in SQLite) and the changes
            // desk tokens made.
            "005_desk_tokens",
            """
            CREATE TABLE desk_tokens (
                id TEXT PRIMARY KEY,
                digest TEXT NOT NULL UNIQUE,
                agents TEXT NOT NULL,
                label TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                created_by TEXT NOT NULL,
                last_used_at DOUBLE PRECISION,
                revoked_at DOUBLE PRECISION
            );
            CREATE TABLE desk_actions (
                id BIGSERIAL PRIMARY KEY,
                at DOUBLE PRECISION NOT NULL,
                token_id TEXT NOT NULL,
                agents TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL
            );
            """
        ),
        (
            // The /admin page's sessions, by the SHA-256 of their id: any instance serves any session.
            "006_admin_sessions",
            """
            CREATE TABLE admin_sessions (
                digest TEXT PRIMARY KEY,
                actor TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL,
                notice_kind TEXT,
                notice_text TEXT
            );
            """
        ),
        (
            // Failed authentications per client address and token prefix, per window: shared by the instances.
            "007_auth_failures",
            """
            CREATE TABLE auth_failures (
                key TEXT NOT NULL,
                window_start DOUBLE PRECISION NOT NULL,
                count INTEGER NOT NULL,
                PRIMARY KEY (key, window_start)
            );
            """
        ),
    ]
}
