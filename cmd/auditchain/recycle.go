package main

// poisonEnv, when set to anything but "", makes scan and tree poison the
// events they recycle instead of reusing them (parser.Options.
// PoisonRecycled): a consumer that keeps an event without Event.Retain
// then reads garbage. The tests of this package set it (TestMain); a
// developer may set it to check a change on a real log.
const poisonEnv = "AUDITCHAIN_POISON_RECYCLED"

func poisonRecycled(e *env) bool { return e.getenv(poisonEnv) != "" }
