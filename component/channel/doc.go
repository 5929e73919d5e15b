// Package channel is what every way into and out of the desk that is not
// XMPP shares: the inbound item a channel hands the desk (an address,
// text, files, the provider's id of the message), files streamed to disk
// under their hash with limits and a sniffed type, signed expiring links
// to them, and the sender of the durable outbox (store/outbox), which
// delivers replies and webhook calls with retries and gives up on them
// loudly. The channels themselves (component/channel/twilio, …/hook) hold
// their HTTP handlers, signature checks and provider calls; none of them
// touches the desk's state.
package channel
