<?php // theme header
?><header><a href="/">Newsroom</a></header>
