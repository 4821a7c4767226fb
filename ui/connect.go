package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/packbench/packbench/station"
)

// connectWizard is the "Connect an Amazon store" window: three ways in.
type connectWizard struct {
	u       *UI
	dlg     dialog.Dialog
	market  *widget.Select
	markets []station.Marketplace
	tabs    *container.AppTabs
	result  *widget.Label

	signInBtn   *widget.Button
	pasteOpen   *widget.Button
	pasteURL    *widget.Entry
	pasteGo     *widget.Button
	countdown   *widget.Label
	consentCopy *widget.Entry

	ownRegion *widget.Select
	ownSeller *widget.Entry
	ownClient *widget.Entry
	ownSecret *widget.Entry
	ownToken  *widget.Entry
	ownGo     *widget.Button

	attempt   string
	expires   time.Time
	stopTimer chan struct{}
}

func marketplaceTitle(m station.Marketplace) string {
	return fmt.Sprintf("%s (%s, %s)", m.Name, m.Domain, m.Region)
}

var regionTitles = map[string]station.Region{"North America (NA)": station.RegionNA, "Europe (EU)": station.RegionEU, "Far East (FE)": station.RegionFE}

// showConnect opens the wizard; reauth names the store being reauthorized.
func (u *UI) showConnect(reauth *station.Store) *connectWizard {
	w := &connectWizard{u: u, markets: station.Marketplaces()}
	var titles []string
	selected := "United States"
	if reauth != nil && len(reauth.MarketplaceIDs) > 0 {
		if mp, ok := station.MarketplaceByID(reauth.MarketplaceIDs[0]); ok {
			selected = mp.Name
		}
	}
	for _, m := range w.markets {
		titles = append(titles, marketplaceTitle(m))
	}
	w.market = widget.NewSelect(titles, nil)
	for _, m := range w.markets {
		if m.Name == selected {
			w.market.SetSelected(marketplaceTitle(m))
		}
	}
	w.result = widget.NewLabel("")
	w.result.Wrapping = fyne.TextWrapWord

	intro := "Your browser opens Amazon Seller Central. Sign in, press Confirm, and Packbench connects the store by itself."
	if u.station.SignInIsSimulated() {
		intro += "\n\nIn this build, sign-in goes to Packbench's Amazon simulator: no Packbench app is registered with Amazon yet. " +
			"To connect a real store, use your own developer app."
	}
	introLabel := widget.NewLabel(intro)
	introLabel.Wrapping = fyne.TextWrapWord
	w.signInBtn = widget.NewButton("Open Amazon sign-in", w.signIn)
	w.signInBtn.Importance = widget.HighImportance
	signInTab := container.NewVBox(introLabel, w.signInBtn)

	pasteIntro := widget.NewLabel("For when the browser is on another computer, or did not come back to Packbench. " +
		"Open the sign-in, press Confirm, then copy the whole address your browser ends on (even an error page at 127.0.0.1) and paste it here. " +
		"The address works for 5 minutes, once.")
	pasteIntro.Wrapping = fyne.TextWrapWord
	w.pasteOpen = widget.NewButton("Open Amazon sign-in", w.startPaste)
	w.consentCopy = widget.NewEntry()
	w.consentCopy.Hide()
	w.countdown = widget.NewLabel("")
	w.pasteURL = widget.NewMultiLineEntry()
	w.pasteURL.SetPlaceHolder("Paste the address here")
	w.pasteURL.Wrapping = fyne.TextWrapBreak
	w.pasteGo = widget.NewButton("Connect", w.finishPaste)
	w.pasteGo.Importance = widget.HighImportance
	w.pasteGo.Disable()
	pasteTab := container.NewVBox(pasteIntro, w.pasteOpen, w.consentCopy, w.countdown, w.pasteURL, w.pasteGo)

	ownIntro := widget.NewLabel("Your private SP-API app from Seller Central > Apps and Services > Develop Apps: " +
		"its LWA client id and secret, and a refresh token from its Authorize button. They go to the keychain, nowhere else.")
	ownIntro.Wrapping = fyne.TextWrapWord
	w.ownRegion = widget.NewSelect([]string{"North America (NA)", "Europe (EU)", "Far East (FE)"}, nil)
	w.ownRegion.SetSelected("North America (NA)")
	w.ownSeller = widget.NewEntry()
	w.ownSeller.SetPlaceHolder("Merchant token, e.g. A2SIMSELLERNA01")
	w.ownClient = widget.NewEntry()
	w.ownClient.SetPlaceHolder("amzn1.application-oa2-client.…")
	w.ownSecret = widget.NewPasswordEntry()
	w.ownSecret.SetPlaceHolder("Client secret")
	w.ownToken = widget.NewPasswordEntry()
	w.ownToken.SetPlaceHolder("Atzr|…")
	w.ownGo = widget.NewButton("Connect", w.connectOwnApp)
	w.ownGo.Importance = widget.HighImportance
	ownTab := container.NewVBox(ownIntro, widget.NewForm(
		widget.NewFormItem("Region", w.ownRegion),
		widget.NewFormItem("Seller id", w.ownSeller),
		widget.NewFormItem("Client id", w.ownClient),
		widget.NewFormItem("Client secret", w.ownSecret),
		widget.NewFormItem("Refresh token", w.ownToken),
	), w.ownGo)

	w.tabs = container.NewAppTabs(
		container.NewTabItem("Sign in with Amazon", signInTab),
		container.NewTabItem("Paste the redirect URL", pasteTab),
		container.NewTabItem("Use my own developer app", ownTab),
	)
	title := "Connect an Amazon store"
	if reauth != nil {
		title = "Reauthorize " + reauth.Name
	}
	content := container.NewBorder(widget.NewForm(widget.NewFormItem("Marketplace", w.market)), w.result, nil, nil, w.tabs)
	w.dlg = dialog.NewCustom(title, "Close", content, u.win)
	w.dlg.SetOnClosed(w.closed)
	w.dlg.Resize(u.fit(640, 560))
	u.present(w.dlg, nil)
	return w
}

func (w *connectWizard) marketplace() string {
	for _, m := range w.markets {
		if marketplaceTitle(m) == w.market.Selected {
			return m.ID
		}
	}
	return ""
}

func (w *connectWizard) say(msg string, failed bool) {
	w.result.Importance = widget.MediumImportance
	if failed {
		w.result.Importance = widget.DangerImportance
	}
	w.result.SetText(msg)
}

func (w *connectWizard) connected(st station.Store) {
	var mps []string
	for _, id := range st.MarketplaceIDs {
		mps = append(mps, station.MarketplaceLabel(id))
	}
	w.say(fmt.Sprintf("Connected %s (%s): %s. Its orders are importing now.", st.Name, st.Region, strings.Join(mps, ", ")), false)
	w.u.Refresh()
	w.u.importStores(st.ID)
}

func (w *connectWizard) signIn() {
	u, mp := w.u, w.marketplace()
	w.signInBtn.Disable()
	w.say("Opening the browser…", false)
	u.async(func() {
		a, err := u.station.StartSignIn(u.ctx, mp, true)
		u.done(func() {
			if err != nil {
				w.signInBtn.Enable()
				w.say(err.Error(), true)
				return
			}
			w.attempt = a.ID
			w.openBrowser(a.ConsentURL)
			w.say("Waiting for you to confirm in the browser (up to 5 minutes)…", false)
		})
		if err != nil {
			return
		}
		st, err := u.station.FinishSignIn(u.ctx, a.ID)
		u.done(func() {
			w.signInBtn.Enable()
			w.attempt = ""
			if err != nil {
				w.say(err.Error(), true)
				return
			}
			w.connected(st)
		})
	})
}

func (w *connectWizard) openBrowser(consent string) {
	if parsed, err := url.Parse(consent); err == nil {
		if err := w.u.app.OpenURL(parsed); err != nil {
			w.say("The browser did not open: copy the address from the Paste tab.", true)
		}
	}
}

func (w *connectWizard) startPaste() {
	u, mp := w.u, w.marketplace()
	if w.attempt != "" {
		u.station.CancelSignIn(w.attempt)
	}
	u.async(func() {
		a, err := u.station.StartSignIn(u.ctx, mp, false)
		u.done(func() {
			if err != nil {
				w.say(err.Error(), true)
				return
			}
			w.attempt, w.expires = a.ID, a.ExpiresAt
			w.consentCopy.SetText(a.ConsentURL)
			w.consentCopy.Show()
			w.pasteGo.Enable()
			w.openBrowser(a.ConsentURL)
			w.startCountdown()
		})
	})
}

// startCountdown shows how long the pasted address may still be used.
func (w *connectWizard) startCountdown() {
	w.stopCountdown()
	stop := make(chan struct{})
	w.stopTimer = stop
	update := func() {
		left := time.Until(w.expires).Round(time.Second)
		if left <= 0 {
			w.countdown.SetText("The sign-in expired: open it again.")
			w.pasteGo.Disable()
			return
		}
		w.countdown.SetText(fmt.Sprintf("Paste the address within %d:%02d.", int(left.Minutes()), int(left.Seconds())%60))
	}
	update()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				w.u.done(update)
			}
		}
	}()
}

func (w *connectWizard) stopCountdown() {
	if w.stopTimer != nil {
		close(w.stopTimer)
		w.stopTimer = nil
	}
}

func (w *connectWizard) finishPaste() {
	u, id, pasted := w.u, w.attempt, w.pasteURL.Text
	w.pasteGo.Disable()
	u.async(func() {
		st, err := u.station.FinishPastedSignIn(u.ctx, id, pasted)
		u.done(func() {
			if err != nil {
				w.pasteGo.Enable()
				w.say(err.Error(), true)
				return
			}
			w.stopCountdown()
			w.countdown.SetText("")
			w.attempt = ""
			w.connected(st)
		})
	})
}

func (w *connectWizard) connectOwnApp() {
	u := w.u
	app := station.OwnApp{Region: regionTitles[w.ownRegion.Selected], SellingPartnerID: w.ownSeller.Text,
		ClientID: w.ownClient.Text, ClientSecret: w.ownSecret.Text, RefreshToken: w.ownToken.Text}
	w.ownGo.Disable()
	w.say("Checking the credentials with Amazon…", false)
	u.async(func() {
		st, err := u.station.ConnectOwnApp(u.ctx, app)
		u.done(func() {
			w.ownGo.Enable()
			if err != nil {
				w.say(err.Error(), true)
				return
			}
			w.ownSecret.SetText("")
			w.ownToken.SetText("")
			w.connected(st)
		})
	})
}

func (w *connectWizard) closed() {
	w.stopCountdown()
	if w.attempt != "" {
		w.u.station.CancelSignIn(w.attempt)
		w.attempt = ""
	}
}

// connectDemo connects the built-in simulator's demo store (North America).
func (u *UI) connectDemo() {
	u.say("Connecting the demo store…")
	u.async(func() {
		st, err := u.station.ConnectDemo(u.ctx, station.RegionNA)
		u.done(func() {
			if err != nil {
				u.showError("Could not connect the demo store: "+err.Error(), err)
				return
			}
			u.say("Connected " + st.Name + ", the demo store. Importing its orders…")
			u.Refresh()
			u.importStores(st.ID)
		})
	})
}

// confirmDisconnect says what disconnecting does before it does it.
func (u *UI) confirmDisconnect(st station.Store) {
	msg := widget.NewLabel(fmt.Sprintf("Disconnect %s?\n\nIts authorization is removed from the keychain and its orders stop importing. "+
		"The orders already here stay (labels bought can still be reprinted) until they are redacted. "+
		"Connect it again later to pick them up.", st.Name))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Disconnect "+st.Name, "Disconnect", "Cancel", msg, func(ok bool) {
		if !ok {
			return
		}
		u.async(func() {
			err := u.station.DisconnectStore(u.ctx, st.ID)
			u.done(func() {
				if err != nil {
					u.showError("Could not disconnect "+st.Name, err)
					return
				}
				u.say(st.Name + " is disconnected; its orders stay.")
				u.Refresh()
			})
		})
	}, u.win)
	d.Resize(u.fit(460, 260))
	u.present(d, d.Confirm)
}
