package texts

// What customers read, in their language.
const customer = "customer"

// The words customers write to the desk; the English ones always work
// too.
var (
	WordStatus   = def(customer, "word_status", "status")
	WordCancel   = def(customer, "word_cancel", "cancel")
	WordMessage  = def(customer, "word_message", "message")
	WordCallback = def(customer, "word_callback", "callback")
	WordDone     = def(customer, "word_done", "done")
	WordNow      = def(customer, "word_now", "now")
	WordToday    = def(customer, "word_today", "today")
	WordTomorrow = def(customer, "word_tomorrow", "tomorrow")
	WordAt       = def(customer, "word_at", "at")
)

// Refusals of what a customer sent.
var (
	Encrypted     = def(customer, "encrypted", "Sorry, I can't read {encryption}-encrypted messages. Please turn encryption off for this chat and write again.")
	TooLong       = def(customer, "too_long", "Your message is too long ({bytes} bytes; the limit is {limit}). Please split it up.")
	NotUTF8       = def(customer, "not_utf8", "Your message is not valid UTF-8.")
	TooFast       = def(customer, "too_fast", "You are sending messages too fast; please wait a moment.")
	ServerTooFast = def(customer, "server_too_fast", "Too many messages from your server right now; please try again in a minute.")
	NoDesk        = def(customer, "no_desk", "There is no desk at this address.")
)

// The dialog's own answers.
var (
	DialogNotUnderstood = def(customer, "dialog_not_understood", "Sorry, I didn't catch that. Please answer with a number from 1 to {n}, or describe your question in a few words.")
	DialogAmbiguous     = def(customer, "dialog_ambiguous", "That could mean more than one thing:{options} please answer with one of those keys.")
	DialogOption        = def(customer, "dialog_option", " {key}) {label};")
	DialogBadAnswer     = def(customer, "dialog_bad_answer", "Sorry, that answer doesn't look right.")
	DialogGoodbye       = def(customer, "dialog_goodbye", "Thank you for contacting us. Goodbye!")
	TimedOut            = def(customer, "timed_out", "We have not heard from you for {duration}, so we closed this conversation. Write again any time to start a new one.")
)

// The queue: place and wait.
var (
	Queued            = def(customer, "queued", `Thank you. {place} Write "{status}" to see your place or "{cancel}" to leave the queue.`)
	QueuePlace        = def(customer, "queue_place", "You are number {place} in the queue; {wait}.")
	QueuePlaceUpdate  = def(customer, "queue_place_update", "You are now number {place} in the queue; {wait}.")
	QueuePlaceClosed  = def(customer, "queue_place_closed", "You are number {place} in the queue. We are closed now and open again {opens}: you keep your place, and an agent will answer you here then.")
	WaitUnknown       = def(customer, "wait_unknown", "we will tell you how long it may take as soon as we know")
	WaitMoment        = def(customer, "wait_moment", "an agent will be with you in a moment")
	WaitLess          = def(customer, "wait_less", "the wait is less than {duration}")
	WaitAbout         = def(customer, "wait_about", "the wait is about {duration}")
	AgentAboutToJoin  = def(customer, "agent_about_to_join", "An agent is about to join. Thank you for waiting.")
	LeftQueue         = def(customer, "left_queue", "You have left the queue. Write again any time.")
	StillBusy         = def(customer, "still_busy", "Sorry for the wait: all our agents are still busy. You keep your place in the queue.")
	RoomSlow          = def(customer, "room_slow", "Sorry, connecting you to an agent takes longer than usual. Please stay with us: you keep your place.")
	NowChatting       = def(customer, "now_chatting", "You are now chatting with {agent}.")
	AgentDropped      = def(customer, "agent_dropped", "{agent} had to leave; you keep your place, and the next agent will see everything you wrote.")
	ClosedWriteAnyway = def(customer, "closed_write_anyway", "We are closed now; we open again {opens}. You can write to us all the same.")
	OpensLater        = def(customer, "opens_later", "later")
)

// Leaving a message.
var (
	MessagePrompt     = def(customer, "message_prompt", `Please write your message; several lines are fine. Write "{done}" when you have finished (or just pause for a minute), or "{cancel}" to leave without one.`)
	MessageEmpty      = def(customer, "message_empty", `Your message is empty: please write it, then "{done}" (or "{cancel}").`)
	MessageRecorded   = def(customer, "message_recorded", "Thank you: your message is recorded. An agent will answer you here {when}; you may close your chat, the answer will wait for you.")
	KeptAsMessage     = def(customer, "kept_as_message", "Your conversation is kept as a message: write anything you want to add, and an agent will answer you here {when}. You may close your chat; the answer will wait for you.")
	AnswerWhenFree    = def(customer, "answer_when_free", "as soon as one is free")
	AnswerWhenOpen    = def(customer, "answer_when_open", "when we open again {opens}")
	NothingLeft       = def(customer, "nothing_left", "All right: nothing was left. Write again any time.")
	KeepYourPlace     = def(customer, "keep_your_place", "All right. You keep your place in the queue.")
	CallbackCancelled = def(customer, "callback_cancelled", "The call back is off. Write again any time.")
)

// Asking for a call back.
var (
	CallbackPhone     = def(customer, "callback_phone", `What number should we call you on? Please write it in international format, like +49 30 1234567 (or "{cancel}").`)
	CallbackBadPhone  = def(customer, "callback_bad_phone", `That does not look like a phone number in international format: start with + and your country code, like +49 30 1234567 (or write "{cancel}").`)
	CallbackTime      = def(customer, "callback_time", `When should we call {phone}? Write "{now}", a time today like "14:30", or "{tomorrow} 10:00" ({zone} time).`)
	CallbackBadTime   = def(customer, "callback_bad_time", `Please write "{now}", a time today like "14:30", or "{tomorrow} 10:00".`)
	CallbackPast      = def(customer, "callback_past", `{time} has passed today; write a later time, or "{tomorrow} {time}".`)
	CallbackClosedNow = def(customer, "callback_closed_now", `We are closed now; we open again {opens}. Please choose a time then, like "{tomorrow} 10:00".`)
	CallbackClosedAt  = def(customer, "callback_closed_at", "We are closed at {time}; we are open again {opens}. Please choose another time.")
	CallbackPlanned   = def(customer, "callback_planned", `Thank you. We will call you on {phone} {when}. Write "{cancel}" to call it off.`)
	CallbackStatus    = def(customer, "callback_status", `We will call you on {phone} {when}. Write "{cancel}" to call it off.`)
	CallbackWhenFree  = def(customer, "callback_when_free", "as soon as an agent is free")
)

// Closing, rating and coming back.
var (
	Goodbye         = def(customer, "goodbye", "This conversation has been closed. Thank you for contacting us! Write again any time.")
	RatingQuestion  = def(customer, "rating_question", "How would you rate our help? Please reply with a number from 1 (poor) to 5 (excellent).")
	RatingReask     = def(customer, "rating_reask", "Please rate with a number from 1 (poor) to 5 (excellent).")
	RatingThanks    = def(customer, "rating_thanks", "Thank you for your rating!")
	WelcomeBack     = def(customer, "welcome_back", "Welcome back! You are chatting with {agent} again.")
	WelcomeBackWait = def(customer, "welcome_back_wait", "Welcome back! We have reopened your conversation; an agent will be with you shortly.")
)

// The desk's status, in answers and in the entry points' presence.
var (
	StatusAgents   = defPlural(customer, "status_agents", "{n} agent available", "{n} agents available")
	StatusLine     = def(customer, "status_line", "{agents} · {waiting} waiting")
	StatusWithWait = def(customer, "status_with_wait", "{status} · {wait}")
	StatusClosed   = def(customer, "status_closed", "Closed · we open again {opens}")
	ShortWaitAbout = def(customer, "short_wait_about", "~{n} min")
	ShortWaitLess  = def(customer, "short_wait_less", "<{n} min")
)

// What a caller hears from a voice channel.
var (
	VoiceGreeting = def(customer, "voice_greeting", "Thank you for calling. Please leave your message after the tone; we will get back to you.")
	VoiceThanks   = def(customer, "voice_thanks", "Thank you. Goodbye.")
)
