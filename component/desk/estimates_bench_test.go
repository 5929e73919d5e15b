package desk

import (
	"fmt"
	"testing"
	"time"

	"switchboard/component/desk/core"
)

// BenchmarkUpdateWaits is one look for queued customers due an update
// (every 5 s), with every one of n due: their places and waits.
func BenchmarkUpdateWaits(b *testing.B) {
	for _, n := range []int{100, 1000, 3000} {
		b.Run(fmt.Sprintf("queued=%d", n), func(b *testing.B) {
			h := newHarness(b, harnessAgents)
			for i := range n {
				for _, body := range []string{"hello", "1"} {
					h.seq++
					h.d.handle(core.EvStanzas{h.stanza(fmt.Sprintf(`<message from='c%d@localhost/pc' to='support@help.localhost' type='chat' id='b%d'><body>%s</body></message>`, i, h.seq, body))})
				}
			}
			h.settle()
			now := h.clock.Now().Add(time.Hour)
			b.ResetTimer()
			for range b.N {
				for _, c := range h.d.Convs {
					c.Told.At = time.Time{} // due, and with news
					c.Told.Pos = 0
				}
				h.d.cust.UpdateWaits(now)
			}
			b.StopTimer()
			h.settle()
		})
	}
}
