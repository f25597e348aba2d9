package booking

// Msg names one sentence a person is shown: a form error, a notice, why a request failed.
// The words live in views/i18n, one table per language; a test there fails when a Msg below
// has no words in every language.
type Msg string

// What the person sees when something goes wrong or needs their attention.
const (
	// Generic, by error code.
	MsgInternal    Msg = "internal"     // something went wrong on our side
	MsgEHRSlow     Msg = "ehr.slow"     // the clinic's schedule took too long to answer
	MsgEHRDown     Msg = "ehr.down"     // the clinic's schedule cannot be reached
	MsgEHRGarbled  Msg = "ehr.garbled"  // the clinic's system answered something unreadable
	MsgEHRRefused  Msg = "ehr.refused"  // the clinic's system refused the request
	MsgEHRChanged  Msg = "ehr.changed"  // the appointment changed at the clinic meanwhile
	MsgEHRSignIn   Msg = "ehr.sign_in"  // Doorway cannot sign in to the clinic's system
	MsgEHRLacking  Msg = "ehr.lacking"  // the request lacks something the clinic's system needs
	MsgMalformed   Msg = "malformed"    // machine input that cannot be used; Detail says why
	MsgFormUnread  Msg = "form.unread"  // the form could not be read
	MsgPageExpired Msg = "page.expired" // the page is out of date: reload and confirm again

	// The reason step.
	MsgReasonMissing      Msg = "reason.missing"
	MsgReasonUnknown      Msg = "reason.unknown"
	MsgReasonTypedMissing Msg = "reason.typed_missing"
	MsgReasonTypedLong    Msg = "reason.typed_long"

	// The visit-type step.
	MsgSeenMissing           Msg = "seen.missing"
	MsgVisitTypeMissing      Msg = "visit_type.missing"
	MsgVisitTypeUnknown      Msg = "visit_type.unknown"
	MsgVisitTypeForNew       Msg = "visit_type.for_new"
	MsgVisitTypeForReturning Msg = "visit_type.for_returning"

	// Search preferences.
	MsgFromMissing       Msg = "from.missing"
	MsgFromFormat        Msg = "from.format"
	MsgFromPast          Msg = "from.past"
	MsgFromTooFar        Msg = "from.too_far"
	MsgToMissing         Msg = "to.missing"
	MsgToFormat          Msg = "to.format"
	MsgToBeforeFrom      Msg = "to.before_from"
	MsgToSpan            Msg = "to.span"
	MsgDaysUnknown       Msg = "days.unknown"
	MsgBandsUnknown      Msg = "bands.unknown"
	MsgProvidersUnknown  Msg = "providers.unknown"
	MsgLocationsUnknown  Msg = "locations.unknown"
	MsgLocationsNoneWork Msg = "locations.none_work"
	MsgWidenUnknown      Msg = "widen.unknown"
	MsgNoProviderMatches Msg = "who.none"

	// Holding a time.
	MsgSlotUnknown     Msg = "slot.unknown"     // not a time from the list
	MsgSlotTaken       Msg = "slot.taken"       // just booked: here are the nearest
	MsgSlotHeld        Msg = "slot.held"        // someone else is booking it: here are the nearest
	MsgSlotGone        Msg = "slot.gone"        // taken, and nothing near it is open
	MsgTooManyHolds    Msg = "hold.too_many"    // this device holds too many times at once
	MsgHoldExpired     Msg = "hold.expired"     // the held time ran out
	MsgHoldLetGo       Msg = "hold.let_go"      // notice: we let the time go, answers kept
	MsgBookedElsewhere Msg = "booked.elsewhere" // a confirmation this browser may not see

	// An appointment's state.
	MsgAlreadyCanceled Msg = "appointment.already_canceled"
	MsgCannotCancel    Msg = "appointment.cannot_cancel"
	MsgTooLateToChange Msg = "appointment.too_late" // within the clinic's cutoff: call us
	MsgCodeInUse       Msg = "appointment.code_in_use"

	// Finding and managing an appointment.
	MsgManageNotFound      Msg = "manage.not_found" // the one answer to every failed find
	MsgManageCodeMissing   Msg = "manage.code_missing"
	MsgManageLinkBad       Msg = "manage.link_bad" // a manage link that is tampered with or expired
	MsgManageTooMany       Msg = "manage.too_many" // too many tries from this connection
	MsgCancelReasonMissing Msg = "cancel.reason_missing"
	MsgCancelOtherMissing  Msg = "cancel.other_missing"

	// Staff sign-in and accounts.
	MsgSignInFailed     Msg = "sign_in.failed" // the one answer to every failed sign-in
	MsgPasswordTooLong  Msg = "password.too_long"
	MsgPasswordTooShort Msg = "password.too_short"
	MsgEmailTaken       Msg = "staff.email_taken"
	MsgAdminOnly        Msg = "staff.admin_only" // a page for admins
	MsgFunnelSpan       Msg = "funnel.span"      // the funnel's days: at most MaxFunnelDays

	// Kiosks: enrolling a clinic tablet, and the admin's list.
	MsgKioskCodeWrong   Msg = "kiosk.code_wrong"   // the one answer to every failed enrollment
	MsgKioskNameMissing Msg = "kiosk.name_missing" // a new kiosk needs a name
	MsgKioskNameLong    Msg = "kiosk.name_long"    // at most MaxKioskName characters
	MsgKioskLocation    Msg = "kiosk.location"     // the location is not one of the clinic's
	MsgKioskGone        Msg = "kiosk.gone"         // the kiosk was revoked (or never was)

	// Overrides at the front desk.
	MsgOverrideNeeded        Msg = "override.needed" // the time bends a rule: name it, with a reason
	MsgOverrideReasonMissing Msg = "override.reason_missing"
	MsgOverrideNoteMissing   Msg = "override.note_missing"
	MsgOverrideNotAllowed    Msg = "override.not_allowed" // this staff member may not override
	MsgDoubleBookNotAllowed  Msg = "override.double_book" // the visit type may not be double-booked

	// The patient's details.
	MsgFirstNameMissing Msg = "first_name.missing"
	MsgFirstNameLong    Msg = "first_name.long"
	MsgLastNameMissing  Msg = "last_name.missing"
	MsgLastNameLong     Msg = "last_name.long"
	MsgFirstNameLetters Msg = "first_name.letters"
	MsgLastNameLetters  Msg = "last_name.letters"
	MsgEmailLong        Msg = "email.long"
	MsgDOBMissing       Msg = "dob.missing"
	MsgDOBFormat        Msg = "dob.format"
	MsgDOBFuture        Msg = "dob.future"
	MsgDOBOld           Msg = "dob.old"
	MsgPhoneFormat      Msg = "phone.format"
	MsgEmailFormat      Msg = "email.format"
	MsgContactMissing   Msg = "contact.missing"
	MsgPhoneMissing     Msg = "phone.missing" // the kiosk asks a phone number of every walk-in
	MsgLanguageUnknown  Msg = "language.unknown"
	MsgMRNFormat        Msg = "mrn.format"

	// The EHR's webhook.
	MsgTokenMissing     Msg = "token.missing"
	MsgTokenWrong       Msg = "token.wrong"
	MsgBodyTooLarge     Msg = "body.too_large"
	MsgBodyUnread       Msg = "body.unread"
	MsgBodyNotJSON      Msg = "body.not_json" // not JSON at all, or cut off
	MsgChallengeMissing Msg = "challenge.missing"
	MsgEventUnwanted    Msg = "event.unwanted"
	MsgAlreadyReplayed  Msg = "dead_letter.replayed" // a dead letter is replayed once
	MsgNotEnabled       Msg = "not_enabled"          // notifications or slot pushes are not wired up
)
