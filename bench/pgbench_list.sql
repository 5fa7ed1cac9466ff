-- The API's list_students statement (src/store/postgres/pg_statements.cpp) as
-- GET /api/v1/students?limit=20 runs it: the first page, one row more than asked for (it tells
-- the API whether a next page exists). The timestamp format is a parameter (-D tsfmt=...):
-- pgbench would read the ":MI" inside it as a variable.
SELECT id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', :tsfmt), to_char(updated_at AT TIME ZONE 'UTC', :tsfmt)
FROM students ORDER BY id LIMIT 21 OFFSET 0;
