package detect

import "strings"

// webAccountSuffix ends the titles of the built-in rules that match what
// runs for the web server ("System Discovery By Web Server Account").
const webAccountSuffix = " By Web Server Account"

// accountTitle names the account of a match that runs below the web
// server as another account (su - deploy, sudo): the title's "By Web
// Server Account" would say the web server's account did it.
func accountTitle(title string) string {
	if t, ok := strings.CutSuffix(title, webAccountSuffix); ok {
		return t + " By An Account Reached From The Web Server"
	}
	return title
}
