<?php
// The shop's wholesale settings (release 2026.12): the mail relay the queue
// worker sends through, the ERP's order API, the back office token.
const SHOP_SMTP_HOST = '127.0.0.1';
const SHOP_SMTP_PORT = 2526;                 // the provider's relay (smarthost)
const SHOP_MAIL_FROM = 'orders@shop.lab.local';
const SHOP_ERP_URL   = 'http://127.0.0.1:9330/api/v2';
const SHOP_ERP_TOKEN = 'erp-lab-7f3a91c2';   // lab only
const SHOP_BO_TOKEN  = 'wh-2026-bo-51e';
