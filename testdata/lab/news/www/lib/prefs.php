<?php
// Reader preferences (theme, font size, followed topics) live in a cookie.
// CWE-502: the cookie is unserialize()d as is, so any class the library has
// loaded can be instantiated by a reader (its destructor runs at the end of
// the request).
function nr_prefs() {
    static $prefs = null;
    if ($prefs !== null) return $prefs;
    $prefs = ['theme' => 'light', 'font' => 'm', 'topics' => []];
    if (!empty($_COOKIE['nr_prefs'])) {
        $p = @unserialize(base64_decode($_COOKIE['nr_prefs']));
        if (is_array($p)) $prefs = array_merge($prefs, $p);
    } else {
        setcookie('nr_prefs', base64_encode(serialize($prefs)), time() + 30 * 86400, '/');
    }
    return $prefs;
}
