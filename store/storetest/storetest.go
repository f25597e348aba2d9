// Package storetest is the store's behaviour suite: one set of tests (holds, appointments,
// outbox, emails, inbox dedupe, mirror, pushed slots, dead letters, sessions, and what several instances sharing a
// database must guarantee) that every backend runs against a real database, through
// store.Open and the store's public methods. store/sqlite and store/postgres each run it from
// their tests; PostgresDSN and SQLiteDSN give each test a fresh, empty database.
package storetest

import (
	"context"
	"testing"

	"doorway/store"
)

// Backend is how the suite gets databases of one backend.
type Backend struct {
	// DSN returns the connection string of a new, empty database for one test (store.Open
	// migrates it); whatever it creates is removed when the test ends.
	DSN func(t testing.TB) string
	// Instances is true when several Doorway processes may share one database (PostgreSQL):
	// the cross-instance tests then open the same DSN twice, as two instances would.
	Instances bool
}

// suite is the Backend as the tests use it.
type suite struct{ Backend }

// db opens a fresh database for the test.
func (s suite) db(t *testing.T) *store.DB {
	t.Helper()
	return open(t, s.DSN(t))
}

// open opens dsn (another instance, when the database exists already) and closes it at the
// end of the test.
func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type test struct {
	name      string
	fn        func(*testing.T, suite)
	instances bool // needs Backend.Instances
}

// tests is the suite, by aggregate.
func tests() []test {
	return []test{
		{"PutHoldConflicts", testPutHoldConflicts, false},
		{"PutHoldWithoutProvider", testPutHoldWithoutProvider, false},
		{"PutHoldTakesOverExpiredHold", testPutHoldTakesOverExpiredHold, false},
		{"PutHoldOnePerSession", testPutHoldOnePerSession, false},
		{"PutHoldCapPerClient", testPutHoldCapPerClient, false},
		{"PutHoldRefusedByLiveAppointment", testPutHoldRefusedByLiveAppointment, false},
		{"RenewHold", testRenewHold, false},
		{"TakenKeys", testTakenKeys, false},
		{"SweepHolds", testSweepHolds, false},
		{"CreateAppointmentWritesOutboxAndConsumesHold", testCreateAppointmentWritesOutboxAndConsumesHold, false},
		{"CreateAppointmentReplay", testCreateAppointmentReplay, false},
		{"CreateAppointmentWithoutHold", testCreateAppointmentWithoutHold, false},
		{"CreateAppointmentRace", testCreateAppointmentRace, false},
		{"LiveSlotUniqueIndex", testLiveSlotUniqueIndex, false},
		{"DoubleBookTakesTheSecondSeat", testDoubleBookTakesTheSecondSeat, false},
		{"RefusedDoubleBookRetried", testRefusedDoubleBookRetried, false},
		{"SetStatus", testSetStatus, false},
		{"SetStatusCannotReviveATakenSlot", testSetStatusCannotReviveATakenSlot, false},
		{"RequestCancel", testRequestCancel, false},
		{"AppointmentByCode", testAppointmentByCode, false},
		{"CancelIsAuditedOrNotDone", testCancelIsAuditedOrNotDone, false},
		{"RescheduleCancelsTheOldOnlyOnceTheNewIsBooked", testRescheduleCancelsTheOldOnlyOnceTheNewIsBooked, false},
		{"RescheduleRefusals", testRescheduleRefusals, false},
		{"FailedFindsCount", testFailedFindsCount, false},
		{"EHRMovesFollow", testEHRMovesFollow, false},
		{"StaffAccounts", testStaffAccounts, false},
		{"Kiosks", testKiosks, false},
		{"KioskCodeEnrollsOnce", testKioskCodeEnrollsOnce, false},
		{"DeskBookingAuditedWithItsOverride", testDeskBookingAuditedWithItsOverride, false},
		{"AppointmentsByDOB", testAppointmentsByDOB, false},
		{"AttentionListsWhatNeedsAPerson", testAttentionListsWhatNeedsAPerson, false},
		{"AttentionResolutionHidesOneOccurrence", testAttentionResolutionHidesOneOccurrence, false},
		{"AttentionRetry", testAttentionRetry, false},
		{"AttentionResolutionsCopied", testAttentionResolutionsCopied, false},
		{"AttentionListsFailedEmails", testAttentionListsFailedEmails, false},
		{"AttentionEmailRetryAndResolve", testAttentionEmailRetryAndResolve, false},
		{"FunnelCounts", testFunnelCounts, false},
		{"FunnelFlushesAddUp", testFunnelFlushesAddUp, false},
		{"FunnelCopies", testFunnelCopies, false},
		{"DueMessagesConcurrentClaimsDisjoint", testDueMessagesConcurrentClaimsDisjoint, false},
		{"DueMessagesLease", testDueMessagesLease, false},
		{"DueMessagesKeepsVisitOrder", testDueMessagesKeepsVisitOrder, false},
		{"RecordAttempt", testRecordAttempt, false},
		{"RecordAttemptUnknownMessage", testRecordAttemptUnknownMessage, false},
		{"InterruptedClaimReleasedAtStartup", testInterruptedClaimReleasedAtStartup, false},
		{"RecordAttemptSettlesTheAppointment", testRecordAttemptSettlesTheAppointment, false},
		{"EmailsWaitForTheirNew", testEmailsWaitForTheirNew, false},
		{"EmailsDroppedWithAFailedNew", testEmailsDroppedWithAFailedNew, false},
		{"CancelQueuesItsEmailAndDropsTheReminder", testCancelQueuesItsEmailAndDropsTheReminder, false},
		{"MoveMovesTheReminder", testMoveMovesTheReminder, false},
		{"RemindersSwitch", testRemindersSwitch, false},
		{"RemindersSwitchAudited", testRemindersSwitchAudited, false},
		{"ClinicCancelEmailedOnce", testClinicCancelEmailedOnce, false},
		{"ClinicRescheduleEmailedOnce", testClinicRescheduleEmailedOnce, false},
		{"EmailFailuresListed", testEmailFailuresListed, false},
		{"QueueEmailWaitsForTheNewAndIsAudited", testQueueEmailWaitsForTheNewAndIsAudited, false},
		{"ApplyNotificationDedupesAndFollowsEHR", testApplyNotificationDedupesAndFollowsEHR, false},
		{"EHRStatusesFollowed", testEHRStatusesFollowed, false},
		{"BlockFromEHRMakesTimeUnavailable", testBlockFromEHRMakesTimeUnavailable, false},
		{"PushSlotsBatches", testPushSlotsBatches, false},
		{"DeadLetterKeptSealed", testDeadLetterKeptSealed, false},
		{"DeadLetterReplayMarkedOnce", testDeadLetterReplayMarkedOnce, false},
		{"DeadLetterKeys", testDeadLetterKeys, false},
		{"DeadLetterShortSecretNamed", testDeadLetterShortSecretNamed, false},
		{"SessionRoundTripCookieCarriesOnlyToken", testSessionRoundTripCookieCarriesOnlyToken, false},
		{"SessionNewHasIDBeforeSave", testSessionNewHasIDBeforeSave, false},
		{"SessionRejectedCookies", testSessionRejectedCookies, false},
		{"SessionKeyRotation", testSessionKeyRotation, false},
		{"SessionIdleExpirySlides", testSessionIdleExpirySlides, false},
		{"SessionCleanup", testSessionCleanup, false},
		{"SessionRotateKeepsValuesAndHold", testSessionRotateKeepsValuesAndHold, false},
		{"SessionDeleteWithNegativeMaxAge", testSessionDeleteWithNegativeMaxAge, false},
		{"SessionMaxAgeSetsIdle", testSessionMaxAgeSetsIdle, false},
		{"SessionUndecodableStartsAfresh", testSessionUndecodableStartsAfresh, false},
		{"SharedSetting", testSharedSetting, false},
		{"CopyFromSQLite", testCopyFromSQLite, false},
		{"SearchAuditByVisit", testSearchAuditByVisit, false},
		{"Instances/StartTogether", testInstancesStartTogether, true},
		{"Instances/RaceForOverlappingTimes", testInstancesRaceForOverlappingTimes, true},
		{"Instances/RaceToBookOneTime", testInstancesRaceToBookOneTime, true},
		{"Instances/ClaimDisjointMessages", testInstancesClaimDisjointMessages, true},
		{"Instances/TakeOverClaimsOfAGoneInstance", testInstancesTakeOverClaimsOfAGoneInstance, true},
		{"Instances/DedupeOneDeliveryExactly", testInstancesDedupeOneDeliveryExactly, true},
		{"Instances/OneDeadLetterPerDelivery", testInstancesOneDeadLetterPerDelivery, true},
		{"Instances/HearEachOthersChanges", testInstancesHearEachOthersChanges, true},
		{"Instances/ShareSessionsAndSettings", testInstancesShareSessionsAndSettings, true},
		{"Instances/CompletePushFromBatchesOnBoth", testInstancesCompletePushFromBatchesOnBoth, true},
	}
}

// Run runs the suite against b, each test as a subtest with a fresh database. Tests of what
// several instances share are skipped, with a reason, when b serves one process.
func Run(t *testing.T, b Backend) {
	s := suite{b}
	for _, tc := range tests() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.instances && !b.Instances {
				t.Skip("one process per database: nothing is shared between instances")
			}
			tc.fn(t, s)
		})
	}
}
