<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text"/>
<xsl:template match="/">vendor=<xsl:value-of select="system-property('xsl:vendor')"/> version=<xsl:value-of select="system-property('xsl:version')"/> exsl-document=<xsl:value-of select="element-available('exsl:document')" xmlns:exsl="http://exslt.org/common"/> lots=<xsl:value-of select="count(catalogue/lot)"/>
</xsl:template></xsl:stylesheet>
