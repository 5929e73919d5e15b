// Package api is switchboard's HTTP side: health and readiness, Prometheus
// metrics, the public desk status, and the operators' REST API under
// /api/v1/ behind a bearer token (conversations, agents, export), with
// the JSON types the CLI shares. It reads records from the store and
// reaches the desk only through the desk's typed requests.
package api
