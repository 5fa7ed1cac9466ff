-- What POST /api/v1/students runs on PostgreSQL: the API's insert_student statement
-- (src/store/postgres/pg_statements.cpp) with its outbox rows (the student, its event, its
-- audit record; no Idempotency-Key), one create per transaction, returning the same columns
-- with the same formatting. Random 63-bit public ids and server-drawn UUIDs: pgbench cannot
-- retry a unique violation. Bodies are of the API's size. The timestamp format comes in as a
-- parameter (-D tsfmt=...): pgbench would read the ":MI" inside it as a variable.
\set n random(1, 9223372036854775807)
WITH s AS (INSERT INTO students (student_id, first_name, last_name, grade, created_at, updated_at)
  VALUES ('STU-' || upper(to_hex(:n::bigint)), 'Bench', 'Mark', 7, clock_timestamp(), clock_timestamp())
  RETURNING id, student_id, first_name, last_name, grade,
    to_char(created_at AT TIME ZONE 'UTC', :tsfmt), to_char(updated_at AT TIME ZONE 'UTC', :tsfmt)),
e AS (INSERT INTO outbox_events (event_id, event_type, student_id, body, created_at)
  SELECT gen_random_uuid()::text, 'student_created', s.student_id, repeat('e', 330), clock_timestamp() FROM s),
a AS (INSERT INTO audit_records (audit_id, student_id, body, created_at)
  SELECT gen_random_uuid()::text, s.student_id, repeat('a', 300), clock_timestamp() FROM s)
SELECT * FROM s;
