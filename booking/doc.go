// Package booking is Doorway's domain: the clinic catalogue (locations, providers, visit types,
// reasons), slot searches and their preferences, holds, appointments and the Service that
// searches, holds, books, cancels and reschedules.
//
// It imports no infrastructure: the EHR (booking/redox), the database (store) and the web layer
// (web, views) depend on this package, never the other way round. Ports are interfaces defined
// here, where they are used.
package booking
