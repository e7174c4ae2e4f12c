package org.tessera.kit

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenStatus

/** Auto-lock over a real token, with time moved by hand. */
class AutoLockTest {
    private var now = 1_000_000L
    private val clock = MonotonicClock { now }

    @Test
    fun theDefaultDelayLocksOnlyAfterAMinuteAway() {
        val token = newOtpauthToken()
        val session = token.session
        assertEquals(60u, session.settings().autoLockSeconds)
        val autoLock = AutoLock(session, clock)

        autoLock.movedToBackground()
        now += 59_999
        assertFalse(autoLock.movedToForeground())
        assertEquals(TokenStatus.Unlocked, session.status())

        autoLock.movedToBackground()
        now += 60_000
        assertTrue(autoLock.movedToForeground())
        assertEquals(TokenStatus.NeedsPin(5u), session.status())
        // Coming back again without having left changes nothing.
        assertFalse(autoLock.movedToForeground())
        session.close()
    }

    @Test
    fun aDelayOfZeroLocksAsSoonAsTheAppLeaves() {
        val token = newOtpauthToken()
        token.session.setAutoLockSeconds(0u)
        val autoLock = AutoLock(token.session, clock)
        autoLock.movedToBackground()
        assertEquals(TokenStatus.NeedsPin(5u), token.session.status())
        token.session.close()
    }

    @Test
    fun aLockedTokenIsLeftAsItIs() {
        val token = newOtpauthToken()
        token.session.setAutoLockSeconds(300u)
        token.session.lock()
        val autoLock = AutoLock(token.session, clock)
        autoLock.movedToBackground()
        now += 600_000
        assertFalse(autoLock.movedToForeground())
        token.session.unlock(Seed.PIN)
        autoLock.movedToBackground()
        now += 299_000
        assertFalse(autoLock.movedToForeground())
        assertEquals(TokenStatus.Unlocked, token.session.status())
        token.session.close()
    }
}
