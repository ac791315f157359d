// Go builds this offline against Debian's golang-golang-x-mod-dev (see README.md); the version
// below is a label, the replace picks the installed sources.
module runtrail/tlog-crosscheck

go 1.19

require golang.org/x/mod v0.7.0

replace golang.org/x/mod => /usr/share/gocode/src/golang.org/x/mod
