<?php
// newsletter-box 1.0.0: the sign-up box under each article
echo '<form method="post" action="/subscribe.php"><input name="email"><button>Subscribe</button></form>';
