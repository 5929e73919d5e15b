// Package config reads switchboard's TOML configuration: it decodes the file
// strictly, fills defaults, validates every cross-reference (agents' skills,
// dialogs' nodes and queues, duplicate JIDs) and reports each problem as
// "file:line: message" with the line of the offending key.
package config
