package store_test

import (
	"reflect"
	"testing"
	"time"

	"switchboard/store"
)

// Clone shares nothing a later change could reach: the desk goes on
// changing its record while the store writes the clone.
func TestCloneSharesNothing(t *testing.T) {
	c := &store.Conversation{
		Answers: map[string]string{"a": "b"}, Tags: []string{"t"}, Todos: []store.Todo{{Text: "x"}},
		Needs: []string{"n"}, Typed: []string{"mailto:a@b"}, Rejected: []string{"r"}, Ringing: []string{"a", "b"}, Client: store.Client{Features: []string{"f"}},
		Leaving: &store.Leaving{Kind: store.KindMessage}, Callback: &store.Callback{Phone: "+4930123456", At: time.Now()},
	}
	n := c.Clone()
	v, w := reflect.ValueOf(c).Elem(), reflect.ValueOf(n).Elem()
	var check func(path string, a, b reflect.Value)
	check = func(path string, a, b reflect.Value) {
		switch a.Kind() {
		case reflect.Map, reflect.Slice, reflect.Pointer:
			if a.IsNil() {
				t.Errorf("%s: the test leaves it nil; give it a value", path)
				return
			}
			if a.UnsafePointer() == b.UnsafePointer() {
				t.Errorf("%s: the clone shares it", path)
			}
		case reflect.Struct:
			if a.Type() == reflect.TypeOf(time.Time{}) {
				return
			}
			for i := range a.NumField() {
				check(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i))
			}
		}
	}
	check("Conversation", v, w)
	if !reflect.DeepEqual(c, n) {
		t.Errorf("the clone differs:\n%+v\n%+v", c, n)
	}
}
