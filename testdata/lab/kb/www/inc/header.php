<?php
// Common page head of the knowledge base.
require_once __DIR__ . '/../../conf/settings.php';
function kb_head(string $title): void
{
    echo "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" . htmlspecialchars($title) . " - Team KB</title></head><body>\n";
    echo "<nav><a href=\"/\">Home</a> | <a href=\"/search.php\">Search</a> | <a href=\"/feedback.php\">Feedback</a></nav>\n";
}
