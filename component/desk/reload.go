package desk

import "switchboard/component/config"

func (d *Desk) reload(cfg *config.Config) error {
	return nil
}
