package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pkg/browser"

	"github.com/packbench/packbench/station"
)

func runStores(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "stores")
	asJSON := fs.Bool("json", false, "print JSON")
	check := fs.Bool("check", false, "call Amazon for each store and update its health")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	stores, err := st.Stores(ctx)
	if err != nil {
		return err
	}
	if *check {
		for i, s := range stores {
			checked, err := st.CheckStore(ctx, s.ID)
			if err != nil {
				c.env.Log.Warn("store check failed", "store", s.ID, "err", err)
			}
			if checked.ID != 0 {
				stores[i].Health, stores[i].HealthReason = checked.Health, checked.HealthReason
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(stores)
	}
	if len(stores) == 0 {
		fmt.Fprintln(c.stdout, "No store connected. Try: packbench connect --demo")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTORE\tREGION\tSELLER\tHEALTH\tMARKETPLACES\tLAST IMPORT\tREAUTHORIZE BY")
	for _, s := range stores {
		health := string(s.Health)
		if s.HealthReason != "" {
			health += ": " + s.HealthReason
		}
		var mps []string
		for _, id := range s.MarketplaceIDs {
			mps = append(mps, station.MarketplaceLabel(id))
		}
		last, by := "never", "-"
		if !s.LastImportAt.IsZero() {
			last = s.LastImportAt.Local().Format("2006-01-02 15:04")
		}
		if t := s.ReauthorizeBy(); !t.IsZero() {
			by = t.Local().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, s.Region, s.SellingPartnerID, health,
			strings.Join(mps, ","), last, by)
	}
	return tw.Flush()
}

func runConnect(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "connect")
	demoStore := fs.Bool("demo", false, "connect the built-in simulator's demo store")
	signIn := fs.Bool("sign-in", false, "sign in with Amazon in the browser")
	paste := fs.Bool("paste", false, "sign in, then paste the address the browser ends on (stdin)")
	ownApp := fs.Bool("own-app", false, "use your own developer app's credentials")
	region := fs.String("region", "NA", "region: NA, EU or FE")
	marketplace := fs.String("marketplace", "ATVPDKIKX0DER", "your store's marketplace id (sign-in goes to its Seller Central)")
	sellerID := fs.String("seller-id", "", "own app: your merchant token (Seller Central > Settings > Account Info)")
	clientID := fs.String("client-id", "", "own app: LWA client id")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st := c.env.Station
	var (
		store station.Store
		err   error
	)
	switch {
	case *demoStore:
		store, err = st.ConnectDemo(ctx, station.Region(strings.ToUpper(*region)))
	case *ownApp:
		store, err = st.ConnectOwnApp(ctx, station.OwnApp{Region: station.Region(strings.ToUpper(*region)), SellingPartnerID: *sellerID,
			ClientID: *clientID, ClientSecret: os.Getenv("PACKBENCH_CLIENT_SECRET"), RefreshToken: os.Getenv("PACKBENCH_REFRESH_TOKEN")})
	case *signIn, *paste:
		var a station.SignInAttempt
		if a, err = st.StartSignIn(ctx, *marketplace, *signIn); err != nil {
			return err
		}
		defer st.CancelSignIn(a.ID)
		fmt.Fprintf(c.stdout, "Open this address and confirm in Seller Central (valid until %s):\n%s\n", a.ExpiresAt.Local().Format(time.TimeOnly), a.ConsentURL)
		if *signIn {
			_ = browser.OpenURL(a.ConsentURL)
			store, err = st.FinishSignIn(ctx, a.ID)
		} else {
			fmt.Fprintln(c.stdout, "Then paste the address your browser ends on, and press Enter:")
			line, rerr := bufio.NewReader(c.stdin).ReadString('\n')
			if rerr != nil && line == "" {
				return errors.New("no address was pasted")
			}
			store, err = st.FinishPastedSignIn(ctx, a.ID, strings.TrimSpace(line))
		}
	default:
		fmt.Fprintln(c.stderr, "say how: --demo, --sign-in, --paste or --own-app")
		return errUsage
	}
	if err != nil {
		return err
	}
	var mps []string
	for _, id := range store.MarketplaceIDs {
		mps = append(mps, station.MarketplaceLabel(id))
	}
	fmt.Fprintf(c.stdout, "Connected %s (%s, seller %s): %s\n", store.Name, store.Region, store.SellingPartnerID, strings.Join(mps, ", "))
	return nil
}

func runDisconnect(ctx context.Context, c *runCtx, args []string) error {
	fs := newFlagSet(c, "disconnect")
	storeID := &idFlag{what: "store"}
	fs.Var(storeID, "store", "the store's id (packbench stores)")
	yes := fs.Bool("yes", false, "confirm")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	st, err := storeFrom(ctx, c, storeID)
	if err != nil {
		return err
	}
	id := &st.ID
	if !*yes {
		return errors.New("disconnecting removes the store's authorization from the keychain and stops its imports; " +
			"its orders stay here until they are redacted. Add --yes to go ahead")
	}
	if err := c.env.Station.DisconnectStore(ctx, *id); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, "Disconnected. Its orders stay; connect it again to import and buy labels.")
	return nil
}
