<?php
// Newsroom settings (outside what nginx serves: /config/ is denied)
define('DB_HOST', '127.0.0.1');
define('DB_NAME', 'newsroom');
define('DB_USER', 'newsroom_app');
define('DB_PASS', 'Pr3ss-R00m#2026');
define('NR_EDITOR_TOKEN', 'sso-editor-7f3a9c');
define('NR_UPDATE_URL', 'http://127.0.0.1:8000/plugins/');
