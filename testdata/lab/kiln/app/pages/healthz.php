<?php
[$rc, $out] = run_argv(['/bin/df', '-P', KILN]);
header('Content-Type: text/plain');
echo $rc === 0 ? "ok\n" . $out : "disk check failed\n";
