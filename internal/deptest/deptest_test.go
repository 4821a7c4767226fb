// Package deptest enforces the dependency rules docs/architecture.md states
// (its deprules block) in the way
// tailscale's tstest/deptest does: by asking the go tool what each package
// really imports, so a rule cannot rot the way a comment can.
package deptest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/packbench/packbench"

func goTool(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	return p
}

// depsTagged lists every package pkg imports, directly or not (tests
// excluded), in a build with these tags ("": the shipped build).
func depsTagged(t *testing.T, pkg, tags string) []string {
	t.Helper()
	path := module + "/" + pkg
	if pkg == "." {
		path = module
	}
	cmd := exec.Command(goTool(t), "list", "-tags", tags, "-deps", "-f", "{{.ImportPath}}", path)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// forbidIn fails for each of pkg's dependencies that is one of prefixes.
func forbidIn(t *testing.T, pkg string, deps []string, prefixes ...string) {
	t.Helper()
	for _, d := range deps {
		for _, p := range prefixes {
			if d == p || strings.HasPrefix(d, p+"/") {
				t.Errorf("%s must not import %s (it imports %s)", pkg, p, d)
			}
		}
	}
}

// TestTheArchitectureDocsRulesHold checks every rule docs/architecture.md
// states in its deprules block.
func TestTheArchitectureDocsRulesHold(t *testing.T) {
	raw, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(raw), "```deprules\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("docs/architecture.md has no deprules block")
	}
	rules := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		parts := strings.Split(line, "|")
		if len(parts) != 3 {
			t.Fatalf("deprules line %q: want packages | build | forbidden", line)
		}
		tags := strings.TrimSpace(parts[1])
		if tags == "shipped" {
			tags = ""
		}
		var forbidden []string
		for _, f := range strings.Fields(parts[2]) {
			if rest, ok := strings.CutPrefix(f, "./"); ok {
				f = strings.TrimSuffix(module+"/"+rest, "/")
			}
			forbidden = append(forbidden, f)
		}
		for _, pkg := range expand(t, strings.Fields(parts[0])) {
			self := module + "/" + pkg
			var own []string
			for _, d := range depsTagged(t, pkg, tags) {
				if d != self && !(pkg == "." && d == module) {
					own = append(own, d)
				}
			}
			forbidIn(t, pkg, own, forbidden...)
			rules++
		}
	}
	if rules < 4 {
		t.Fatalf("only %d packages checked: the deprules block lost its lines", rules)
	}
}

// expand turns "integrations/..." into the packages under it.
func expand(t *testing.T, pkgs []string) []string {
	t.Helper()
	var out []string
	for _, pkg := range pkgs {
		if !strings.HasSuffix(pkg, "/...") {
			out = append(out, pkg)
			continue
		}
		cmd := exec.Command(goTool(t), "list", module+"/"+pkg)
		cmd.Dir = "../.."
		list, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, p := range strings.Fields(string(list)) {
			out = append(out, strings.TrimPrefix(p, module+"/"))
		}
	}
	return out
}

// TestUIImportsNoSQLOrHTTP checks ui's own imports (Fyne itself pulls in
// net/http, so go list -deps cannot say it).
func TestUIImportsNoSQLOrHTTP(t *testing.T) {
	cmd := exec.Command(goTool(t), "list", "-tags", "ci", "-f", `{{join .Imports "\n"}}`, module+"/ui")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ui: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if imp == "database/sql" || strings.HasPrefix(imp, "net/http") {
			t.Errorf("ui must not import %s: SQL and HTTP belong behind the station", imp)
		}
	}
}
