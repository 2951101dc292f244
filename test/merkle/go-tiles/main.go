// Command go-tiles reads a directory of tiles written by our TypeScript code
// (src/merkle/tiles.ts) with Go's reference implementation,
// golang.org/x/mod/sumdb/tlog, for test/merkle/go-tiles.test.ts.
//
//	go-tiles <input.json>
//
// The input names the directory, the trees (size and the root our code
// computed), the records to prove, and tile coordinates to print paths of
// and paths to parse. The directory holds hash tiles at sumdb's paths
// (tile/8/<L>/<N>[.p/<W>]: the test adapter inserts the height element) and
// entry bundles at tlog-tiles' paths (tile/entries/<N>[.p/<W>]).
//
// For each tree, through tlog.TileHashReader (which checks the tiles the tree
// hash needs against the given root, failing with "downloaded inconsistent
// tile"):
//   - tlog.TreeHash recomputes the root;
//   - every entry of the entry bundles is proven with tlog.ProveRecord and
//     checked with tlog.CheckRecord (its tlog.RecordHash, the RFC 6962 leaf
//     hash, against the root), and compared with its level-0 tile hash;
//   - between consecutive trees, tlog.ProveTree / tlog.CheckTree.
//
// It prints the proofs (hex) and paths as JSON on stdout and exits 0, or
// prints the first failure on stderr and exits 1 (2 for bad usage). Under
// `go run` every failure exits 1 and go prints "exit status N" on stderr.
//
// Built in GOPATH mode against Debian's golang-golang-x-mod-dev:
// GOPATH=/usr/share/gocode GO111MODULE=off go build -o go-tiles main.go.
package main

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type input struct {
	Dir   string `json:"dir"`
	Trees []struct {
		N    int64  `json:"n"`
		Hash string `json:"hash"`
	} `json:"trees"`
	Records []int64 `json:"records"`
	Paths   []struct {
		L int   `json:"l"`
		N int64 `json:"n"`
		W int   `json:"w"`
	} `json:"paths"`
	Parse []string `json:"parse"`
}

type recordOut struct {
	Tree  int64    `json:"tree"`
	Index int64    `json:"index"`
	Proof []string `json:"proof"`
}

type treeProofOut struct {
	Old   int64    `json:"old"`
	New   int64    `json:"new"`
	Proof []string `json:"proof"`
}

type parsedOut struct {
	OK bool  `json:"ok"`
	L  int   `json:"l"`
	N  int64 `json:"n"`
	W  int   `json:"w"`
}

type output struct {
	Roots      []string       `json:"roots"`
	Entries    []int          `json:"entries"`
	Records    []recordOut    `json:"records"`
	TreeProofs []treeProofOut `json:"treeProofs"`
	Paths      []string       `json:"paths"`
	Parsed     []parsedOut    `json:"parsed"`
	NewTiles   [][]string     `json:"newTiles"`
}

// dirTiles serves tiles from files at their sumdb paths.
type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return height }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := os.ReadFile(filepath.Join(d.dir, filepath.FromSlash(t.Path())))
		if err != nil {
			return nil, err
		}
		data[i] = b
	}
	return data, nil
}

func (d dirTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func hexes(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = hex.EncodeToString(h[:])
	}
	return out
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// bundlePath is tlog-tiles' entry bundle path of level-0 tile t: the same <N>[.p/<W>] as its hash tile.
func bundlePath(t tlog.Tile) string {
	return "tile/entries/" + strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/0/", height))
}

// readEntries reads the entry bundles of the tree of size n, checking the framing.
func readEntries(dir string, n int64) [][]byte {
	var entries [][]byte
	for start := int64(0); start < n; start += 1 << height {
		w := n - start
		if w > 1<<height {
			w = 1 << height
		}
		t := tlog.Tile{H: height, L: 0, N: start >> height, W: int(w)}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(bundlePath(t))))
		if err != nil {
			fail("entry bundle: %v", err)
		}
		var got int64
		for len(b) > 0 {
			if len(b) < 2 {
				fail("entry bundle %s: truncated length", bundlePath(t))
			}
			l := int(binary.BigEndian.Uint16(b))
			if len(b) < 2+l {
				fail("entry bundle %s: truncated entry", bundlePath(t))
			}
			entries = append(entries, b[2:2+l])
			b = b[2+l:]
			got++
		}
		if got != w {
			fail("entry bundle %s: %d entries, want %d", bundlePath(t), got, w)
		}
	}
	return entries
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go-tiles <input.json>")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fmt.Fprintln(os.Stderr, "input:", err)
		os.Exit(2)
	}
	tr := dirTiles{in.Dir}
	var out output
	type known struct {
		n int64
		h tlog.Hash
		r tlog.HashReader
	}
	var trees []known
	for _, t := range in.Trees {
		b, err := hex.DecodeString(t.Hash)
		if err != nil || len(b) != tlog.HashSize {
			fmt.Fprintln(os.Stderr, "input: bad hash", t.Hash)
			os.Exit(2)
		}
		var h tlog.Hash
		copy(h[:], b)
		r := tlog.TileHashReader(tlog.Tree{N: t.N, Hash: h}, tr)
		th, err := tlog.TreeHash(t.N, r)
		if err != nil {
			fail("TreeHash(%d): %v", t.N, err)
		}
		if th != h {
			fail("TreeHash(%d) = %x, want %x", t.N, th, h)
		}
		out.Roots = append(out.Roots, hex.EncodeToString(th[:]))

		// Every entry is proven in the tree and checked against its root, which
		// authenticates every leaf hash of the tiles. TileHashReader alone would
		// not: it checks the tiles the tree hash needs, but x/mod 0.7.0 (tile.go,
		// "Authenticate full tiles against their parents") starts that loop at
		// len(stx), the number of subtrees, not of the distinct tiles holding
		// them, so it may hand out hashes of other full tiles unchecked.
		entries := readEntries(in.Dir, t.N)
		proofs := make(map[int64]tlog.RecordProof)
		for i, e := range entries {
			p, err := tlog.ProveRecord(t.N, int64(i), r)
			if err != nil {
				fail("ProveRecord(%d, %d): %v", t.N, i, err)
			}
			if err := tlog.CheckRecord(p, t.N, th, int64(i), tlog.RecordHash(e)); err != nil {
				fail("CheckRecord(%d, %d): %v", t.N, i, err)
			}
			proofs[int64(i)] = p
		}
		// And each hashes (RFC 6962 record hash) to its level-0 hash in the tiles.
		indexes := make([]int64, len(entries))
		for i := range entries {
			indexes[i] = tlog.StoredHashIndex(0, int64(i))
		}
		leaves, err := r.ReadHashes(indexes)
		if err != nil {
			fail("ReadHashes(%d leaves of %d): %v", len(indexes), t.N, err)
		}
		for i, e := range entries {
			if tlog.RecordHash(e) != leaves[i] {
				fail("entry %d of tree %d does not hash to its level-0 tile hash", i, t.N)
			}
		}
		out.Entries = append(out.Entries, len(entries))
		for _, i := range in.Records {
			if i < t.N {
				out.Records = append(out.Records, recordOut{Tree: t.N, Index: i, Proof: hexes(proofs[i])})
			}
		}
		if len(trees) > 0 {
			old := trees[len(trees)-1]
			p, err := tlog.ProveTree(t.N, old.n, r)
			if err != nil {
				fail("ProveTree(%d, %d): %v", t.N, old.n, err)
			}
			if err := tlog.CheckTree(p, t.N, th, old.n, old.h); err != nil {
				fail("CheckTree(%d, %d): %v", t.N, old.n, err)
			}
			out.TreeProofs = append(out.TreeProofs, treeProofOut{Old: old.n, New: t.N, Proof: hexes(p)})
		}
		// The tiles sumdb publishes when the log grows to this size.
		var from int64
		if len(trees) > 0 {
			from = trees[len(trees)-1].n
		}
		var paths []string
		for _, nt := range tlog.NewTiles(height, from, t.N) {
			paths = append(paths, nt.Path())
		}
		out.NewTiles = append(out.NewTiles, paths)
		trees = append(trees, known{t.N, th, r})
	}
	for _, p := range in.Paths {
		out.Paths = append(out.Paths, tlog.Tile{H: height, L: p.L, N: p.N, W: p.W}.Path())
	}
	for _, s := range in.Parse {
		t, err := tlog.ParseTilePath(s)
		if err != nil {
			out.Parsed = append(out.Parsed, parsedOut{})
			continue
		}
		out.Parsed = append(out.Parsed, parsedOut{OK: true, L: t.L, N: t.N, W: t.W})
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fail("output: %v", err)
	}
}
