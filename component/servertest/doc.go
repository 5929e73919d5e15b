// Package servertest starts the XMPP server an integration test runs on:
// Prosody (package prosody) by default, ejabberd (package ejabberd) with
// SWITCHBOARD_TEST_SERVER=ejabberd. A missing server skips the test, or
// fails it when $CI is "true". It is test harness code: only tests import
// it.
package servertest
