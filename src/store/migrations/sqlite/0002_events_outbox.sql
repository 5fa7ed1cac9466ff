-- The transactional outbox and what hangs off it (see src/store/event_store.h).
--
-- Every student write inserts one row in outbox_events and one in audit_records in its own
-- transaction, so a committed change always has its event and its audit record, and a failed
-- one has neither. The relay ships pending rows and marks them delivered; a lease
-- (lease_until) keeps other relays off rows being sent. Timestamps are RFC 3339 text in UTC,
-- which sorts in time order.
CREATE TABLE outbox_events (
    sequence              INTEGER      PRIMARY KEY AUTOINCREMENT,
    event_id              TEXT         NOT NULL UNIQUE,
    event_type            TEXT         NOT NULL,
    student_id            TEXT         NOT NULL,
    body                  TEXT         NOT NULL,  -- exactly the SQS message body
    created_at            TEXT         NOT NULL,
    delivered_at          TEXT,
    lease_until           TEXT,
    attempts              INTEGER      NOT NULL DEFAULT 0,
    undeliverable_reason  TEXT
);
-- The relay's "oldest pending first" and the backlog metrics read only pending rows; this
-- index stays as small as the backlog.
CREATE INDEX outbox_events_pending ON outbox_events (sequence)
    WHERE delivered_at IS NULL AND undeliverable_reason IS NULL;
CREATE INDEX outbox_events_delivered ON outbox_events (delivered_at)
    WHERE delivered_at IS NOT NULL;
CREATE INDEX outbox_events_undeliverable ON outbox_events (sequence)
    WHERE undeliverable_reason IS NOT NULL;

-- The audit log. Shipped to DynamoDB when it is enabled; without DynamoDB this table is the
-- audit log, and its rows are never pruned.
CREATE TABLE audit_records (
    sequence              INTEGER      PRIMARY KEY AUTOINCREMENT,
    audit_id              TEXT         NOT NULL UNIQUE,
    student_id            TEXT         NOT NULL,
    body                  TEXT         NOT NULL,  -- the audit record's JSON
    created_at            TEXT         NOT NULL,
    delivered_at          TEXT,
    lease_until           TEXT,
    attempts              INTEGER      NOT NULL DEFAULT 0,
    undeliverable_reason  TEXT
);
CREATE INDEX audit_records_pending ON audit_records (sequence)
    WHERE delivered_at IS NULL AND undeliverable_reason IS NULL;
CREATE INDEX audit_records_delivered ON audit_records (delivered_at)
    WHERE delivered_at IS NOT NULL;
CREATE INDEX audit_records_undeliverable ON audit_records (sequence)
    WHERE undeliverable_reason IS NOT NULL;
CREATE INDEX audit_records_by_student ON audit_records (student_id, sequence);

-- Idempotency-Key on POST /api/v1/students: stored in the creating transaction, with the
-- student as first answered, so a retry gets the same answer even after later changes.
CREATE TABLE idempotency_keys (
    key                  TEXT         PRIMARY KEY,
    request_fingerprint  TEXT         NOT NULL,  -- the validated fields of the first request
    student_pk           INTEGER      NOT NULL,
    student_id           TEXT         NOT NULL,
    first_name           TEXT         NOT NULL,
    last_name            TEXT         NOT NULL,
    grade                INTEGER      NOT NULL,
    created_at           TEXT         NOT NULL,  -- as the API rendered them
    updated_at           TEXT         NOT NULL,
    stored_at            TEXT         NOT NULL
);
CREATE INDEX idempotency_keys_stored_at ON idempotency_keys (stored_at);

-- The worker's state. processed_events makes it idempotent: an event's effects and its row
-- here commit together, so a redelivered event finds its row and changes nothing.
CREATE TABLE processed_events (
    event_id      TEXT         PRIMARY KEY,
    event_type    TEXT         NOT NULL,
    processed_at  TEXT         NOT NULL
);
CREATE TABLE grade_enrollment (
    grade     INTEGER  PRIMARY KEY,
    students  INTEGER  NOT NULL
);
CREATE TABLE welcome_notifications (
    student_id  TEXT         PRIMARY KEY,
    event_id    TEXT         NOT NULL,
    message     TEXT         NOT NULL,
    created_at  TEXT         NOT NULL
);
