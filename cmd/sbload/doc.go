// Command sbload measures switchboard under load against a Prosody it
// starts on loopback: the same clients first exchange messages directly
// (the server's own limit), then through switchboard (customer → desk →
// room → agent and back), and it prints both throughputs, their ratio, the
// latency percentiles, the desk's CPU time per relayed message and its
// memory per open conversation. With -flood it instead measures what one
// customer flooding the desk does to the others' latency; with -channels,
// the SMS channel against a fake provider: the provider's answer to an
// inbound SMS (durable), the SMS in the agent's room, an agent's answer to
// the provider's request, and 1,000 answers written while the provider is
// down, delivered once after its return. It is bounded in
// time and count and stops by itself.
package main
