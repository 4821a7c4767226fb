// Package pgtest gives tests a real PostgreSQL server: a private one,
// started once per test binary with initdb and pg_ctl into a temporary
// directory, listening on a loopback port only, and an empty database per
// test on it. It is how several benches share one order queue, so the
// store's tests run there as well as on SQLite.
//
// A test package that uses it stops the server from its TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequireEnv makes a missing PostgreSQL fail the tests instead of
// skipping them; CI sets it, having installed the postgresql package.
const RequireEnv = "PACKBENCH_REQUIRE_POSTGRES"

var (
	once    sync.Once
	server  *Server
	failure string
	dbs     atomic.Int64
)

// Server is the running private server.
type Server struct {
	dir  string // data, socket and log
	port int
	bin  string
	as   string // the OS user that runs it ("" for this one)
}

// Run runs the tests of m and then stops the server if one was started.
func Run(m *testing.M) int {
	code := m.Run()
	if server != nil {
		server.stop()
	}
	return code
}

// Start returns the package's server, starting it on first use. Where
// PostgreSQL is not installed the test is skipped, unless RequireEnv is
// set (CI), where it fails.
func Start(tb testing.TB) *Server {
	tb.Helper()
	once.Do(func() {
		server, failure = start()
	})
	if server == nil {
		if os.Getenv(RequireEnv) != "" {
			tb.Fatalf("PostgreSQL is required here but %s", failure)
		}
		tb.Skipf("no PostgreSQL test server: %s (install the postgresql package to run this test)", failure)
	}
	return server
}

// NewDatabase creates an empty database for one test and returns its URL;
// it is dropped when the test ends.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	s := Start(tb)
	location, drop, err := s.CreateDatabase()
	if err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := drop(); err != nil {
			tb.Logf("drop test database: %v", err)
		}
	})
	return location
}

// CreateDatabase makes an empty database and returns its URL and what
// drops it.
func (s *Server) CreateDatabase() (location string, drop func() error, err error) {
	name := fmt.Sprintf("packbench_test_%d_%d", os.Getpid(), dbs.Add(1))
	if err := s.exec("CREATE DATABASE " + name); err != nil {
		return "", nil, err
	}
	return s.URL(name), func() error { return s.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") }, nil
}

// Launch starts a private server outside a test (make bench); Shutdown
// stops it and removes its files.
func Launch() (*Server, error) {
	s, failure := start()
	if s == nil {
		return nil, fmt.Errorf("no PostgreSQL server: %s (install the postgresql package)", failure)
	}
	return s, nil
}

// Shutdown stops a server Launch started.
func (s *Server) Shutdown() { s.stop() }

// URL is a database's connection URL on this server.
func (s *Server) URL(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

// Stop stops the server now (a test of an unreachable server); Restart
// starts it again on the same port with the same data.
func (s *Server) Stop(tb testing.TB) {
	tb.Helper()
	if out, err := s.ctl("stop", "-m", "fast"); err != nil {
		tb.Fatalf("stop PostgreSQL: %v: %s", err, out)
	}
}

// Restart starts a stopped server again.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	if out, err := s.ctl("start"); err != nil {
		tb.Fatalf("start PostgreSQL: %v: %s", err, out)
	}
}

func (s *Server) exec(query string) error {
	db, err := sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, query)
	return err
}

// binDir finds Debian's versioned server binaries (initdb and pg_ctl are
// not on PATH there), or the ones on PATH elsewhere.
func binDir() (string, error) {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) == 0 {
		return "", fmt.Errorf("pg_ctl is not installed")
	}
	// The newest version: the glob sorts 15 after 14, and 9.x is long gone.
	return filepath.Dir(matches[len(matches)-1]), nil
}

func start() (*Server, string) {
	bin, err := binDir()
	if err != nil {
		return nil, err.Error()
	}
	s := &Server{bin: bin}
	// PostgreSQL refuses to run as root: CI's root runs it as postgres.
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, "running as root and there is no postgres user to run the server"
		}
		s.as = "postgres"
	}
	if s.dir, err = os.MkdirTemp("", "packbench-pg-"); err != nil {
		return nil, err.Error()
	}
	if s.as != "" {
		if out, err := exec.Command("chown", s.as, s.dir).CombinedOutput(); err != nil {
			return nil, fmt.Sprintf("chown the data dir: %v: %s", err, out)
		}
	}
	if out, err := s.run(filepath.Join(bin, "initdb"), "-D", filepath.Join(s.dir, "data"), "-U", "postgres",
		"--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		os.RemoveAll(s.dir)
		return nil, fmt.Sprintf("initdb: %v: %s", err, out)
	}
	// A free loopback port, taken for the moment it takes to read it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err.Error()
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	if out, err := s.ctl("start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		os.RemoveAll(s.dir)
		return nil, fmt.Sprintf("pg_ctl start: %v: %s %s", err, out, log)
	}
	return s, ""
}

func (s *Server) ctl(action string, args ...string) ([]byte, error) {
	all := []string{action, "-D", filepath.Join(s.dir, "data"), "-w", "-t", "60", "-l", filepath.Join(s.dir, "log")}
	if action == "start" {
		// Loopback only, its socket in its own dir, fsync off (a test
		// server need not survive a power cut), and room for the benches
		// of the concurrency tests.
		all = append(all, "-o", strings.Join([]string{
			"-p", strconv.Itoa(s.port), "-k", s.dir, "-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200",
		}, " "))
	}
	return s.run(filepath.Join(s.bin, "pg_ctl"), append(all, args...)...)
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	if s.as != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.as, "--", name}, args...)...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

func (s *Server) stop() {
	s.ctl("stop", "-m", "immediate")
	os.RemoveAll(s.dir)
}
