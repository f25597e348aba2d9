package web

import (
	"encoding/json"
	"fmt"
)

// SessionCodec is the session store's codec for what web keeps in a session: the booking
// wizard and the chosen language, as JSON. It replaces gob, which sends and compiles its
// type descriptions anew on every session read (a tenth of an open-times page's CPU). A
// value of any other key or type is an error, so nothing is dropped silently.
type SessionCodec struct{}

// sessionValues is a session's contents on disk. The version lets a later layout tell old
// rows apart; rows of another version (or gob's) fail to decode and start afresh.
type sessionValues struct {
	V      int     `json:"v"`
	Wizard *Wizard `json:"wizard,omitempty"`
	Lang   string  `json:"lang,omitempty"`
	Staff  int64   `json:"staff,omitempty"` // the signed-in staff member's id (desk)
	Seen   int64   `json:"seen,omitempty"`  // when the staff member last did something
}

const sessionVersion = 1

func (SessionCodec) Encode(values map[any]any) ([]byte, error) {
	out := sessionValues{V: sessionVersion}
	for k, v := range values {
		switch {
		case k == wizardKey:
			w, ok := v.(Wizard)
			if !ok {
				return nil, fmt.Errorf("web: session %q holds a %T, want Wizard", k, v)
			}
			out.Wizard = &w
		case k == staffKey:
			id, ok := v.(int64)
			if !ok {
				return nil, fmt.Errorf("web: session %q holds a %T, want int64", k, v)
			}
			out.Staff = id
		case k == staffSeenKey:
			at, ok := v.(int64)
			if !ok {
				return nil, fmt.Errorf("web: session %q holds a %T, want int64", k, v)
			}
			out.Seen = at
		case k == langKey:
			lang, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("web: session %q holds a %T, want string", k, v)
			}
			out.Lang = lang
		default:
			return nil, fmt.Errorf("web: session key %v is not one web keeps", k)
		}
	}
	return json.Marshal(out)
}

func (SessionCodec) Decode(data []byte) (map[any]any, error) {
	var in sessionValues
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, err
	}
	if in.V != sessionVersion {
		return nil, fmt.Errorf("web: session layout %d, want %d", in.V, sessionVersion)
	}
	values := map[any]any{}
	if in.Wizard != nil {
		values[wizardKey] = *in.Wizard
	}
	if in.Lang != "" {
		values[langKey] = in.Lang
	}
	if in.Staff != 0 {
		values[staffKey] = in.Staff
	}
	if in.Seen != 0 {
		values[staffSeenKey] = in.Seen
	}
	return values, nil
}
