-- The API's find_student statement (src/store/postgres/pg_statements.cpp), reading the same
-- student the API is asked for (-D sid=STU-...). The timestamp format is a parameter
-- (-D tsfmt=...): pgbench would read the ":MI" inside it as a variable.
SELECT id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', :tsfmt), to_char(updated_at AT TIME ZONE 'UTC', :tsfmt)
FROM students WHERE student_id = :sid;
