#!/usr/bin/env python3
"""Small real images for the shop-avatar scenario (standard library only).

  mkimages.py png FILE W H SEED      a W x H RGB PNG (flat colour tiles)
  mkimages.py gif FILE W H SEED      a W x H GIF89a (2 colours)
  mkimages.py pack ZIP PNG...        the poster pack: a zip of the PNGs + a readme
"""
import struct, sys, zlib, zipfile

def png(path, w, h, seed):
    rows = b""
    for y in range(h):
        # 16-pixel tiles of a few colours (compresses like a real flat-colour design)
        rows += b"\x00" + bytes((((x // 16) * 60 + seed * 31) % 256, ((y // 16) * 45 + seed * 17) % 256,
                                  ((x // 16 + y // 16) * 30 + seed) % 256)[c] for x in range(w) for c in range(3))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

def gif(path, w, h, seed):
    # 2-colour GIF, every pixel colour 0: LZW min code size 2, clear, one
    # code per pixel is too long for big images, so a 1x1 block scaled by the
    # logical screen (viewers fill the rest with the background colour)
    pal = bytes(((seed * 40) % 256, (seed * 90) % 256, 200, 255, 255, 255))
    data = b"GIF89a" + struct.pack("<HHBBB", w, h, 0x80, 0, 0) + pal
    data += b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00" + b"\x3b"
    open(path, "wb").write(data)

def pack(path, pngs):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in pngs:
            zi = zipfile.ZipInfo(p.rsplit("/", 1)[-1], date_time=(2026, 11, 2, 10, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, open(p, "rb").read())
        zi = zipfile.ZipInfo("README.txt", date_time=(2026, 11, 2, 10, 0, 0))
        z.writestr(zi, "Lab Shop poster pack: print on A4, 'fit to page'. Have fun!\n")

if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "png":
        png(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif a[0] == "gif":
        gif(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif a[0] == "pack":
        pack(a[1], a[2:])
    else:
        sys.exit(__doc__)
