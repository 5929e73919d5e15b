// Package view renders what agents and supervisors read about the desk:
// a conversation's summary and recap, the offer, the history of a
// customer, an agent's status, the queues and the floor. It takes plain
// values and holds no state.
package view
