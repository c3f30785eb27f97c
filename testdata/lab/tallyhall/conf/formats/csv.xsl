<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text"/>
<xsl:template match="/">lot;species;kg;boat;grade
<xsl:for-each select="catalogue/lot"><xsl:value-of select="@id"/>;<xsl:value-of select="species"/>;<xsl:value-of select="kg"/>;<xsl:value-of select="boat"/>;<xsl:value-of select="grade"/><xsl:text>
</xsl:text></xsl:for-each></xsl:template></xsl:stylesheet>
