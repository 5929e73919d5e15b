package workroom

import (
	"fmt"

	"switchboard/component/desk/command"
	"switchboard/component/texts"
	"switchboard/store"
)

// Call backs: a phone number (E.164, asked again until it is one) and a
// time ("now", "14:30", "tomorrow 10:00"; not past, and within the
// queue's business hours). A planned call waits out of routing until it
// is due (a timer, set again after a restart), then is routed ahead of
// everyone who came after it asked; the agent's room shows the number,
// the time and the dialog's answers; /called records each attempt and
// /close ends it.

func cmdCalled(d *Desk, x cmdCtx, args string) string {
	c := x.c
	if c.Rec.Kind != store.KindCallback || c.Rec.Callback == nil {
		return d.t(texts.NotACallback, nil)
	}
	c.Rec.Callback.Attempts++
	outcome := args
	if outcome == "" {
		outcome = "called"
	}
	st := d.Step(c)
	st.Event(x.jid, "called", fmt.Sprintf("attempt %d: %s", c.Rec.Callback.Attempts, command.Truncate(outcome, 200)))
	st.Commit()
	return d.t(texts.AttemptRecorded, texts.A{"n": c.Rec.Callback.Attempts, "outcome": command.Truncate(outcome, 200)})
}
