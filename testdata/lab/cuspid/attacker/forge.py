import json, sys
import tornado.web
print(tornado.web.create_signed_value(sys.argv[1], "cuspid_user", json.dumps({"name": sys.argv[2], "role": sys.argv[3], "dentist": None})).decode())
