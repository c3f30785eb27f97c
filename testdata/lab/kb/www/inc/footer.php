<?php
// Common page foot of the knowledge base.
echo "<footer><small>Team KB &middot; internal use only &middot; " . date('Y') . "</small></footer>\n</body></html>\n";
