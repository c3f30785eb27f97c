-- GET /api/latest: the last reading of every station (pure Lua)
local last = require("tg.pages").latest()
local parts = {}
for st, r in pairs(last) do
  parts[#parts + 1] = string.format("\"%s\":{\"ts\":\"%s\",\"level_m\":%s}", st, r.ts, r.level)
end
table.sort(parts)
ngx.say("{" .. table.concat(parts, ",") .. "}")
