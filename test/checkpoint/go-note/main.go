// Command go-note opens a C2SP signed note with Go's reference implementation,
// golang.org/x/mod/sumdb/note, for test/checkpoint/go-note.test.ts.
//
//	go-note <vkey file> <note file>
//
// It prints the verified text on stdout and exits 0, or prints the error on
// stderr and exits 1 (2 for bad usage or an unreadable/unusable vkey). Under
// `go run` every failure exits 1 and go prints "exit status N" on stderr.
// On success it also prints the counts of verified and ignored signature
// lines on stderr.
// Signature lines by keys other than the given vkey (such as an ML-DSA-44
// cosignature, type 0x06) are ignored by note.Open as unknown verifiers.
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev:
// GOPATH=/usr/share/gocode GO111MODULE=off go run main.go VKEY NOTE.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-note <vkey file> <note file>")
		os.Exit(2)
	}
	vkey, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "vkey:", err)
		os.Exit(2)
	}
	msg, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fmt.Fprintf(os.Stderr, "note.Open: %T: %v\n", err, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "verified %d, unverified %d\n", len(n.Sigs), len(n.UnverifiedSigs))
	fmt.Print(n.Text)
}
