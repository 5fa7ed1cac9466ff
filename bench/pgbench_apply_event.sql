-- The worker's apply_event statement (src/store/postgres/pg_statements.cpp) for one
-- student_created event, one per transaction: record the event as processed, count the
-- student in its grade, write the welcome. What one worker, applying events one after another
-- over one connection, can do at most on this database.
\set n random(1, 9223372036854775807)
\set g random(1, 12)
WITH p AS (INSERT INTO processed_events (event_id, event_type, processed_at)
           VALUES ('bench-' || :n, 'student_created', clock_timestamp())
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id),
g AS (INSERT INTO grade_enrollment (grade, students)
      SELECT d.grade, sum(d.delta) FROM p, unnest(ARRAY[:g]::integer[], ARRAY[1]::integer[]) AS d(grade, delta)
      GROUP BY d.grade ON CONFLICT (grade) DO UPDATE SET students = grade_enrollment.students + EXCLUDED.students),
w AS (INSERT INTO welcome_notifications (student_id, event_id, message, created_at)
      SELECT 'STU-' || :n, 'bench-' || :n, 'Welcome to grade 7, Bench Mark!', clock_timestamp() FROM p
      ON CONFLICT (student_id) DO NOTHING)
SELECT count(*) FROM p;
