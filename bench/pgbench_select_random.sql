-- Scenario paging: the API's find_student statement (src/store/postgres/pg_statements.cpp) for
-- a student drawn at random from a table bench/run's paging_load_sql filled: the public id of
-- student n is computed as it was loaded. -D rows=N, -D tsfmt=... (as pgbench_select.sql).
\set n random(1, :rows)
SELECT id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', :tsfmt), to_char(updated_at AT TIME ZONE 'UTC', :tsfmt)
FROM students WHERE student_id = 'STU-' || upper(lpad(to_hex((:n * 2654435761) % 4294967296), 8, '0'));
