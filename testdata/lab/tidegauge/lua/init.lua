-- Tidegauge start-up (init_by_lua_file): run by the nginx master at every
-- start and reload. The tokens live in root-only files; the workers get them
-- through the shared dict.
local dict = ngx.shared.tg
local function first_line(path)
  local f = io.open(path)
  if not f then return nil end
  local l = f:read("*l")
  f:close()
  return l
end
dict:set("bridge_token", first_line("/etc/tidegauge/bridge.token") or "")
dict:set("admin_token", first_line("/etc/tidegauge/admin.token") or "")
dict:set("bridge_url", "http://127.0.0.1:8144")
dict:set("stations", "PLY,NWL,DVR")
