// Package testenv gives tests the real parts they run against: a fresh
// SQLite or PostgreSQL database per test (MITWIRKEN_TEST_DB picks which; the
// whole suite runs once per database), a controllable clock, an in-process
// SMTP server, the platform started on a random port, an HTTP client that
// fills in CSRF tokens like a browser, and headless Chromium with axe-core.
//
// Nothing here mocks the application's own storage.
package testenv
