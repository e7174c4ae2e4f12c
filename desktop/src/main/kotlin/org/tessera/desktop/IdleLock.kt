package org.tessera.desktop

import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession
import org.tessera.kit.MonotonicClock

/**
 * Locks after the settings' auto-lock time without a key press or mouse move in the window: a
 * desktop window stays in view, so "away" is the idle time, not a minimised window alone. A
 * delay of 0 ("lock at once" on the phone) is left to the minimised-window lock of
 * [org.tessera.kit.AutoLock], since the window is never idle for no time.
 */
class IdleLock(private val session: TokenSession, private val clock: MonotonicClock) {
    @Volatile private var lastActivity = clock.millis()

    /** The person did something in the window. */
    fun activity() {
        lastActivity = clock.millis()
    }

    /** Whether the token is open and the window has been idle for the auto-lock time. */
    fun due(): Boolean {
        val seconds = try {
            if (session.status() !is org.tessera.ffi.TokenStatus.Unlocked) return false
            session.settings().autoLockSeconds
        } catch (_: TokenException) {
            return false
        }
        if (seconds == 0u) return false
        return clock.millis() - lastActivity >= seconds.toLong() * 1000
    }
}
