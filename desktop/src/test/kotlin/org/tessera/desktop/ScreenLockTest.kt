package org.tessera.desktop

import androidx.compose.ui.input.key.Key
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.performKeyInput
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.pressKey
import androidx.compose.ui.test.runComposeUiTest
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Path
import org.freedesktop.dbus.DBusPath
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder
import org.freedesktop.dbus.exceptions.DBusException
import org.freedesktop.dbus.types.UInt32
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The token locks when the screen locks: signals sent with `dbus-send` on the suite's private
 * session bus (testing/keyring-harness) reach the watch, and the window shows the PIN page. The
 * same private bus stands in for the system bus, with the test as logind (it owns
 * org.freedesktop.login1 there and says which session this process is in).
 */
@OptIn(ExperimentalTestApi::class)
class ScreenLockTest {
    @Test
    fun theFreedesktopScreenSaverLocksTheToken() = lockedBy {
        emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true")
    }

    @Test
    fun gnomesScreenSaverLocksTheToken() = lockedBy {
        emit("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", "boolean:true")
    }

    @Test
    fun logindsLockOfThisSessionLocksTheToken() {
        val logind = FakeLogind()
        logind.use {
            lockedBy(system = ScreenLockWatch.sessionBus) { desk ->
                assertEquals(ProcessHandle.current().pid(), logind.askedPid)
                // Another session's lock is not ours.
                emit("/org/freedesktop/login1/session/_4", "org.freedesktop.login1.Session.Lock")
                Thread.sleep(QUIET_MILLIS)
                assertTrue(desk.app.unlocked(), "another session's Lock locked the token")
                emit(FakeLogind.SESSION, "org.freedesktop.login1.Session.Lock")
            }
        }
    }

    @Test
    fun noBusIsSaidAndTheWatchCarriesOn() {
        val said = stderrOf {
            val watch = ScreenLockWatch.start(
                onLock = { error("no bus can lock") },
                session = { throw DBusException("Cannot connect to the session bus") },
                system = { DBusConnectionBuilder.forAddress("unix:path=/nonexistent/tessera-test-bus").withShared(false).build() },
            )
            watch.use { assertEquals(0, it.watching) }
        }
        assertTrue(
            said.contains("Tessera Desktop does not lock with the screen through the session bus: Cannot connect to the session bus"),
            said,
        )
        assertTrue(said.contains("Tessera Desktop does not lock with the screen through the system bus: "), said)
    }

    @Test
    fun aSystemBusWithoutLogindIsSaidAndTheScreenSaverStillCounts() {
        // The private bus has no org.freedesktop.login1: logind's half fails, the screen savers' works.
        val said = stderrOf {
            ScreenLockWatch.start(onLock = {}, system = ScreenLockWatch.sessionBus).use { assertEquals(1, it.watching) }
        }
        assertTrue(said.contains("Tessera Desktop does not lock with the screen through the system bus: "), said)
        assertTrue(said.contains("org.freedesktop.login1"), said)
    }

    /**
     * Opens the window on a locked token, unlocks it with the PIN, checks that the screen saver's
     * `ActiveChanged(false)` (the screen coming back) leaves it open, then runs [signal] and
     * expects the PIN page.
     */
    private fun lockedBy(system: BusOpener = NO_SYSTEM_BUS, signal: ComposeUiTest.(DesktopUnderTest) -> Unit) = runComposeUiTest {
        DesktopUnderTest(folder = tokenWithAnIdentity()).use { desk ->
            ScreenLockWatch.start(desk.app::screenLocked, system = system).use { watch ->
                setContent { DesktopContent(desk.app, desk.hooks) }
                waitForText("Unlock Tessera")
                field("PIN").performTextInput(Typed.PIN)
                field("PIN").performKeyInput { pressKey(Key.Enter) }
                waitForText("alice@example.com", substring = true)
                assertTrue(desk.app.unlocked())

                emit("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:false")
                Thread.sleep(QUIET_MILLIS)
                assertTrue(desk.app.unlocked(), "ActiveChanged(false) locked the token")

                signal(desk)
                waitForText("Unlock Tessera")
                assertFalse(desk.app.unlocked())
                assertTrue(watch.watching >= 1)
            }
        }
    }

    /** A token folder with one identity and [Typed.PIN], closed: the window opens it locked. */
    private fun tokenWithAnIdentity(): Path {
        val folder = tempFolder("tessera-desktop-screen-lock")
        openToken(folder).session.use { session ->
            session.addIdentity().use { flow ->
                flow.enterLink(Typed.OTPAUTH)
                flow.setPin(Typed.PIN)
                flow.confirmPin(Typed.PIN)
            }
        }
        return folder
    }

    /** Sends a signal on the private session bus as another program would. */
    private fun emit(path: String, member: String, vararg args: String) {
        val process = ProcessBuilder(listOf("dbus-send", "--session", "--type=signal", path, member) + args)
            .redirectErrorStream(true)
            .start()
        val output = process.inputStream.readAllBytes().decodeToString()
        assertEquals(0, process.waitFor(), "dbus-send failed: $output")
    }

    private fun stderrOf(block: () -> Unit): String {
        val captured = ByteArrayOutputStream()
        val original = System.err
        System.setErr(PrintStream(captured, true))
        try {
            block()
        } finally {
            System.setErr(original)
        }
        return captured.toString()
    }

    /** logind's manager on the private bus: this process is in [SESSION]. */
    private class FakeLogind : AutoCloseable, LoginManager {
        private val bus = ScreenLockWatch.sessionBus.open()

        @Volatile var askedPid: Long? = null

        init {
            bus.requestBusName("org.freedesktop.login1")
            bus.exportObject(objectPath, this)
        }

        override fun sessionByPid(pid: UInt32): DBusPath {
            askedPid = pid.toLong()
            return DBusPath(SESSION)
        }

        override fun getObjectPath(): String = "/org/freedesktop/login1"

        override fun close() {
            bus.releaseBusName("org.freedesktop.login1")
            bus.close()
        }

        companion object {
            const val SESSION = "/org/freedesktop/login1/session/_3"
        }
    }

    private companion object {
        /** How long a signal that must not lock is given to do so. */
        const val QUIET_MILLIS = 700L

        val NO_SYSTEM_BUS = BusOpener { throw DBusException("The tests have no system bus.") }
    }
}
