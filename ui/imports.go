package ui

import (
	"fmt"
	"time"

	"github.com/packbench/packbench/station"
)

// ImportEvent shows an import's progress and end; it may be called from any goroutine.
func (u *UI) ImportEvent(e station.ImportEvent) {
	u.done(func() {
		name := u.sidebar.storeName(e.StoreID)
		switch {
		case e.Progress != nil && e.Progress.Stage == "waiting" && e.Progress.Waiting > 2*time.Second:
			u.activity.show(fmt.Sprintf("Importing %s: %d orders so far; waiting %s for Amazon's rate limit…", name,
				e.Progress.Orders, e.Progress.Waiting.Round(time.Second)), 0, 0)
		case e.Progress != nil && e.Progress.Stage == "report":
			u.activity.show(fmt.Sprintf("Importing %s: Amazon is preparing the Unshipped Orders report…", name), 0, 0)
		case e.Progress != nil && e.Progress.Stage == "orders":
			u.activity.show(fmt.Sprintf("Importing %s: %d pages, %d orders so far…", name, e.Progress.Pages, e.Progress.Orders), 0, 0)
			u.orders.pageLanded()
		case e.Run != nil && e.Err != nil:
			u.activity.hide()
			u.problems.add(fmt.Sprintf("Import of %s failed: %v. It retries by itself; if it keeps failing, check the store on the left.", name, e.Err))
			u.Refresh()
		case e.Run != nil:
			u.activity.hide()
			u.say(fmt.Sprintf("Imported %s: %d new, %d updated orders.", name, e.Run.New, e.Run.Updated))
			u.Refresh()
		}
	})
}

// importNow imports the selected store, or every connected store.
func (u *UI) importNow() {
	var ids []int64
	for _, st := range u.sidebar.stores {
		if (u.sidebar.selected == 0 || st.ID == u.sidebar.selected) && st.DisconnectedAt.IsZero() {
			ids = append(ids, st.ID)
		}
	}
	if len(ids) == 0 {
		u.say("No connected store to import.")
		return
	}
	u.importStores(ids...)
}

// importStores runs an import of each store off the UI goroutine.
func (u *UI) importStores(ids ...int64) {
	for _, id := range ids {
		u.async(func() {
			run, err := u.station.Import(u.ctx, id, func(p station.ImportProgress) {
				p.StoreID = id
				u.ImportEvent(station.ImportEvent{StoreID: id, Progress: &p})
			})
			u.ImportEvent(station.ImportEvent{StoreID: id, Run: &run, Err: err})
		})
	}
}
