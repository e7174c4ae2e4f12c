package org.tessera.desktop

import java.util.concurrent.Executors
import java.util.concurrent.ScheduledExecutorService
import java.util.concurrent.TimeUnit

/** Whether the screen is locked now, asked of the platform; throws when it cannot tell. */
fun interface LockProbe {
    fun locked(): Boolean
}

/**
 * Locks the token with the screen where the platform only answers when asked (macOS, Windows:
 * [PlatformLockProbes.kt]): [check] asks [probe] and runs [onLock] when the screen went from
 * unlocked to locked, once per lock however many polls see it locked. A probe that fails
 * (a missing library, no window-server session) is said once on [say]; polling goes on, and
 * the idle and minimised-window locks still apply.
 */
class ScreenLockPoll(
    private val probe: LockProbe,
    private val onLock: () -> Unit,
    private val say: (String) -> Unit = System.err::println,
) {
    private var wasLocked = false
    private var failureSaid = false

    /** One poll. */
    @Synchronized
    fun check() {
        val locked = try {
            probe.locked()
        } catch (e: Exception) {
            failed(e)
            return
        } catch (e: LinkageError) {
            failed(e)
            return
        }
        if (locked && !wasLocked) onLock()
        wasLocked = locked
    }

    /** Polls every [everyMillis] on a daemon thread until the returned handle is closed. */
    fun start(everyMillis: Long = 2_000): AutoCloseable {
        val timer: ScheduledExecutorService = Executors.newSingleThreadScheduledExecutor { task ->
            Thread(task, "tessera-screen-lock-poll").apply { isDaemon = true }
        }
        timer.scheduleWithFixedDelay(::check, 0, everyMillis, TimeUnit.MILLISECONDS)
        return AutoCloseable { timer.shutdownNow() }
    }

    private fun failed(e: Throwable) {
        if (failureSaid) return
        failureSaid = true
        say("Tessera Desktop cannot tell whether the screen is locked, so it does not lock with it: ${e.message ?: e.javaClass.simpleName}")
    }
}
