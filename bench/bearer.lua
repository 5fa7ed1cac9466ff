-- wrk script: every request carries Authorization: Bearer $BENCH_TOKEN (a token from
-- `sre-playground token`), plus report.lua's done() line.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
