// Package zstdframe builds zstd frames by hand (RFC 8878) for tests: the
// window a compressor declares, and content no encoder would write, such
// as a bomb of RLE blocks.
package zstdframe

import "math/bits"

// maxBlock is the largest block a frame may hold.
const maxBlock = 128 << 10

// Build returns a frame that declares window (rounded down to what a
// window descriptor can say) and no content size, as zstd --long=N writes
// from a pipe. content goes in raw blocks; rleBytes more bytes of rle
// follow in RLE blocks, 4 stored bytes per 128 KiB.
func Build(window uint64, content []byte, rle byte, rleBytes int) []byte {
	e := bits.Len64(window) - 1 // window = 2^e + m·2^e/8
	m := (window - 1<<e) / (1 << e / 8)
	b := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, byte(e-10)<<3 | byte(m)} // no content size, checksum or dictionary
	block := func(typ, size int, last bool, payload []byte) {
		h := uint32(size)<<3 | uint32(typ)<<1
		if last {
			h |= 1
		}
		b = append(b, byte(h), byte(h>>8), byte(h>>16))
		b = append(b, payload...)
	}
	for len(content) > 0 {
		n := min(len(content), maxBlock)
		block(0, n, n == len(content) && rleBytes == 0, content[:n])
		content = content[n:]
	}
	for rleBytes > 0 {
		n := min(rleBytes, maxBlock)
		rleBytes -= n
		block(1, n, rleBytes == 0, []byte{rle})
	}
	if len(b) == 6 { // an empty frame still needs its last block
		block(0, 0, true, nil)
	}
	return b
}
