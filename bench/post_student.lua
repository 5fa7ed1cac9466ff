-- wrk script: POST /api/v1/students with a fixed valid body, plus report.lua's done() line.
-- The API draws a new student_id for every request, so the same body creates a new row.
wrk.method = "POST"
wrk.body = '{"first_name":"Bench","last_name":"Mark","grade":7}'
wrk.headers["Content-Type"] = "application/json"
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
