// Package readstate keeps one reader's state for one corpus: which
// briefings they have read (and the content they read), where they
// stopped reading each one, what they marked with which private note, and
// when they came by. It has no terminal in it: the reader, the command line
// and the SSH server share it.
//
// # The file
//
// A state is a plain text file, one record a line, sorted:
//
//	# brief reading state: one record a line; merge two copies with sort -u
//	mark 2025-07-24-tokayev-mirziyoyev-call 2025-08-20T10:01:02.123456Z 3f1c…e0 ask about the railway
//	pos 2025-07-24-tokayev-mirziyoyev-call 2025-08-20T10:01:05.000001Z 3f1c…e0 42 0.3810
//	read 2025-07-24-tokayev-mirziyoyev-call 2025-08-20T10:00:58.000000Z 3f1c…e0
//	seen 2025-07-24-tokayev-mirziyoyev-call 2025-08-20T10:00:00.000000Z 3f1c…e0
//	unmark 2024-02-19-nurtleu-saidov-astana-talks 2025-08-21T09:00:00.000000Z
//	visit 2025-08-20T10:00:00.000000Z
//
// Every record carries the time it was made (UTC, to the microsecond) and
// nothing is ever edited in place: marking, unmarking, reading, marking
// unread and moving through a briefing each add a record, and the latest
// record of a kind for a briefing wins (mark against unmark, read against
// unread, the latest position; for seen, the earliest sight of each
// content). Equal times are settled by comparing the two lines, so every
// copy decides alike. The union of two files is therefore a valid file
// that holds both readers' latest word: `sort -u a b`, or git's union merge
// driver, merge two machines' states. Writing keeps only the winning
// records (and the unmarks and unreads that must keep winning), so the
// file stays about one line per briefing and kind.
//
// Records of a kind this version does not know (written by a later brief)
// are kept as they are. A line that cannot be read is reported with its
// number, the good lines are kept, and a copy of the file as it was is
// left beside it (name.state.corrupt-XXXXXXXX) before the next write drops
// the bad line.
//
// # Safety
//
// Changes return at once; a writer goroutine batches them and, holding an
// exclusive lock on name.state.lock, reads the file again, merges what
// other processes or sessions wrote since, and replaces it through a
// temporary file and a rename: never last writer wins over the whole file,
// never a half-written file. The folder is made 0700 and the file 0600.
// Nothing is ever written to the briefing folder.
//
// # Briefings whose id changes
//
// A briefing is known by its id, and its state carries its content hash
// (Hash: every field a reader sees and the body, not the id or the file
// name). When a briefing's id changes and its content did not, Adopt
// carries the old id's read mark, position, sight and mark (with its note)
// over to the new id. When both changed, the old state stays in the file
// under the old id, attached to nothing: Adopt reports the marks as
// orphans (brief list --marked says so, and brief unmark OLD-ID removes
// one), and the briefing under its new id is unread and new.
package readstate
