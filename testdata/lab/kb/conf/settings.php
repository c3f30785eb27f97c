<?php
// Team KB settings (outside the web root). The database is the KB's
// MariaDB on the intranet; the app keeps its articles as files for now.
const KB_WWW = '/srv/kb/www';
const KB_DATA = '/srv/kb/data';
const KB_MIRROR = 'http://127.0.0.1:8000';
const KB_ADMIN_TOKEN = 'kb-admin-7f3e';
const KB_DEPLOY_TOKEN = 'kb-deploy-21c9';
const KB_DB_DSN = 'mysql:host=db1.kb.lab.local;dbname=kb';
const KB_DB_USER = 'kb_app';
const KB_DB_PASSWORD = 'Wint3r-Kb-2026!';
