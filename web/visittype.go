package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages"
)

// showVisitTypes is step 2: the kinds of visit that fit the reason.
func (s *Server) showVisitTypes(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(2); to != "" {
		return redirect(c, to)
	}
	p := s.visitTypePage(w)
	p.Seen, p.Selected = w.Seen, w.VisitType
	return s.render(c, http.StatusOK, pages.VisitType(p))
}

// chooseVisitType records new-or-returning and the visit type. When the answer leaves one
// visit type, the patient need not also pick it.
func (s *Server) chooseVisitType(c echo.Context) error {
	w := wizard(c)
	if to := w.missing(2); to != "" {
		return redirect(c, to)
	}
	opts := s.visitTypeOptions(w)
	p := s.visitTypePage(w)
	p.Seen, p.Selected = c.FormValue("seen"), c.FormValue("visit_type")
	if !p.AskSeen {
		p.Seen = ""
	} else if p.Seen != "yes" && p.Seen != "no" {
		p.Seen, p.SeenError = "", "Tell us whether you've been seen here in the last 3 years."
	}
	i := slices.IndexFunc(opts, func(v booking.VisitType) bool { return v.Code == p.Selected })
	switch fitting := fitSeen(opts, p.Seen); {
	case p.Selected == "" && len(fitting) == 1 && p.SeenError == "":
		p.Selected = fitting[0].Code
	case p.Selected == "" && p.SeenError == "":
		p.Error = "Choose the type of visit you need."
	case p.Selected != "" && i < 0:
		p.Error = "Choose a type of visit from the list."
	case i >= 0 && !fits(opts[i], p.Seen):
		p.Error = misfit(opts[i])
	}
	if p.Error != "" || p.SeenError != "" {
		return s.render(c, http.StatusUnprocessableEntity, pages.VisitType(p))
	}
	w.Seen = p.Seen
	if err := s.setVisitType(c, w, p.Selected); err != nil {
		return err
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, w.next(2))
}

func (s *Server) visitTypePage(w *Wizard) pages.VisitTypePage {
	opts := s.visitTypeOptions(w)
	p := pages.VisitTypePage{Page: s.page("Type of visit", 2), AskSeen: askSeen(opts)}
	for _, v := range opts {
		p.Options = append(p.Options, pages.NewVisitTypeOption(v))
	}
	return p
}

// visitTypeOptions are the self-bookable visit types that fit the reason, in the reason's
// order; a typed reason fits every self-bookable visit type.
func (s *Server) visitTypeOptions(w *Wizard) []booking.VisitType {
	var out []booking.VisitType
	if r, ok := s.clinic.Reason(w.ReasonID); ok {
		for _, code := range r.VisitTypes {
			if v, ok := s.clinic.VisitType(code); ok && v.SelfBook {
				out = append(out, v)
			}
		}
		return out
	}
	for _, v := range s.clinic.VisitTypes {
		if v.SelfBook {
			out = append(out, v)
		}
	}
	return out
}

// askSeen reports whether "have you been seen here?" changes which options fit, while
// leaving something to book either way (a reason only new patients book asks nothing).
func askSeen(opts []booking.VisitType) bool {
	yes, no := len(fitSeen(opts, "yes")), len(fitSeen(opts, "no"))
	return yes > 0 && no > 0 && (yes != len(opts) || no != len(opts))
}

// fits reports whether v is for a patient who answered seen ("" = not asked).
func fits(v booking.VisitType, seen string) bool {
	switch v.Patients {
	case booking.PatientsNew:
		return seen != "yes"
	case booking.PatientsEstablished:
		return seen != "no"
	}
	return true
}

func fitSeen(opts []booking.VisitType, seen string) []booking.VisitType {
	var out []booking.VisitType
	for _, v := range opts {
		if fits(v, seen) {
			out = append(out, v)
		}
	}
	return out
}

func fitsAny(opts []booking.VisitType, code string) bool {
	return slices.ContainsFunc(opts, func(v booking.VisitType) bool { return v.Code == code })
}

func misfit(v booking.VisitType) string {
	if v.Patients == booking.PatientsNew {
		return "That visit is for new patients. As you've been seen here before, choose another type of visit."
	}
	return "That visit is for patients we've seen before. As you're new, choose a visit for new patients."
}
