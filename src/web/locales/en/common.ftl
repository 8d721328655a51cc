# Interface text shared by every page: navigation, sign-in, public pages.
skip-to-content = Skip to content
nav-label = Main
nav-directory = Directory
nav-home-feed = Home feed
nav-publish = Publish
nav-network = Network
nav-referrals = Referrals
nav-admin = Administration
sign-in = Sign in
sign-out = Sign out
language-label = Language
footer-about = Gotong: organisations serving migrants and refugees, working together across the region.
back-home = Back to the front page
yes = Yes
no = No

home-title = Organisations on this node
home-intro = Programs, good practices and referral offers of the organisations this node hosts, and of the organisations they follow.
home-organisations = Organisations
directory-search-label = Search programs, practices and offers
directory-search-button = Search

org-about = About
org-nothing-yet = Nothing published yet.
object-from-node = from { $node }

kind-update = Update
kind-program = Program
kind-practice = Good practice
kind-advocacy = Advocacy note
kind-offer = Referral offer
kind-update-plural = Updates
kind-program-plural = Programs
kind-practice-plural = Good practices
kind-advocacy-plural = Advocacy notes
kind-offer-plural = Open referral offers

field-themes = Themes
field-countries = Countries
field-populations = Who it serves
field-languages = Languages
field-areas = Areas
field-eligibility = Eligibility
field-how-to-refer = How to refer
field-accepting = Accepting referrals

login-username = Username
login-password = Password
login-failed = That username and password do not match an account here.

setup-title = Set up this node
setup-intro = Choose the administrator's password and describe your organisation. This link works once.
setup-admin-is = The administrator's username is { $username }.
setup-password = Password
setup-password-help = At least 10 characters. A few unrelated words make a strong passphrase.
setup-profile = Your organisation
setup-org-name = Name
setup-org-summary = About the organisation
setup-submit = Finish setting up
setup-link-invalid = This setup link is not valid: it was already used or mistyped.
setup-name-required = The organisation needs a name.

staff-welcome = Signed in as { $username }.
feed-empty = Nothing here yet. Follow organisations to see what they publish.
feed-older = Older

error-csrf = This form expired or came from another site. Go back, reload the page and try again.
error-too-large = That was too large to accept.
error-bad-form = The form could not be read. Go back and check what you entered.
error-forbidden = Your role does not allow this.
error-not-found = There is nothing here.
