package rainbondtest

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The PromQL parser of the clusters' Prometheus (promql.go): vector
// selectors, sum, avg and max, and the console's own expressions;
// Prometheus' "line:col: parse error" for the rest.

// promParser reads the PromQL the evaluator knows.
type promParser struct {
	src  string
	pos  int
	toks []promToken
	i    int
}

type promToken struct {
	kind string // "ident", "string", "number", "op", "punct", "eof"
	text string
	pos  int
}

func (t promToken) describe() string {
	switch t.kind {
	case "eof":
		return "end of input"
	case "ident":
		if promAggregators[strings.ToLower(t.text)] {
			return "<aggr:" + strings.ToLower(t.text) + ">"
		}
		return fmt.Sprintf("identifier %q", t.text)
	case "string":
		return "string " + t.text
	case "number":
		return "number " + fmt.Sprintf("%q", t.text)
	case "op":
		return "<op:" + t.text + ">"
	}
	names := map[string]string{"(": "left parenthesis", ")": "right parenthesis", "{": "left brace", "}": "right brace",
		"[": "left bracket", "]": "right bracket", ",": "comma"}
	if n, ok := names[t.text]; ok {
		return n + " " + strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

// promAggregators are PromQL's aggregation operators; only sum, avg and
// max are evaluated.
var promAggregators = map[string]bool{"sum": true, "avg": true, "max": true, "min": true, "count": true, "group": true,
	"stddev": true, "stdvar": true, "topk": true, "bottomk": true, "count_values": true, "quantile": true, "limitk": true, "limit_ratio": true}

// promFunctions are names Prometheus knows as functions (the evaluator
// runs none of them).
var promFunctions = map[string]bool{"abs": true, "absent": true, "ceil": true, "floor": true, "round": true, "rate": true,
	"irate": true, "increase": true, "delta": true, "idelta": true, "deriv": true, "sort": true, "sort_desc": true,
	"time": true, "vector": true, "scalar": true, "histogram_quantile": true, "label_replace": true, "label_join": true,
	"clamp": true, "clamp_max": true, "clamp_min": true, "exp": true, "ln": true, "log2": true, "log10": true, "sqrt": true,
	"avg_over_time": true, "max_over_time": true, "min_over_time": true, "sum_over_time": true, "count_over_time": true,
	"last_over_time": true, "changes": true, "resets": true, "timestamp": true, "predict_linear": true}

// parseError is Prometheus' "<line>:<col>: parse error: <msg>".
func (p *promParser) parseError(pos int, format string, args ...any) error {
	line, col := 1, 1
	for _, r := range p.src[:min(pos, len(p.src))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("%d:%d: parse error: %s", line, col, fmt.Sprintf(format, args...))
}

// parsePromQL parses q, or says why Prometheus (or the fake) refuses it.
func parsePromQL(q string) (promExpr, error) {
	if e := canned(strings.TrimSpace(q)); e != nil {
		return e, nil
	}
	p := &promParser{src: q}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if p.peek().kind == "eof" {
		return nil, p.parseError(0, "no expression found in input")
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		if t.kind == "op" {
			return nil, p.parseError(t.pos, "rainbondtest's PromQL evaluator supports no binary operator (%s)", t.text)
		}
		return nil, p.parseError(t.pos, "unexpected %s", t.describe())
	}
	return e, nil
}

func (p *promParser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := rune(s[i])
		switch {
		case c < 0x80 && unicode.IsSpace(c):
			i++
		case c == '_' || c == ':' || unicode.IsLetter(c) && c < 0x80:
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == ':' || s[j] < 0x80 && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])))) {
				j++
			}
			p.toks = append(p.toks, promToken{"ident", s[i:j], i})
			i = j
		case c >= '0' && c <= '9' || c == '.':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'x' || unicode.IsLetter(rune(s[j]))) {
				j++
			}
			p.toks = append(p.toks, promToken{"number", s[i:j], i})
			i = j
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(s) && s[j] != byte(c) {
				if s[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return p.parseError(i, "unterminated quoted string %s", s[i:])
			}
			p.toks = append(p.toks, promToken{"string", s[i : j+1], i})
			i = j + 1
		case strings.HasPrefix(s[i:], "=~") || strings.HasPrefix(s[i:], "!~") || strings.HasPrefix(s[i:], "!=") ||
			strings.HasPrefix(s[i:], "==") || strings.HasPrefix(s[i:], ">=") || strings.HasPrefix(s[i:], "<="):
			p.toks = append(p.toks, promToken{"op", s[i : i+2], i})
			i += 2
		case strings.ContainsRune("=+-*/%^<>", c):
			p.toks = append(p.toks, promToken{"op", string(c), i})
			i++
		case strings.ContainsRune("(){}[],@", c):
			p.toks = append(p.toks, promToken{"punct", string(c), i})
			i++
		default:
			r := []rune(s[i:])[0]
			return p.parseError(i, "unexpected character: %q", r)
		}
	}
	p.toks = append(p.toks, promToken{"eof", "", len(s)})
	return nil
}

func (p *promParser) peek() promToken { return p.toks[p.i] }

func (p *promParser) next() promToken {
	t := p.toks[p.i]
	if t.kind != "eof" {
		p.i++
	}
	return t
}

func (p *promParser) expect(text, context string) error {
	t := p.next()
	if t.text == text && t.kind == "punct" {
		return nil
	}
	if t.kind == "eof" {
		return p.parseError(t.pos, "unexpected end of input %s", context)
	}
	return p.parseError(t.pos, "unexpected %s %s", t.describe(), context)
}

func (p *promParser) unsupported(t promToken, what string) error {
	return p.parseError(t.pos, "rainbondtest's PromQL evaluator supports only vector selectors and sum, avg and max, not %s", what)
}

func (p *promParser) expr() (promExpr, error) {
	t := p.next()
	switch {
	case t.kind == "punct" && t.text == "(":
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		return e, p.expect(")", "in parenthesized expression")
	case t.kind == "punct" && t.text == "{":
		return p.selector("", t)
	case t.kind == "ident" && promAggregators[strings.ToLower(t.text)]:
		op := strings.ToLower(t.text)
		if op != "sum" && op != "avg" && op != "max" {
			return nil, p.unsupported(t, op+"()")
		}
		if n := p.peek(); n.kind == "ident" && (n.text == "by" || n.text == "without") {
			return nil, p.unsupported(n, "grouping")
		}
		if err := p.expect("(", "in aggregation"); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")", "in aggregation"); err != nil {
			return nil, err
		}
		if n := p.peek(); n.kind == "ident" && (n.text == "by" || n.text == "without") {
			return nil, p.unsupported(n, "grouping")
		}
		return promAggregate{op, e}, nil
	case t.kind == "ident":
		if n := p.peek(); n.kind == "punct" && n.text == "(" {
			if promFunctions[t.text] {
				return nil, p.unsupported(t, t.text+"()")
			}
			return nil, p.parseError(t.pos, "unknown function with name %q", t.text)
		}
		if n := p.peek(); n.kind == "punct" && n.text == "{" {
			p.next()
			return p.selector(t.text, t)
		}
		return p.selector(t.text, promToken{kind: "none"})
	case t.kind == "number" || t.kind == "string":
		return nil, p.unsupported(t, "literals")
	case t.kind == "op" && (t.text == "-" || t.text == "+"):
		return nil, p.unsupported(t, "unary operators")
	case t.kind == "eof":
		return nil, p.parseError(t.pos, "unexpected end of input")
	}
	return nil, p.parseError(t.pos, "unexpected %s", t.describe())
}

// selector reads the matchers after '{' (brace.kind "none": there are
// none) of a selector of metric name.
func (p *promParser) selector(name string, brace promToken) (promExpr, error) {
	var sel promSelector
	if name != "" {
		sel = append(sel, promMatcher{name: "__name__", op: "=", value: name})
	}
	if brace.kind != "none" {
		for {
			t := p.next()
			if t.kind == "punct" && t.text == "}" {
				break
			}
			if t.kind == "eof" {
				return nil, p.parseError(t.pos, "unexpected end of input inside braces")
			}
			if t.kind != "ident" && t.kind != "string" {
				return nil, p.parseError(t.pos, "unexpected %s in label matching, expected identifier or \"}\"", t.describe())
			}
			op := p.next()
			if op.kind != "op" || (op.text != "=" && op.text != "!=" && op.text != "=~" && op.text != "!~") {
				return nil, p.parseError(op.pos, "unexpected %s in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"", op.describe())
			}
			v := p.next()
			if v.kind != "string" {
				return nil, p.parseError(v.pos, "unexpected %s in label matching, expected string", v.describe())
			}
			value, err := promUnquote(v.text)
			if err != nil {
				return nil, p.parseError(v.pos, "%v", err)
			}
			label := t.text
			if t.kind == "string" {
				label, _ = promUnquote(t.text)
			}
			m := promMatcher{name: label, op: op.text, value: value}
			if op.text == "=~" || op.text == "!~" {
				if m.re, err = regexp.Compile("^(?:" + value + ")$"); err != nil {
					return nil, p.parseError(v.pos, "%v", err)
				}
			}
			sel = append(sel, m)
			if n := p.next(); n.kind == "punct" && n.text == "}" {
				break
			} else if n.kind != "punct" || n.text != "," {
				if n.kind == "eof" {
					return nil, p.parseError(n.pos, "unexpected end of input inside braces")
				}
				return nil, p.parseError(n.pos, "unexpected %s in label matching, expected \",\" or \"}\"", n.describe())
			}
		}
	}
	if !slices.ContainsFunc(sel, func(m promMatcher) bool { return !m.matches(map[string]string{}) }) {
		return nil, p.parseError(brace.pos, "vector selector must contain at least one non-empty matcher")
	}
	if n := p.peek(); n.kind == "punct" && n.text == "[" {
		return nil, p.unsupported(n, "range vectors")
	}
	if n := p.peek(); n.kind == "ident" && n.text == "offset" || n.kind == "punct" && n.text == "@" {
		return nil, p.unsupported(n, "modifiers")
	}
	return sel, nil
}

// promUnquote reads a PromQL string literal: Go's rules, single quotes
// too.
func promUnquote(lit string) (string, error) {
	if strings.HasPrefix(lit, "'") {
		inner := strings.ReplaceAll(lit[1:len(lit)-1], `\'`, `'`)
		lit = `"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`
	}
	return strconv.Unquote(lit)
}
