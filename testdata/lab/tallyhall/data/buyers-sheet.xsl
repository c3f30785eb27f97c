<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">
<xsl:output method="text"/>
<xsl:template match="/"><xsl:variable name="heavy"><xsl:for-each select="catalogue/lot[kg &gt; 100]"><x><xsl:value-of select="@id"/></x></xsl:for-each></xsl:variable>BUYERS' SHEET <xsl:value-of select="catalogue/@day"/> (<xsl:value-of select="count(exsl:node-set($heavy)/x)"/> lots over 100 kg)
<xsl:for-each select="catalogue/lot"><xsl:sort select="species"/><xsl:value-of select="species"/><xsl:text>  </xsl:text><xsl:value-of select="@id"/><xsl:text>  </xsl:text><xsl:value-of select="kg"/> kg, reserve <xsl:value-of select="reserve"/><xsl:text>
</xsl:text></xsl:for-each></xsl:template></xsl:stylesheet>
