package org.tessera.desktop

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * The poll behind locking with the screen on Windows and macOS, with a probe the test answers:
 * a lock is acted on once when the screen goes from unlocked to locked, again only after an
 * unlock, and a probe that fails is said once and does not stop the polls.
 */
class ScreenLockPollTest {
    private var answers = ArrayDeque<() -> Boolean>()
    private var locks = 0
    private val said = mutableListOf<String>()
    private val poll = ScreenLockPoll({ answers.removeFirst()() }, { locks++ }, { said += it })

    private fun screen(vararg locked: Boolean) = locked.forEach { state -> answers.addLast { state } }

    private fun checkAll() {
        while (answers.isNotEmpty()) poll.check()
    }

    @Test
    fun aLockedEdgeLocksOnceAndAgainOnlyAfterAnUnlock() {
        screen(false, false, true)
        checkAll()
        assertEquals(1, locks)
        screen(true, true, true)
        checkAll()
        assertEquals(1, locks, "polls that still see the screen locked locked the token again")
        screen(false, true)
        checkAll()
        assertEquals(2, locks)
        assertEquals(emptyList<String>(), said)
    }

    @Test
    fun aScreenLockedAtTheFirstPollLocks() {
        screen(true)
        checkAll()
        assertEquals(1, locks)
    }

    @Test
    fun aFailingProbeIsSaidOnceAndPollingGoesOn() {
        repeat(3) { answers.addLast { throw IllegalStateException("this process has no window-server session") } }
        answers.addLast { throw UnsatisfiedLinkError("Unable to load library 'CoreGraphics'") }
        checkAll()
        assertEquals(
            listOf("Tessera Desktop cannot tell whether the screen is locked, so it does not lock with it: this process has no window-server session"),
            said,
        )
        assertEquals(0, locks)
        screen(false, true)
        checkAll()
        assertEquals(1, locks, "a lock after failed polls was missed")
        assertEquals(1, said.size)
    }

    @Test
    fun theTimerPollsUntilClosed() {
        val polled = java.util.concurrent.CountDownLatch(3)
        val handle = ScreenLockPoll({ polled.countDown(); false }, { locks++ }, { said += it }).start(everyMillis = 10)
        try {
            assertEquals(true, polled.await(10, java.util.concurrent.TimeUnit.SECONDS), "the probe was not polled three times")
        } finally {
            handle.close()
        }
        assertEquals(0, locks)
    }
}
