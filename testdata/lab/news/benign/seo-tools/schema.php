<?php
// seo-tools 2.1.0: schema.org NewsArticle markup
function seo_schema($a) { return '<script type="application/ld+json">' . json_encode(['@type' => 'NewsArticle', 'headline' => $a['title']]) . '</script>'; }
