package agents

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"switchboard/component/config"
	"switchboard/component/desk/command"
	"switchboard/routing"
)

// Info is an agent as the desk sees it: the profile routing uses, where
// it comes from, and its state and load now.
type Info struct {
	routing.Agent
	// Runtime is set for an agent added or changed through the API or an
	// ad-hoc command (kept in the store, ahead of the config file).
	Runtime bool
	State   string
	Reason  string // why the agent paused
	Load    int
}

// Change adds or changes an agent at runtime.
type Change struct {
	JID       string
	Name      string
	Skills    map[string]int
	Languages []string
	MaxChats  *int // nil: the default
}

// Invalid says what is wrong with a change.
type Invalid string

func (e Invalid) Error() string { return string(e) }

// The errors of removing an agent.
var (
	ErrNoAgent = errors.New("no such agent")
	ErrBusy    = errors.New("the agent still has conversations; close or transfer them first")
)

// Check turns a change into a routing agent, or says what is wrong (an
// Invalid): the config file's rules apply.
func Check(cfg *config.Config, ch Change) (routing.Agent, error) {
	a := routing.Agent{JID: ch.JID, Name: ch.Name, Skills: ch.Skills, Languages: ch.Languages}
	if ch.MaxChats != nil {
		a.MaxChats = *ch.MaxChats
	}
	errs := cfg.CheckAgent(&a, ch.MaxChats != nil)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Msg
		}
		return a, Invalid(strings.Join(msgs, "; "))
	}
	return a, nil
}

// ParseSkills reads "billing=7, sales=4".
func ParseSkills(s string) (map[string]int, error) {
	skills := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("skills: write skill=level, e.g. billing=7 (got %q)", command.Truncate(part, 40))
		}
		skills[strings.TrimSpace(k)] = n
	}
	return skills, nil
}

// SkillList renders an agent's skills, "billing=7, sales=4".
func SkillList(a routing.Agent) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(a.Skills)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, a.Skills[k]))
	}
	if len(parts) == 0 {
		return "no skills"
	}
	return strings.Join(parts, ", ")
}
