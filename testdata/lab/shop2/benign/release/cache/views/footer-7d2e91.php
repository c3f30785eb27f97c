<?php /* compiled view: footer (theme build 2026.12) */ ?>
<footer>Lab Shop &middot; winter campaign: code WINTER10</footer>
