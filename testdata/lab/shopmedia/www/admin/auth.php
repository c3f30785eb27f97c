<?php
// the back office's token (the staff's browsers and the CI send it as X-Shop-Admin)
if (($_SERVER['HTTP_X_SHOP_ADMIN'] ?? '') !== 'media-2026-bo') { http_response_code(403); exit("forbidden\n"); }
