-- The API's insert_student statement (src/store/postgres/pg_statements.cpp), one per
-- transaction. A 63-bit random id instead of the API's 32-bit one: pgbench cannot retry a
-- unique violation, so collisions must be practically impossible. The timestamp format comes
-- in as a parameter (-D tsfmt=...): pgbench would read the ":MI" inside it as a variable.
\set n random(1, 9223372036854775807)
INSERT INTO students (student_id, first_name, last_name, grade, created_at, updated_at)
VALUES ('STU-' || upper(to_hex(:n::bigint)), 'Bench', 'Mark', 7, clock_timestamp(), clock_timestamp())
RETURNING id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', :tsfmt), to_char(updated_at AT TIME ZONE 'UTC', :tsfmt);
