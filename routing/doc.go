// Package routing decides which agent is offered which waiting conversation:
// queues with skill minimums, the candidate filter (availability, capacity,
// skills, language, client features, earlier rejections), the strategies that
// rank candidates, and priority with aging. It is pure Go: availability comes
// in through an interface and time through arguments.
package routing
