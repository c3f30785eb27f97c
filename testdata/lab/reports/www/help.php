<?php
// Static help page (PHP only for the shared header)
?><!doctype html>
<html><head><title>Help</title></head><body>
<h1>Help</h1><p>Reports are generated monthly from the ledger. Contact finance@reports.lab.local.</p>
</body></html>
