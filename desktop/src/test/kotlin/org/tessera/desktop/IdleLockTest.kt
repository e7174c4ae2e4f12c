package org.tessera.desktop

import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.tessera.ffi.TokenSession
import org.tessera.kit.MonotonicClock

/** The idle lock against a real token and a clock moved by hand. */
class IdleLockTest {
    private var millis = 0L
    private val clock = MonotonicClock { millis }

    private fun openToken(): TokenSession {
        val session = TokenSession(tempFolder("tessera-desktop-idle").toString(), null)
        session.addIdentity().use { flow ->
            flow.enterLink(Typed.OTPAUTH)
            flow.setPin(Typed.PIN)
            flow.confirmPin(Typed.PIN)
        }
        return session
    }

    @Test
    fun dueAfterTheSettingsIdleTimeWithoutInput() {
        openToken().use { session ->
            session.setAutoLockSeconds(60u)
            val idle = IdleLock(session, clock)
            millis = 59_999
            assertFalse(idle.due())
            idle.activity()
            millis += 59_999
            assertFalse(idle.due())
            millis += 1
            assertTrue(idle.due())
        }
    }

    @Test
    fun neverDueWhileLockedOrWithLockAtOnce() {
        openToken().use { session ->
            session.setAutoLockSeconds(0u)
            val idle = IdleLock(session, clock)
            millis = 3_600_000
            assertFalse(idle.due())
            session.setAutoLockSeconds(30u)
            session.lock()
            assertFalse(idle.due())
        }
    }

    @Test
    fun theWindowLocksTheTokenWhenIdle() {
        val session = openToken()
        session.setAutoLockSeconds(30u)
        val scope = kotlinx.coroutines.CoroutineScope(kotlinx.coroutines.Dispatchers.Default)
        DesktopApp(OpenedToken(session, null), scope, AwtClipboard(), clock = clock, idleCheckEvery = kotlin.time.Duration.parse("20ms")).use { app ->
            Thread.sleep(200)
            assertTrue(app.unlocked())
            millis += 30_000
            val deadline = System.currentTimeMillis() + 5_000
            while (app.unlocked() && System.currentTimeMillis() < deadline) Thread.sleep(20)
            assertFalse(app.unlocked())
        }
    }
}
