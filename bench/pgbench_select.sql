-- The API's find_student statement (src/store/postgres/pg_statements.cpp), reading the same
-- student the API is asked for (-D sid=STU-...).
SELECT id, student_id, first_name, last_name, grade,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
FROM students WHERE student_id = :sid;
