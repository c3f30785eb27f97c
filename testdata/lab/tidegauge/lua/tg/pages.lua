-- Tidegauge pages: Lua inside the nginx workers.
local M = {}
local NAMES = { PLY = "Plymouth Sound", NWL = "Newlyn", DVR = "Dover" }
local DATA = "/srv/tidegauge/data/readings.csv"

local function run(cmd)
  local p = io.popen(cmd)
  local out = p:read("*a")
  p:close()
  return out
end

local function latest()
  local last = {}
  local f = io.open(DATA)
  if not f then return last end
  for line in f:lines() do
    local ts, st, lvl = line:match("^([^,]+),([^,]+),([^,]+)$")
    if st then last[st] = { ts = ts, level = lvl } end
  end
  f:close()
  return last
end
M.latest = latest

function M.index()
  ngx.header.content_type = "text/html"
  local last = latest()
  ngx.say("<!doctype html><title>Harbour tide gauges</title><link rel=stylesheet href=/static/tg.css><h1>Harbour tide gauges</h1><ul>")
  for _, st in ipairs({ "PLY", "NWL", "DVR" }) do
    local r = last[st] or {}
    ngx.say(string.format("<li><a href=\"/chart?station=%s&days=3\">%s</a>: %s m at %s</li>", st, NAMES[st], r.level or "?", r.ts or "?"))
  end
  ngx.say("</ul>")
end

-- GET /chart?station=PLY&days=3: the station's water level as SVG, drawn by
-- the tideplot helper. days is a number; the station goes into the command
-- line in single quotes as it came (unescaped: the planted flaw, CWE-78).
function M.chart()
  local args = ngx.req.get_uri_args()
  local st = args.station or "PLY"
  if type(st) == "table" then st = st[1] end
  local days = tonumber(args.days) or 3
  if days < 1 or days > 30 then days = 3 end
  ngx.header.content_type = "image/svg+xml"
  ngx.print(run("/usr/local/bin/tideplot --station '" .. st .. "' --days " .. days .. " 2>&1"))
end

-- GET /healthz: the load balancer's probe
function M.healthz()
  ngx.print(run("df -P /srv/tidegauge | tail -n 1"))
end

-- POST /admin/apply (X-TG-Admin token): the station settings page's Apply:
-- config test + reload through the sudo rule
function M.apply()
  if ngx.req.get_method() ~= "POST" or ngx.req.get_headers()["X-TG-Admin"] ~= ngx.shared.tg:get("admin_token") then
    return ngx.exit(403)
  end
  ngx.print(run("sudo -n /usr/local/sbin/tidegauge-reload 2>&1"))
end

return M
