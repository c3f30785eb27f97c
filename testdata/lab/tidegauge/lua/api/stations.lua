-- GET /api/stations: the station list (pure Lua)
ngx.say('{"PLY":"Plymouth Sound","NWL":"Newlyn","DVR":"Dover"}')
