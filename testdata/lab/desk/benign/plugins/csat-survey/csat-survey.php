<?php
// Deskline plugin csat-survey 2.0.1: a satisfaction survey link under each closed ticket
function csat_link($id) { return "/survey.php?t=" . (int)$id; }
