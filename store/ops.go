package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// What a write changes in bbolt is recorded as it is made, in the form
// the write-ahead log keeps (wal.go): a run of operations, each
//
//	op | uvarint len | bucket | [uvarint len | key | uvarint len | value]
//
// with the key and value for a put, the key for a delete, a uvarint
// sequence for a bucket's sequence, and nothing more for a bucket emptied
// (deleted and made again). Replaying a run into bbolt makes the same
// changes again.
const (
	opPut      = 'p'
	opDelete   = 'd'
	opSequence = 's'
	opEmpty    = 'e'
)

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func (t *Tx) record(op byte, bucket, key, value []byte) {
	if t.ops == nil {
		return
	}
	b := append(*t.ops, op)
	b = appendBytes(b, bucket)
	switch op {
	case opPut:
		b = appendBytes(appendBytes(b, key), value)
	case opDelete:
		b = appendBytes(b, key)
	}
	*t.ops = b
}

// putRaw puts key in bucket; bbolt keeps value until the commit.
func (t *Tx) putRaw(bucket, key, value []byte) error {
	if err := t.tx.Bucket(bucket).Put(key, value); err != nil {
		t.broken = true
		return fmt.Errorf("store: put: %w", err)
	}
	t.record(opPut, bucket, key, value)
	return nil
}

// del deletes key from bucket.
func (t *Tx) del(bucket, key []byte) error {
	if err := t.tx.Bucket(bucket).Delete(key); err != nil {
		t.broken = true
		return fmt.Errorf("store: delete: %w", err)
	}
	t.record(opDelete, bucket, key, nil)
	return nil
}

// setSequence sets bucket's sequence.
func (t *Tx) setSequence(bucket []byte, n uint64) error {
	if err := t.tx.Bucket(bucket).SetSequence(n); err != nil {
		t.broken = true
		return err
	}
	if t.ops != nil {
		*t.ops = binary.AppendUvarint(appendBytes(append(*t.ops, opSequence), bucket), n)
	}
	return nil
}

// empty deletes everything in bucket, its sequence included.
func (t *Tx) empty(bucket []byte) error {
	if err := emptyBucket(t.tx, bucket); err != nil {
		t.broken = true
		return err
	}
	t.record(opEmpty, bucket, nil, nil)
	return nil
}

func emptyBucket(tx *bolt.Tx, bucket []byte) error {
	if err := tx.DeleteBucket(bucket); err != nil {
		return err
	}
	_, err := tx.CreateBucket(bucket)
	return err
}

var errOps = errors.New("malformed operation")

// replay makes the changes of a run of operations in tx. The keys and
// values it puts point into ops, which must stay as it is until tx ends.
func replay(tx *bolt.Tx, ops []byte) error {
	take := func() ([]byte, error) {
		n, w := binary.Uvarint(ops)
		if w <= 0 || n > uint64(len(ops)-w) {
			return nil, errOps
		}
		v := ops[w : w+int(n)]
		ops = ops[w+int(n):]
		return v, nil
	}
	for len(ops) > 0 {
		op := ops[0]
		ops = ops[1:]
		name, err := take()
		if err != nil {
			return err
		}
		if op == opEmpty {
			if err := emptyBucket(tx, name); err != nil {
				return fmt.Errorf("empty bucket %q: %w", name, err)
			}
			continue
		}
		b := tx.Bucket(name)
		if b == nil {
			return fmt.Errorf("no bucket %q", name)
		}
		switch op {
		case opPut:
			k, err := take()
			if err != nil {
				return err
			}
			v, err := take()
			if err != nil {
				return err
			}
			err = b.Put(k, v)
			if err != nil {
				return err
			}
		case opDelete:
			k, err := take()
			if err != nil {
				return err
			}
			if err := b.Delete(k); err != nil {
				return err
			}
		case opSequence:
			n, w := binary.Uvarint(ops)
			if w <= 0 {
				return errOps
			}
			ops = ops[w:]
			if err := b.SetSequence(n); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w %q", errOps, op)
		}
	}
	return nil
}
