-- The API's insert_student statement (src/store/postgres/pg_statements.cpp), one per
-- transaction. A 63-bit random id instead of the API's 32-bit one: pgbench cannot retry a
-- unique violation, so collisions must be practically impossible.
\set n random(1, 9223372036854775807)
INSERT INTO students (student_id, first_name, last_name, grade, created_at, updated_at)
VALUES ('STU-' || upper(to_hex(:n)), 'Bench', 'Mark', 7, clock_timestamp(), clock_timestamp())
RETURNING id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
