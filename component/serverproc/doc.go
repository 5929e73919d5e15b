// Package serverproc runs a throwaway server process on loopback for the
// prosody and ejabberd packages: its own session (Ctrl-C in a terminal
// does not reach it before we stop it cleanly), stopped if we die, output
// to a file, ready once its ports answer, stopped with SIGTERM and then
// SIGKILL; and free loopback ports to give it.
package serverproc
