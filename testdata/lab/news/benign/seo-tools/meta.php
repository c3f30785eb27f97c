<?php
// seo-tools 2.1.0: meta description for an article page
function seo_meta($a) { return '<meta name="description" content="' . htmlspecialchars(substr($a['body'], 0, 150)) . '">'; }
