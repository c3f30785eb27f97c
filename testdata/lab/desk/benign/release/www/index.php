<?php require __DIR__ . '/lib/boot.php'; ?>
<!doctype html><html><head><title>Deskline support</title></head><body>
<h1>Deskline support</h1>
<p>Search our <a href="/kb.php">knowledge base</a> or <a href="/ticket.php">open a ticket</a>.</p>
<form method="post" action="/ticket.php" enctype="multipart/form-data">
<input name="email"> <input name="subject"> <textarea name="body"></textarea>
<input type="file" name="attachment"> <button>Send</button></form>
<footer>Deskline 2026.12.2</footer>
</body></html>
