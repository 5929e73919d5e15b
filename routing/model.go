package routing

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Strategy ranks the candidates for a conversation.
type Strategy string

// The strategies.
const (
	LongestIdle Strategy = "longest-idle"
	LeastBusy   Strategy = "least-busy"
	RoundRobin  Strategy = "round-robin"
	BestSkill   Strategy = "best-skill"
	// RingAll offers a conversation to every candidate at once; the
	// first to join takes it.
	RingAll Strategy = "ring-all"
)

// Strategies lists the strategies this version can route with.
var Strategies = []Strategy{LongestIdle, LeastBusy, RoundRobin, BestSkill, RingAll}

// ParseStrategy returns the strategy named s; "" means longest-idle.
func ParseStrategy(s string) (Strategy, error) {
	if s == "" {
		return LongestIdle, nil
	}
	for _, k := range Strategies {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown strategy %q (use one of %v)", s, Strategies)
}

// Queue is a line of conversations that share requirements.
type Queue struct {
	Name            string
	Skills          map[string]int // skill → minimum level
	Strategy        Strategy
	OfferTimeout    time.Duration
	MaxWait         time.Duration
	Overflow        string // another queue, "message", or ""
	MatchLanguage   bool
	RequireFeatures []string
	// Aging is how much waiting one priority level is worth in this
	// queue (0: the router's Aging).
	Aging time.Duration
	// Hours names the queue's business hours ("": always open); the
	// owner tells the router when it opens and closes (SetClosed).
	Hours string
}

// Agent is a person who answers conversations.
type Agent struct {
	JID       string // bare JID
	Name      string
	Skills    map[string]int
	Languages []string
	MaxChats  int
}

// Availability tells routing whether an agent can be offered work now; the
// presence tracker implements it.
type Availability interface {
	Routable(agent string) bool
	Supports(agent string, needs []string) bool
}

// Conversation is what routing knows of a waiting conversation.
type Conversation struct {
	ID       uint64
	Queue    string
	Priority int
	Since    time.Time // when it entered the queue
	Language string
	Needs    []string // client features the conversation needs
	// Rejected are the agents who declined it or let an offer lapse.
	Rejected []string
	// Agent, when set, is the only agent offered the conversation (a
	// transfer to a named colleague): skills are not checked, a person
	// chose them. A rejection clears it.
	Agent string
	// Prefer is an agent chosen before the strategy's pick whenever they
	// qualify: the one who handled a reopened conversation.
	Prefer string
}

// Offer is a routing decision: offer conversation to agent.
type Offer struct {
	Conversation uint64
	Queue        string
	Agent        string
	// Also are the other agents a ring-all offer goes to at once.
	Also   []string
	Reason Reason
}

// Reason explains an offer for the timeline.
type Reason struct {
	Strategy Strategy
	Note     string // why the strategy did not decide, e.g. "transfer to a named agent"

	Candidates []Verdict // every configured agent, chosen one first
}

// Verdict is why one agent was chosen, ranked or skipped.
type Verdict struct {
	Agent  string
	Chosen bool
	Rank   int    // 1 = chosen; 0 for skipped agents
	Why    string // e.g. "idle 4m0s, load 1/3" or "skipped: no skill billing≥3"
}

// String renders a reason on one line.
func (r Reason) String() string {
	var b strings.Builder
	if r.Note != "" {
		b.WriteString(r.Note + "; ")
	}
	b.WriteString(string(r.Strategy) + ":")
	for i, v := range r.Candidates {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(" " + v.Agent)
		if v.Chosen {
			b.WriteString(" chosen")
		} else if v.Rank > 0 {
			b.WriteString(" ranked " + strconv.Itoa(v.Rank))
		}
		b.WriteString(" (" + v.Why + ")")
	}
	return b.String()
}
