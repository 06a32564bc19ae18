package store

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"
)

// plainFrontmatter finds and splits the frontmatter of the plain file most
// briefings are: an opening line "---" with a LF, lines of printable text
// (valid UTF-8 without control characters, tabs, CRs, or the few
// characters yaml.v3 reads apart), then a closing line. It reads the block
// once, sixteen bytes at a time where they are printable ASCII, doing in
// one pass what findFrontmatter (the closing line), crlfToLF and loneCRs
// (nothing to do), cleanRaw (nothing to clean), and simpleLines (the
// lines) do one after the other: it gives the same frontmatter, and in
// a.lines the same lines, as they would, and notes which of them are
// printable ASCII (arena.asciiLine).
//
// ok is false for any other file, which the caller then reads the usual
// way: plainFrontmatter reports no problem and keeps nothing from it. The
// lines are offsets into data, read in place as a.text (a.inPlace must be
// set: see arena.inPlace).
func plainFrontmatter(data []byte, a *arena) (fm frontmatter, ok bool) {
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		start = len(utf8BOM)
	}
	// A file starting with "---\n" is no empty file and no UTF-16 or
	// UTF-32 text; the NUL byte check is findFrontmatter's.
	if !bytes.HasPrefix(data[start:], []byte("---\n")) {
		return fm, false
	}
	offset := start + 4
	lines, asciiLines, allASCII := a.lines[:0], uint64(0), true
	l := plainLines{ones: 0x0101010101010101}
	for i := offset; ; {
		n := len(lines)
		lines = slices.Grow(lines, len(l.out))
		l.out, l.k, l.notASCII = (*[len(l.out)]simpleLine)(lines[n:cap(lines)]), 0, 0
		next, closed := l.scan(data, i)
		if next < 0 {
			break // not plain, or never closed
		}
		k := l.k
		ascii := ^l.notASCII
		if k < 64 {
			ascii &= 1<<k - 1
		}
		if n < 64 {
			asciiLines |= ascii << n
		}
		allASCII = allASCII && l.notASCII == 0
		lines = lines[:n+k]
		if !closed {
			i = next
			continue
		}
		i = next // the closing line
		end, _ := plainCloserEnd(data, i+3)
		a.lines = lines
		if i < 8000 && bytes.IndexByte(data[i:min(len(data), 8000)], 0) >= 0 {
			// A NUL byte in the first 8000 (none before i: it is no
			// printable text): findFrontmatter calls it a binary file.
			break
		}
		a.asciiLines, a.allASCII = asciiLines, allASCII
		a.text = unsafe.String(&data[0], len(data))
		// One look for a '#' in the whole block spares one in each
		// plain value (plainValue).
		a.hashFree = bytes.IndexByte(data[offset:i], '#') < 0
		fm = frontmatter{yaml: data[offset:i], firstLine: 2, bodyOffset: end, bodyLine: 2 + l.num}
		return fm, true
	}
	// Never closed, or not plain: nothing noted of the lines counts.
	a.lines, a.asciiLines, a.allASCII = lines, 0, false
	return fm, false
}

// plainLines is where plainLines.scan is in a plain frontmatter: it
// puts in out[:k] the lines it finds that are neither blank nor
// comments, with a bit in notASCII for each that is not printable ASCII
// (bit q for out[q]); num is how many lines of the block it has read,
// blank, comment and closing lines too. It lives in memory, not in
// registers, so that the loop reading most bytes of a frontmatter holds
// few values.
type plainLines struct {
	out      *[64]simpleLine
	k        int
	num      int
	notASCII uint64
	ones     uint64 // 0x0101010101010101: see scan
}

// scan reads the lines of a plain frontmatter from j (where one starts)
// on, up to its closing line or until l.out is full, checking each byte
// is plain (see plainFrontmatter). It gives where it stopped: where the
// closing line starts if closed, else where the next line starts, or -1
// if a line is not plain or the block is never closed. It calls nothing
// but on text that is not ASCII.
func (l *plainLines) scan(data []byte, j int) (next int, closed bool) {
	base := unsafe.Pointer(unsafe.SliceData(data))
	// firstNotPrintable's masks, made from l.ones so that they are values
	// the compiler keeps in registers across the word loop, not constants
	// it writes into a register again at each step.
	m := masksOf(l.ones)
	for l.k < len(l.out) {
		// j starts a line.
		if j >= len(data) {
			return -1, false // never closed
		}
		l.num++
		i := j
		c := *(*byte)(unsafe.Add(base, j)) // in bounds: j < len(data)
		if c == ' ' {
			if j+8 <= len(data) {
				// in bounds: j+8 <= len(data)
				if x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(base, j))[:]) ^ 0x2020202020202020; x != 0 {
					j += bits.TrailingZeros64(x) >> 3
				} else {
					j = pastSpaces(data, j+8)
				}
			} else {
				j = pastSpaces(data, j)
			}
			if j >= len(data) {
				return -1, false // never closed
			}
			c = *(*byte)(unsafe.Add(base, j)) // in bounds: j < len(data)
		}
		switch c {
		case '\n':
			j++ // a blank line
			continue
		case '#':
			var plain bool
			if j, plain = plainCommentEnd(data, j); !plain {
				return -1, false
			}
			j++
			continue
		case '-', '.':
			if j == i && j+3 <= len(data) && data[j+1] == c && data[j+2] == c {
				if _, closes := plainCloserEnd(data, j+3); closes {
					return j, true
				}
			}
		}
		// The line's text starts at j, with a byte that is no space.
		l.out[l.k] = simpleLine{num: int32(l.num), indent: int32(j - i), start: int32(j)}
		for {
			for j+16 <= len(data) {
				// in bounds: j+16 <= len(data)
				// Read as bytes, little-endian: one load each where the
				// machine allows unaligned ones (amd64, arm64), and the
				// same bits on any.
				p := (*[16]byte)(unsafe.Add(base, j))
				w, w2 := binary.LittleEndian.Uint64(p[:8]), binary.LittleEndian.Uint64(p[8:])
				bad, bad2 := firstNotPrintable(w, m), firstNotPrintable(w2, m)
				if bad|bad2 != 0 {
					if bad != 0 {
						j += bits.TrailingZeros64(bad) >> 3
					} else {
						j += 8 + bits.TrailingZeros64(bad2)>>3
					}
					goto stop
				}
				j += 16
			}
			for j < len(data) && data[j] >= 0x20 && data[j] < 0x7f {
				j++
			}
			if j == len(data) {
				return -1, false // never closed
			}
		stop:
			c := *(*byte)(unsafe.Add(base, j)) // in bounds: j < len(data)
			if c == '\n' {
				break
			}
			if c < 0x80 {
				return -1, false // a control character, a tab, a CR or DEL
			}
			var plain bool
			if j, plain = pastLetters(data, j); !plain {
				return -1, false
			}
			l.notASCII |= 1 << (l.k & 63)
		}
		// The line's text runs from its start to its LF at j.
		last := j
		for *(*byte)(unsafe.Add(base, last-1)) == ' ' { // in bounds: data[start] is no space
			last--
		}
		k := l.k
		l.out[k].end = int32(last)
		l.k = k + 1
		j++
	}
	return j, false
}

// plainCommentEnd reads a comment line of a plain frontmatter from j on,
// checking each byte is plain as plainLines.scan does: it gives where
// the line's LF is, and false if it is not plain or has none.
func plainCommentEnd(data []byte, j int) (end int, plain bool) {
	for j < len(data) {
		c := data[j]
		switch {
		case c == '\n':
			return j, true
		case c >= 0x20 && c < 0x7f:
			j++
		case c < 0x80:
			return j, false // a control character, a tab, a CR or DEL
		default:
			if j, plain = pastLetters(data, j); !plain {
				return j, false
			}
		}
	}
	return j, false // never closed
}

// pastSpaces gives the index of the first byte from i on in data that is
// no space, or len(data).
func pastSpaces(data []byte, i int) int {
	for i+8 <= len(data) {
		if x := binary.LittleEndian.Uint64(data[i:]) ^ 0x2020202020202020; x != 0 {
			return i + bits.TrailingZeros64(x)>>3
		}
		i += 8
	}
	for i < len(data) && data[i] == ' ' {
		i++
	}
	return i
}

// pastLetters reads the text that is not ASCII at data[j:], up to the next
// ASCII byte: q is where that is (or len(data)); plain is false if the
// text is not plain (invalid UTF-8, a C1 control, a Unicode line or
// paragraph separator, a byte order mark or a noncharacter U+FFFE or
// U+FFFF). Two-byte letters (Cyrillic, Arabic) are read two bytes at a
// time.
func pastLetters(data []byte, j int) (q int, plain bool) {
	for j < len(data) {
		c := data[j]
		switch {
		case c < 0x80:
			return j, true
		case c >= 0xc3 && c < 0xe0 && j+1 < len(data) && data[j+1]&0xc0 == 0x80:
			j += 2 // U+00C0 to U+07FF: all printable
			continue
		}
		r, size := utf8.DecodeRune(data[j:])
		switch {
		case r == utf8.RuneError && size == 1, r < 0xa0, // invalid, or a C1 control
			r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return j, false
		}
		j += size
	}
	return j, true
}

// plainHead is what plainFrontmatter gave for the bytes at data, n long.
type plainHead struct {
	data *byte
	n    int
	fm   frontmatter
}

// closes is the check a loading worker's reads stop on (see
// closesFrontmatter): it reports whether data holds a whole frontmatter.
// For a plain file it splits the frontmatter there and then, and keeps
// what it found in a.found, so that parseData, given the same bytes,
// need not read them again.
func (a *arena) closes(data []byte) bool {
	a.found = plainHead{}
	if a.inPlace && len(data) > 0 {
		a.reset(1) // the block's first line is the file's second
		if fm, ok := plainFrontmatter(data, a); ok {
			a.found = plainHead{data: &data[0], n: len(data), fm: fm}
			return true
		}
	}
	return closesFrontmatter(data)
}

// asciiLine reports whether the line at index i of a.lines is printable
// ASCII, as plainFrontmatter found it (no line is, as far as the other
// ways of splitting lines say).
func (a *arena) asciiLine(i int) bool {
	return a.allASCII || (i < 64 && a.asciiLines>>i&1 != 0)
}

// closesCheck gives arena.closes as a func value, made once.
func (a *arena) closesCheck() func([]byte) bool {
	if a.closesFunc == nil {
		a.closesFunc = a.closes
	}
	return a.closesFunc
}

// takeFound gives what arena.closes found in data, if it was given the
// same bytes, and forgets it either way.
func (a *arena) takeFound(data []byte) (fm frontmatter, ok bool) {
	f := a.found
	a.found = plainHead{}
	if f.data == nil || len(data) != f.n || &data[0] != f.data {
		return fm, false
	}
	return f.fm, true
}

// plainCloserEnd reports whether what follows a line's "---" or "..." at
// s[at:] makes it a closing line (only spaces or tabs, a CR, then the line
// end: closerAt), and where the next line starts.
func plainCloserEnd(s []byte, at int) (end int, closes bool) {
	for at < len(s) && (s[at] == ' ' || s[at] == '\t') {
		at++
	}
	if at < len(s) && s[at] == '\r' {
		at++
	}
	switch {
	case at == len(s):
		return at, true
	case s[at] == '\n':
		return at + 1, true
	}
	return 0, false
}

// firstNotPrintable gives, of eight bytes read as a little-endian
// number, zero if all are printable ASCII (0x20 to 0x7e), else a number
// whose lowest set bit is the high bit of the first byte that is not.
// (A byte of 0xa0 or more carries into the next ones as it is tested,
// so that the bits above the first are no answer.) m holds its masks
// (masksOf(0x0101010101010101)).
func firstNotPrintable(w uint64, m printMasks) uint64 {
	// A printable byte has no high bit, and its sum with 1 has none
	// (0x7f is DEL) while its sum with 0x60 has one (it is 0x20 or more).
	return (w | (w + m.ones) | ^(w + m.c60)) & m.highs
}

// printMasks are firstNotPrintable's masks, as values: a loop that makes
// them once keeps them in registers.
type printMasks struct{ ones, c60, highs uint64 }

// masksOf gives firstNotPrintable's masks for ones, 0x0101010101010101.
func masksOf(ones uint64) printMasks { return printMasks{ones, ones * 0x60, ones << 7} }
