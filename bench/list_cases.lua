-- wrk script: a 50-row list of open cases, filtered by the caller's access
-- (GET /api/v1/cases?limit=50&open=1). Env: WB_COOKIE, WB_LIST_QUERY (optional).
local cookie = os.getenv("WB_COOKIE") or ""
local query = os.getenv("WB_LIST_QUERY") or "limit=50&open=1"

request = function()
  return wrk.format("GET", "/api/v1/cases?" .. query, { ["Cookie"] = cookie, ["Accept"] = "application/json" })
end
