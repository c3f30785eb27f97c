#!/usr/bin/env python3
"""review-png.py OUT rrggbb [keyword=text ...]: a small PNG (480x320, one
colour) with a tEXt chunk per keyword=text, as a phone app writes its
caption ("comment"); made on the visitor/attacker side of
scenario-shop-reviews (python3 stdlib only)."""
import struct
import sys
import zlib


def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)


def main():
    out, color = sys.argv[1], sys.argv[2]
    w, h = 480, 320
    rgb = bytes(int(color[i:i + 2], 16) for i in (0, 2, 4))
    raw = b''.join(b'\x00' + rgb * w for _ in range(h))
    text = b''
    for kv in sys.argv[3:]:
        k, v = kv.split('=', 1)
        text += chunk(b'tEXt', k.encode('latin-1') + b'\x00' + v.encode('latin-1'))
    with open(out, 'wb') as fh:
        fh.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + text
                 + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


if __name__ == '__main__':
    main()
