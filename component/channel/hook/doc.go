// Package hook is the generic signed channel: anything that can sign a
// request with Standard Webhooks (a company's web backend, a form, a
// social-messaging bridge) posts JSON or multipart to /hooks/NAME, and an
// agent's answers go to the channel's reply_url, signed the same way.
// The [[webhook]]s the desk calls on its events are signed with it too.
package hook
