-- Students, with the columns of the original service so its SQL keeps working.
-- BIGSERIAL (a sequence): ids are never reused after a delete, so "ORDER BY id" paging stays
-- stable. Timestamps are timestamptz (an instant, not a wall-clock reading); the API formats
-- them as RFC 3339 in UTC.
CREATE TABLE students (
    id          BIGSERIAL    PRIMARY KEY,
    student_id  TEXT         NOT NULL UNIQUE,
    first_name  TEXT         NOT NULL,
    last_name   TEXT         NOT NULL,
    grade       INTEGER      NOT NULL CHECK (grade BETWEEN 1 AND 12),
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);
