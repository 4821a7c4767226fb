package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// BackupDir is the folder in the data dir that holds the daily copies.
const BackupDir = "backups"

// keepBackups is how many daily copies are kept.
const keepBackups = 7

// ErrDamaged is wrapped by what Damage returns for a database whose pages
// do not check out: Packbench reads what it can but buys nothing.
var ErrDamaged = errors.New("the database is damaged")

// startCheck runs the quick check at open, on a reading connection, so
// the window shows its first frame and writes go on meanwhile; Damage waits
// for it.
func (db *DB) startCheck() {
	ctx, cancel := context.WithCancel(context.Background())
	db.checked, db.stopCheck = make(chan struct{}), cancel
	go func() {
		defer close(db.checked)
		problems, err := db.checkIntegrity(ctx, false)
		if ctx.Err() != nil {
			return // closed before the check ended: nothing was learnt
		}
		if err != nil {
			problems = []string{err.Error()}
		}
		db.damageMu.Lock()
		db.damage = problems
		db.damageMu.Unlock()
	}()
}

// checkIntegrity runs SQLite's check: quick (the b-trees and their pages,
// at every open) or full (indexes against tables too, packbench check).
// It returns nil when SQLite says ok, else the problems it lists.
func (db *DB) checkIntegrity(ctx context.Context, full bool) ([]string, error) {
	pragma := "PRAGMA quick_check(20)"
	if full {
		pragma = "PRAGMA integrity_check(100)"
	}
	rows, err := db.r.QueryContext(ctx, pragma)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return []string{err.Error()}, nil // a check that cannot run is damage too
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, err.Error())
	}
	return problems, nil
}

// Damage says whether the check at open found the database damaged, and
// where the last good copy is. It waits for the check to end.
func (db *DB) Damage() error {
	<-db.checked
	db.damageMu.Lock()
	damage := db.damage
	db.damageMu.Unlock()
	if len(damage) == 0 {
		return nil
	}
	where := "no backup copy exists yet"
	if b, ok := db.LastBackup(); ok {
		where = "the last good copy is " + b
	}
	return fmt.Errorf("%w (%s): close Packbench and put a good copy in its place; %s", ErrDamaged,
		strings.Join(damage[:min(3, len(damage))], "; "), where)
}

// Check runs SQLite's full integrity check now (packbench check).
func (db *DB) Check(ctx context.Context) (problems []string, err error) {
	if db.pg {
		return nil, errors.New("a shared order queue's PostgreSQL server checks its own pages (data checksums) and is backed up by its administrator (pg_dump): packbench check is for a bench's own file")
	}
	return db.checkIntegrity(ctx, true)
}

// Backups lists the daily copies, newest first (none on PostgreSQL).
func (db *DB) Backups() []string {
	if db.pg {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(db.path), BackupDir, "packbench-*.db"))
	slices.Sort(files)
	slices.Reverse(files)
	return files
}

// LastBackup is the newest daily copy.
func (db *DB) LastBackup() (string, bool) {
	b := db.Backups()
	if len(b) == 0 {
		return "", false
	}
	return b[0], true
}

// BackupDaily writes today's copy of the database (VACUUM INTO, a
// consistent snapshot taken while the app runs) unless it exists, and keeps
// the newest seven. Only a database that checks out is copied, so a backup
// is always a good copy; sealed buyers' data and labels stay sealed in it.
// It returns the copy written ("" when today's exists).
//
// A shared queue's PostgreSQL database is its server's to back up.
func (db *DB) BackupDaily(ctx context.Context, now time.Time) (string, error) {
	if db.pg {
		return "", nil
	}
	if err := db.Damage(); err != nil {
		return "", err
	}
	dir := filepath.Join(filepath.Dir(db.path), BackupDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "packbench-"+now.UTC().Format("2006-01-02")+".db")
	if _, err := os.Stat(path); err == nil {
		return "", nil
	}
	if problems, err := db.checkIntegrity(ctx, false); err != nil {
		return "", err
	} else if len(problems) > 0 {
		db.damageMu.Lock()
		db.damage = problems
		db.damageMu.Unlock()
		return "", db.Damage()
	}
	tmp := path + ".tmp"
	_ = os.Remove(tmp)
	// VACUUM INTO takes an empty file: made first, so the copy is private.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	f.Close()
	// On a connection of its own: VACUUM INTO only reads the database (one
	// read transaction, which WAL lets writes go on beside), while the
	// writer connection would hold every purchase and import back for the
	// seconds a large file takes. The read pool cannot: it is query_only,
	// which refuses VACUUM INTO.
	c, err := sql.Open("sqlite", db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	_, err = c.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	c.Close()
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("back up the database: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	for _, old := range db.Backups()[min(keepBackups, len(db.Backups())):] {
		_ = os.Remove(old)
	}
	return path, nil
}
