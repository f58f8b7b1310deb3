// Package app holds the domain of mitwirken: the types every feature shares,
// their validation rules and the single error type that carries a code, a
// user-facing message and field errors.
//
// Subpackages split by dependency: store (gorm), web (echo handlers), auth,
// mail, i18n, platform (wiring). Nothing in this package talks to a database
// or to the network.
package app
