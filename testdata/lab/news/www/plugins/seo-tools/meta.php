<?php
// seo-tools 2.0.3: meta description for an article page
function seo_meta($a) { return '<meta name="description" content="' . htmlspecialchars(substr($a['body'], 0, 150)) . '">'; }
