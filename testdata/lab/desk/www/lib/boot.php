<?php
// Deskline helpdesk: shared bootstrap (settings, auth helpers, the attachment
// helper). The settings live outside the web root.
define('DESK_APP', '/srv/deskline');
define('DESK_WWW', DESK_APP . '/www');
define('DESK_DATA', DESK_APP . '/data');
$DESK = parse_ini_file(DESK_APP . '/conf/deskline.ini', true);

function desk_log($msg) {
    @file_put_contents('/var/log/deskline/app.log', gmdate('c') . ' ' . $msg . "\n", FILE_APPEND | LOCK_EX);
}

function need_agent() {
    global $DESK;
    if (($_SERVER['HTTP_X_DESK_AGENT'] ?? '') !== $DESK['auth']['agent_token']) { http_response_code(403); exit("forbidden\n"); }
}

function need_admin() {
    global $DESK;
    if (($_SERVER['HTTP_X_DESK_ADMIN'] ?? '') !== $DESK['auth']['admin_token']) { http_response_code(403); exit("forbidden\n"); }
}

// Stores an uploaded attachment under attachments/<dir>/ with the name the
// browser sent and makes a 160 px thumbnail of pictures (first frame/page).
// The name is put in single quotes for the shell: a name with a quote in it
// breaks the command (the bug behind scenario-desk-attachname).
function desk_attach($field, $dir, $thumb) {
    if (empty($_FILES[$field]['name']) || $_FILES[$field]['error'] !== UPLOAD_ERR_OK) return null;
    $name = $_FILES[$field]['name'];
    @mkdir($dir, 0755, true);
    if (!move_uploaded_file($_FILES[$field]['tmp_name'], $dir . '/' . $name)) return null;
    $mime = mime_content_type($dir . '/' . $name);
    if (strpos($mime, 'image/') === 0) {
        shell_exec("cd '" . $dir . "' && /usr/bin/convert '" . $name . "[0]' -thumbnail 160x160 " . $thumb . " 2>&1");
    }
    desk_log("attachment stored: $dir/$name ($mime)");
    return $name;
}

function ticket_row($id) {
    foreach (file(DESK_DATA . '/tickets.csv', FILE_IGNORE_NEW_LINES) as $l) {
        $f = str_getcsv($l);
        if ($f[0] === (string)$id) return $f;
    }
    return null;
}
