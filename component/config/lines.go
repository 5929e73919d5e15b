package config

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// lineIndex maps a key path ("agent.1.skills.billing",
// "dialogs.main.start.options.2.next") to the line it is on.
type lineIndex map[string]int

func indexLines(data []byte) lineIndex {
	idx := lineIndex{}
	p := unstable.Parser{}
	p.Reset(data)
	counts := map[string]int{}
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			path := keyPath(e.Key())
			line := lineOf(&p, e.Key())
			if e.Kind == unstable.ArrayTable {
				n := counts[path]
				counts[path] = n + 1
				idx.set(path, line)
				path += "." + strconv.Itoa(n)
			}
			prefix = path
			idx.set(prefix, line)
		case unstable.KeyValue:
			indexKeyValue(&p, idx, prefix, e)
		}
	}
	return idx
}

func indexKeyValue(p *unstable.Parser, idx lineIndex, prefix string, kv *unstable.Node) {
	path := join(prefix, keyPath(kv.Key()))
	idx.set(path, lineOf(p, kv.Key()))
	indexValue(p, idx, path, kv.Value())
}

func indexValue(p *unstable.Parser, idx lineIndex, path string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if n := it.Node(); n.Kind == unstable.KeyValue {
				indexKeyValue(p, idx, path, n)
			}
		}
	case unstable.Array:
		it := v.Children()
		i := 0
		for it.Next() {
			n := it.Node()
			if n.Kind == unstable.Comment {
				continue
			}
			el := path + "." + strconv.Itoa(i)
			if n.Raw.Length > 0 || n.Raw.Offset > 0 {
				idx.set(el, p.Shape(n.Raw).Start.Line)
			}
			indexValue(p, idx, el, n)
			i++
		}
	}
}

func (idx lineIndex) set(path string, line int) {
	if _, ok := idx[path]; !ok {
		idx[path] = line
	}
}

// line returns the line of path, or of its closest parent that has one.
func (idx lineIndex) line(path string) int {
	for path != "" {
		if l, ok := idx[path]; ok {
			return l
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func keyPath(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

func lineOf(p *unstable.Parser, it unstable.Iterator) int {
	if it.Next() {
		return p.Shape(it.Node().Raw).Start.Line
	}
	return 0
}

func join(prefix, path string) string {
	if prefix == "" {
		return path
	}
	return prefix + "." + path
}
