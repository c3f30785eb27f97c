# the ops widgets' index (a Twisted resource script)
from twisted.web.static import Data
import time
resource = Data(("Tallyhall tools: clock.rpy\nserver time %s\n" % time.strftime("%H:%M:%S")).encode(), "text/plain")
