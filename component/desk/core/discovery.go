package core

// MaxCaps bounds the caps cache.
const MaxCaps = 10000
