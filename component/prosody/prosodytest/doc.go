// Package prosodytest starts a throwaway Prosody for a test. It is test
// harness code: only tests import it, so that
// "testing" stays out of the switchboard binary.
package prosodytest
