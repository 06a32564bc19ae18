package store

import (
	"encoding/binary"
	"time"
)

// A briefing's details (Details) and the lines of its officials are
// packed in one string, Briefing.details, which the index cache carries
// as it is. Most briefings have a few figures and sources, each a handful
// of strings: unpacked, with their slices and headers, they would cost a
// briefing three times the bytes they pack into. Everything is a uvarint
// or a string (a uvarint length, then the bytes), in this order:
//
//	the dating note
//	the officials' lines: their count, then each line
//	the figures: their count, then each label, value and note
//	the sources: their count, then each outlet, title, url, lang and
//	  published date (see appendDate)
//	the extra keys: their count, then each key, value and line
//
// A briefing with none of them packs into "". Unpacking never fails: a
// string cut short (a damaged cache) gives what it holds.

// basisCode is a Basis in one byte; the zero value is BasisStated, the
// default.
type basisCode uint8

const (
	basisStated basisCode = iota
	basisPublished
	basisInferred
)

func codeOf(b Basis) basisCode {
	switch b {
	case BasisPublished:
		return basisPublished
	case BasisInferred:
		return basisInferred
	}
	return basisStated
}

func (c basisCode) basis() Basis {
	switch c {
	case basisPublished:
		return BasisPublished
	case basisInferred:
		return BasisInferred
	}
	return BasisStated
}

// Details unpacks the briefing's details: new slices on each call, whose
// strings share the briefing's memory.
func (b *Briefing) Details() Details {
	u := unpacker{s: b.details}
	d := Details{Dating: Dating{Basis: b.basis.basis(), Note: u.str()}}
	u.skipLines()
	d.Figures = u.figures()
	d.Sources = u.sources()
	d.Extra = u.extra()
	return d
}

// DetailsInto is Details into d, reusing d's lists: for a caller that
// reads the details of many briefings one after another (a listing of
// 100,000), so that each leaves no garbage behind. What d held is
// overwritten.
func (b *Briefing) DetailsInto(d *Details) {
	u := unpacker{s: b.details}
	d.Dating = Dating{Basis: b.basis.basis(), Note: u.str()}
	u.skipLines()
	d.Figures = u.appendFigures(d.Figures[:0], u.count())
	d.Sources = u.appendSources(d.Sources[:0], u.count())
	d.Extra = u.appendExtra(d.Extra[:0], u.count())
}

// SetDetails packs d into the briefing, in place of its details. A
// Dating's Basis is one of the three bases (another, or "", is
// BasisStated).
func (b *Briefing) SetDetails(d Details) {
	b.basis = codeOf(d.Dating.Basis)
	b.details = string(packDetails(nil, &d, b.officialLines(nil)))
}

// Dating says how the briefing's date was worked out.
func (b *Briefing) Dating() Dating {
	u := unpacker{s: b.details}
	return Dating{Basis: b.basis.basis(), Note: u.str()}
}

// Figures gives the briefing's key figures: a new slice on each call.
func (b *Briefing) Figures() []Figure {
	u := unpacker{s: b.details}
	u.str()
	u.skipLines()
	return u.figures()
}

// Sources gives where the briefing's facts come from: a new slice on each
// call.
func (b *Briefing) Sources() []Source {
	u := unpacker{s: b.details}
	u.str()
	u.skipLines()
	u.skipFigures()
	return u.sources()
}

// Extra gives the keys of the briefing's frontmatter the format does not
// define, in file order: a new slice on each call.
func (b *Briefing) Extra() []Field {
	u := unpacker{s: b.details}
	u.str()
	u.skipLines()
	u.skipFigures()
	u.skipSources()
	return u.extra()
}

// officialLines appends the lines of the briefing's officials, where its
// file names them, one for each of Officials (0 where not known).
func (b *Briefing) officialLines(lines []int) []int {
	u := unpacker{s: b.details}
	u.str()
	n := u.count()
	for range n {
		lines = append(lines, u.int())
	}
	for len(lines) < len(b.Officials) {
		lines = append(lines, 0)
	}
	return lines[:len(b.Officials)]
}

// packDetails appends d and the officials' lines, packed; nothing when
// there is nothing to pack.
func packDetails(buf []byte, d *Details, lines []int) []byte {
	if d.Dating.Note == "" && len(lines) == 0 && len(d.Figures) == 0 && len(d.Sources) == 0 && len(d.Extra) == 0 {
		return buf
	}
	buf = appendNoteAndLines(buf, d.Dating.Note, lines)
	buf = binary.AppendUvarint(buf, uint64(len(d.Figures)))
	for i := range d.Figures {
		buf = appendFigure(buf, &d.Figures[i])
	}
	buf = binary.AppendUvarint(buf, uint64(len(d.Sources)))
	for i := range d.Sources {
		buf = appendSource(buf, &d.Sources[i])
	}
	return appendExtra(buf, d.Extra)
}

// packDecoded is packDetails for what decodeBriefing left in dec: its
// details, whose figures and sources it packed as it read them, and the
// officials' lines.
func packDecoded(buf []byte, dec *decoding) []byte {
	d := &dec.details
	if d.Dating.Note == "" && len(dec.lines) == 0 && dec.nFigs == 0 && dec.nSrcs == 0 && len(d.Extra) == 0 {
		return buf
	}
	buf = appendNoteAndLines(buf, d.Dating.Note, dec.lines)
	buf = append(binary.AppendUvarint(buf, uint64(dec.nFigs)), dec.figs...)
	buf = append(binary.AppendUvarint(buf, uint64(dec.nSrcs)), dec.srcs...)
	return appendExtra(buf, d.Extra)
}

func appendNoteAndLines(buf []byte, note string, lines []int) []byte {
	buf = appendStr(buf, note)
	buf = binary.AppendUvarint(buf, uint64(len(lines)))
	for _, l := range lines {
		buf = binary.AppendUvarint(buf, uint64(max(l, 0)))
	}
	return buf
}

// appendFigure packs one figure.
func appendFigure(buf []byte, f *Figure) []byte {
	return appendStr(appendStr(appendStr(buf, f.Label), f.Value), f.Note)
}

// appendSource packs one source.
func appendSource(buf []byte, s *Source) []byte {
	buf = appendStr(appendStr(appendStr(appendStr(buf, s.Outlet), s.Title), s.URL), s.Lang)
	return appendDate(buf, s.Published)
}

func appendExtra(buf []byte, extra []Field) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(extra)))
	for _, x := range extra {
		buf = appendStr(appendStr(buf, x.Key), x.Value)
		buf = binary.AppendUvarint(buf, uint64(max(x.Line, 0)))
	}
	return buf
}

func appendStr(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// appendDate packs a date as 0 when it is the zero Date; else its
// precision plus one, its year, month and day, and its season.
func appendDate(buf []byte, d Date) []byte {
	if d.Season == "" && d.Year >= 1<<7 && d.Year < 1<<14 && uint(d.Month) < 1<<7 && uint(d.Day) < 1<<7 && d.Precision < 1<<7-1 {
		// Every uvarint in one byte but the year's two, written at
		// once: a year from 128 to 16383 (the format's run from 1 to
		// 9999), and no season.
		return append(buf, byte(d.Precision)+1, byte(d.Year)|0x80, byte(d.Year>>7), byte(d.Month), byte(d.Day), 0)
	}
	if d == (Date{}) {
		return append(buf, 0)
	}
	buf = binary.AppendUvarint(buf, uint64(d.Precision)+1)
	buf = binary.AppendUvarint(buf, uint64(max(d.Year, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(d.Month, 0)))
	buf = binary.AppendUvarint(buf, uint64(max(d.Day, 0)))
	return appendStr(buf, d.Season)
}

// unpacker reads what packDetails wrote; past the end of what it holds,
// it gives zero values.
type unpacker struct{ s string }

func (u *unpacker) int() int {
	v, next := uvarint(u.s, 0)
	if v > 1<<31 {
		u.s = ""
		return 0
	}
	u.s = u.s[next:]
	return int(v)
}

// count reads a number of items, each at least one byte long.
func (u *unpacker) count() int {
	n := u.int()
	if n > len(u.s) {
		u.s = ""
		return 0
	}
	return n
}

func (u *unpacker) str() string {
	n := u.int()
	if n > len(u.s) {
		u.s = ""
		return ""
	}
	if n == 0 {
		return ""
	}
	v := u.s[:n]
	u.s = u.s[n:]
	return v
}

func (u *unpacker) date() Date {
	p := u.int()
	if p == 0 {
		return Date{}
	}
	return Date{Precision: Precision(p - 1), Year: u.int(), Month: time.Month(u.int()), Day: u.int(), Season: u.str()}
}

func (u *unpacker) skipLines() {
	for n := u.count(); n > 0; n-- {
		u.int()
	}
}

func (u *unpacker) figures() []Figure {
	n := u.count()
	if n == 0 {
		return nil
	}
	return u.appendFigures(make([]Figure, 0, n), n)
}

// appendFigures appends the n figures that come next.
func (u *unpacker) appendFigures(fs []Figure, n int) []Figure {
	for ; n > 0; n-- {
		fs = append(fs, Figure{Label: u.str(), Value: u.str(), Note: u.str()})
	}
	return fs
}

func (u *unpacker) skipFigures() {
	for n := u.count(); n > 0; n-- {
		u.str()
		u.str()
		u.str()
	}
}

func (u *unpacker) sources() []Source {
	n := u.count()
	if n == 0 {
		return nil
	}
	return u.appendSources(make([]Source, 0, n), n)
}

// appendSources appends the n sources that come next.
func (u *unpacker) appendSources(ss []Source, n int) []Source {
	for ; n > 0; n-- {
		ss = append(ss, Source{Outlet: u.str(), Title: u.str(), URL: u.str(), Lang: u.str(), Published: u.date()})
	}
	return ss
}

func (u *unpacker) skipSources() {
	for n := u.count(); n > 0; n-- {
		for range 4 {
			u.str()
		}
		u.date()
	}
}

func (u *unpacker) extra() []Field {
	n := u.count()
	if n == 0 {
		return nil
	}
	return u.appendExtra(make([]Field, 0, n), n)
}

// appendExtra appends the n extra fields that come next.
func (u *unpacker) appendExtra(xs []Field, n int) []Field {
	for ; n > 0; n-- {
		xs = append(xs, Field{Key: u.str(), Value: u.str(), Line: u.int()})
	}
	return xs
}
