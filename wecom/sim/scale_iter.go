package sim

import (
	"fmt"
	"iter"
)

// Stores yields the scale corp's store departments (ids 2..NumStores+1,
// under department 1).
func (c *ScaleCorp) Stores() iter.Seq[Department] {
	return func(yield func(Department) bool) {
		for i := range c.NumStores {
			if !yield(Department{ID: 2 + i, Name: fmt.Sprintf("门店%03d", i+1), ParentID: 1, Order: 1000000 - i}) {
				return
			}
		}
	}
}

// Guide returns guide i.
func (c *ScaleCorp) Guide(i int) User {
	h := c.mix(5, uint64(i))
	sn, gn := surnames(), givenNames()
	a, b := sn[h%uint64(len(sn))], gn[(h>>16)%uint64(len(gn))]
	store := c.StoreOf(i)
	return User{UserID: c.GuideID(i), Name: a.han + b.han, Departments: []int{store},
		MainDepartment: store, Position: "导购", Status: 1, Gender: "2"}
}

// Guides yields every guide.
func (c *ScaleCorp) Guides() iter.Seq[User] {
	return func(yield func(User) bool) {
		for i := range c.NumGuides {
			if !yield(c.Guide(i)) {
				return
			}
		}
	}
}

// Customer returns customer i.
func (c *ScaleCorp) Customer(i int) Customer {
	h := c.mix(6, uint64(i))
	sn, gn := surnames(), givenNames()
	a, b := sn[h%uint64(len(sn))], gn[(h>>16)%uint64(len(gn))]
	gender := 1
	if feminine(b.han) {
		gender = 2
	}
	return Customer{ExternalUserID: c.CustomerID(i), Name: a.han + b.han, Type: 1, Gender: gender}
}

// Customers yields every customer.
func (c *ScaleCorp) Customers() iter.Seq[Customer] { return c.CustomersRange(0, c.NumCustomers) }

// CustomersRange yields customers [from, to).
func (c *ScaleCorp) CustomersRange(from, to int) iter.Seq[Customer] {
	return func(yield func(Customer) bool) {
		for i := max(from, 0); i < min(to, c.NumCustomers); i++ {
			if !yield(c.Customer(i)) {
				return
			}
		}
	}
}

// LoadScale loads a scale corp into the simulator so its APIs answer for
// it. Unlike ScaleCorp itself this stores every item (a few hundred bytes
// per edge, about 5 s per million edges): practical up to a few million edges; for the 20-million-edge
// size, bulk-insert from the iterators and load a slice of it here.
func (s *Sim) LoadScale(c *ScaleCorp) error {
	corp := &Corp{}
	for d := range c.Stores() {
		corp.Departments = append(corp.Departments, d)
	}
	for u := range c.Guides() {
		corp.Users = append(corp.Users, u)
	}
	if err := s.Load(corp); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for cu := range c.Customers() {
		s.st.addCustomer(cu)
	}
	for e := range c.Edges() {
		s.st.addFollow(c.Follow(e))
	}
	return nil
}
