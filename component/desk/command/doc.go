// Package command is the table behind the desk's commands: the room's
// /commands, the agents' chat commands. A command is found by its name or
// an unambiguous prefix of it; the word splitter and the help listing are
// here, what a command does is the desk's.
package command
