package store

import (
	"fmt"
	"strings"
)

// Severity says whether a Problem stopped a file from loading.
type Severity uint8

const (
	// Warning marks something brief fixed or kept: the file still loaded.
	Warning Severity = iota
	// Error marks a file that could not be loaded.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Problem is one thing wrong with one file, at one line (0 when the problem
// concerns the whole file).
type Problem struct {
	Path     string
	Line     int
	Severity Severity
	Message  string
}

// String formats the problem the way compilers do: "path:line: message",
// with warnings marked as such.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Error lets a Problem be returned as an error.
func (p Problem) Error() string { return p.String() }

// problems collects the problems of one file.
type problems struct {
	path string
	list []Problem
}

func (ps *problems) errorf(line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{Path: ps.path, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) warnf(line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{Path: ps.path, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

func (ps *problems) failed() bool {
	for _, p := range ps.list {
		if p.Severity == Error {
			return true
		}
	}
	return false
}
