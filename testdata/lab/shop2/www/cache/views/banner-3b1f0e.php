<?php /* compiled view: banner (theme build 2026.11) */ ?>
<div class="banner">Free shipping on orders over 50 EUR</div>
