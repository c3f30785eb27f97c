<?php
return ['title' => 'Returns and warranty claims', 'order' => 'Order number', 'email' => 'E-mail',
        'reason' => 'What is wrong?', 'photos' => 'Photos of the item (JPEG or PNG)', 'send' => 'Send claim',
        'ok' => 'Thank you, your claim %s is registered.', 'rejected' => 'Not accepted: %s'];
