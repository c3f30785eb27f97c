# auction clock for the hall's screens (a Twisted resource script)
from twisted.web.static import Data
import time
resource = Data(time.strftime("%H:%M:%S").encode(), "text/plain")
