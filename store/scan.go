package store

import "database/sql"

// scanAll reads every row of a query with scan, closes the rows, and
// returns the first error: the query's, a row's, or the iteration's.
// Call it as scanAll(db.r.QueryContext(...))(scan).
func scanAll[T any](rows *sql.Rows, err error) func(scan func(*sql.Rows) (T, error)) ([]T, error) {
	return func(scan func(*sql.Rows) (T, error)) ([]T, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
}
