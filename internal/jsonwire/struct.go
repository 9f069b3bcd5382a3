package jsonwire

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// field is a JSON member of a struct, possibly promoted from an embedded
// struct.
type field struct {
	name   string
	offset uintptr
	typ    reflect.Type
	codec  *typeCodec
	// depth and tagged decide which of two fields with one name wins, as
	// in encoding/json: the shallower, then the tagged one.
	depth  int
	tagged bool
}

// structPlan is how a struct type is decoded.
type structPlan struct {
	byName map[string]*field
	// folded finds a field by its case-folded name when the exact name
	// misses, as encoding/json matches names case-insensitively.
	folded map[string]*field
	// extra is the offset of the unknown-members field, when hasExtra.
	extra    uintptr
	hasExtra bool
}

func (b *builder) structDecoder(t reflect.Type) decodeFn {
	fields, extra, hasExtra, ok := collectFields(t)
	if !ok {
		return fallbackDecoder(t)
	}
	plan := &structPlan{byName: make(map[string]*field, len(fields)), folded: map[string]*field{}, extra: extra, hasExtra: hasExtra}
	for i := range fields {
		f := &fields[i]
		f.codec = b.codec(f.typ)
		plan.byName[f.name] = f
		key := string(appendFolded(nil, []byte(f.name)))
		if _, taken := plan.folded[key]; !taken {
			plan.folded[key] = f
		}
	}
	return func(d *decoder, p unsafe.Pointer) error {
		switch d.peek() {
		case 'n':
			_, err := d.literal()
			return err
		case '{':
		case 0:
			return d.syntax("unexpected end of JSON")
		default:
			return d.mismatch(t)
		}
		if !plan.hasExtra {
			return d.object(func(name []byte) error { return plan.member(d, p, name) })
		}
		*(*map[string]json.RawMessage)(unsafe.Add(p, plan.extra)) = nil
		base := len(d.kept)
		err := d.object(func(name []byte) error { return plan.member(d, p, name) })
		// Even after an error, as when each member was stored at once.
		plan.flush(d, p, base)
		return err
	}
}

// member decodes the value of the member name into its field, or keeps
// it as an unknown member.
func (plan *structPlan) member(d *decoder, p unsafe.Pointer, name []byte) error {
	f := plan.byName[string(name)]
	if f == nil {
		var buf [64]byte
		f = plan.folded[string(appendFolded(buf[:0], name))]
	}
	if f == nil {
		if !plan.hasExtra {
			return d.skip()
		}
		return d.keepRaw(d.intern(name))
	}
	d.skipSpace()
	start := d.pos
	target := unsafe.Add(p, f.offset)
	err := f.codec.dec(d, target)
	if err != errMismatch {
		return err
	}
	if !plan.hasExtra {
		return d.within(err, "."+f.name)
	}
	// The value cannot be this field's: keep it whole, raw, so that
	// nothing is lost and the rest of the answer still decodes.
	d.path = d.path[:0]
	d.pos = start
	if err := d.keepRaw(f.name); err != nil {
		return err
	}
	reflect.NewAt(f.typ, target).Elem().SetZero()
	return nil
}

// flush stores the unknown members kept since base in the struct's
// unknown-members map, made at its final size, and leaves Extra nil when
// there are none. The values are copies, never aliases of the data (which
// may be a pooled buffer the caller reuses): all of them in one
// allocation, each value capped at its length, so that appending to one
// cannot write over the next.
func (plan *structPlan) flush(d *decoder, p unsafe.Pointer, base int) {
	kept := d.kept[base:]
	if len(kept) == 0 {
		return
	}
	size := 0
	for _, k := range kept {
		size += k.end - k.start
	}
	buf := make([]byte, size)
	m := make(map[string]json.RawMessage, len(kept))
	off := 0
	for _, k := range kept {
		n := copy(buf[off:], d.data[k.start:k.end])
		m[k.name] = json.RawMessage(buf[off : off+n : off+n])
		off += n
	}
	*(*map[string]json.RawMessage)(unsafe.Add(p, plan.extra)) = m
	clear(kept) // drop the names, for the pool
	d.kept = d.kept[:base]
}

// collectFields lists the JSON members of struct type t with encoding/json's
// rules (tags, promotion from embedded structs, the shallower or tagged
// field winning a name), and finds the unknown-members field. ok is false
// for a struct this package leaves to encoding/json (one embedding a
// pointer to a struct).
func collectFields(t reflect.Type) (fields []field, extra uintptr, hasExtra, ok bool) {
	var all []field
	var walk func(t reflect.Type, base uintptr, depth int) bool
	walk = func(t reflect.Type, base uintptr, depth int) bool {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if depth == 0 && sf.Tag.Get("jsonwire") == "unknown" {
				if sf.Type == extraType {
					extra, hasExtra = base+sf.Offset, true
				}
				continue
			}
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if sf.Anonymous && name == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
					return false
				}
				if ft.Kind() == reflect.Struct {
					if !walk(ft, base+sf.Offset, depth+1) {
						return false
					}
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if !validName(name) {
				name = ""
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			all = append(all, field{name: name, offset: base + sf.Offset, typ: sf.Type, depth: depth, tagged: tagged})
		}
		return true
	}
	if !walk(t, 0, 0) {
		return nil, 0, false, false
	}
	// For each name keep the dominant field; two equally good ones cancel
	// out, as in encoding/json.
	slices.SortStableFunc(all, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if a.depth != b.depth {
			return a.depth - b.depth
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return 0
	})
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].name == all[i].name {
			j++
		}
		if j == i+1 || all[i].depth != all[i+1].depth || all[i].tagged != all[i+1].tagged {
			fields = append(fields, all[i])
		}
		i = j
	}
	return fields, extra, hasExtra, true
}

// validName is encoding/json's rule for a tag name.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// appendFolded appends name folded so that two names fold alike exactly
// when bytes.EqualFold finds them equal, as encoding/json compares them.
func appendFolded(dst, name []byte) []byte {
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(name[i:])
		dst = utf8.AppendRune(dst, unicode.ToUpper(unicode.ToLower(r)))
		i += n
	}
	return dst
}
