-- wrk script: GET /api/v1/students/{id}, each request for an id drawn at random from the file
-- named by `ids_file` (one student_id a line; bench/run writes a copy of this script with the
-- path filled in), plus report.lua's done() line. Random ids over a large table keep the
-- reads off any one hot row: what a cold read by id costs.
local ids_file = "@IDS_FILE@"
local ids = {}
for line in io.lines(ids_file) do
  ids[#ids + 1] = line
end
assert(#ids > 0, "no ids in " .. ids_file)
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/students/" .. ids[math.random(#ids)])
end
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
