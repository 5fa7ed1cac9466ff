-- Students, with the columns of the original service so its SQL keeps working.
-- AUTOINCREMENT: ids are never reused after a delete, so "ORDER BY id" paging stays stable.
CREATE TABLE students (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id  TEXT    NOT NULL UNIQUE,
    first_name  TEXT    NOT NULL,
    last_name   TEXT    NOT NULL,
    grade       INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
