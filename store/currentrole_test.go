package store_test

import (
	"testing"

	"github.com/brief-tools/brief/store"
)

// TestCurrentRole checks which role an official's card and the officials
// list show: a role still held wins over one that has ended, whatever their
// starts; when all have ended, the one that ended last.
func TestCurrentRole(t *testing.T) {
	tests := []struct {
		name  string
		roles string
		want  string
	}{
		{"one role", "    - title: A\n      from: 2020\n", "A"},
		{"the later start of two held", "    - title: A\n      from: 2016\n    - title: B\n      from: 2019-03-20\n", "B"},
		{"held beats a later-starting ended role",
			"    - title: Speaker\n      from: 2020-11-04\n    - title: Acting President\n      from: 2020-11-14\n      to: 2021-01-28\n", "Speaker"},
		{"all ended: the last to end",
			"    - title: Speaker\n      from: 2020-11-04\n      to: 2022-10-05\n    - title: Acting President\n      from: 2020-11-14\n      to: 2021-01-28\n", "Speaker"},
		{"all ended on one day: the later start",
			"    - title: A\n      from: 2015\n      to: 2019-06\n    - title: B\n      from: 2016\n      to: 2019-06\n", "B"},
		{"a role with no dates counts as held",
			"    - title: A\n      from: 2015\n      to: 2019\n    - title: B\n", "B"},
		{"file order does not matter",
			"    - title: Acting President\n      from: 2016-09-02\n      to: 2016-09-08\n    - title: Senate chair\n      from: 2015-01-22\n      to: 2019-06-21\n", "Senate chair"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := qaRegistryFrom(t, "- id: x\n  name: X Y\n  country: Z\n  roles:\n"+tc.roles)
			role, ok := reg.Lookup("x").CurrentRole()
			if !ok || role.Title != tc.want {
				t.Errorf("CurrentRole = %q, %v; want %q", role.Title, ok, tc.want)
			}
		})
	}
	reg := qaRegistryFrom(t, "- id: x\n  name: X Y\n  country: Z\n")
	if _, ok := reg.Lookup("x").CurrentRole(); ok {
		t.Error("an official with no roles has a current role")
	}
}

// qaRegistryFrom loads a registry from YAML text, failing on any problem.
func qaRegistryFrom(t *testing.T, yaml string) *store.Registry {
	t.Helper()
	reg, ps := store.LoadRegistry(qaFS(map[string]string{"officials.yaml": yaml}), "officials.yaml")
	if len(ps) != 0 {
		t.Fatalf("problems:\n%s", qaProblemList(ps))
	}
	return reg
}
