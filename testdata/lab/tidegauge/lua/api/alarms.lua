-- GET /api/alarms: the flood alarm levels and whether the last reading is
-- above them (pure Lua; the harbour master's dashboard polls it)
local levels, cur = {}, nil
for line in io.lines("/srv/tidegauge/conf/alarms.conf") do
  local st = line:match("^%[(%u+)%]$")
  if st then cur = st end
  local v = line:match("^flood_alarm_m=([%d.]+)$")
  if v and cur then levels[cur] = tonumber(v) end
end
local last = require("tg.pages").latest()
local parts = {}
for st, lvl in pairs(levels) do
  local r = last[st]
  parts[#parts + 1] = string.format("\"%s\":{\"flood_alarm_m\":%.2f,\"alarm\":%s}", st, lvl,
    tostring(r ~= nil and tonumber(r.level) > lvl))
end
table.sort(parts)
ngx.say("{" .. table.concat(parts, ",") .. "}")
