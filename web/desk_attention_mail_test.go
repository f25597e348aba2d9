package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"doorway/booking"
	"doorway/mail"
	"doorway/mail/mailtest"
)

// TestDeskAttentionEmails: confirmations the mail server refused (550: no such mailbox) are
// listed as emails, with the patient to call, the visit, the server's answer and the tries,
// and what to do. Sent again while the server still refuses, one comes back with its answer;
// marked resolved with a note it leaves the list. Once the mailbox is fixed, the other sent
// again goes at once, with the Message-ID made from its outbox message (the same as its
// refused attempt's), and leaves the list. Each action is audited under the staff member.
func TestDeskAttentionEmails(t *testing.T) {
	const addr = "jane.doe@example.org"
	srv := mailtest.Start(t, mailtest.Options{})
	srv.Refuse(addr, 550)
	a := mailApp(t, srv)
	ctx := context.Background()
	first := a.bookWithEmail()
	second := a.bookWithEmail()
	a.svc.DeliverMail(ctx)
	a.addStaff("dana@clinic.example", booking.RoleDesk)
	d := a.browser()
	wantRedirect(t, d.signIn("dana@clinic.example", deskPassword), "/desk")

	page := d.get("/desk/attention")
	wantStatus(t, page, http.StatusOK)
	checkPage(t, "attention, emails", page)
	group := page.doc.Find("[data-testid=attention-email]")
	if n := page.doc.Find("[data-testid=nav-attention]").AttrOr("data-count", ""); n != "2" || group.Find("[data-testid=attention-item]").Length() != 2 ||
		!strings.Contains(group.Find(".att-todo").Text(), "Call them") || page.doc.Find(`[data-kind="failed"]`).Length() != 0 {
		t.Fatalf("the list: %d items counted %s, %q; want the two emails alone, what to do", group.Find("[data-testid=attention-item]").Length(),
			n, strings.TrimSpace(page.doc.Find("main").Text()))
	}
	id := item(page, "email", first)
	it := page.doc.Find("#" + id)
	if !strings.HasPrefix(id, "email-") || !strings.Contains(it.Find("h3").Text(), "Confirmation email") || !strings.Contains(it.Text(), "Jane Doe") ||
		it.Find(`a[href^="tel:"]`).Length() != 1 || it.Find(`a[href="/desk/visit/`+first+`"]`).Length() != 1 ||
		!strings.Contains(it.Text(), "The mail server said") || !strings.Contains(it.Find("samp").Text(), "550") ||
		!strings.Contains(it.Text(), "1 try") || it.Find("[data-testid=retry]").Length() != 1 {
		t.Errorf("the refused confirmation's item: %q", strings.Join(strings.Fields(it.Text()), " "))
	}

	// Sent again while the mailbox is still refused: back with its answer, two tries.
	wantRedirect(t, d.post("/desk/attention/"+id+"/retry", nil), "/desk/attention?done=email_refused")
	again := d.get("/desk/attention?done=email_refused")
	if item(again, "email", first) != id || !strings.Contains(again.doc.Find("#"+id).Text(), "2 tries") ||
		!strings.Contains(again.doc.Find("[data-testid=notice]").Text(), "refused it again") {
		t.Errorf("after a refused retry: %q", strings.Join(strings.Fields(again.doc.Find("main").Text()), " "))
	}
	wantRedirect(t, d.post("/desk/attention/"+id+"/resolve", url.Values{"note": {"Called Jane: gave her the time by phone"}}),
		"/desk/attention?done=resolved")
	if item(d.get("/desk/attention"), "email", first) != "" {
		t.Error("the resolved email is still listed")
	}

	// The mailbox fixed, the other goes at once, as the same message.
	srv.Refuse(addr, 0)
	secondID := item(again, "email", second)
	wantRedirect(t, d.post("/desk/attention/"+secondID+"/retry", nil), "/desk/attention?done=email_sent")
	got, err := mailtest.ParseAll(srv.Wait(t, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	key := second + "/" + string(booking.OutboxEmailConfirm) + "/" + strings.TrimPrefix(secondID, "email-")
	if len(got) != 1 || got[0].Header.Get("Message-Id") != "<"+mail.MessageID(key, "prairie.example")+">" {
		t.Errorf("sent %d, Message-Id %q; want the confirmation with the Message-ID of its outbox message %s", len(got),
			got[0].Header.Get("Message-Id"), key)
	}
	done := d.get("/desk/attention?done=email_sent")
	if item(done, "email", second) != "" || done.doc.Find("[data-testid=nav-attention]").AttrOr("data-count", "") != "0" ||
		!strings.Contains(done.doc.Find("[data-testid=notice]").Text(), "the mail server took it") {
		t.Errorf("after it went: %q", strings.Join(strings.Fields(done.doc.Find("main").Text()), " "))
	}
	for visit, actions := range map[string][]string{first: {booking.AuditRetry, booking.AuditResolve}, second: {booking.AuditRetry}} {
		entries, _ := a.db.AuditEntries(t0ctx, visit)
		var staffActions []string
		for _, e := range entries {
			if strings.HasPrefix(e.Actor.Session, "staff:") {
				staffActions = append(staffActions, e.Action)
			}
		}
		if strings.Join(staffActions, " ") != strings.Join(actions, " ") {
			t.Errorf("staff audit of %s: %v, want %v", visit, staffActions, actions)
		}
	}
}
