package org.tessera.kit

import org.tessera.ffi.TokenException
import org.tessera.ffi.TokenSession

/** A clock that only moves forward (Android: SystemClock.elapsedRealtime), in milliseconds. */
fun interface MonotonicClock {
    /** Milliseconds since some fixed point in the past. */
    fun millis(): Long
}

/**
 * Locks the session when the app comes back after being away for at least the settings'
 * auto-lock delay ([org.tessera.ffi.SettingsView.autoLockSeconds], chosen in the core's settings).
 * A delay of 0 locks as soon as the app leaves the foreground. The activity calls
 * [movedToBackground] and [movedToForeground] from its lifecycle; the clock is injected so tests
 * move time by hand.
 */
class AutoLock(
    private val session: TokenSession,
    private val clock: MonotonicClock = MonotonicClock { System.nanoTime() / 1_000_000 },
) {
    private var leftAt: Long? = null
    private var delayMillis: Long = 0

    /** The app left the foreground: remember when, and lock now when the delay is 0. */
    fun movedToBackground() {
        val seconds = try {
            session.settings().autoLockSeconds
        } catch (_: TokenException) {
            // Locked or no token: there is nothing to lock later.
            leftAt = null
            return
        }
        if (seconds == 0u) {
            session.lock()
            leftAt = null
            return
        }
        delayMillis = seconds.toLong() * 1000
        leftAt = clock.millis()
    }

    /** The app is back: locks the session when it was away at least the delay. Returns whether it locked. */
    fun movedToForeground(): Boolean {
        val since = leftAt ?: return false
        leftAt = null
        if (clock.millis() - since < delayMillis) return false
        session.lock()
        return true
    }
}
