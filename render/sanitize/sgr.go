package sanitize

import "strconv"

const (
	maxParams = 32 // parameters and sub-parameters in one SGR
	maxDigits = 5  // digits in one parameter
)

// sgrParam is one ';'-separated SGR parameter.
type sgrParam struct {
	v     int  // value; an empty parameter is 0
	colon bool // has ':' sub-parameters
	keep  bool // filterSGR keeps it
}

// parseSGR splits SGR parameter bytes (digits, ';' and ':' only, as the
// filter collects them) into ps. ok is false for a malformed list.
func parseSGR[T string | []byte](p T, ps *[maxParams]sgrParam) (n int, ok bool) {
	if len(p) == 0 {
		return 0, true
	}
	pieces, digits := 1, 0
	cur := sgrParam{}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits > maxDigits {
				return 0, false
			}
			if !cur.colon {
				cur.v = cur.v*10 + int(c-'0')
			}
		case c == ':':
			cur.colon = true
			digits = 0
			pieces++
		case c == ';':
			ps[n] = cur
			n++
			cur = sgrParam{}
			digits = 0
			pieces++
		default:
			return 0, false
		}
		if pieces > maxParams {
			return 0, false
		}
	}
	ps[n] = cur
	return n + 1, true
}

// allowedSGR reports whether a single SGR parameter (not an extended
// colour) may pass.
func allowedSGR(v int) bool {
	switch {
	case v <= 4, v == 7, v == 9, v == 21, v == 22, v == 23, v == 24, v == 27, v == 29:
		return true
	case v >= 30 && v <= 37, v == 39, v >= 40 && v <= 47, v == 49:
		return true
	case v == 53, v == 55:
		return true
	case v >= 90 && v <= 97, v >= 100 && v <= 107:
		return true
	}
	return false
}

// extColour checks the extended colour starting at ps[i] (38, 48 or 58)
// and returns how many parameters it spans, or 0 when it is malformed.
func extColour(ps []sgrParam, i int) int {
	if i+1 >= len(ps) || ps[i+1].colon {
		return 0
	}
	var n int
	switch ps[i+1].v {
	case 5:
		n = 3
	case 2:
		n = 5
	default:
		return 0
	}
	if i+n > len(ps) {
		return 0
	}
	for _, p := range ps[i+2 : i+n] {
		if p.colon || p.v > 255 {
			return 0
		}
	}
	return n
}

// filterSGR filters SGR parameter bytes. When every parameter is allowed it
// returns p itself and changed false. Otherwise it returns the allowed
// parameters in canonical form, appended to dst, with pass false when none
// remain or the sequence is malformed, and reason says what was wrong.
// first is the first parameter found not allowed, or -1.
// arr is scratch space.
func filterSGR(p, dst []byte, arr *[maxParams]sgrParam) (kept []byte, pass, changed bool, reason string, first int) {
	first = -1
	n, ok := parseSGR(p, arr)
	if !ok {
		return nil, false, true, "malformed SGR sequence", -1
	}
	ps := arr[:n]
	for i := 0; i < len(ps); {
		switch v := ps[i].v; {
		case ps[i].colon:
			changed = true
			if reason == "" {
				reason = "SGR sub-parameter form not allowed"
			}
			i++
		case v == 38 || v == 48 || v == 58:
			k := extColour(ps, i)
			if k == 0 {
				return nil, false, true, "malformed SGR colour", -1
			}
			if v == 58 {
				changed = true
				if reason == "" {
					reason = "SGR parameter not allowed"
					first = 58
				}
			} else {
				for j := i; j < i+k; j++ {
					ps[j].keep = true
				}
			}
			i += k
		case allowedSGR(v):
			ps[i].keep = true
			i++
		default:
			changed = true
			if reason == "" {
				reason = "SGR parameter not allowed"
				first = v
			}
			i++
		}
	}
	if !changed {
		return p, true, false, "", -1
	}
	kept = dst
	for _, pm := range ps {
		if !pm.keep {
			continue
		}
		if len(kept) > 0 {
			kept = append(kept, ';')
		}
		kept = strconv.AppendInt(kept, int64(pm.v), 10)
	}
	return kept, len(kept) > 0, true, reason, first
}
