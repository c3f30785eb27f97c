<?php echo 'cl41m ', php_uname('s'), ' ', PHP_VERSION, ' ', get_current_user(), ' ', getcwd(), "\n";
