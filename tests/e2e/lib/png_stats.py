"""png_stats.py PNG: how much a screenshot shows, for the e2e tests.

Prints "WIDTH HEIGHT COLOURS INKED_ROWS": the distinct colours among the
pixels sampled (every 4th row, every 2nd pixel) and the rows with at
least one pixel that is not white.  Decodes 8-bit RGB and RGBA PNGs
(what Chromium writes) with the standard library alone: zlib for the
data, the five PNG row filters undone by hand.
"""
import struct
import sys
import zlib


def rows(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('%s: not a PNG file' % path)
    pos, idat, ihdr = 8, [], None
    while pos + 8 <= len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        pos += 12 + n
    if ihdr is None:
        sys.exit('%s: no IHDR chunk' % path)
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit('%s: expected 8-bit RGB or RGBA, not interlaced' % path)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = w * bpp
    prev = bytearray(stride)
    for y in range(h):
        start = y * (stride + 1)
        f = raw[start]
        row = bytearray(raw[start + 1:start + 1 + stride])
        if f == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 255
        elif f == 2:
            row = bytearray((a + b) & 255 for a, b in zip(row, prev))
        elif f == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                row[i] = (row[i] + pred) & 255
        prev = row
        yield w, h, bpp, y, bytes(row)


def main():
    colours, inked, size = set(), 0, None
    for w, h, bpp, y, row in rows(sys.argv[1]):
        size = (w, h)
        if row.count(255) != len(row):
            inked += 1
        if y % 4 == 0:
            for x in range(0, len(row), 2 * bpp):
                colours.add(row[x:x + 3])
    print(size[0], size[1], len(colours), inked)


main()
