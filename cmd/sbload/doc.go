// Command sbload measures switchboard under load against a Prosody it
// starts on loopback: the same clients first exchange messages directly
// (the server's own limit), then through switchboard (customer → desk →
// room → agent and back), and it prints both throughputs, their ratio, the
// latency percentiles, the desk's CPU time per relayed message and its
// memory per open conversation. With -flood it instead measures what one
// customer flooding the desk does to the others' latency. It is bounded in
// time and count and stops by itself.
package main
