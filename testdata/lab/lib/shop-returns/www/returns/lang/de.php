<?php
return ['title' => 'Retouren und Garantie', 'order' => 'Bestellnummer', 'email' => 'E-Mail',
        'reason' => 'Was ist defekt?', 'photos' => 'Fotos des Artikels (JPEG oder PNG)', 'send' => 'Absenden',
        'ok' => 'Danke, Ihre Reklamation %s ist eingegangen.', 'rejected' => 'Nicht angenommen: %s'];
