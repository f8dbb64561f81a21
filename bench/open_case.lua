-- wrk script: open a random case (GET /api/v1/cases/<id>) with a session cookie.
-- Env: WB_COOKIE ("wb_session=..."), WB_MIN_ID (default 1), WB_MAX_ID (default 100000).
-- wrk itself reports "Non-2xx or 3xx responses" when a request fails.
local cookie = os.getenv("WB_COOKIE") or ""
local min_id = tonumber(os.getenv("WB_MIN_ID") or "1")
local max_id = tonumber(os.getenv("WB_MAX_ID") or "100000")
local seeded = false

request = function()
  if not seeded then
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
    seeded = true
  end
  local id = math.random(min_id, max_id)
  return wrk.format("GET", "/api/v1/cases/" .. id, { ["Cookie"] = cookie, ["Accept"] = "application/json" })
end
