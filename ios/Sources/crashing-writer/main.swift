// Writes a value under "u/1/outbox" in the folder given, then starts a
// second write and stops after its bytes are on disk and before the
// rename, saying so, until it is killed (the storage crash test).
import Foundation
import GridlineShell

let dir = URL(fileURLWithPath: CommandLine.arguments[1])
try FileStore(dir: dir).set("u/1/outbox", Array("the outbox before".utf8))
let store = try FileStore(dir: dir) {
    print("written, not renamed")
    fflush(stdout)
    sleep(120)
    exit(3) // never reached: the test kills this process first
}
try store.set("u/1/outbox", Array("the outbox after".utf8))
