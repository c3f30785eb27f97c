#!/usr/bin/env python3
"""ean13png.py CODE12 OUT.png [SCALE [cut]]: an EAN-13 barcode (check digit
added) as a grey-scale PNG, standard library only: the stand-in for the
goods-in team's phone photos of the labels on the suppliers' cartons ("cut":
only the left part of the label made it into the photo)."""
import struct
import sys
import zlib

L = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
G = ["0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111"]
R = ["1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100"]
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def check_digit(d12):
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d12))
    return str((10 - s % 10) % 10)


def modules(code):
    first, left, right = code[0], code[1:7], code[7:]
    bits = "101"
    for c, p in zip(left, PARITY[int(first)]):
        bits += (L if p == "L" else G)[int(c)]
    bits += "01010"
    for c in right:
        bits += R[int(c)]
    return bits + "101"


def png(path, rows, width, height):
    raw = b"".join(b"\x00" + bytes(r) for r in rows)
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    d12, out = sys.argv[1], sys.argv[2]
    scale = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    code = d12 + check_digit(d12)
    bits = "0" * 11 + modules(code) + "0" * 11
    line = []
    for b in bits:
        line += [0 if b == "1" else 255] * scale
    if len(sys.argv) > 4 and sys.argv[4] == "cut":
        line = line[:len(line) * 55 // 100]
    h = 60 * scale
    rows = [[255] * len(line)] * (8 * scale) + [line] * h + [[255] * len(line)] * (8 * scale)
    png(out, rows, len(line), len(rows))
    print(code)


if __name__ == "__main__":
    main()
