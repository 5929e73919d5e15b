// Package twilio is the channel for a Twilio-compatible API (Twilio,
// SignalWire): SMS and MMS in (/hooks/twilio/NAME/sms), their delivery
// reports (/status), voicemail (/voice answers TwiML that greets and
// records with transcription; /recording and /transcription, in either
// order), and replies out through the API's Messages resource. Every
// request it takes is checked against X-Twilio-Signature first, and
// acknowledged only once the desk has made it durable.
package twilio
