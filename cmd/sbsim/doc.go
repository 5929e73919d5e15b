// Command sbsim measures switchboard's wait estimates. It simulates a desk
// — customers arriving (Poisson or in bursts), agents with one to three
// chat slots logging in and out, lognormal handle times, customers giving
// up — and tells every customer who has to wait an estimate from
// switchboard's estimator (routing.Estimator, the code the desk runs) and,
// in the same run, from the formulas other desks use:
//
//   - Fastpath (Openfire): after each served customer avg = (avg + wait)/2;
//     a customer with p others ahead is told avg·(p+1).
//   - Rocket.Chat: ((position−1)/N + 1) · the mean handle time of the last
//     100 conversations, N the concurrent chat slots online.
//
// In a one-slot desk it also computes the best any method could do (the
// median of the real wait's distribution, knowing the true handle times
// and how long the conversation in hand has run), the floor of the error.
//
// When the customer is taken, the estimate is scored against the real
// wait. It prints, per scenario and overall, the mean absolute error and
// the share of customers told too little (who waited more than they were
// told by over a minute and 20%).
//
//	go run ./cmd/sbsim [-hours 24] [-seed 1] [-run REGEXP]
package main
