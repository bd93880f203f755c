// Command native_probe sizes a native path for the per-file work (not part of idrename).
//
// It reads every .go file under a root on all cores, parses the ones that spell the family
// (or, with -all, every one) with go/parser, comments included, and walks each tree for the
// identifiers, string literals and comments that spell it: roughly the parsing and walking of
// the inventory (or, with -all, of the whole-tree stages), done by the Go toolchain's own
// parser instead of tree-sitter and Python. With -format LIST (a file of paths, one a line:
// the files a patch changes), it then formats each of those with go/format on all cores, as a
// native plan would gofmt its patch. It prints the counts and the wall times.
//
//	go build -o build/native_probe bench/native_probe/main.go
//	build/native_probe [-all] [-format LIST] build/bench/tree-3000x330-s0-RunID
package main

import (
	"bufio"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
)

func main() {
	all := flag.Bool("all", false, "parse every file, not only those that spell the family")
	formatList := flag.String("format", "", "a file listing the files to go/format afterwards")
	flag.Parse()
	start := time.Now()
	family := regexp.MustCompile(`(?i)run[_-]?id`)
	var files []string
	_ = filepath.WalkDir(flag.Arg(0), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			files = append(files, path)
		}
		return nil
	})
	paths := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	parsed, matches := 0, 0
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range paths {
				data, err := os.ReadFile(path)
				if err != nil || (!*all && !family.Match(data)) {
					continue
				}
				file, err := parser.ParseFile(token.NewFileSet(), path, data, parser.ParseComments)
				if err != nil {
					continue
				}
				found := 0
				ast.Inspect(file, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.Ident:
						found += len(family.FindAllStringIndex(n.Name, -1))
					case *ast.BasicLit:
						found += len(family.FindAllStringIndex(n.Value, -1))
					}
					return true
				})
				for _, group := range file.Comments {
					for _, c := range group.List {
						found += len(family.FindAllStringIndex(c.Text, -1))
					}
				}
				mu.Lock()
				parsed++
				matches += found
				mu.Unlock()
			}
		}()
	}
	for _, path := range files {
		paths <- path
	}
	close(paths)
	wg.Wait()
	fmt.Printf("%d files, %d parsed, %d matches, %.2f s\n", len(files), parsed, matches,
		time.Since(start).Seconds())
	if *formatList != "" {
		formatStart := time.Now()
		formatted := formatAll(readList(*formatList))
		fmt.Printf("%d files formatted in %.2f s; %.2f s in all\n", formatted,
			time.Since(formatStart).Seconds(), time.Since(start).Seconds())
	}
}

// readList is the paths listed in the file at path, one a line.
func readList(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	var paths []string
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if line := strings.TrimSpace(lines.Text()); line != "" {
			paths = append(paths, line)
		}
	}
	return paths
}

// formatAll formats every file in paths with go/format on all cores and counts the ones that
// formatted without an error.
func formatAll(paths []string) int {
	work := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	formatted := 0
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range work {
				data, err := os.ReadFile(path)
				if err != nil {
					continue
				}
				if _, err := format.Source(data); err == nil {
					mu.Lock()
					formatted++
					mu.Unlock()
				}
			}
		}()
	}
	for _, path := range paths {
		work <- path
	}
	close(work)
	wg.Wait()
	return formatted
}
