package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.tessera.ffi.Algorithm
import org.tessera.ffi.groupCode
import org.tessera.ffi.totpCode

/**
 * How long one code takes from Kotlin, through JNA and the generated bindings, in a warm loop:
 * [WARMUP] calls to let the JIT settle, then the best of [ROUNDS] rounds of [CALLS] calls.
 * Excluded from the normal run; run it with
 *
 *     mvn -B -f android/tessera/pom.xml -Pbenchmark -Dtessera.native.dir=target/debug test
 *
 * (after `cargo xtask bindings`; for release figures build the library with
 * `cargo build --release -p tessera-ffi` and point tessera.native.dir at target/release).
 * Figures and the goal (under 200 µs per code) are in docs/PERFORMANCE.md.
 */
@Tag("benchmark")
class CodeBenchmarkTest {
    @Test
    fun microsecondsPerCode() {
        val token = newOtpauthToken()
        val id = token.identity.id
        val secret = "hex:3132333435363738393031323334353637383930"
        token.session.use { session ->
            val codeAt = measure("TokenSession.codeAt (TOTP identity)") { i ->
                session.codeAt(id, Seed.T + i.toULong())
            }
            val totp = measure("totpCode (free function, SHA-1, 6 digits)") { i ->
                totpCode(secret, Algorithm.SHA1, 6u, 30u, Seed.T + i.toULong())
            }
            val identities = measure("TokenSession.identities (1 identity)") { session.identities() }
            // One string in, one out, no computation to speak of: the cost of the crossing itself.
            measure("groupCode (the JNA/UniFFI crossing alone)") { groupCode("123456") }
            assertTrue(codeAt < GOAL_MICROS, "codeAt takes $codeAt µs")
            assertTrue(totp < GOAL_MICROS, "totpCode takes $totp µs")
            assertTrue(identities < GOAL_MICROS, "identities takes $identities µs")
        }
    }

    /** Best microseconds per call over the rounds; prints one line for docs/PERFORMANCE.md. */
    private fun measure(label: String, call: (Int) -> Any): Double {
        var sink = 0
        repeat(WARMUP) { sink += call(it).hashCode() }
        val perCall = (1..ROUNDS).map {
            val start = System.nanoTime()
            repeat(CALLS) { sink += call(it).hashCode() }
            (System.nanoTime() - start) / 1_000.0 / CALLS
        }
        val best = perCall.min()
        val median = perCall.sorted()[ROUNDS / 2]
        println("benchmark: %-45s best %.1f µs/call, median %.1f µs/call (%d x %d calls; sink %d)".format(label, best, median, ROUNDS, CALLS, sink and 1))
        return best
    }

    private companion object {
        const val WARMUP = 10_000
        const val ROUNDS = 5
        const val CALLS = 10_000
        const val GOAL_MICROS = 200.0
    }
}
