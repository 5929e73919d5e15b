package config

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"switchboard/routing/hours"
)

// hours reads the [hours.NAME] tables.
func (v *validator) hours(raw *rawConfig, c *Config) {
	c.Hours = map[string]*hours.Schedule{}
	for _, name := range slices.Sorted(maps.Keys(raw.Hours)) {
		h := raw.Hours[name]
		p := "hours." + name
		ok := true
		if h.Zone == "" {
			v.errorf(p, "hours %q: zone is missing (an IANA zone such as \"Europe/Berlin\")", name)
			ok = false
		} else if _, err := time.LoadLocation(h.Zone); err != nil {
			v.errorf(p+".zone", "hours %q: unknown time zone %q", name, h.Zone)
			ok = false
		}
		days := map[string]string{}
		for key, text := range h.days() {
			if text == nil {
				continue
			}
			if _, err := hours.ParseDay(*text); err != nil {
				v.errorf(p+"."+key, "hours %q: %s: %v", name, key, err)
				ok = false
			}
			days[key] = *text
		}
		for i, d := range h.Closed {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				v.errorf(p+".closed."+strconv.Itoa(i), "hours %q: closed: %q is not a day (YYYY-MM-DD)", name, d)
				ok = false
			}
		}
		if !ok {
			c.Hours[name] = &hours.Schedule{Name: name, Zone: time.UTC} // known, for the references
			continue
		}
		s, err := hours.Parse(name, h.Zone, days, h.Closed)
		if err != nil {
			v.errorf(p, "hours %q: %v", name, err)
			s = &hours.Schedule{Name: name, Zone: time.UTC}
		}
		c.Hours[name] = s
	}
}
