package org.tessera.kit

import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.FlowStep

/** The ticking code Flow, in virtual time with a clock pinned to it (never the wall clock). */
class CodeTicksTest {
    private val token = newOtpauthToken()

    @AfterEach
    fun close() = token.session.close()

    @Test
    fun secondsLeftCountDownOncePerSecond() = runTest {
        val start = Seed.T.toLong() // 20 s into its 30 s period
        val clock = UnixClock { start + testScheduler.currentTime / 1000 }
        val codes = token.session
            .codeTicks(token.identity.id, clock = clock, context = StandardTestDispatcher(testScheduler))
            .take(5)
            .toList()
        assertEquals(listOf(10u, 9u, 8u, 7u, 6u), codes.map { it.secondsLeft })
        assertEquals(1, codes.map { it.code }.distinct().size)
        assertEquals(4_000L, testScheduler.currentTime)
    }

    @Test
    fun theCodeChangesWhenItsPeriodEnds() = runTest {
        val start = Seed.T.toLong() + 8 // 2 s before the period ends
        val clock = UnixClock { start + testScheduler.currentTime / 1000 }
        val codes = token.session
            .codeTicks(token.identity.id, clock = clock, context = StandardTestDispatcher(testScheduler))
            .take(4)
            .toList()
        assertEquals(listOf(2u, 1u, 30u, 29u), codes.map { it.secondsLeft })
        assertEquals(codes[0].code, codes[1].code)
        assertNotEquals(codes[1].code, codes[2].code)
        assertEquals(token.session.codeAt(token.identity.id, (start + 2).toULong()), codes[2])
    }

    @Test
    fun aCounterCodeIsEmittedOnceAndTheFlowEnds() = runTest {
        val hotp = token.session.addIdentity().use { flow ->
            (flow.enterLink(HOTP_LINK) as FlowStep.Done).identity
        }
        val codes = token.session
            .codeTicks(hotp.id, context = StandardTestDispatcher(testScheduler))
            .toList()
        assertEquals(1, codes.size)
        assertEquals("755224", codes.single().code) // RFC 4226 counter 0
        assertNull(codes.single().secondsLeft)
    }

    @Test
    fun aShortRealRunOnTheSessionClock() = runBlocking {
        // The session's own clock: only the shape is checked, never the wall-clock values.
        val codes = token.session.codeTicks(token.identity.id, interval = 20.milliseconds).take(3).toList()
        assertEquals(3, codes.size)
        codes.forEach { code ->
            assertEquals(6, code.code.length)
            assertTrue(code.secondsLeft!! in 1u..30u)
        }
    }

    private companion object {
        const val HOTP_LINK =
            "otpauth://hotp/Example:counter?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=0"
    }
}
